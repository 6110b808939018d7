import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { MONEY_BACK_KINDS, RETURN_STATUS_VALUES, RETURN_TYPES } from '../../../contracts/return.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { type ReturnWords, wordOf } from '../return-words.ts';

/*
 * The returns screens (issue 13): the list and a return's page for the desk, the start form on the
 * order, the receipt by scan for the phone (a keyboard-wedge scanner types into the focused field
 * and presses Enter, so each step is one form with one autofocused input), and the quarantine.
 */

export type Flash = { kind: 'ok' | 'error' | 'warn'; text: string; detail?: string };

const flashBox = (f?: Flash) => (f ? html`<div class="alert ${f.kind}" role="status" id="flash" data-kind="${f.kind}"><span class="fb-head">${f.text}</span>${f.detail ? html`<br><span class="fb-detail muted-inline">${f.detail}</span>` : ''}</div>` : '');
const statusPill = (w: ReturnWords, s: string) => html`<span class="pill ret-${s}" data-return-status="${s}">${wordOf(w, 'status_', s)}</span>`;
const day = (iso: string) => iso.slice(0, 10);

// --- The list -------------------------------------------------------------------------------------
export interface ReturnsListView {
  filters: { status: string; channelId: string; from: string; to: string };
  channels: Array<{ id: string; name: string }>;
  rows: Array<{ id: string; orderId: string; orderNumber: string | null; channelName: string; type: string; status: string; moneyBack: string | null; units: number; createdAt: string }>;
  nextHref: string | null;
  paged: boolean;
  error: string | null;
  canScan: boolean;
}

export function returnsListScreen(ctx: PageContext, w: ReturnWords, v: ReturnsListView): Markup {
  const f = v.filters;
  return page(
    { ...ctx, active: 'returns' },
    w('returnsTitle'),
    html`<h1>${w('returnsTitle')}</h1>
${v.canScan ? html`<div class="actions"><a class="btn block" href="${BASE}/returns/scan" id="scan-return-link">${w('scanParcelTitle')}</a></div>` : ''}
<form method="get" action="${BASE}/returns" class="filter-form card" id="returns-filter">
  <div class="grid2">
    <div><label for="f-status">${ctx.t('status')}</label><select id="f-status" name="status"><option value="">${ctx.t('allStatuses')}</option>${RETURN_STATUS_VALUES.map((s) => html`<option value="${s}" ${f.status === s ? 'selected' : ''}>${wordOf(w, 'status_', s)}</option>`)}</select></div>
    <div><label for="f-channel">${w('channel')}</label><select id="f-channel" name="channelId"><option value="">${w('allChannels')}</option>${v.channels.map((c) => html`<option value="${c.id}" ${f.channelId === c.id ? 'selected' : ''}>${c.name}</option>`)}</select></div>
    <div><label for="f-from">${w('from')}</label><input type="date" id="f-from" name="from" value="${f.from}"></div>
    <div><label for="f-to">${w('to')}</label><input type="date" id="f-to" name="to" value="${f.to}"></div>
  </div>
  <div class="actions"><button class="btn secondary block" type="submit">${ctx.t('applyFilters')}</button></div>
</form>
${v.error ? html`<p class="alert error" id="filter-error">${v.error}</p>` : ''}
${!v.error && v.rows.length === 0 ? html`<p class="card muted" id="no-returns">${w('noReturns')}</p>` : ''}
<ul class="list" data-returns>${v.rows.map(
      (r) => html`<li data-return-id="${r.id}"><a href="${BASE}/returns/${r.id}">
  <span><strong>${w('returnTitle')} #${r.id}</strong> · ${w('orderWord')} ${r.orderNumber ?? `#${r.orderId}`}<br><span class="muted">${r.channelName} · ${wordOf(w, 'type_', r.type)} · ${r.units} ${w('unitsWord')} · ${day(r.createdAt)}${r.moneyBack ? html` · ${wordOf(w, 'money_', r.moneyBack)}` : ''}</span></span>
  ${statusPill(w, r.status)}</a></li>`,
    )}</ul>
<div class="actions two">
${v.paged ? html`<a class="btn secondary" href="${BASE}/returns?${new URLSearchParams(Object.entries(f).filter(([, x]) => x !== '')).toString()}">${w('firstPage')}</a>` : ''}
${v.nextHref ? html`<a class="btn secondary" href="${v.nextHref}" id="next-page">${w('nextPage')}</a>` : ''}
</div>`,
    { pageId: 'returns' },
  );
}

