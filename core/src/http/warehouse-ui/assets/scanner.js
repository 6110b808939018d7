// Keyboard-wedge scanner input, feedback tones and the pick screen's scan loop. Loaded as a file
// (the CSP forbids inline scripts); no framework, so it runs on the cheapest warehouse phone.
(() => {
  
  const root = document.documentElement;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') || '';

  // --- Sound: two short rising notes for a good scan, a low buzz for a refused one. The last tone is
  // mirrored in data attributes so a headless browser test can prove the error tone was played.
  let audio = null;
  function tone(kind) {
    const notes = kind === 'ok' ? [[880, 0, 0.08], [1320, 0.09, 0.1]] : [[220, 0, 0.22], [165, 0.25, 0.35]];
    root.dataset.lastTone = kind;
    root.dataset.toneCount = String(Number(root.dataset.toneCount || 0) + 1);
    root.dataset.toneFreq = String(notes[0][0]);
    try {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) {
        root.dataset.toneState = 'unsupported';
        return;
      }
      audio = audio || new AC();
      if (audio.state === 'suspended') audio.resume();
      const t0 = audio.currentTime;
      for (const [freq, start, dur] of notes) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = kind === 'ok' ? 'sine' : 'square';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + start);
        gain.gain.exponentialRampToValueAtTime(0.3, t0 + start + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + dur);
        osc.connect(gain).connect(audio.destination);
        osc.start(t0 + start);
        osc.stop(t0 + start + dur + 0.02);
      }
      root.dataset.toneState = 'played';
    } catch {
      root.dataset.toneState = 'failed';
    }
  }

  function feedback(state, headline, detail) {
    const el = document.getElementById('feedback');
    document.body.dataset.scanState = state;
    if (!el) return;
    el.dataset.state = state;
    const head = document.createElement('span');
    head.className = 'fb-head';
    head.textContent = headline;
    const small = document.createElement('span');
    small.className = 'fb-detail';
    small.textContent = detail || '';
    el.replaceChildren(head, small);
    if (state === 'error' && navigator.vibrate) navigator.vibrate([120, 60, 120]);
  }

  // --- Wedge capture. A scanner types the code in a burst and presses Enter; a pause longer than a
  // scanner ever makes starts a new code, so stray human keystrokes do not glue onto the next scan.
  // Keys typed into a form field belong to that field.
  const GAP_MS = 150;
  let buffer = '';
  let last = 0;
  document.addEventListener(
    'keydown',
    (e) => {
      const target = e.target;
      if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const now = performance.now();
      if (now - last > GAP_MS) buffer = '';
      last = now;
      if (e.key === 'Enter') {
        if (buffer.length >= 3) {
          e.preventDefault();
          const code = buffer;
          buffer = '';
          enqueue(code);
        }
        buffer = '';
        return;
      }
      if (e.key.length === 1) {
        buffer = (buffer + e.key).slice(-64);
        e.preventDefault();
      }
    },
    true,
  );

  // Scans are handled one after another in arrival order, even when the server is slow.
  let queue = Promise.resolve();
  const enqueue = (code) => {
    queue = queue.then(() => onScan(code)).catch(() => {
      feedback('error', 'Network error');
      tone('error');
    });
  };

  async function onScan(code) {
    const pageId = document.body.dataset.page;
    if (pageId === 'pick') return pickScan(code);
    if (pageId === 'pack') return packScan(code);
    if (pageId === 'receive') return receiveScan(code);
    if (pageId === 'stock') {
      window.location.assign(`/warehouse/stock?barcode=${encodeURIComponent(code)}`);
      return;
    }
    if (pageId === 'movements') {
      // The scan becomes the product filter; the other filters the user set stay as they are.
      const form = document.getElementById('movements-filter');
      const input = document.getElementById('product');
      if (!form || !input) return;
      input.value = code;
      feedback('ok', code);
      tone('ok');
      form.requestSubmit();
      return;
    }
  }

  // --- Pick screen.
  let qty = 1;
  let scannedBin = '';
  const qtyOut = () => document.getElementById('qty');
  function setQty(n) {
    qty = Math.max(1, Math.min(999, n));
    const o = qtyOut();
    if (o) o.textContent = String(qty);
  }
  document.addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('[data-step]') : null;
    if (b) setQty(qty + Number(b.getAttribute('data-step')));
  });

  async function pickScan(code) {
    const panel = document.getElementById('pick-panel');
    if (!panel) return;
    const bins = (panel.dataset.bins || '').split('|').filter(Boolean);
    const bin = bins.find((b) => b.toUpperCase() === code.toUpperCase());
    if (bin) {
      scannedBin = bin;
      panel.querySelector('.current')?.classList.toggle('bin-ok', bin === panel.dataset.currentBin);
      feedback('ok', `${panel.dataset.labelBin || 'Bin'} ${bin}`);
      tone('ok');
      return;
    }
    const body = { barcode: code, quantity: qty };
    if (scannedBin) body.binCode = scannedBin;
    const res = await fetch(panel.dataset.scanUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (data && typeof data.panel === 'string') {
      panel.innerHTML = data.panel;
      for (const k of ['bins', 'currentBin']) if (data[k] !== undefined) panel.dataset[k] = data[k];
    }
    if (res.ok && data?.ok) {
      if (panel.dataset.currentBin !== scannedBin) scannedBin = '';
      setQty(1);
      feedback('ok', data.headline || data.message, data.detail);
      tone('ok');
    } else {
      // The refused scan keeps the chosen quantity so the picker can correct it and scan again.
      setQty(qty);
      feedback('error', data?.headline || data?.error?.message || `HTTP ${res.status}`, data?.detail);
      tone('error');
    }
    panel.querySelector('.current')?.classList.toggle('bin-ok', !!scannedBin && scannedBin === panel.dataset.currentBin);
  }

  // --- Pack screen: every item scanned against the packing list; the server answers with the new panel.
  async function packScan(code) {
    const panel = document.getElementById('pack-panel');
    if (!panel) return;
    const res = await fetch(panel.dataset.scanUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ code, quantity: 1 }),
    });
    const data = await res.json().catch(() => null);
    if (data && typeof data.panel === 'string') panel.innerHTML = data.panel;
    // The last form's message and the "still to check" warning are out of date once a scan answered.
    document.querySelector('[data-flash]')?.remove();
    if (data?.complete) document.querySelector('[data-unscanned]')?.remove();
    const ok = res.ok && data?.ok;
    feedback(ok ? 'ok' : 'error', data?.headline || data?.error?.message || `HTTP ${res.status}`, data?.detail);
    tone(ok ? 'ok' : 'error');
  }

  // --- Receive screen: the first scan is the bin, the next the item; then the quantity is typed.
  function receiveScan(code) {
    const bin = document.getElementById('bin-code');
    const item = document.getElementById('item-code');
    const qty = document.getElementById('quantity');
    if (!bin || !item) return;
    const target = !bin.value ? bin : item;
    target.value = code;
    feedback('ok', `${target.dataset.label || ''} ${code}`.trim());
    tone('ok');
    if (target === item && qty) {
      qty.focus();
      qty.select();
    }
  }

  const manual = document.getElementById('manual-scan');
  manual?.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = manual.querySelector('input[name="barcode"], input[name="code"]');
    const code = input.value.trim();
    input.value = '';
    if (code) enqueue(code);
  });

  // --- Pack screen: more parcels by cloning the first one's fields, emptied.
  document.getElementById('add-parcel')?.addEventListener('click', () => {
    const list = document.getElementById('parcels');
    const first = list?.querySelector('fieldset');
    if (!list || !first) return;
    const copy = first.cloneNode(true);
    for (const input of copy.querySelectorAll('input')) input.value = '';
    list.appendChild(copy);
    renumber(list);
  });
  document.getElementById('parcels')?.addEventListener('click', (e) => {
    const btn = e.target instanceof Element ? e.target.closest('[data-remove-parcel]') : null;
    const list = document.getElementById('parcels');
    if (!btn || !list || list.querySelectorAll('fieldset').length < 2) return;
    btn.closest('fieldset')?.remove();
    renumber(list);
  });
  function renumber(list) {
    list.querySelectorAll('fieldset').forEach((f, i) => {
      const n = f.querySelector('[data-parcel-no]');
      if (n) n.textContent = String(i + 1);
      f.dataset.parcel = String(i + 1);
    });
  }
})();
