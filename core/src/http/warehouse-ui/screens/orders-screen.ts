import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../../contracts/order.ts';
import type { MessageKey, Translate } from '../i18n.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { returnWords, wordOf } from '../return-words.ts';

export const statusWord = (t: Translate, status: string) =>
  (ORDER_STATUSES as readonly string[]).includes(status) ? t(`orderStatus_${status}` as MessageKey) : status;

export interface OrderRowView {
  id: string;
  externalNumber: string | null;
  status: OrderStatus;
  clientName: string | null;
  total: string;
  currency: string;
  paid: boolean;
  createdAt: string;
}

export function ordersScreen(ctx: PageContext, rows: OrderRowView[], o: { status: string; canCreate: boolean }): Markup {
  const { t } = ctx;
  return page(
    { ...ctx, active: 'orders' },
    t('ordersTitle'),
    html`<h1>${t('ordersTitle')}</h1>
${o.canCreate ? html`<div class="actions"><a class="btn block" href="${BASE}/orders/new" id="new-order-link">${t('newOrder')}</a></div>` : ''}
<form method="get" action="${BASE}/orders" class="filter-form">
  <label for="status">${t('status')}</label>
  <div class="grid2"><select id="status" name="status"><option value="">${t('allStatuses')}</option>${ORDER_STATUSES.map((s) => html`<option value="${s}" ${o.status === s ? 'selected' : ''}>${statusWord(t, s)}</option>`)}</select>
  <button class="btn secondary" type="submit">${t('applyFilters')}</button></div>
</form>
${rows.length === 0 ? html`<p class="card muted">${t('noOrders')}</p>` : ''}
<ul class="list" data-orders>${rows.map(
      (r) => html`<li data-order-id="${r.id}"><a href="${BASE}/orders/${r.id}">
  <span><strong>${t('order')} ${r.externalNumber ?? `#${r.id}`}</strong><br><span class="muted">${r.clientName ?? '—'} · ${r.total} ${r.currency} · ${r.paid ? t('paid') : t('unpaid')}</span></span>
  <span class="pill status-${r.status}" data-status="${r.status}">${statusWord(t, r.status)}</span></a></li>`,
    )}</ul>`,
    { pageId: 'desk-orders' },
  );
}

export interface OrderDetailView {
  id: string;
  externalNumber: string | null;
  status: OrderStatus;
  holdReason: string | null;
  paymentMethod: string | null;
  paid: boolean;
  currency: string;
  total: string;
  shippingTotal: string;
  /** Fees the store charged beside lines and shipping (a cash-on-delivery fee). */
  fees: Array<{ name: string; amount: string }>;
  note: string | null;
  client: { id: string; name: string; company: string | null; vatNumber: string | null; email: string | null; phone: string | null } | null;
  shippingAddress: Record<string, unknown> | null;
  lines: Array<{ lineNo: number; sku: string | null; name: string; quantity: number; quantityReserved: number; unitPrice: string; total: string }>;
  deliveryNotes: Array<{ id: string; status: string }>;
  canConfirm: boolean;
  canCancel: boolean;
  clientHref: string | null;
  /** The order's returns, and where to start one (null: not delivered, or the role may not). */
  returns?: Array<{ id: string; status: string; type: string; units: number }>;
  returnHref?: string | null;
}

const PAYMENT_KEY: Record<string, MessageKey> = { cod: 'payCod', bank_transfer: 'payBankTransfer', card: 'payCard', cash: 'payCash' };
const paymentWord = (t: Translate, method: string | null) => (method ? (PAYMENT_KEY[method] ? t(PAYMENT_KEY[method]) : method) : '—');
/** Unit prices are stored to 4 decimals; shown to 2 unless the other two carry something. */
const price = (p: string) => p.replace(/^(-?\d+\.\d\d)00$/, '$1');

const addressLine = (a: Record<string, unknown> | null) =>
  a ? [[a.firstName, a.lastName].filter(Boolean).join(' '), a.address1, a.address2, [a.postcode, a.city].filter(Boolean).join(' '), a.province, a.phone].filter((x) => typeof x === 'string' && x.trim()).join(', ') : '—';

