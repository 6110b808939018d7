import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import type { CourierChoice } from '../../../shipping/index.ts';
import type { PackScanLine } from '../../../warehouse/index.ts';
import type { Translate } from '../i18n.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { statusWord } from '../status-words.ts';

export interface ParcelView {
  weightKg: string | null;
  lengthCm: string | null;
  widthCm: string | null;
  heightCm: string | null;
}

/** The editable part of the order's delivery address (same field names as the channel address). */
export const ADDRESS_FIELDS = ['firstName', 'lastName', 'phone', 'address1', 'address2', 'city', 'province', 'postcode', 'countryCode'] as const;
export type AddressView = Record<(typeof ADDRESS_FIELDS)[number], string>;

/** What the scan check shows: every line with its units checked, and a supervisor's override if any. */
export interface PackScanView {
  lines: PackScanLine[];
  units: number;
  scanned: number;
  complete: boolean;
  override: { userId: string; at: string; reason: string } | null;
}

export interface PackView {
  id: string;
  deliveryNoteId: string;
  orderId: string;
  orderNumber: string | null;
  type: 'total' | 'partial';
  status: string;
  courier: string | null;
  service: string | null;
  /** The tenant's courier accounts that apply to this order, each with the services the AWB step accepts. */
  choices: CourierChoice[];
  address: AddressView;
  parcels: ParcelView[];
  scan: PackScanView;
  missingForAwb: string[];
  shipment: { id: string; awb: string | null; courier: string; status: string; trackingUrl: string | null } | null;
  canPack: boolean;
  canOverride: boolean;
}

const MEASURE_WORDS = { weightKg: 'weightKg', lengthCm: 'lengthCm', widthCm: 'widthCm', heightCm: 'heightCm' } as const;

/** What the AWB still lacks, as words (the API's paths, e.g. parcels[0].weightKg, are for integrators). */
export function missingWords(t: Translate, paths: string[]): string {
  const words = paths.map((p) => {
    const m = /^parcels\[(\d+)\]\.(\w+)$/.exec(p);
    if (m && m[2]! in MEASURE_WORDS) return `${t('parcel')} ${Number(m[1]) + 1}: ${t(MEASURE_WORDS[m[2] as keyof typeof MEASURE_WORDS]).toLowerCase()}`;
    if (p === 'parcels') return t('parcels').toLowerCase();
    if (p === 'courier' || p === 'service') return t('courierService').toLowerCase();
    if (p === 'deliveryAddress') return t('deliveryAddress').toLowerCase();
    return p;
  });
  return [...new Set(words)].join(', ');
}

/** `courier|service`: one choice on the screen is one courier account's service. */
export const choiceValue = (courier: string, service: string) => `${courier}|${service}`;

const field = (id: string, label: string, name: string, value: string | null, attrs: { inputmode?: string; required?: boolean } = {}) =>
  html`<div><label for="${id}">${label}</label><input id="${id}" name="${name}" value="${value ?? ''}" ${attrs.inputmode ? html`inputmode="${attrs.inputmode}"` : ''} ${attrs.required ? 'required' : ''} autocomplete="off"></div>`;

/** The part of the pack screen each scan replaces (server-rendered, swapped in by scanner.js). */
export function packScanPanel(t: Translate, v: Pick<PackView, 'scan'>): Markup {
  const s = v.scan;
  return html`<div class="progress-block">
  <progress max="${s.units}" value="${s.scanned}" aria-label="${t('progress')}"></progress>
  <div class="progress-text"><span data-pack-progress="${s.scanned}/${s.units}">${t('scanned')}: ${s.scanned}/${s.units} ${t('units')}</span>${s.complete ? html`<span data-all-scanned>✓ ${t('allScanned')}</span>` : ''}</div>
</div>
<ul class="lines">${s.lines.map(
    (l) =>
      html`<li class="${l.scanned >= l.quantity ? 'done' : ''}" data-pack-line="${l.lineNo}" data-scanned="${l.scanned}/${l.quantity}"><span class="b">${l.scanned}/${l.quantity}</span><span class="n">${l.name}<br><span class="muted">${l.sku ?? ''}${l.barcode ? ` · ${l.barcode}` : ''}</span></span><span class="q"></span></li>`,
  )}</ul>
${s.override ? html`<p class="alert warn" data-scan-override>${t('overrideBy')}: ${s.override.reason}</p>` : ''}`;
}

