// The label page: as soon as the PDF in the frame has loaded, open the browser's print dialog for it
// (the frame's own window prints the PDF alone, at its page size: A4 or 100×150 mm). Loaded as a file:
// the CSP forbids inline scripts.
(() => {
  const frame = document.getElementById('label-frame');
  const status = document.getElementById('print-status');
  const root = document.documentElement;
  function printLabel() {
    root.dataset.printRequests = String(Number(root.dataset.printRequests || 0) + 1);
    try {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } catch {
      // A viewer that cannot print from the frame: printing the page prints the frame with it.
      window.print();
    }
    if (status) {
      status.dataset.printState = 'requested';
      status.textContent = status.dataset.sent || status.textContent;
    }
  }
  if (!frame) return;
  frame.addEventListener('load', () => printLabel(), { once: true });
  document.getElementById('print-again')?.addEventListener('click', () => printLabel());
})();