export function orderDetailScreen(ctx: PageContext, user: SessionUser, v: OrderDetailView, flash?: { kind: 'ok' | 'error' | 'warn'; text: string }): Markup {
  const { t } = ctx;
  const title = `${t('order')} ${v.externalNumber ?? `#${v.id}`}`;
  const rw = returnWords(ctx.lang);
  return page(
    { ...ctx, active: 'orders' },
    title,
    html`<p><a href="${BASE}/orders">← ${t('ordersTitle')}</a></p>
<h1>${title} <span class="pill status-${v.status}" id="order-status" data-status="${v.status}">${statusWord(t, v.status)}</span></h1>
${flash ? html`<p class="alert ${flash.kind}" role="status" id="flash">${flash.text}</p>` : ''}
${v.holdReason && v.status === 'on_hold' ? html`<p class="alert warn" data-hold-reason>${t('orderOnHold')}: ${v.holdReason}</p>` : ''}
<section class="card">
<dl class="kv">
  <dt>${t('client')}</dt><dd data-client>${v.client ? (v.clientHref ? html`<a href="${v.clientHref}">${v.client.name}</a>` : v.client.name) : '—'}${v.client?.vatNumber ? html` · ${t('cui')} ${v.client.vatNumber}` : ''}</dd>
  <dt>${t('shippingAddress')}</dt><dd>${addressLine(v.shippingAddress)}</dd>
  <dt>${t('paymentMethod')}</dt><dd data-payment>${paymentWord(t, v.paymentMethod)} · ${v.paid ? t('paid') : t('unpaid')}</dd>
  ${v.note ? html`<dt>${t('notes')}</dt><dd>${v.note}</dd>` : ''}
</dl>
</section>
<section class="card">
<div class="scroll-x"><table class="lines-table" data-order-lines>
<thead><tr><th>${t('sku')}</th><th>${t('item')}</th><th class="num">${t('quantity')}</th><th class="num">${t('reserved')}</th><th class="num">${t('unitPrice')}</th><th class="num">${t('total')}</th></tr></thead>
<tbody>${v.lines.map((l) => html`<tr data-line-sku="${l.sku ?? ''}"><td>${l.sku ?? ''}</td><td>${l.name}</td><td class="num">${l.quantity}</td><td class="num" data-reserved>${l.quantityReserved}</td><td class="num">${price(l.unitPrice)}</td><td class="num">${l.total}</td></tr>`)}</tbody>
</table></div>
<p class="totals"><span>${t('shippingTotal')}: ${v.shippingTotal}</span>${v.fees.map((f) => html`<span data-order-fee>${f.name}: ${f.amount}</span>`)}<span id="order-total">${t('total')}: ${v.total} ${v.currency}</span></p>
</section>
${
  v.deliveryNotes.length > 0
    ? html`<section class="card"><h2>${t('deliveryNotes')}</h2><ul>${v.deliveryNotes.map((d) => html`<li data-delivery-note-id="${d.id}"><a href="${BASE}/delivery-notes">${t('deliveryNote')} #${d.id}</a> · ${d.status}</li>`)}</ul></section>`
    : ''
}
${
  (v.returns?.length ?? 0) > 0 || v.returnHref
    ? html`<section class="card" id="order-returns"><h2>${rw('orderReturns')}</h2>
${(v.returns ?? []).length > 0 ? html`<ul>${(v.returns ?? []).map((r) => html`<li data-order-return="${r.id}"><a href="${BASE}/returns/${r.id}">${rw('returnTitle')} #${r.id}</a> · ${wordOf(rw, 'type_', r.type)} · ${r.units} ${rw('unitsWord')} · <span class="pill ret-${r.status}">${wordOf(rw, 'status_', r.status)}</span></li>`)}</ul>` : ''}
${v.returnHref ? html`<div class="actions"><a class="btn secondary block" href="${v.returnHref}" id="start-return-link">${rw('startReturn')}</a></div>` : ''}
</section>`
    : ''
}
<div class="actions two">
${v.canConfirm ? html`<form method="post" action="${BASE}/orders/${v.id}/confirm">${csrfField(user)}<button class="btn ok block" type="submit" id="confirm-order">${t('confirmOrder')}</button></form>` : ''}
${v.canCancel ? html`<form method="post" action="${BASE}/orders/${v.id}/cancel">${csrfField(user)}<button class="btn danger block" type="submit" id="cancel-order">${t('cancelOrder')}</button></form>` : ''}
</div>`,
    { pageId: 'desk-order' },
  );
}