export function packScreen(ctx: PageContext, user: SessionUser, v: PackView, flash?: { kind: 'ok' | 'error'; text: string; detail?: string }): Markup {
  const { t } = ctx;
  const parcels = v.parcels.length > 0 ? v.parcels : [{ weightKg: null, lengthCm: null, widthCm: null, heightCm: null }];
  const a = v.address;
  const open = v.status === 'ready_to_deliver' && !v.shipment;
  const disabled = !v.canPack || !open;
  const scanning = open && v.canPack;
  const chosen = v.courier && v.service ? choiceValue(v.courier, v.service) : '';
  return page(
    { ...ctx, active: 'pick' },
    `${t('packingList')} #${v.id}`,
    html`<h1>${t('packTitle')} · ${t('order')} ${v.orderNumber ?? `#${v.orderId}`}</h1>
<p class="muted">${t('packingList')} #${v.id} · <a href="${BASE}/delivery-notes/${v.deliveryNoteId}">${t('deliveryNote')} #${v.deliveryNoteId}</a> · ${statusWord(t, 'type', v.type)} · <span data-status="${v.status}">${statusWord(t, 'packing_list', v.status)}</span></p>
${flash ? html`<p class="alert ${flash.kind}" role="alert" data-flash="${flash.kind}">${flash.text}${flash.detail ? html`<br><small class="fb-detail">${flash.detail}</small>` : ''}</p>` : ''}
${
  v.shipment
    ? html`<section class="card awb-card" data-shipment-id="${v.shipment.id}">
  <h2>${t('awbCreated')}</h2>
  <dl class="kv"><dt>${t('awb')}</dt><dd data-awb>${v.shipment.awb ?? ''}</dd><dt>${t('courier')}</dt><dd>${v.choices.find((c) => c.courier === v.shipment!.courier)?.label ?? v.shipment.courier}</dd><dt>${t('status')}</dt><dd>${statusWord(t, 'shipment', v.shipment.status)}</dd></dl>
  ${v.shipment.trackingUrl ? html`<p><a href="${v.shipment.trackingUrl}" target="_blank" rel="noopener noreferrer">${t('tracking')}</a></p>` : ''}
  <div class="actions two">
    <a class="btn" id="print-a6" href="${BASE}/shipments/${v.shipment.id}/label/print?format=A6">${t('printLabelA6')}</a>
    <a class="btn secondary" id="print-a4" href="${BASE}/shipments/${v.shipment.id}/label/print?format=A4">${t('printLabelA4')}</a>
  </div>
</section>`
    : ''
}
${
  scanning
    ? html`<h2>${t('checkItems')}</h2>
<div id="feedback" class="feedback" data-state="idle" role="status" aria-live="assertive"><span class="fb-head">${t('packScanHint')}</span><span class="fb-detail"></span></div>
<div id="pack-panel" data-scan-url="${BASE}/packing-lists/${v.id}/scan">${packScanPanel(t, v)}</div>
<div class="card"><details class="manual"><summary>${t('manualBarcode')}</summary>
  <form id="manual-scan" method="post" action="${BASE}/packing-lists/${v.id}/scan">${csrfField(user)}
    <input name="code" autocomplete="off" aria-label="${t('itemCode')}">
    <div class="actions"><button class="btn secondary block" type="submit">${t('submitScan')}</button></div>
  </form>
</details></div>`
    : html`<section class="card">${packScanPanel(t, v)}</section>`
}
${
  open
    ? v.missingForAwb.length > 0
      ? html`<p class="alert warn" data-missing-for-awb>${t('missingForAwb')}: ${missingWords(t, v.missingForAwb)}</p>`
      : html`<p class="alert ok" data-ready-for-awb>${t('readyForAwb')}</p>`
    : ''
}
<form method="post" action="${BASE}/packing-lists/${v.id}" id="pack-form">
  ${csrfField(user)}
  <h2>${t('parcels')}</h2>
  <div id="parcels">
  ${parcels.map(
    (p, i) => html`<fieldset data-parcel="${i + 1}" ${disabled ? 'disabled' : ''}>
    <legend>${t('parcel')} <span data-parcel-no>${i + 1}</span></legend>
    <div class="grid2">
      ${field(`w${i}`, t('weightKg'), 'weightKg', p.weightKg, { inputmode: 'decimal', required: true })}
      ${field(`l${i}`, t('lengthCm'), 'lengthCm', p.lengthCm, { inputmode: 'decimal', required: true })}
      ${field(`wd${i}`, t('widthCm'), 'widthCm', p.widthCm, { inputmode: 'decimal', required: true })}
      ${field(`h${i}`, t('heightCm'), 'heightCm', p.heightCm, { inputmode: 'decimal', required: true })}
    </div>
    <div class="parcel-head"><span></span><button type="button" class="link" data-remove-parcel>${t('removeParcel')}</button></div>
  </fieldset>`,
  )}
  </div>
  ${disabled ? '' : html`<button type="button" class="btn secondary block" id="add-parcel">${t('addParcel')}</button>`}
  <fieldset ${disabled ? 'disabled' : ''}>
    <legend>${t('courierService')}</legend>
    ${
      v.choices.length === 0
        ? html`<p class="alert warn" data-no-courier-accounts>${t('noCourierAccounts')}</p>`
        : html`<label for="courier-service">${t('courierService')}</label>
    <select id="courier-service" name="courierService" required>
      <option value="">—</option>
      ${v.choices.map(
        (c) => html`<optgroup label="${c.label} · ${c.accountName}">${c.services.map(
          (s) => html`<option value="${choiceValue(c.courier, s.code)}" ${chosen === choiceValue(c.courier, s.code) ? 'selected' : ''}>${c.label} — ${s.name}</option>`,
        )}</optgroup>`,
      )}
    </select>`
    }
  </fieldset>
  <fieldset ${disabled ? 'disabled' : ''}>
    <legend>${t('deliveryAddress')}</legend>
    <div class="grid2">${field('a-first', t('firstName'), 'addr_firstName', a.firstName)}${field('a-last', t('lastName'), 'addr_lastName', a.lastName)}</div>
    ${field('a-phone', t('phone'), 'addr_phone', a.phone, { inputmode: 'tel' })}
    ${field('a-street', t('street'), 'addr_address1', a.address1)}
    ${field('a-street2', t('street2'), 'addr_address2', a.address2)}
    <div class="grid2">${field('a-city', t('city'), 'addr_city', a.city)}${field('a-county', t('county'), 'addr_province', a.province)}</div>
    <div class="grid2">${field('a-postcode', t('postcode'), 'addr_postcode', a.postcode, { inputmode: 'numeric' })}${field('a-country', t('country'), 'addr_countryCode', a.countryCode)}</div>
  </fieldset>
  ${disabled ? '' : html`<div class="actions"><button class="btn secondary block" type="submit" id="save-packing">${t('savePacking')}</button></div>`}
</form>
${
  open && v.canPack
    ? html`<form method="post" action="${BASE}/packing-lists/${v.id}/awb" id="awb-form" class="card">
  ${csrfField(user)}
  <fieldset class="plain"><legend>${t('labelFormat')}</legend>
    <label class="radio"><input type="radio" name="labelFormat" value="A6" checked> ${t('formatA6')}</label>
    <label class="radio"><input type="radio" name="labelFormat" value="A4"> ${t('formatA4')}</label>
  </fieldset>
  ${!v.scan.complete && !v.scan.override ? html`<p class="alert warn" data-unscanned>${t('unscannedItems')}: ${v.scan.units - v.scan.scanned} ${t('units')}</p>` : ''}
  <div class="actions"><button class="btn ok block" type="submit" id="generate-awb">${t('generateAwb')}</button></div>
</form>
${
  v.canOverride && !v.scan.complete && !v.scan.override
    ? html`<details class="manual card"><summary>${t('overrideScan')}</summary>
  <form method="post" action="${BASE}/packing-lists/${v.id}/scan-override" id="override-form">${csrfField(user)}
    <label for="override-reason">${t('overrideReason')}</label>
    <input id="override-reason" name="reason" maxlength="200" required autocomplete="off">
    <div class="actions"><button class="btn danger block" type="submit">${t('overrideScan')}</button></div>
  </form></details>`
    : ''
}`
    : ''
}
<div class="actions"><a class="btn secondary block" href="${BASE}/packing-lists/${v.id}/packing-slip.pdf" id="packing-slip" target="_blank" rel="noopener">${t('packingSlip')}</a></div>`,
    { scripts: ['scanner.js'], pageId: scanning ? 'pack' : 'pack-done' },
  );
}