// --- A return's page ----------------------------------------------------------------------------
export interface ReturnDetailView {
  id: string;
  orderId: string;
  orderNumber: string | null;
  channelName: string;
  type: string;
  status: string;
  note: string | null;
  createdAt: string;
  returnCourier: string | null;
  returnAwb: string | null;
  returnLockerId?: string | null;
  returnLockerPin?: string | null;
  moneyBack: string | null;
  moneyBackRef: string | null;
  moneyBackError: string | null;
  lines: Array<{ lineNo: number; orderLineNo: number; sku: string | null; name: string; quantity: number; reason: string; received: number; restocked: number; quarantined: number }>;
  receipt: { id: string; status: 'open' | 'approved'; lines: Array<{ id: string; returnLineNo: number; sku: string; quantity: number; destination: string; binCode: string | null; createdAt: string }> } | null;
  creditNote: { id: string; fullNumber: string; eState: string | null; eError: string | null } | null;
  can: { manage: boolean; receive: boolean };
}

export function returnDetailScreen(ctx: PageContext, user: SessionUser, w: ReturnWords, v: ReturnDetailView, flash?: Flash): Markup {
  const open = ['requested', 'receiving', 'received'].includes(v.status);
  const manual = v.type === 'manual';
  const canApprove = v.can.receive && open && (manual || (v.receipt?.lines.length ?? 0) > 0);
  const canScan = v.can.receive && !manual && (v.status === 'requested' || v.status === 'receiving');
  const title = `${w('returnTitle')} #${v.id}`;
  return page(
    { ...ctx, active: 'returns' },
    title,
    html`<p><a href="${BASE}/returns">← ${w('returnsTitle')}</a></p>
<h1>${title} ${statusPill(w, v.status)}</h1>
${flashBox(flash)}
<section class="card">
<dl class="kv">
  <dt>${w('orderWord')}</dt><dd><a href="${BASE}/orders/${v.orderId}" id="return-order">${v.orderNumber ?? `#${v.orderId}`}</a> · ${v.channelName}</dd>
  <dt>${w('type')}</dt><dd data-return-type="${v.type}">${wordOf(w, 'type_', v.type)}</dd>
  <dt>${w('createdAt')}</dt><dd>${day(v.createdAt)}</dd>
  ${v.note ? html`<dt>${w('note')}</dt><dd>${v.note}</dd>` : ''}
</dl>
</section>
<section class="card">
<ul class="lines ret-lines" data-return-lines>${v.lines.map(
      (l) => html`<li data-return-line="${l.lineNo}"><span class="b">${l.sku ?? ''}</span><span class="n">${l.name}<br><span class="muted">${w('reason')}: ${l.reason}</span>${manual ? '' : html`<br><span class="muted">${w('restocked')} <strong data-restocked>${l.restocked}</strong> · ${w('quarantined')} <strong data-quarantined>${l.quarantined}</strong></span>`}</span><span class="q">${manual ? html`${l.quantity}` : html`<span data-received>${l.received}</span>/${l.quantity}`}</span></li>`,
    )}</ul>
${canScan ? html`<div class="actions"><a class="btn block" href="${BASE}/returns/${v.id}/receive" id="scan-link">${w('scanOnPhone')}</a></div>` : ''}
${
  canApprove
    ? html`<form method="post" action="${BASE}/returns/${v.id}/approve" class="actions">${csrfField(user)}<button class="btn ok block" type="submit" id="approve-return">${manual ? w('approveManual') : w('approve')}</button></form>`
    : ''
}
</section>
${
  manual
    ? ''
    : html`<section class="card" id="receipt">
  <h2>${w('receiptTitle')}${v.receipt ? html` #${v.receipt.id} · ${v.receipt.status === 'open' ? w('receiptOpen') : w('receiptApproved')}` : ''}</h2>
  ${
    v.receipt && v.receipt.lines.length > 0
      ? html`<ul class="lines">${v.receipt.lines.map(
          (l) => html`<li data-receipt-line="${l.id}" data-destination="${l.destination}"><span class="b">${l.destination === 'restock' ? (l.binCode ?? '') : '⚠'}</span><span class="n">${l.sku}<br><span class="muted">${l.destination === 'restock' ? w('destRestock') : w('destQuarantine')}</span></span><span class="q">${l.quantity}</span></li>`,
        )}</ul>`
      : html`<p class="muted">${w('noReceipt')}</p>`
  }
</section>`
}
${
  manual
    ? ''
    : html`<section class="card" id="return-awb">
  <h2>${w('awbTitle')}</h2>
  ${v.returnAwb ? html`<p data-return-awb="${v.returnAwb}"><strong>${v.returnAwb}</strong>${v.returnCourier ? html` · ${v.returnCourier}` : ''}</p>` : html`<p class="muted">${w('awbNone')}</p>`}
  ${v.returnLockerId ? html`<p data-return-locker="${v.returnLockerId}">${w('lockerReturn')}: ${v.returnLockerId}${v.returnLockerPin ? html` · ${w('lockerPin')}: <strong data-return-locker-pin="${v.returnLockerPin}">${v.returnLockerPin}</strong>` : ''}</p>` : ''}
  ${
    v.can.manage && v.status !== 'cancelled' && v.status !== 'settled'
      ? html`<form method="post" action="${BASE}/returns/${v.id}/awb" autocomplete="off">${csrfField(user)}
    <div class="grid2"><div><label for="awb-courier">${w('courier')}</label><input id="awb-courier" name="courier" value="${v.returnCourier ?? ''}" maxlength="50"></div>
    <div><label for="awb-code">${w('awb')}</label><input id="awb-code" name="awb" value="" required maxlength="64" autocapitalize="characters"></div></div>
    <div class="actions"><button class="btn secondary block" type="submit" id="record-awb">${w('recordAwb')}</button></div></form>`
      : ''
  }
</section>`
}
${v.status === 'cancelled' ? '' : moneyBackSection(user, w, v, open)}
${
  v.can.manage && open
    ? html`<details class="card fold" id="cancel-box"><summary>${w('cancelReturn')}</summary>
  <form method="post" action="${BASE}/returns/${v.id}/cancel">${csrfField(user)}
    <label for="cancel-reason">${w('cancelReason')}</label><input id="cancel-reason" name="reason" required maxlength="200">
    <div class="actions"><button class="btn danger block" type="submit" id="cancel-return">${w('cancelReturn')}</button></div>
  </form></details>`
    : ''
}`,
    { pageId: 'return' },
  );
}

function moneyBackSection(user: SessionUser, w: ReturnWords, v: ReturnDetailView, open: boolean): Markup {
  return html`<section class="card" id="money-back">
  <h2>${w('moneyBackTitle')}</h2>
  ${v.moneyBack ? html`<p data-money-back="${v.moneyBack}">${w('moneyBackDone')}: <strong>${wordOf(w, 'money_', v.moneyBack)}</strong>${v.moneyBackRef && !v.creditNote ? html` · ${w('moneyBackRef')} ${v.moneyBackRef}` : ''}</p>` : ''}
  ${v.moneyBackError ? html`<p class="alert error" data-money-back-error>${w('moneyBackError')}: ${v.moneyBackError}</p>` : ''}
  ${
    v.creditNote
      ? html`<p id="credit-note" data-credit-note-id="${v.creditNote.id}">${w('creditNote')} <strong>${v.creditNote.fullNumber}</strong> · <a href="${BASE}/invoices/${v.creditNote.id}/pdf" target="_blank" rel="noopener" id="credit-note-pdf">${w('openPdf')}</a><br>
      <span data-e-state="${v.creditNote.eState ?? 'none'}">${w('eFactura')}: ${wordOf(w, 'eState_', v.creditNote.eState ?? 'none')}</span>${v.creditNote.eError ? html` <span class="muted">(${v.creditNote.eError})</span>` : ''}</p>`
      : ''
  }
  ${
    v.can.manage && v.status === 'approved'
      ? html`<p class="muted">${w('moneyBackHelp')}</p><form method="post" action="${BASE}/returns/${v.id}/money-back" class="actions">${csrfField(user)}${MONEY_BACK_KINDS.map(
          (k) => html`<button class="btn ${k === 'credit_note' ? 'ok' : 'secondary'} block" type="submit" name="kind" value="${k}" id="money-${k}">${wordOf(w, 'money_', k)}</button>`,
        )}</form>`
      : !v.moneyBack && open
        ? html`<p class="muted">${w('moneyBackAfterApproval')}</p>`
        : !v.moneyBack && v.status === 'approved'
          ? html`<p class="muted">${w('moneyBackByOperator')}</p>`
          : ''
  }
</section>`;
}

// --- Starting a return from the order -------------------------------------------------------------
export interface StartReturnView {
  orderId: string;
  orderNumber: string | null;
  deliveredAt: string | null;
  windowEndsAt: string | null;
  withinWindow: boolean;
  reason: string | null;
  lines: Array<{ orderLineNo: number; sku: string | null; name: string; delivered: number; alreadyReturned: number; returnable: number; reasons: string[] }>;
  values: Record<string, string>;
  /** Refusals by form field (`qty.<orderLineNo>`, `reason.<orderLineNo>`, `type`, `form`). */
  errors: Record<string, string>;
}

export function startReturnScreen(ctx: PageContext, user: SessionUser, w: ReturnWords, v: StartReturnView, flash?: Flash): Markup {
  const { t } = ctx;
  const val = (k: string, d = '') => v.values[k] ?? d;
  const type = val('type', 'partially');
  const anyReturnable = v.lines.some((l) => l.returnable > 0);
  const title = `${w('startReturnFor')} ${v.orderNumber ?? `#${v.orderId}`}`;
  const err = (k: string) => (v.errors[k] ? html`<span class="field-error" data-error-for="${k}">${v.errors[k]}</span>` : '');
  return page(
    { ...ctx, active: 'orders' },
    title,
    html`<p><a href="${BASE}/orders/${v.orderId}">← ${t('order')} ${v.orderNumber ?? `#${v.orderId}`}</a></p>
<h1>${title}</h1>
${flashBox(flash)}
${v.reason ? html`<p class="alert warn" id="not-returnable">${w('notReturnable')}: ${v.reason}</p>` : ''}
${v.windowEndsAt ? html`<p class="muted" id="window">${v.withinWindow ? w('windowEnds') : w('windowClosed')}: ${day(v.windowEndsAt)}</p>` : ''}
${
  !anyReturnable
    ? html`<p class="card muted" id="nothing-returnable">${v.lines.map((l) => l.reasons.join('; ')).find(Boolean) ?? w('notReturnable')}</p>`
    : html`<form method="post" action="${BASE}/orders/${v.orderId}/return" class="card" id="start-return-form" autocomplete="off">
  ${csrfField(user)}
  <fieldset class="radio-group"><legend>${w('type')}</legend>
  ${RETURN_TYPES.map((k) => html`<label class="radio"><input type="radio" name="type" value="${k}" ${type === k ? 'checked' : ''} id="type-${k}"> ${wordOf(w, 'type_', k)}</label>`)}
  <p class="muted">${w('typeHelp')}</p>${err('type')}</fieldset>
  ${v.lines.map(
    (l) => html`<div class="card ret-line" data-start-line="${l.orderLineNo}">
    <p><strong>${w('lineNo')} ${l.orderLineNo} · ${l.sku ?? ''}</strong><br>${l.name}<br><span class="muted">${w('delivered')} ${l.delivered} · ${w('alreadyReturned')} ${l.alreadyReturned} · ${w('returnable')} <strong data-returnable>${l.returnable}</strong></span></p>
    ${
      l.returnable > 0
        ? html`<div class="grid2">
      <div><label for="qty-${l.orderLineNo}">${w('qtyToReturn')}</label><input id="qty-${l.orderLineNo}" name="qty.${l.orderLineNo}" value="${val(`qty.${l.orderLineNo}`, '0')}" inputmode="numeric" pattern="[0-9]*" ${v.errors[`qty.${l.orderLineNo}`] ? html`aria-invalid="true"` : ''}></div>
      <div><label for="reason-${l.orderLineNo}">${w('reason')}</label><input id="reason-${l.orderLineNo}" name="reason.${l.orderLineNo}" value="${val(`reason.${l.orderLineNo}`)}" maxlength="200" ${v.errors[`reason.${l.orderLineNo}`] ? html`aria-invalid="true"` : ''}></div>
    </div>${err(`qty.${l.orderLineNo}`)}${err(`reason.${l.orderLineNo}`)}`
        : html`<p class="muted" data-line-refusal>${l.reasons.join('; ') || '—'}</p>${err(`qty.${l.orderLineNo}`)}`
    }
  </div>`,
  )}
  ${err('form')}
  <label for="return-note">${w('note')}</label><input id="return-note" name="note" value="${val('note')}" maxlength="1000">
  <div class="actions"><button class="btn ok block" type="submit" id="start-return">${w('startSubmit')}</button></div>
</form>`
}`,
    { pageId: 'start-return' },
  );
}

// --- The phone: find the parcel, then scan each item -----------------------------------------------
export function scanParcelScreen(ctx: PageContext, user: SessionUser, w: ReturnWords, v: { code: string; choices: Array<{ id: string; orderNumber: string | null; status: string; units: number }> }, flash?: Flash): Markup {
  return page(
    { ...ctx, active: 'returns' },
    w('scanParcelTitle'),
    html`<h1>${w('scanParcelTitle')}</h1>
<div id="feedback" class="feedback" data-state="${flash ? (flash.kind === 'ok' ? 'ok' : 'error') : 'idle'}" role="status" aria-live="assertive"><span class="fb-head">${flash?.text ?? w('scanParcelHint')}</span><span class="fb-detail">${flash?.detail ?? ''}</span></div>
<form method="post" action="${BASE}/returns/scan" class="card" id="parcel-form" autocomplete="off">
  ${csrfField(user)}
  <label for="parcel-code">${w('parcelCode')}</label>
  <input id="parcel-code" name="code" value="${v.code}" data-scan-field required autofocus autocapitalize="characters" enterkeyhint="go">
  <div class="actions"><button class="btn block" type="submit" id="parcel-find">${w('find')}</button></div>
</form>
${
  v.choices.length > 0
    ? html`<p class="muted">${w('chooseReturn')}</p><ul class="list" data-return-choices>${v.choices.map(
        (r) => html`<li><a href="${BASE}/returns/${r.id}/receive" data-choice="${r.id}"><span><strong>${w('returnTitle')} #${r.id}</strong> · ${w('orderWord')} ${r.orderNumber ?? ''}<br><span class="muted">${r.units} ${w('unitsWord')}</span></span>${statusPill(w, r.status)}</a></li>`,
      )}</ul>`
    : ''
}`,
    { pageId: 'return-scan-parcel', scripts: ['scan-focus.js'] },
  );
}

