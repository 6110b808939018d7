/*
 * The report chart component: draws a report's `chart` (labels and named series of numbers, as
 * every /api/v1/reports/<name> answers) with Chart.js, which the page loads first. The core UI
 * draws every <canvas data-chart>; the Shopify app and the WP admin load Chart.js and this file
 * and call ExpedioReportChart.draw(canvas, chart) with the chart of the API's answer.
 */
(() => {
  const PALETTE = ['#1f6feb', '#2da44e', '#d29922', '#cf222e', '#8250df', '#0598bc', '#bf3989', '#6e7781', '#953800', '#116329'];

  function draw(canvas, chart) {
    if (typeof window.Chart !== 'function') throw new Error('Chart.js is not loaded');
    const round = chart.kind === 'doughnut';
    const datasets = chart.series.map((s, i) => ({
      label: s.name,
      data: s.values,
      backgroundColor: round ? s.values.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length],
      borderColor: PALETTE[i % PALETTE.length],
      borderWidth: chart.kind === 'line' ? 2 : 0,
    }));
    const scales = round ? {} : { x: { stacked: chart.stacked }, y: { stacked: chart.stacked, beginAtZero: true, ticks: { precision: 0 } } };
    return new window.Chart(canvas, {
      type: chart.kind,
      data: { labels: chart.labels, datasets },
      // No animation: the chart is complete the moment it is drawn (and in every screenshot).
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales, plugins: { legend: { position: 'bottom' } } },
    });
  }

  window.ExpedioReportChart = { draw };
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    draw(canvas, JSON.parse(canvas.getAttribute('data-chart')));
    canvas.setAttribute('data-drawn', 'true');
  }
})();
