// New order: "add item" clones the last line row with the next index, so the form's field names
// (lines[5].sku …) stay the API's own paths. Without JavaScript the form still offers its rows.
(() => {
  const button = document.getElementById('add-line');
  const lines = document.getElementById('lines');
  if (!button || !lines) return;
  button.addEventListener('click', () => {
    const rows = lines.querySelectorAll('.line-row');
    const last = rows[rows.length - 1];
    if (!last || rows.length >= 50) return;
    const next = rows.length;
    const row = last.cloneNode(true);
    row.setAttribute('data-line', String(next));
    for (const el of row.querySelectorAll('[name], [id], [for], [aria-describedby]')) {
      for (const attr of ['name', 'id', 'for', 'aria-describedby']) {
        const v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/lines\[\d+\]/, `lines[${next}]`).replace(/lines-\d+-/, `lines-${next}-`));
      }
    }
    for (const i of row.querySelectorAll('input')) {
      i.value = '';
      i.removeAttribute('aria-invalid');
    }
    for (const e of row.querySelectorAll('.field-error')) e.remove();
    lines.appendChild(row);
    row.querySelector('input')?.focus();
  });
})();