export interface ReceiveView {
  id: string;
  orderNumber: string | null;
  status: string;
  type: string;
  lines: Array<{ lineNo: number; sku: string | null; name: string; quantity: number; received: number; restocked: number; quarantined: number }>;
  /** The item just scanned, waiting for restock (a bin) or quarantine. */
  pending: { barcode: string; sku: string | null; name: string; lineNo: number } | null;
  binCode: string;
  canApprove: boolean;
}

export function receiveReturnScreen(ctx: PageContext, user: SessionUser, w: ReturnWords, v: ReceiveView, flash?: Flash): Markup {
  const done = v.lines.every((l) => l.received >= l.quantity);
  const scannable = v.status === 'requested' || v.status === 'receiving';
  const hint = v.pending ? w('chooseDestination') : done ? w('allReceived') : w('scanItemHint');
  const state = flash ? (flash.kind === 'ok' ? 'ok' : 'error') : 'idle';
  return page(
    { ...ctx, active: 'returns' },
    `${w('returnTitle')} #${v.id}`,
    html`<p><a href="${BASE}/returns/scan">← ${w('scanParcelTitle')}</a> · <a href="${BASE}/returns/${v.id}" id="to-return">${w('backToReturn')}</a></p>
<h1>${w('returnTitle')} #${v.id} ${statusPill(w, v.status)}</h1>
<p class="muted">${w('orderWord')} ${v.orderNumber ?? ''}</p>
<div id="feedback" class="feedback" data-state="${state}" role="status" aria-live="assertive"><span class="fb-head">${flash?.text ?? hint}</span><span class="fb-detail">${flash?.detail ?? (flash ? hint : '')}</span></div>
${
  !scannable
    ? ''
    : v.pending
      ? html`<form method="post" action="${BASE}/returns/${v.id}/receive" class="card pending-item" id="destination-form" autocomplete="off">
  ${csrfField(user)}
  <input type="hidden" name="barcode" value="${v.pending.barcode}">
  <p class="pending-name" data-pending-sku="${v.pending.sku ?? ''}"><strong>${v.pending.sku ?? ''}</strong><br>${v.pending.name}</p>
  <label for="bin-code">${w('binToRestock')}</label>
  <input id="bin-code" name="binCode" value="${v.binCode}" data-scan-field autofocus autocapitalize="characters" enterkeyhint="done">
  <div class="actions">
    <button class="btn ok block big" type="submit" name="destination" value="restock" id="dest-restock">${w('restockToBin')}</button>
    <button class="btn danger block big" type="submit" name="destination" value="quarantine" id="dest-quarantine">${w('toQuarantine')}</button>
  </div>
  <p><a class="btn secondary block" href="${BASE}/returns/${v.id}/receive" id="other-item">${w('otherItem')}</a></p>
</form>`
      : html`<form method="post" action="${BASE}/returns/${v.id}/receive/item" class="card" id="item-form" autocomplete="off">
  ${csrfField(user)}
  <label for="item-barcode">${w('itemBarcode')}</label>
  <input id="item-barcode" name="barcode" value="" data-scan-field required autofocus enterkeyhint="go" inputmode="text">
  <div class="actions"><button class="btn block" type="submit" id="item-submit">${ctx.t('submitScan')}</button></div>
</form>`
}
<ul class="lines" data-receive-lines>${v.lines.map(
      (l) => html`<li class="${l.received >= l.quantity ? 'done' : ''}" data-receive-line="${l.lineNo}"><span class="b">${l.sku ?? ''}</span><span class="n">${l.name}${l.restocked || l.quarantined ? html`<br><span class="muted">${w('restocked')} ${l.restocked} · ${w('quarantined')} ${l.quarantined}</span>` : ''}</span><span class="q" data-progress>${l.received}/${l.quantity}</span></li>`,
    )}</ul>
${
  v.canApprove
    ? html`<form method="post" action="${BASE}/returns/${v.id}/approve" class="actions">${csrfField(user)}<input type="hidden" name="from" value="receive"><button class="btn ${done ? 'ok' : 'secondary'} block big" type="submit" id="approve-receipt">${w('approve')}</button></form>`
    : ''
}
${scannable ? html`<p class="muted">${w('onePerScan')}</p>` : ''}`,
    { pageId: 'return-receive', scripts: ['scan-focus.js'] },
  );
}

