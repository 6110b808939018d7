import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { COURIER_CODES, COURIER_LABELS } from '../../../contracts/courier.ts';
import { CREATE_INVOICE_TRIGGERS, CUSTOMER_EVENTS, CUSTOMER_LANGUAGES, type ChannelSettings } from '../../../contracts/channel-settings.ts';
import type { AnafConnectionStatus, FxRate } from '../../../invoicing/index.ts';
import type { SmtpSettingsView } from '../../../notifications/index.ts';
import type { ErrorDetail } from '../../../shared/domain-error.ts';
import type { CourierAccountSummary, CourierServiceOption, CredentialTestResult } from '../../../shipping/index.ts';
import { COURIER_ACCOUNT_KEYS } from '../../routes/courier-account-docs.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

/** Which form an answer belongs to: its errors, values typed and a message shown beside it. */
export interface FormState {
  form: string;
  errors: ErrorDetail[];
  values: Record<string, string>;
  message?: { kind: 'ok' | 'error'; text: string };
}

export interface SettingsView {
  channels: Array<{ id: string; name: string; kind: string; settings: ChannelSettings }>;
  courierAccounts: CourierAccountSummary[];
  courierTest?: CredentialTestResult;
  courierServices?: { accountId: string; defaultService: string | null; services: CourierServiceOption[] };
  profile: Record<string, string | number | boolean | null> | null;
  anaf: AnafConnectionStatus | null;
  anafAuthorizeUrl?: string;
  smtp: SmtpSettingsView | null;
  fxRates: FxRate[];
  /** Logins locked after too many wrong passwords, each with its unlock button. */
  lockedLogins?: Array<{ id: string; email: string; name: string; lockedUntil: string }>;
  state?: FormState;
}

type Val = string | number | boolean | null | undefined;

/** A field of one form: its value (as typed after a refusal, else stored) and its error beside it. */
function fieldKit(v: SettingsView, form: string) {
  const st = v.state?.form === form ? v.state : undefined;
  const err = (path: string) => st?.errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`)) ?? [];
  const errorOf = (path: string) => {
    const es = err(path);
    return es.length ? html`<p class="field-error" role="alert" data-error-for="${path}">${es.map((e) => e.reason).join('; ')}</p>` : '';
  };
  const shownValue = (name: string, stored: Val): string => (st && name in st.values ? st.values[name]! : stored == null ? '' : String(stored));
  const id = (name: string) => `${form}-${name}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const text = (name: string, label: string, stored: Val, o: { type?: string; path?: string; placeholder?: string; required?: boolean } = {}) =>
    html`<label for="${id(name)}">${label}</label><input id="${id(name)}" name="${name}" type="${o.type ?? 'text'}" value="${o.type === 'password' ? '' : shownValue(name, stored)}" placeholder="${o.placeholder ?? ''}" ${o.required ? 'required' : ''} autocomplete="off" aria-invalid="${err(o.path ?? name).length ? 'true' : 'false'}">${errorOf(o.path ?? name)}`;
  const check = (name: string, label: string, stored: boolean) => {
    const on = st ? st.values[name] === 'on' : stored;
    return html`<label class="checkline" for="${id(name)}"><input id="${id(name)}" type="checkbox" name="${name}" ${on ? 'checked' : ''}> ${label}</label><input type="hidden" name="_checkboxes" value="${name}">${errorOf(name)}`;
  };
  const select = (name: string, label: string, stored: Val, options: ReadonlyArray<string | readonly [string, string]>) => {
    const cur = shownValue(name, stored);
    return html`<label for="${id(name)}">${label}</label><select id="${id(name)}" name="${name}">${options.map((o) => {
      const [value, text] = typeof o === 'string' ? [o, o] : o;
      return html`<option value="${value}" ${cur === value ? 'selected' : ''}>${text}</option>`;
    })}</select>${errorOf(name)}`;
  };
  const area = (name: string, label: string, stored: string, hint: string) =>
    html`<label for="${id(name)}">${label}</label><textarea id="${id(name)}" name="${name}" rows="3" placeholder="${hint}">${shownValue(name, stored)}</textarea>${errorOf(name)}`;
  const message = st?.message ? html`<p class="alert ${st.message.kind}" role="${st.message.kind === 'error' ? 'alert' : 'status'}" data-form-message="${form}">${st.message.text}</p>` : '';
  return { text, check, select, area, message, errorOf };
}

const mapLines = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');

