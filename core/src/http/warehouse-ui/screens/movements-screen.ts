import { html } from 'hono/html';
import type { Language } from '../../../auth/index.ts';
import type { StockMovementRow } from '../../../reports/index.ts';
import type { MessageKey, Translate } from '../i18n.ts';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';

export const MOVEMENT_KINDS = ['receipt', 'adjustment', 'reserve', 'release', 'issue', 'return', 'transfer'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

const KIND_KEY: Record<MovementKind, MessageKey> = {
  receipt: 'kindReceipt',
  adjustment: 'kindAdjustment',
  reserve: 'kindReserve',
  release: 'kindRelease',
  issue: 'kindIssue',
  return: 'kindReturn',
  transfer: 'kindTransfer',
};
const CAUSE_KEY: Record<string, MessageKey> = { order: 'causeOrder', delivery_note: 'causeDeliveryNote', pick_list: 'causePickList', receipt: 'kindReceipt', return: 'kindReturn' };

export type MovementRowView = Omit<StockMovementRow, 'warehouseId' | 'binId' | 'productId'> & {
  /** Where the cause document can be opened in this UI, if anywhere the user may look. */
  causeHref: string | null;
};

export interface MovementFiltersView {
  product: string;
  warehouseId: string;
  causeType: string;
  kind: string;
  from: string;
  to: string;
}

export interface MovementsView {
  filters: MovementFiltersView;
  product: { sku: string; name: string } | null;
  productNotFound: boolean;
  error: string | null;
  warehouses: Array<{ id: string; code: string; name: string }>;
  causeTypes: string[];
  rows: MovementRowView[];
  /** Href of the next (older) page, null on the last one. */
  moreHref: string | null;
  /** True on a page after the first: offers the way back to the newest movements. */
  paged: boolean;
}

export const kindLabel = (t: Translate, kind: string) => (kind in KIND_KEY ? t(KIND_KEY[kind as MovementKind]) : kind);
export const causeLabel = (t: Translate, causeType: string) => (CAUSE_KEY[causeType] ? t(CAUSE_KEY[causeType]) : causeType.replace(/_/g, ' '));

const TIME_FORMAT: Record<Language, Intl.DateTimeFormat> = {
  ro: new Intl.DateTimeFormat('ro-RO', { timeZone: 'Europe/Bucharest', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Bucharest', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
};

// U+2212 for the minus: the same width as the plus in tabular figures, so the columns line up.
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');
const sign = (n: number) => (n > 0 ? 'pos' : n < 0 ? 'neg' : 'zero');

function movementRow(ctx: PageContext, r: MovementRowView): Markup {
  const { t } = ctx;
  const cause = `${causeLabel(t, r.causeType)} #${r.causeId}`;
  return html`<li class="mv" data-movement-id="${r.id}" data-kind="${r.kind}" data-on-hand-delta="${r.onHandDelta}" data-reserved-delta="${r.reservedDelta}">
  <div class="mv-main">
    <div class="mv-top"><time datetime="${r.createdAt}">${TIME_FORMAT[ctx.lang].format(new Date(r.createdAt))}</time><span class="pill kind-${r.kind}">${kindLabel(t, r.kind)}</span></div>
    <div class="mv-product"><strong>${r.sku}</strong> <span>${r.productName}</span></div>
    <div class="mv-meta muted"><span data-bin>${r.warehouseCode} · ${r.binCode}</span> · ${
      r.causeHref ? html`<a class="cause-link" href="${r.causeHref}" data-cause="${r.causeType}:${r.causeId}">${cause}</a>` : html`<span data-cause="${r.causeType}:${r.causeId}">${cause}</span>`
    }</div>
    ${r.note ? html`<div class="mv-note muted">${r.note}</div>` : ''}
  </div>
  <div class="mv-deltas">
    <span class="delta ${sign(r.onHandDelta)}" data-delta="on-hand"><small>${t('onHand')}</small>${signed(r.onHandDelta)}</span>
    <span class="delta ${sign(r.reservedDelta)}" data-delta="reserved"><small>${t('reserved')}</small>${signed(r.reservedDelta)}</span>
  </div>
</li>`;
}

/** Only the rows and the "more" link: what the next-page fetch appends to the list. */
export function movementsPageFragment(ctx: PageContext, v: Pick<MovementsView, 'rows' | 'moreHref'>): Markup {
  return html`<ul class="list movements" id="movements">${v.rows.map((r) => movementRow(ctx, r))}</ul>
${v.moreHref ? html`<div class="actions" id="more-wrap"><a class="btn secondary block" id="more" href="${v.moreHref}">${ctx.t('more')}</a></div>` : ''}`;
}

export function movementsScreen(ctx: PageContext, v: MovementsView): Markup {
  const { t } = ctx;
  const f = v.filters;
  const causeTypes = [...new Set(['order', 'delivery_note', 'pick_list', ...v.causeTypes, ...(f.causeType ? [f.causeType] : [])])];
  const filtered = Object.values(f).some((x) => x !== '');
  // The filters beyond the product stay folded on a phone unless one is set, so the list starts on the first screen.
  const narrowed = [f.warehouseId, f.kind, f.causeType, f.from, f.to].filter((x) => x !== '').length;
  return page(
    { ...ctx, active: 'movements' },
    t('stockMovements'),
    html`<h1>${t('stockMovements')}</h1>
<div id="feedback" class="feedback" data-state="idle" role="status">${t('movementsHint')}</div>
<form method="get" action="${BASE}/stock-movements" id="movements-filter" class="filter-form">
  <label for="product">${t('productFilter')}</label>
  <input id="product" name="product" autocomplete="off" autocapitalize="characters" spellcheck="false" value="${f.product}">
  <details class="more-filters" id="more-filters" ${narrowed ? 'open' : ''}>
  <summary>${t('moreFilters')}${narrowed ? html` <span class="pill">${narrowed}</span>` : ''}</summary>
  <div class="grid2">
    <div><label for="warehouseId">${t('warehouse')}</label>
    <select id="warehouseId" name="warehouseId"><option value="">${t('allWarehouses')}</option>${v.warehouses.map((w) => html`<option value="${w.id}" ${w.id === f.warehouseId ? 'selected' : ''}>${w.code}</option>`)}</select></div>
    <div><label for="kind">${t('kind')}</label>
    <select id="kind" name="kind"><option value="">${t('allKinds')}</option>${MOVEMENT_KINDS.map((k) => html`<option value="${k}" ${k === f.kind ? 'selected' : ''}>${kindLabel(t, k)}</option>`)}</select></div>
  </div>
  <label for="causeType">${t('cause')}</label>
  <select id="causeType" name="causeType"><option value="">${t('allCauses')}</option>${causeTypes.map((c) => html`<option value="${c}" ${c === f.causeType ? 'selected' : ''}>${causeLabel(t, c)}</option>`)}</select>
  <div class="grid2">
    <div><label for="from">${t('dateFrom')}</label><input id="from" name="from" type="date" value="${f.from}"></div>
    <div><label for="to">${t('dateTo')}</label><input id="to" name="to" type="date" value="${f.to}"></div>
  </div>
  </details>
  <div class="actions two"><button class="btn" type="submit" id="apply-filters">${t('applyFilters')}</button>${
    filtered ? html`<a class="btn secondary" href="${BASE}/stock-movements" id="clear-filters">${t('clearFilters')}</a>` : ''
  }</div>
</form>
${v.error ? html`<p class="alert error" role="alert" data-error>${t('invalidFilter')}: ${v.error}</p>` : ''}
${v.productNotFound ? html`<p class="alert error" role="alert" data-result="not-found">${t('productNotFound')}: ${f.product}</p>` : ''}
${v.product ? html`<p class="card product-chip" data-product-sku="${v.product.sku}"><strong>${v.product.sku}</strong> · ${v.product.name}</p>` : ''}
${v.paged ? html`<p><a href="${BASE}/stock-movements?${new URLSearchParams(Object.entries(f).filter(([, x]) => x !== '')).toString()}" id="newest">← ${t('newest')}</a></p>` : ''}
${v.rows.length === 0 && !v.error && !v.productNotFound ? html`<p class="card muted" data-empty>${t('noMovements')}</p>` : ''}
${movementsPageFragment(ctx, v)}`,
    { scripts: ['scanner.js', 'movements.js'], pageId: 'movements' },
  );
}
