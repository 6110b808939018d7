import { html } from 'hono/html';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';

export interface StockLookupView {
  product: { id: string; sku: string; name: string; barcode: string | null };
  stock: Array<{ warehouseId: string; binCode: string; onHand: number; reserved: number; available: number }>;
}

export function stockScreen(ctx: PageContext, o: { barcode: string; result: StockLookupView | null; notFound: boolean }): Markup {
  const { t } = ctx;
  const r = o.result;
  const total = r ? r.stock.reduce((a, s) => ({ onHand: a.onHand + s.onHand, reserved: a.reserved + s.reserved, available: a.available + s.available }), { onHand: 0, reserved: 0, available: 0 }) : null;
  return page(
    { ...ctx, active: 'stock' },
    t('stockLookup'),
    html`<h1>${t('stockLookup')}</h1>
<div id="feedback" class="feedback" data-state="idle" role="status">${t('scanToLookUp')}</div>
<form method="get" action="${BASE}/stock">
  <label for="barcode">${t('barcode')}</label>
  <input id="barcode" name="barcode" inputmode="numeric" autocomplete="off" value="${o.barcode}">
  <div class="actions"><button class="btn block" type="submit">${t('lookup')}</button></div>
</form>
${o.notFound ? html`<p class="alert error" role="alert" data-result="not-found">${t('notFound')} (${o.barcode})</p>` : ''}
${
  r && total
    ? html`<section class="card" data-result="found" data-product-id="${r.product.id}">
  <h2>${r.product.name}</h2>
  <dl class="kv"><dt>${t('sku')}</dt><dd>${r.product.sku}</dd><dt>${t('barcode')}</dt><dd>${r.product.barcode ?? ''}</dd></dl>
  <div class="stock-row muted"><span>${t('bin')}</span><span class="num">${t('onHand')}</span><span class="num">${t('reserved')}</span><span class="num">${t('available')}</span></div>
  ${r.stock.map((s) => html`<div class="stock-row" data-bin="${s.binCode}"><strong>${s.binCode}</strong><span class="num">${s.onHand}</span><span class="num">${s.reserved}</span><span class="num">${s.available}</span></div>`)}
  <div class="stock-row"><strong>Σ</strong><strong class="num" data-total="on-hand">${total.onHand}</strong><strong class="num">${total.reserved}</strong><strong class="num" data-total="available">${total.available}</strong></div>
</section>`
    : ''
}`,
    { scripts: ['scanner.js'], pageId: 'stock' },
  );
}
