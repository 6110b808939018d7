// The returns receipt on the phone: a keyboard-wedge scanner types into whatever has the focus, so a
// tap elsewhere on the page must not lose the next scan. A key pressed with no field focused moves the
// focus to the page's scan field first; the key then lands in it, and the scanner's Enter submits it.
(() => {
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY)$/.test(target.tagName))) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
    const field = document.querySelector('input[data-scan-field]');
    if (field instanceof HTMLInputElement) field.focus();
  });
})();
