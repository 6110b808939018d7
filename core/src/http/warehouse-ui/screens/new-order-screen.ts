import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { addressFields, checkbox, type FormState, input, otherErrors, select } from './desk-form.ts';

export interface ClientChoice {
  id: string;
  label: string;
  detail: string;
}

export interface NewOrderView {
  form: FormState;
  /** The client search as typed, and what it found. */
  clientQuery: string;
  clients: ClientChoice[];
  /** The catalog offered for the lines: SKU, name, and the price the price list gives (null: none). */
  catalog: Array<{ sku: string; name: string; price: string | null }>;
  currency: string;
  lineCount: number;
}

/** How many line rows the form offers at first; the "add item" button (new-order.js) clones one more. */
export const NEW_ORDER_LINES = 5;

/** The desk's Orders → New order: pick or create the client, add catalog items, the address, payment and notes. */
export function newOrderScreen(ctx: PageContext, user: SessionUser, v: NewOrderView): Markup {
  const { t } = ctx;
  const f = v.form;
  const mode = f.values.clientMode === 'new' || (v.clients.length === 0 && !f.values.clientId) ? 'new' : 'existing';
  const shown = (p: string) => /^(client\.|shippingAddress\.|lines\[\d+\]\.(sku|quantity|unitPrice)$|clientId$|shippingTotal$|paymentMethod$|paid$|note$|reference$)/.test(p) && (p !== 'clientId' || v.clients.length > 0);
  const priceHint = (sku: string) => v.catalog.find((c) => c.sku === sku)?.price;
  return page(
    { ...ctx, active: 'orders' },
    t('newOrder'),
    html`<h1>${t('newOrder')}</h1>
${Object.keys(f.errors).length > 0 ? html`<p class="alert error" role="alert" id="form-errors">${t('formErrors')}.</p>` : ''}
${otherErrors(f, shown)}
<section class="card">
<h2>1. ${t('client')}</h2>
<form method="get" action="${BASE}/orders/new" id="client-search" class="filter-form">
  <label for="clientQ">${t('searchClients')}</label>
  <div class="grid2"><input id="clientQ" name="clientQ" value="${v.clientQuery}" autocomplete="off"><button class="btn secondary" type="submit">${t('search')}</button></div>
</form>
</section>
<form method="post" action="${BASE}/orders" id="new-order" novalidate>
${csrfField(user)}
<section class="card">
<div class="radio-row" role="radiogroup" aria-label="${t('client')}">
  <label><input type="radio" name="clientMode" value="existing" ${mode === 'existing' ? 'checked' : ''} ${v.clients.length === 0 ? 'disabled' : ''}> ${t('pickClient')}</label>
  <label><input type="radio" name="clientMode" value="new" id="client-mode-new" ${mode === 'new' ? 'checked' : ''}> ${t('newClient')}</label>
</div>
${
  v.clients.length > 0
    ? html`<ul class="client-pick" data-client-choices>${v.clients.map(
        (c, i) => html`<li><label><input type="radio" name="clientId" value="${c.id}" ${f.values.clientId === c.id || (!f.values.clientId && i === 0 && mode === 'existing') ? 'checked' : ''}> <span><strong>${c.label}</strong><br><span class="muted">${c.detail}</span></span></label></li>`,
      )}</ul>${f.errors.clientId ? html`<div class="field-error" data-error-for="clientId">${f.errors.clientId}</div>` : ''}`
    : ''
}
<details ${mode === 'new' ? 'open' : ''} id="new-client">
<summary>${t('orNewClient')}</summary>
${select(f, 'client.kind', t('clientKind'), [
  ['company', t('company')],
  ['person', t('person')],
])}
${input(f, 'client.company', t('companyName'), { autocomplete: 'organization' })}
<div class="grid2">${input(f, 'client.cui', t('cui'), { placeholder: 'RO18547290' })}${input(f, 'client.tradeRegisterNo', t('tradeRegisterNo'), { placeholder: 'J12/3456/2019' })}</div>
${checkbox(f, 'client.vatPayer', t('vatPayer'))}
${input(f, 'client.iban', t('iban'))}
<div class="grid2">${input(f, 'client.firstName', t('firstName'))}${input(f, 'client.lastName', t('lastName'))}</div>
<div class="grid2">${input(f, 'client.email', t('email'), { type: 'email' })}${input(f, 'client.phone', t('phone'), { type: 'tel' })}</div>
<h2>${t('billingAddress')}</h2>
${addressFields(f, 'client.billingAddress', t, false)}
</details>
</section>

<section class="card">
<h2>2. ${t('orderLines')}</h2>
<datalist id="catalog">${v.catalog.map((c) => html`<option value="${c.sku}">${c.name}${c.price ? ` · ${c.price} ${v.currency}` : ''}</option>`)}</datalist>
<div id="lines" data-lines>
${Array.from({ length: v.lineCount }, (_, i) => {
  const sku = f.values[`lines[${i}].sku`] ?? '';
  const hint = sku ? priceHint(sku) : null;
  return html`<div class="line-row" data-line="${i}">
  ${input(f, `lines[${i}].sku`, t('sku'), { list: 'catalog' })}
  ${input(f, `lines[${i}].quantity`, t('quantity'), { inputmode: 'numeric' })}
  ${input(f, `lines[${i}].unitPrice`, `${t('unitPrice')} (${v.currency})`, { inputmode: 'decimal', placeholder: hint ?? t('fromPriceList') })}
</div>`;
})}
</div>
<div class="actions"><button class="btn secondary" type="button" id="add-line">${t('addLine')}</button></div>
</section>

<section class="card">
<h2>3. ${t('shippingAddress')}</h2>
<p class="muted">${t('shippingDefault')}</p>
${addressFields(f, 'shippingAddress', t, true)}
</section>

<section class="card">
<h2>4. ${t('paymentMethod')}</h2>
<div class="grid2">
${select(f, 'paymentMethod', t('paymentMethod'), [
  ['cod', t('payCod')],
  ['bank_transfer', t('payBankTransfer')],
  ['card', t('payCard')],
  ['cash', t('payCash')],
])}
${input(f, 'shippingTotal', `${t('shippingCost')} (${v.currency})`, { inputmode: 'decimal', placeholder: '0.00' })}
</div>
${checkbox(f, 'paid', t('alreadyPaid'))}
<label for="f-note">${t('notes')}</label>
<textarea id="f-note" name="note" maxlength="2000">${f.values.note ?? ''}</textarea>
${f.errors.note ? html`<div class="field-error" data-error-for="note">${f.errors.note}</div>` : ''}
${input(f, 'reference', t('reference'))}
${checkbox(f, 'draft', t('saveAsDraft'))}
</section>
<div class="actions"><button class="btn block" type="submit" id="create-order">${t('createOrder')}</button></div>
</form>`,
    { scripts: ['new-order.js'], pageId: 'desk-new-order' },
  );
}
