import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { COURIER_LABELS, COURIER_SERVICES, type CourierCode } from '../../../contracts/courier.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

export interface ParcelView {
  weightKg: string | null;
  lengthCm: string | null;
  widthCm: string | null;
  heightCm: string | null;
}

/** The editable part of the order's delivery address (same field names as the channel address). */
export const ADDRESS_FIELDS = ['firstName', 'lastName', 'phone', 'address1', 'address2', 'city', 'province', 'postcode', 'countryCode'] as const;
export type AddressView = Record<(typeof ADDRESS_FIELDS)[number], string>;

export interface PackView {
  id: string;
  deliveryNoteId: string;
  orderId: string;
  orderNumber: string | null;
  type: 'total' | 'partial';
  status: string;
  courier: string | null;
  service: string | null;
  /** The couriers the AWB step accepts for this tenant. */
  couriers: readonly CourierCode[];
  address: AddressView;
  parcels: ParcelView[];
  lines: Array<{ sku: string | null; name: string; quantity: number }>;
  missingForAwb: string[];
  canPack: boolean;
}


const field = (id: string, label: string, name: string, value: string | null, attrs: { inputmode?: string; step?: string; required?: boolean } = {}) =>
  html`<div><label for="${id}">${label}</label><input id="${id}" name="${name}" value="${value ?? ''}" ${attrs.inputmode ? html`inputmode="${attrs.inputmode}"` : ''} ${attrs.required ? 'required' : ''} autocomplete="off"></div>`;

export function packScreen(ctx: PageContext, user: SessionUser, v: PackView, flash?: { kind: 'ok' | 'error'; text: string }): Markup {
  const { t } = ctx;
  const parcels = v.parcels.length > 0 ? v.parcels : [{ weightKg: null, lengthCm: null, widthCm: null, heightCm: null }];
  const a = v.address;
  const disabled = !v.canPack;
  return page(
    { ...ctx, active: 'pick' },
    `${t('packingList')} #${v.id}`,
    html`<h1>${t('packTitle')} · ${t('order')} ${v.orderNumber ?? `#${v.orderId}`}</h1>
<p class="muted">${t('packingList')} #${v.id} · ${t('deliveryNote')} #${v.deliveryNoteId} · ${v.type} · ${v.status}</p>
${flash ? html`<p class="alert ${flash.kind}" role="alert" data-flash="${flash.kind}">${flash.text}</p>` : ''}
${
  v.missingForAwb.length > 0
    ? html`<p class="alert warn" data-missing-for-awb>${t('missingForAwb')}: ${v.missingForAwb.join(', ')}</p>`
    : html`<p class="alert ok" data-ready-for-awb>${t('readyForAwb')}</p>`
}
<section class="card"><ul class="lines">${v.lines.map((l) => html`<li><span class="b">${l.quantity}×</span><span class="n">${l.name}</span><span class="q muted">${l.sku ?? ''}</span></li>`)}</ul></section>
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
    <legend>${t('courier')}</legend>
    <label for="courier">${t('courier')}</label>
    <select id="courier" name="courier" required>
      <option value="">—</option>
      ${v.couriers.map((c) => html`<option value="${c}" ${v.courier === c ? 'selected' : ''}>${COURIER_LABELS[c]}</option>`)}
    </select>
    <label for="service">${t('service')}</label>
    <select id="service" name="service" required>
      <option value="">—</option>
      ${COURIER_SERVICES.map((s) => html`<option value="${s}" ${v.service === s ? 'selected' : ''}>${s}</option>`)}
    </select>
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
  ${disabled ? '' : html`<div class="actions"><button class="btn block" type="submit" id="save-packing">${t('savePacking')}</button></div>`}
</form>
<div class="actions"><a class="btn secondary block" href="${BASE}/packing-lists/${v.id}/packing-slip.pdf" id="packing-slip" target="_blank" rel="noopener">${t('packingSlip')}</a></div>`,
    { scripts: ['scanner.js'], pageId: 'pack' },
  );
}
