import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

export interface ReceiveView {
  warehouses: Array<{ warehouseId: string; code: string; name: string }>;
  /** What the form shows again after a refusal (or the warehouse kept after a receipt). */
  form: { warehouseId: string; binCode: string; itemCode: string; quantity: string; reference: string };
  result: { receiptId: string; lines: Array<{ sku: string; name: string; binCode: string; quantity: number }>; released: Array<{ id: string; orderNumber: string | null; orderId: string }> } | null;
}

/** Receive stock on the phone: scan the bin, scan the item, type the quantity, submit: a stock receipt. */
export function receiveScreen(ctx: PageContext, user: SessionUser, v: ReceiveView, flash?: { kind: 'ok' | 'error'; text: string; detail?: string }): Markup {
  const { t } = ctx;
  const f = v.form;
  return page(
    { ...ctx, active: 'receive' },
    t('receiveStock'),
    html`<h1>${t('receiveStock')}</h1>
<div id="feedback" class="feedback" data-state="${flash?.kind ?? 'idle'}" role="status" aria-live="assertive"><span class="fb-head">${flash?.text ?? t('receiveHint')}</span><span class="fb-detail">${flash?.detail ?? ''}</span></div>
${
  v.result
    ? html`<section class="card" data-receipt-id="${v.result.receiptId}">
  <h2>${t('stockReceipt')} #${v.result.receiptId}</h2>
  <ul class="lines">${v.result.lines.map((l) => html`<li data-received="${l.sku}"><span class="b">${l.binCode}</span><span class="n">${l.name}<br><span class="muted">${l.sku}</span></span><span class="q">+${l.quantity}</span></li>`)}</ul>
  ${
    v.result.released.length > 0
      ? html`<p class="alert ok" data-released>${t('releasedNotes')}: ${v.result.released.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="${BASE}/delivery-notes/${n.id}" data-released-note="${n.id}">#${n.id} (${t('order')} ${n.orderNumber ?? `#${n.orderId}`})</a>`)}</p>`
      : ''
  }
</section>`
    : ''
}
${
  v.warehouses.length === 0
    ? html`<p class="alert warn" data-no-warehouses>${t('noWarehouses')}</p>`
    : html`<form method="post" action="${BASE}/receive" id="receive-form" class="card" autocomplete="off">
  ${csrfField(user)}
  ${
    v.warehouses.length === 1
      ? html`<input type="hidden" name="warehouseId" value="${v.warehouses[0]!.warehouseId}"><p class="muted">${t('warehouse')}: ${v.warehouses[0]!.code} · ${v.warehouses[0]!.name}</p>`
      : html`<label for="warehouse">${t('warehouse')}</label><select id="warehouse" name="warehouseId">${v.warehouses.map(
          (w) => html`<option value="${w.warehouseId}" ${w.warehouseId === f.warehouseId ? 'selected' : ''}>${w.code} · ${w.name}</option>`,
        )}</select>`
  }
  <label for="bin-code">${t('bin')}</label>
  <input id="bin-code" name="binCode" value="${f.binCode}" data-label="${t('bin')}" required autocapitalize="characters">
  <label for="item-code">${t('itemCode')}</label>
  <input id="item-code" name="itemCode" value="${f.itemCode}" data-label="${t('item')}" required>
  <label for="quantity">${t('quantity')}</label>
  <input id="quantity" name="quantity" value="${f.quantity}" inputmode="numeric" pattern="[0-9]*" required>
  <label for="reference">${t('receiptReference')}</label>
  <input id="reference" name="reference" value="${f.reference}">
  <div class="actions"><button class="btn ok block" type="submit" id="receive-submit">${t('receive')}</button></div>
</form>`
}`,
    { scripts: ['scanner.js'], pageId: 'receive' },
  );
}
