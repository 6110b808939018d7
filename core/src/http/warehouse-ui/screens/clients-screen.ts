import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import type { Client, ClientMergeRecord } from '../../../clients/index.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { addressFields, checkbox, type FormState, input, otherErrors, select } from './desk-form.ts';

export const clientName = (c: Pick<Client, 'company' | 'firstName' | 'lastName' | 'email' | 'id'>) =>
  c.company ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || `#${c.id}`);

const clientDetail = (c: Client) => [c.cui, c.email, c.phone, c.billingAddress?.city ?? c.shippingAddress?.city].filter(Boolean).join(' · ');

export function clientsScreen(ctx: PageContext, user: SessionUser, v: { q: string; clients: Client[]; duplicates: Array<{ emailKey: string; clients: Client[] }> }, flash?: string): Markup {
  const { t } = ctx;
  return page(
    { ...ctx, active: 'clients' },
    t('clientsTitle'),
    html`<h1>${t('clientsTitle')}</h1>
${flash ? html`<p class="alert ok" role="status" id="flash">${flash}</p>` : ''}
<form method="get" action="${BASE}/clients" class="filter-form">
  <label for="q">${t('searchClients')}</label>
  <div class="grid2"><input id="q" name="q" value="${v.q}" autocomplete="off"><button class="btn secondary" type="submit">${t('search')}</button></div>
</form>
${
  v.duplicates.length > 0
    ? html`<section class="card" data-duplicates><h2>${t('duplicates')}</h2><p class="muted">${t('mergeHint')}</p>
${v.duplicates.map((g) => {
  const [kept, ...others] = g.clients;
  return html`<div class="dup-group" data-email-key="${g.emailKey}"><p><strong>${g.emailKey}</strong></p>
<ul>${g.clients.map((c) => html`<li><a href="${BASE}/clients/${c.id}">#${c.id} ${clientName(c)}</a> · ${c.email}</li>`)}</ul>
${others.map(
  (o) => html`<form method="post" action="${BASE}/clients/${kept!.id}/merge">${csrfField(user)}<input type="hidden" name="mergeClientId" value="${o.id}">
<button class="btn secondary block" type="submit" data-merge="${o.id}:${kept!.id}">${t('merge')} #${o.id} → #${kept!.id}</button></form>`,
)}</div>`;
})}</section>`
    : ''
}
${v.clients.length === 0 ? html`<p class="card muted">${t('noClients')}</p>` : ''}
<ul class="list" data-clients>${v.clients.map(
      (c) => html`<li data-client-id="${c.id}"><a href="${BASE}/clients/${c.id}"><span><strong>${clientName(c)}</strong><br><span class="muted">${clientDetail(c)}</span></span>
<span class="pill">${c.kind === 'company' ? t('company') : t('person')}</span></a></li>`,
    )}</ul>`,
    { pageId: 'desk-clients' },
  );
}

/** A stored client as the edit form's values, named by the API's fields. */
export function clientFormValues(c: Client): Record<string, string> {
  const v: Record<string, string> = {};
  for (const k of ['kind', 'company', 'cui', 'tradeRegisterNo', 'iban', 'firstName', 'lastName', 'email', 'phone'] as const) v[k] = (c[k] as string | null) ?? '';
  if (c.vatPayer) v.vatPayer = '1';
  for (const kind of ['billingAddress', 'shippingAddress'] as const) {
    const a = c[kind];
    if (a) for (const k of ['firstName', 'lastName', 'phone', 'address1', 'address2', 'city', 'province', 'postcode'] as const) v[`${kind}.${k}`] = a[k] ?? '';
  }
  return v;
}

export function clientScreen(ctx: PageContext, user: SessionUser, v: { client: Client; form: FormState; merges: ClientMergeRecord[] }, flash?: string): Markup {
  const { t } = ctx;
  const f = v.form;
  const c = v.client;
  return page(
    { ...ctx, active: 'clients' },
    clientName(c),
    html`<p><a href="${BASE}/clients">← ${t('clientsTitle')}</a></p>
<h1>${clientName(c)} <span class="muted">#${c.id}</span></h1>
${flash ? html`<p class="alert ok" role="status" id="flash">${flash}</p>` : ''}
${Object.keys(f.errors).length > 0 ? html`<p class="alert error" role="alert" id="form-errors">${t('formErrors')}.</p>` : ''}
${otherErrors(f, (p) => p !== 'mergeClientId' && !p.startsWith('('))}
<form method="post" action="${BASE}/clients/${c.id}" id="client-form" class="card" novalidate>
${csrfField(user)}
<h2>${t('editClient')}</h2>
${select(f, 'kind', t('clientKind'), [
  ['person', t('person')],
  ['company', t('company')],
])}
${input(f, 'company', t('companyName'))}
<div class="grid2">${input(f, 'cui', t('cui'))}${input(f, 'tradeRegisterNo', t('tradeRegisterNo'))}</div>
${checkbox(f, 'vatPayer', t('vatPayer'))}
${input(f, 'iban', t('iban'))}
<div class="grid2">${input(f, 'firstName', t('firstName'))}${input(f, 'lastName', t('lastName'))}</div>
<div class="grid2">${input(f, 'email', t('email'), { type: 'email' })}${input(f, 'phone', t('phone'), { type: 'tel' })}</div>
<h2>${t('billingAddress')}</h2>
${addressFields(f, 'billingAddress', t, false)}
<h2>${t('shippingAddress')}</h2>
${addressFields(f, 'shippingAddress', t, true)}
<div class="actions"><button class="btn block" type="submit" id="save-client">${t('saveClient')}</button></div>
</form>
<form method="post" action="${BASE}/clients/${c.id}/merge" class="card" id="merge-form">
${csrfField(user)}
<h2>${t('merge')}</h2>
<p class="muted">${t('mergeHint')}</p>
${input(f, 'mergeClientId', t('mergeClientId'), { inputmode: 'numeric' })}
<div class="actions"><button class="btn secondary block" type="submit">${t('merge')}</button></div>
</form>
${
  v.merges.length > 0
    ? html`<section class="card" data-merges><h2>${t('mergeHistory')}</h2><ul>${v.merges.map(
        (m) => html`<li data-merge-id="${m.id}">#${m.mergedClientId} ${String((m.mergedClient as { email?: string }).email ?? '')} · ${m.orderIds.length} ${t('orders')} · ${m.createdAt.slice(0, 10)}</li>`,
      )}</ul></section>`
    : ''
}`,
    { pageId: 'desk-client' },
  );
}
