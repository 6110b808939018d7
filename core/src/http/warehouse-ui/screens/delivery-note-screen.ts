import { html } from 'hono/html';
import type { DeliveryNoteDocuments } from '../../../reports/index.ts';
import type { DeliveryNote } from '../../../warehouse/index.ts';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';
import { statusWord } from '../status-words.ts';

/** One delivery note: its lines, where their stock is reserved, its status in words, and what it led to. */
export function deliveryNoteScreen(ctx: PageContext, n: DeliveryNote, docs: DeliveryNoteDocuments, o: { canPickLists: boolean; canPacking: boolean }): Markup {
  const { t } = ctx;
  const blockedBy = new Map((n.blockedDetails ?? []).map((b) => [b.lineNo, b]));
  const hasDocs = docs.pickLists.length + docs.packingLists.length + docs.shipments.length + docs.invoices.length > 0;
  return page(
    { ...ctx, active: 'notes' },
    `${t('deliveryNote')} #${n.id}`,
    html`<h1>${t('deliveryNote')} #${n.id} <span class="pill ${n.blocked ? 'blocked' : n.status === 'packed' ? 'packed' : ''}" data-note-status="${n.blocked ? 'blocked' : n.status}">${n.blocked ? t('blocked') : statusWord(t, 'delivery_note', n.status)}</span></h1>
<dl class="kv card">
  <dt>${t('order')}</dt><dd>${n.orderNumber ?? `#${n.orderId}`}</dd>
  <dt>${t('deliveryType')}</dt><dd>${statusWord(t, 'type', n.type)}</dd>
  <dt>${t('status')}</dt><dd>${n.approved ? t('stockIssued') : t('notPickedYet')}</dd>
  <dt>${t('created')}</dt><dd>${n.createdAt.slice(0, 16).replace('T', ' ')}</dd>
</dl>
<h2>${t('linesTitle')}</h2>
<ul class="lines" data-note-lines>${n.lines.map((l) => {
      const b = blockedBy.get(l.lineNo);
      return html`<li data-line="${l.lineNo}"><span class="b">${l.quantity}×</span><span class="n">${l.name}<br><span class="muted">${l.sku ?? ''}</span>${b ? html`<br><span class="pill blocked">${t('missing')}: ${b.missing}</span>` : ''}</span><span class="q"></span></li>`;
    })}</ul>
<h2>${t('orderReservations')}</h2>
${
  docs.reservations.length === 0
    ? html`<p class="card muted" data-no-reservations>${t('noReservations')}</p>`
    : html`<ul class="lines" data-reservations>${docs.reservations.map((r) => html`<li data-reservation="${r.sku ?? ''}@${r.binCode}"><span class="b">${r.binCode}</span><span class="n">${r.sku ?? ''}</span><span class="q">${r.quantity}</span></li>`)}</ul>`
}
<h2>${t('documents')}</h2>
${!hasDocs ? html`<p class="card muted">${t('noDocuments')}</p>` : ''}
<ul class="list doc-list" data-documents>
${docs.pickLists.map(
  (p) => html`<li><div class="row">${o.canPickLists ? html`<a href="${BASE}/pick-lists/${p.id}" data-doc="pick-list">${t('pickList')} #${p.id}</a>` : html`<span>${t('pickList')} #${p.id}</span>`}<span class="pill ${p.status}">${statusWord(t, 'pick_list', p.status)}${p.active ? '' : ` · ${t('plInactive')}`}</span></div></li>`,
)}
${docs.packingLists.map(
  (p) => html`<li><div class="row">${o.canPacking ? html`<a href="${BASE}/packing-lists/${p.id}" data-doc="packing-list">${t('packingList')} #${p.id}</a>` : html`<span>${t('packingList')} #${p.id}</span>`}<span class="pill">${statusWord(t, 'packing_list', p.status)} · ${statusWord(t, 'type', p.type)}</span></div></li>`,
)}
${docs.shipments.map(
  (s) => html`<li><div class="row"><span data-doc="shipment">${t('shipment')} #${s.id} · ${t('awb')} ${s.awb ?? '—'}${s.trackingUrl ? html` · <a href="${s.trackingUrl}" target="_blank" rel="noopener noreferrer">${t('tracking')}</a>` : ''}${s.awb && o.canPacking ? html` · <a href="${BASE}/shipments/${s.id}/label/print?format=A6" data-doc="label">${t('printLabelA6')}</a>` : ''}</span><span class="pill">${statusWord(t, 'shipment', s.status)}</span></div></li>`,
)}
${docs.invoices.map((i) => html`<li><div class="row"><span data-doc="invoice">${i.kind === 'credit_note' ? t('creditNote') : t('invoice')} ${i.fullNumber}</span><span class="muted">${i.issueDate}</span></div></li>`)}
</ul>
<div class="actions"><a class="btn secondary block" href="${BASE}/delivery-notes">${t('back')}</a></div>`,
  );
}
