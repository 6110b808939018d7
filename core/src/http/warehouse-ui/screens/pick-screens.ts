import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import type { PickListLine } from '../../../warehouse/index.ts';
import type { MessageKey, Translate } from '../i18n.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

export interface PickListRow {
  id: string;
  status: 'open' | 'picking' | 'picked';
  orders: number;
  lines: number;
  units: number;
  picked: number;
  createdAt: string;
  pickerName: string | null;
}

export type PickLineView = Pick<PickListLine, 'lineNo' | 'binCode' | 'sku' | 'barcode' | 'name' | 'quantity' | 'picked' | 'short'>;

export interface PickView {
  id: string;
  status: 'open' | 'picking' | 'picked';
  lines: PickLineView[];
  orders: Array<{ orderId: string; orderNumber: string | null; deliveryNoteId: string; packingListId: string | null }>;
  canPick: boolean;
  canTick: boolean;
  canComplete: boolean;
  canPack: boolean;
  /** The warehouse asks for the bin before the item (warehouses.scan_location_first). */
  locationFirst?: boolean;
}

const STATUS_KEY: Record<PickView['status'], MessageKey> = { open: 'statusOpen', picking: 'statusPicking', picked: 'statusPicked' };

export function pickListsScreen(ctx: PageContext, rows: PickListRow[], opts: { mine: boolean }): Markup {
  const { t } = ctx;
  return page(
    { ...ctx, active: 'pick' },
    opts.mine ? t('myPickLists') : t('pickLists'),
    html`<h1>${opts.mine ? t('myPickLists') : t('pickLists')}</h1>
${rows.length === 0 ? html`<p class="card muted">${t('noPickLists')}</p>` : ''}
<ul class="list" data-pick-lists>
${rows.map(
  (r) => html`<li><a href="${BASE}/pick-lists/${r.id}" data-pick-list-id="${r.id}">
  <span><strong>#${r.id}</strong> · ${r.orders} ${t('orders')}<br><span class="muted">${r.lines} ${t('lines')} · ${r.picked}/${r.units} ${t('units')}${r.pickerName ? ` · ${r.pickerName}` : ''}</span></span>
  <span class="pill ${r.status}">${t(STATUS_KEY[r.status])}</span>
</a></li>`,
)}
</ul>`,
    { scripts: ['scanner.js'] },
  );
}

const isDone = (l: PickLineView) => l.picked + l.short >= l.quantity;

/** The part of the pick screen that each scan replaces (server-rendered, swapped in by scanner.js). */
export function pickPanel(t: Translate, user: SessionUser, v: PickView): Markup {
  const units = v.lines.reduce((a, l) => a + l.quantity, 0);
  const done = v.lines.reduce((a, l) => a + l.picked + l.short, 0);
  const current = v.lines.find((l) => !isDone(l));
  const finished = v.lines.filter(isDone);
  const open = v.lines.filter((l) => !isDone(l) && l !== current);
  return html`<div class="progress-block">
  <progress max="${units}" value="${done}" aria-label="${t('progress')}"></progress>
  <div class="progress-text"><span data-progress="${done}/${units}">${t('picked')}: ${done}/${units} ${t('units')}</span><span>${finished.length}/${v.lines.length} ${t('lines')}</span></div>
</div>
${
  current
    ? html`<section class="card current" data-current-line="${current.lineNo}" data-current-barcode="${current.barcode ?? ''}">
  <div class="step"><span class="k">${t('bin')}</span><span class="bin-code">${current.binCode}</span></div>
  <div class="step"><span class="k">${t('item')}</span><span><span class="item-name">${current.name}</span><br><span class="muted">${current.sku ?? ''} · ${current.barcode ?? ''}</span></span></div>
  <div class="step"><span class="k">${t('quantity')}</span><span class="qty" data-line-progress="${current.picked}/${current.quantity}">${current.picked} <small>/ ${current.quantity}</small></span></div>
  ${
    v.canPick
      ? html`<div class="step"><span class="k">${t('quantityToPick')}</span><div class="stepper"><button type="button" data-step="-1" aria-label="−1">−</button><output id="qty">1</output><button type="button" data-step="1" aria-label="+1">+</button></div></div>`
      : ''
  }
  ${
    v.canTick
      ? html`<form method="post" action="${BASE}/pick-lists/${v.id}/tick" class="actions">${csrfField(user)}<input type="hidden" name="lineNo" value="${current.lineNo}">
    <button class="btn secondary block" type="submit">${t('manualTick')}</button></form>`
      : ''
  }
  ${
    v.canPick
      ? html`<details class="manual"><summary>${t('recordShort')}</summary>
    <form method="post" action="${BASE}/pick-lists/${v.id}/short">${csrfField(user)}<input type="hidden" name="lineNo" value="${current.lineNo}">
      <label for="decision">${t('decision')}</label>
      <select id="decision" name="decision"><option value="partial">${t('decisionPartial')}</option><option value="hold">${t('decisionHold')}</option></select>
      <div class="actions"><button class="btn danger block" type="submit">${t('recordShort')}: ${current.quantity - current.picked - current.short}</button></div>
    </form></details>`
      : ''
  }
</section>`
    : html`<p class="alert ok" data-all-picked>${t('allPicked')}</p>`
}
${
  !current && v.status !== 'picked' && v.canComplete
    ? html`<form method="post" action="${BASE}/pick-lists/${v.id}/complete" class="actions">${csrfField(user)}<button class="btn ok block" type="submit" id="complete">${t('complete')}</button></form>`
    : ''
}
${
  open.length > 0
    ? html`<h2>${t('remainingLines')}</h2><ul class="lines">${open.map(
        (l) => html`<li data-line="${l.lineNo}"><span class="b">${l.binCode}</span><span class="n">${l.name}</span><span class="q">${l.picked}/${l.quantity}</span></li>`,
      )}</ul>`
    : ''
}
${
  finished.length > 0
    ? html`<h2>${t('doneLines')}</h2><ul class="lines">${finished.map(
        (l) =>
          html`<li class="done" data-line="${l.lineNo}"><span class="b">${l.binCode}</span><span class="n">${l.name}</span><span class="q">${l.picked}/${l.quantity}${l.short ? html` <span class="pill blocked">−${l.short}</span>` : ''}</span></li>`,
      )}</ul>`
    : ''
}`;
}

