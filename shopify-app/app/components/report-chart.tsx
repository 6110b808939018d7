import { useEffect, useRef } from 'react';
import type { ReportChart as Chart } from '../generated/expedio-api';

const PALETTE = ['#1f6feb', '#2da44e', '#d29922', '#cf222e', '#8250df', '#0598bc', '#bf3989', '#6e7781', '#953800', '#116329'];

/**
 * A report's chart (labels and named series, as every /api/v1/reports/<name> answers) drawn with
 * Chart.js, the same options as the core UI's report-chart.js. Chart.js is loaded in the browser
 * only, on the first report page: the server renders the empty canvas, the client draws into it.
 */
export function ReportChart({ chart, label }: { chart: Chart; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let drawn: { destroy(): void } | undefined;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: ChartJs }) => {
      if (cancelled || !canvas.current) return;
      const round = chart.kind === 'doughnut';
      drawn = new ChartJs(canvas.current, {
        type: chart.kind,
        data: {
          labels: chart.labels,
          datasets: chart.series.map((s, i) => ({
            label: s.name,
            data: s.values,
            backgroundColor: round ? s.values.map((_, j) => PALETTE[j % PALETTE.length]!) : PALETTE[i % PALETTE.length]!,
            borderColor: PALETTE[i % PALETTE.length]!,
            borderWidth: chart.kind === 'line' ? 2 : 0,
          })),
        },
        // No animation: the chart is complete the moment it is drawn (and in every screenshot).
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: round ? {} : { x: { stacked: chart.stacked }, y: { stacked: chart.stacked, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } },
        },
      });
      canvas.current.dataset.drawn = 'true';
    });
    return () => {
      cancelled = true;
      drawn?.destroy();
    };
  }, [chart]);
  return (
    <div style={{ position: 'relative', height: 280 }}>
      <canvas ref={canvas} role="img" aria-label={label} data-chart-kind={chart.kind} />
    </div>
  );
}