function channelCard(ctx: PageContext, user: SessionUser, v: SettingsView, ch: SettingsView['channels'][number]): Markup {
  const { t } = ctx;
  const s = ch.settings;
  const n = s.notifications;
  const f = fieldKit(v, `channel-${ch.id}`);
  const tpl = (e: (typeof CUSTOMER_EVENTS)[number]) => n.whatsapp.templates[e]?.name ?? '';
  return html`<section class="card" id="channel-${ch.id}" data-channel="${ch.id}">
  <h3>${ch.name} <span class="pill">${ch.kind}</span></h3>
  ${f.message}
  <form method="post" action="${BASE}/settings/channels/${ch.id}">
    ${csrfField(user)}
    <div class="grid2">
      <div>${f.select('createInvoice', t('setCreateInvoice'), s.createInvoice, CREATE_INVOICE_TRIGGERS)}</div>
      <div>${f.text('invoiceSeries', t('setInvoiceSeries'), s.invoiceSeries)}</div>
      <div>${f.text('returnWindowDays', t('setReturnWindow'), s.returnWindowDays, { type: 'number' })}</div>
      <div>${f.text('syncIntervalMinutes', t('setSyncInterval'), s.syncIntervalMinutes, { type: 'number' })}</div>
      <div>${f.text('priceListId', t('setPriceList'), s.priceListId)}</div>
      <div>${f.text('defaultWarehouseId', t('setDefaultWarehouse'), s.defaultWarehouseId)}</div>
    </div>
    ${f.check('autoCreateDeliveryNote', t('setAutoDeliveryNote'), s.autoCreateDeliveryNote)}
    ${f.check('autoConfirm', t('setAutoConfirm'), s.autoConfirm)}
    ${f.check('approvalRequired', t('setApprovalRequired'), s.approvalRequired)}
    ${f.check('approvalFirstOrder', t('setApprovalFirstOrder'), s.approvalFirstOrder)}
    ${f.text('approvalMinTotal', t('setApprovalMinTotal'), s.approvalMinTotal, { placeholder: '500.00' })}
    ${f.area('statusMapIn', t('setStatusMapIn'), mapLines(s.statusMapIn), 'pending = draft')}
    ${f.area('statusMapOut', t('setStatusMapOut'), mapLines(s.statusMapOut), 'shipping = completed')}
    <fieldset><legend>${t('setNotifications')}</legend>
      ${f.select('notifications.language', t('setCustomerLanguage'), n.language, CUSTOMER_LANGUAGES)}
      ${f.check('notifications.shopify.notifyCustomer', t('setShopifyNotify'), n.shopify.notifyCustomer)}
      ${f.check('notifications.email.shipped', t('setEmailShipped'), n.email.shipped)}
      <div class="grid2">
        <div>${f.text('notifications.email.from', t('setEmailFrom'), n.email.from)}</div>
        <div>${f.text('notifications.email.replyTo', t('setEmailReplyTo'), n.email.replyTo)}</div>
      </div>
      ${f.check('notifications.whatsapp.enabled', t('setWhatsappEnabled'), n.whatsapp.enabled)}
      <div class="grid2">
        <div>${f.text('notifications.whatsapp.phoneNumberId', t('setWhatsappPhoneId'), n.whatsapp.phoneNumberId)}</div>
        <div>${f.text('notifications.whatsapp.token', `${t('setWhatsappToken')}${n.whatsapp.tokenSet ? ` (${t('setStored')})` : ''}`, null, { type: 'password' })}</div>
        <div>${f.text('notifications.whatsapp.language', t('setWhatsappLanguage'), n.whatsapp.language)}</div>
        <div>${f.text('notifications.whatsapp.apiVersion', t('setWhatsappApiVersion'), n.whatsapp.apiVersion)}</div>
      </div>
      ${f.text('notifications.whatsapp.baseUrl', t('setWhatsappBaseUrl'), n.whatsapp.baseUrl)}
      ${CUSTOMER_EVENTS.map((e) => html`${f.text(`notifications.whatsapp.templates.${e}.name`, `${t('setWhatsappTemplate')}: ${e}`, tpl(e))}<input type="hidden" name="_template.${e}" value="${tpl(e)}">`)}
    </fieldset>
    <div class="actions"><button class="btn block" type="submit">${t('save')}</button></div>
  </form>
</section>`;
}

function courierSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'courier-new');
  const res = v.courierTest;
  return html`<section class="card" id="couriers">
  <h2>${t('setCouriers')}</h2>
  ${
    res
      ? html`<p class="alert ${res.ok ? 'ok' : 'error'}" role="status" data-courier-test="${res.ok ? 'ok' : 'failed'}">${COURIER_LABELS[res.courier]}: ${res.ok ? `${t('setCredentialsOk')} (${res.operation})` : `${res.error.code} — ${res.error.message}`}</p>`
      : ''
  }
  <ul class="list">
  ${v.courierAccounts.map(
    (a) => html`<li data-courier-account="${a.id}"><div class="row"><div><strong>${a.name}</strong> <span class="pill">${COURIER_LABELS[a.courier]}</span>${a.active ? '' : html` <span class="pill blocked">${t('setInactive')}</span>`}
      <div class="muted">${a.senderAddress ? `${t('setSender')}: ${a.senderAddress.name}, ${a.senderAddress.locality}${a.senderAddress.county ? `, ${a.senderAddress.county}` : ''}` : t('setNoSender')} · ${a.defaultService ? `${t('service')} ${a.defaultService}` : ''}</div></div>
      <div class="inline-actions">
        <form method="post" action="${BASE}/settings/courier-accounts/${a.id}/test">${csrfField(user)}<button class="btn secondary" type="submit">${t('setTest')}</button></form>
        <a class="btn secondary" href="${BASE}/settings?services=${a.id}#couriers">${t('setServices')}</a>
      </div></div>
      ${
        v.courierServices?.accountId === a.id
          ? html`<ul class="services" data-services-of="${a.id}">${v.courierServices.services.map((s) => html`<li><code>${s.code}</code> ${s.name}${s.code === v.courierServices?.defaultService ? html` <span class="pill ok">${t('setDefault')}</span>` : ''}</li>`)}</ul>`
          : ''
      }
    </li>`,
  )}
  </ul>
  <h3>${t('setAddCourier')}</h3>
  ${f.message}
  <form method="post" action="${BASE}/settings/courier-accounts">
    ${csrfField(user)}
    <div class="grid2">
      <div>${f.select('courier', t('courier'), 'sameday', COURIER_CODES.map((c) => [c, COURIER_LABELS[c]] as const))}</div>
      <div>${f.text('name', t('name'), '')}</div>
    </div>
    <p class="muted">${t('setCredentialKeys')}: ${COURIER_CODES.map((c) => `${COURIER_LABELS[c]} — ${COURIER_ACCOUNT_KEYS[c].credentials.join(', ')}`).join(' · ')}</p>
    <div class="grid2">
      <div>${f.text('credentials.username', 'username', '')}</div>
      <div>${f.text('credentials.password', 'password', '', { type: 'password' })}</div>
      <div>${f.text('credentials.apiKey', 'apiKey', '', { type: 'password' })}</div>
      <div>${f.text('credentials.subscriptionKey', 'subscriptionKey', '', { type: 'password' })}</div>
    </div>
    ${f.area('settings', t('setCourierSettings'), '', 'pickupPointId = 1234')}
    <p class="muted">${t('setRequiredSettings')}: ${COURIER_CODES.map((c) => `${COURIER_LABELS[c]} — ${COURIER_ACCOUNT_KEYS[c].required.join(', ') || '—'}`).join(' · ')}</p>
    <div class="grid2">
      <div>${f.text('defaultService', t('setDefaultService'), '')}</div>
      <div>${f.text('baseUrl', t('setBaseUrl'), '', { placeholder: 'https://…' })}</div>
    </div>
    <fieldset><legend>${t('setSenderAddress')}</legend>
      <div class="grid2">
        <div>${f.text('senderAddress.name', t('name'), '')}</div>
        <div>${f.text('senderAddress.phone', t('phone'), '')}</div>
        <div>${f.text('senderAddress.county', t('county'), '')}</div>
        <div>${f.text('senderAddress.locality', t('city'), '')}</div>
        <div>${f.text('senderAddress.postalCode', t('postcode'), '')}</div>
        <div>${f.text('senderAddress.countryCode', t('country'), 'RO')}</div>
      </div>
      ${f.text('senderAddress.addressLine', t('street'), '')}
    </fieldset>
    <div class="actions"><button class="btn block" type="submit">${t('setAddCourier')}</button></div>
  </form>
</section>`;
}

function profileSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'profile');
  const p = v.profile ?? {};
  const s = (k: string) => (p[k] ?? null) as Val;
  return html`<section class="card" id="invoicing-profile">
  <h2>${t('setInvoicingProfile')}</h2>
  ${v.profile ? '' : html`<p class="alert warn">${t('setNoProfile')}</p>`}
  ${f.message}
  <form method="post" action="${BASE}/settings/invoicing-profile">
    ${csrfField(user)}
    ${f.text('legalName', t('setLegalName'), s('legalName'), { required: true })}
    <div class="grid2">
      <div>${f.text('cui', 'CUI', s('cui'), { required: true })}</div>
      <div>${f.text('tradeRegisterNo', t('setTradeRegister'), s('tradeRegisterNo'))}</div>
    </div>
    ${f.check('vatRegistered', t('setVatRegistered'), p.vatRegistered !== false)}
    ${f.text('street', t('street'), s('street'), { required: true })}
    <div class="grid2">
      <div>${f.text('city', t('city'), s('city'), { required: true })}</div>
      <div>${f.text('countyCode', t('county'), s('countyCode'), { required: true })}</div>
      <div>${f.text('postalCode', t('postcode'), s('postalCode'))}</div>
      <div>${f.text('phone', t('phone'), s('phone'))}</div>
      <div>${f.text('bankName', t('setBank'), s('bankName'))}</div>
      <div>${f.text('iban', 'IBAN', s('iban'))}</div>
      <div>${f.text('email', t('email'), s('email'))}</div>
      <div>${f.text('paymentTermsDays', t('setPaymentTerms'), s('paymentTermsDays') ?? 15, { type: 'number' })}</div>
    </div>
    <div class="actions"><button class="btn block" type="submit">${t('save')}</button></div>
  </form>
</section>`;
}

function anafSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'anaf');
  const a = v.anaf;
  return html`<section class="card" id="anaf">
  <h2>ANAF e-Factura</h2>
  <p class="${a?.connectedAt ? 'alert ok' : 'alert warn'}" data-anaf="${a?.connectedAt ? 'connected' : 'not-connected'}">${a?.connectedAt ? `${t('setAnafConnected')} ${a.connectedAt.slice(0, 10)}` : t('setAnafNotConnected')}</p>
  ${f.message}
  ${v.anafAuthorizeUrl ? html`<p><a class="btn ok block" href="${v.anafAuthorizeUrl}" data-anaf-authorize>${t('setAnafOpen')}</a></p>` : ''}
  <form method="post" action="${BASE}/settings/anaf">
    ${csrfField(user)}
    ${f.text('clientId', t('setAnafClientId'), a?.clientId ?? '', { required: true })}
    ${f.text('clientSecret', t('setAnafClientSecret'), '', { type: 'password' })}
    <p class="muted">${t('setAnafRedirect')}: <code>${a?.redirectUri ?? '/invoicing/anaf/callback'}</code></p>
    <div class="grid2">
      <div>${f.text('oauthBaseUrl', 'OAuth URL', a?.oauthBaseUrl ?? 'https://logincert.anaf.ro/anaf-oauth2/v1')}</div>
      <div>${f.text('apiBaseUrl', 'API URL', a?.apiBaseUrl ?? 'https://api.anaf.ro/prod/FCTEL/rest')}</div>
    </div>
    <div class="actions"><button class="btn secondary block" type="submit">${t('save')}</button></div>
  </form>
  ${a ? html`<form method="post" action="${BASE}/settings/anaf/authorize">${csrfField(user)}<div class="actions"><button class="btn block" type="submit" data-anaf-connect>${t('setAnafConnect')}</button></div></form>` : ''}
  ${a ? anafEnvironmentForm(ctx, user, v, a) : ''}
</section>`;
}

/** Where e-invoices go: ANAF's test host while trying things out, production for real invoices; the application and its token stay. */
function anafEnvironmentForm(ctx: PageContext, user: SessionUser, v: SettingsView, a: AnafConnectionStatus): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'anafEnvironment');
  return html`<form method="post" action="${BASE}/settings/anaf/environment" data-anaf-environment="${a.environment}">
    ${csrfField(user)}
    ${f.message}
    <p class="${a.environment === 'prod' ? 'alert ok' : 'alert warn'}">${a.environment === 'prod' ? t('setAnafInProd') : t('setAnafInTest')}</p>
    ${f.select('environment', t('setAnafEnvironment'), a.environment, [
      ['prod', `${t('setAnafProd')}: ${a.apiBaseUrl}`],
      ['test', `${t('setAnafTest')}: ${a.testApiBaseUrl}`],
    ])}
    <div class="actions"><button class="btn secondary block" type="submit" data-anaf-environment-save>${t('setAnafEnvironmentSave')}</button></div>
  </form>`;
}

function smtpSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'smtp');
  const s = v.smtp;
  return html`<section class="card" id="smtp">
  <h2>${t('setSmtp')}</h2>
  ${f.message}
  <form method="post" action="${BASE}/settings/smtp">
    ${csrfField(user)}
    <div class="grid2">
      <div>${f.text('host', t('setSmtpHost'), s?.host ?? '', { required: true })}</div>
      <div>${f.text('port', t('setSmtpPort'), s?.port ?? 587, { type: 'number' })}</div>
      <div>${f.text('username', t('setSmtpUser'), s?.username ?? '')}</div>
      <div>${f.text('password', `${t('password')}${s?.passwordSet ? ` (${t('setStored')})` : ''}`, null, { type: 'password' })}</div>
    </div>
    ${f.check('secure', t('setSmtpSecure'), s?.secure ?? false)}
    ${f.text('from', t('setEmailFrom'), s?.from ?? '', { required: true })}
    <div class="actions"><button class="btn block" type="submit">${t('save')}</button></div>
  </form>
  ${s ? html`<form method="post" action="${BASE}/settings/smtp/test">${csrfField(user)}<div class="actions"><button class="btn secondary block" type="submit">${t('setTest')}</button></div></form>` : ''}
</section>`;
}

function fxSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const f = fieldKit(v, 'fx');
  return html`<section class="card" id="fx-rates">
  <h2>${t('setFxRates')}</h2>
  ${v.fxRates.length === 0 ? html`<p class="muted">${t('setNoFxRates')}</p>` : html`<table class="rates"><thead><tr><th>${t('setCurrency')}</th><th>${t('setDay')}</th><th>RON</th><th>${t('setSource')}</th></tr></thead><tbody>${v.fxRates.map((r) => html`<tr><td>${r.currency}</td><td>${r.validOn}</td><td class="num">${r.ronPerUnit}</td><td>${r.source}</td></tr>`)}</tbody></table>`}
  ${f.message}
  <form method="post" action="${BASE}/settings/fx-rates">
    ${csrfField(user)}
    <div class="grid2">
      <div>${f.text('currency', t('setCurrency'), 'EUR', { required: true })}</div>
      <div>${f.text('validOn', t('setDay'), '', { type: 'date', required: true })}</div>
    </div>
    ${f.text('ronPerUnit', t('setRonPerUnit'), '', { placeholder: '4.9731', required: true })}
    <div class="actions"><button class="btn block" type="submit">${t('setSaveRate')}</button></div>
  </form>
</section>`;
}

function lockedLoginsSection(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  const st = v.state?.form === 'logins' ? v.state : undefined;
  const locked = v.lockedLogins ?? [];
  return html`<section class="card" id="locked-logins">
  <h2>${t('setLockedLogins')}</h2>
  ${st?.message ? html`<p class="alert ${st.message.kind}" role="status" data-form-message="logins">${st.message.text}</p>` : ''}
  ${
    locked.length === 0
      ? html`<p class="muted">${t('setNoLockedLogins')}</p>`
      : html`<table class="rates"><tbody>${locked.map(
          (u) => html`<tr data-locked-login="${u.id}"><td>${u.name}<br><span class="muted">${u.email}</span></td><td>${t('setLockedUntil')} ${u.lockedUntil.slice(0, 16).replace('T', ' ')} UTC</td>
      <td><form method="post" action="${BASE}/settings/login-lockouts/${u.id}/lift">${csrfField(user)}<button class="btn" type="submit">${t('setUnlockLogin')}</button></form></td></tr>`,
        )}</tbody></table>`
  }
</section>`;
}

/** GET /warehouse/settings: every setting a core-only install needs, each form posting to its own handler. */
export function settingsScreen(ctx: PageContext, user: SessionUser, v: SettingsView): Markup {
  const { t } = ctx;
  return page(
    { ...ctx, active: 'settings' },
    t('settings'),
    html`<h1>${t('settings')}</h1>
<nav class="settings-nav"><a href="#channels">${t('setChannels')}</a> · <a href="#couriers">${t('setCouriers')}</a> · <a href="#invoicing-profile">${t('setInvoicingProfile')}</a> · <a href="#anaf">ANAF</a> · <a href="#smtp">SMTP</a> · <a href="#fx-rates">${t('setFxRates')}</a> · <a href="#locked-logins">${t('setLockedLogins')}</a></nav>
<section id="channels"><h2>${t('setChannels')}</h2>
${v.channels.length === 0 ? html`<p class="muted card">${t('setNoChannels')}</p>` : v.channels.map((ch) => channelCard(ctx, user, v, ch))}
</section>
${courierSection(ctx, user, v)}
${profileSection(ctx, user, v)}
${anafSection(ctx, user, v)}
${smtpSection(ctx, user, v)}
${fxSection(ctx, user, v)}
${lockedLoginsSection(ctx, user, v)}`,
    { pageId: 'settings' },
  );
}
