// Stock movements: "more" appends the next (older) page in place, so the picker keeps their
// scroll position. Without JavaScript the link still works and opens that page on its own.
(() => {
  document.addEventListener('click', async (e) => {
    const link = e.target instanceof Element ? e.target.closest('#more') : null;
    if (!link) return;
    e.preventDefault();
    link.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(link.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const list = document.getElementById('movements');
      for (const li of doc.querySelectorAll('#movements > li')) list?.appendChild(document.importNode(li, true));
      const next = doc.getElementById('more-wrap');
      const wrap = document.getElementById('more-wrap');
      if (next && wrap) wrap.replaceWith(document.importNode(next, true));
      else wrap?.remove();
    } catch {
      // A failed fetch falls back to plain navigation: the page itself shows the error.
      window.location.assign(link.href);
    }
  });
})();