// --- Quarantine -------------------------------------------------------------------------------------
export interface QuarantineView {
  status: string;
  rows: Array<{ id: string; returnId: string; sku: string | null; name: string; reason: string | null; quantity: number; status: string; ageDays: number; warehouseCode: string; releasedBinCode: string | null; decisionNote: string | null }>;
  nextHref: string | null;
  canDecide: boolean;
}

export function quarantineScreen(ctx: PageContext, user: SessionUser, w: ReturnWords, v: QuarantineView, flash?: Flash): Markup {
  const age = (d: number) => (d < 1 ? w('today') : `${d} ${w('days')}`);
  const statusWordQ = (s: string) => (s === 'held' ? w('held') : s === 'released' ? w('releasedWord') : w('scrapped'));
  return page(
    { ...ctx, active: 'quarantine' },
    w('quarantineTitle'),
    html`<h1>${w('quarantineTitle')}</h1>
<p class="muted">${w('quarantineIntro')}</p>
${flashBox(flash)}
<form method="get" action="${BASE}/quarantine" class="filter-form"><div class="grid2">
  <select name="status" id="q-status">${['held', 'released', 'scrapped'].map((s) => html`<option value="${s}" ${v.status === s ? 'selected' : ''}>${statusWordQ(s)}</option>`)}</select>
  <button class="btn secondary" type="submit">${ctx.t('applyFilters')}</button></div></form>
${v.rows.length === 0 ? html`<p class="card muted" id="no-quarantine">${w('noQuarantine')}</p>` : ''}
${v.rows.map(
  (q) => html`<section class="card quarantine-card" data-quarantine-id="${q.id}" data-quarantine-status="${q.status}">
  <p><strong>${q.sku ?? ''}</strong> × ${q.quantity} <span class="pill ${q.status === 'held' ? 'blocked' : 'ok'}">${statusWordQ(q.status)}</span><br>${q.name}<br>
  <span class="muted">${w('returnTitle')} <a href="${BASE}/returns/${q.returnId}">#${q.returnId}</a> · ${q.warehouseCode} · ${w('age')}: <span data-age-days="${q.ageDays}">${age(q.ageDays)}</span>${q.reason ? html` · ${q.reason}` : ''}</span>
  ${q.releasedBinCode ? html`<br><span class="muted">→ ${q.releasedBinCode}</span>` : ''}${q.decisionNote ? html`<br><span class="muted">${q.decisionNote}</span>` : ''}</p>
  ${
    v.canDecide && q.status === 'held'
      ? html`<form method="post" action="${BASE}/quarantine/${q.id}/release" autocomplete="off">${csrfField(user)}
    <label for="rel-${q.id}">${ctx.t('bin')}</label><input id="rel-${q.id}" name="binCode" required autocapitalize="characters">
    <div class="actions"><button class="btn ok block" type="submit" id="release-${q.id}">${w('release')}</button></div></form>
  <details class="fold"><summary>${w('scrap')}</summary><form method="post" action="${BASE}/quarantine/${q.id}/scrap">${csrfField(user)}
    <label for="scrap-${q.id}">${w('scrapNote')}</label><input id="scrap-${q.id}" name="note" required maxlength="200">
    <div class="actions"><button class="btn danger block" type="submit" id="scrap-btn-${q.id}">${w('scrap')}</button></div></form></details>`
      : ''
  }
</section>`,
)}
${v.nextHref ? html`<div class="actions"><a class="btn secondary block" href="${v.nextHref}">${w('nextPage')}</a></div>` : ''}`,
    { pageId: 'quarantine' },
  );
}