export const panelBins = (v: PickView): string => [...new Set(v.lines.map((l) => l.binCode))].join('|');
export const panelCurrentBin = (v: PickView): string => v.lines.find((l) => !isDone(l))?.binCode ?? '';

export function pickScreen(ctx: PageContext, user: SessionUser, v: PickView, flash?: { kind: 'ok' | 'error'; text: string; detail?: string }): Markup {
  const { t } = ctx;
  const picking = v.status !== 'picked' && v.canPick;
  return page(
    { ...ctx, active: 'pick' },
    `${t('pickList')} #${v.id}`,
    html`<h1>${t('pickList')} #${v.id} <span class="pill ${v.status}">${t(STATUS_KEY[v.status])}</span></h1>
${
  picking
    ? html`<div id="feedback" class="feedback" data-state="${flash?.kind ?? 'idle'}" role="status" aria-live="assertive"><span class="fb-head">${flash?.text ?? (v.locationFirst ? t('scanBinFirstHint') : t('scanHint'))}</span><span class="fb-detail">${flash?.detail ?? ''}</span></div>`
    : flash
      ? html`<p class="alert ${flash.kind}">${flash.text}</p>`
      : ''
}
<div id="pick-panel" data-scan-url="${BASE}/pick-lists/${v.id}/scan" data-bins="${panelBins(v)}" data-current-bin="${panelCurrentBin(v)}" data-label-bin="${t('bin')}" data-location-first="${v.locationFirst ? '1' : '0'}">
${pickPanel(t, user, v)}
</div>
${
  picking
    ? html`<div class="card">
  <details class="manual"><summary>${t('manualBarcode')}</summary>
    <form id="manual-scan" method="post" action="${BASE}/pick-lists/${v.id}/scan">${csrfField(user)}
      <input name="barcode" inputmode="numeric" autocomplete="off" aria-label="${t('barcode')}">
      <div class="actions"><button class="btn secondary block" type="submit">${t('submitScan')}</button></div>
    </form>
  </details>
</div>`
    : ''
}
${
  v.status === 'picked'
    ? html`<h2>${t('pack')}</h2><ul class="list">${v.orders.map(
        (o) => html`<li><div class="row"><span>${t('order')} ${o.orderNumber ?? `#${o.orderId}`}<br><span class="muted">${t('deliveryNote')} #${o.deliveryNoteId}</span></span>
        ${
          o.packingListId
            ? html`<a class="btn secondary" href="${BASE}/packing-lists/${o.packingListId}">${t('packingList')} #${o.packingListId}</a>`
            : v.canPack
              ? html`<form method="post" action="${BASE}/delivery-notes/${o.deliveryNoteId}/packing-list">${csrfField(user)}<button class="btn" type="submit" data-pack-note="${o.deliveryNoteId}">${t('startPacking')}</button></form>`
              : ''
        }</div></li>`,
      )}</ul>`
    : ''
}`,
    { scripts: ['scanner.js'], pageId: picking ? 'pick' : 'pick-done' },
  );
}
