import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { liftUserLoginLockout, listUsers, lockedLoginsOf, requirePermission, type SessionUser } from '../../auth/index.ts';
import { getChannelSettings, listChannels, updateChannelSettings } from '../../channels/index.ts';
import { ChannelSettingsPatchSchema } from '../../contracts/channel-settings.ts';
import { COURIER_CODES, type CourierCode } from '../../contracts/courier.ts';
import { anafConnectionStatus, getInvoicingProfile, listFxRates, saveAnafConnection, saveInvoicingProfile, saveManualFxRate, setAnafEnvironment, startAnafAuthorization } from '../../invoicing/index.ts';
import { getSmtpSettings, saveSmtpSettings, testSmtpSettings } from '../../notifications/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError, type ErrorDetail } from '../../shared/domain-error.ts';
import { isId } from '../../shared/ids.ts';
import { courierAccountServices, listCourierAccounts, saveCourierAccount, testCourierCredentials } from '../../shipping/index.ts';
import { ManualRate } from '../routes/fx-rates.ts';
import { anafCallbackUrl, InvoicingProfileBody } from '../routes/invoicing-settings.ts';
import type { PageContext } from './layout.ts';
import { type FormState, type SettingsView, settingsScreen } from './screens/settings-screen.ts';
import { requireSession, type UiEnv } from './web-session.ts';

type Body = Record<string, string | File | (string | File)[]>;

const first = (body: Body, name: string): string => {
  const v = body[name];
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
};
const all = (body: Body, name: string): string[] => {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

/** What was typed, to show it again beside the errors (never a password or token). */
function typedValues(body: Body): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(body)) if (!k.startsWith('_') && !/password|token|secret|apiKey|subscriptionKey/i.test(k)) out[k] = first(body, k).slice(0, 2000);
  return out;
}

const zodDetails = (e: z.ZodError): ErrorDetail[] => e.issues.map((i) => ({ path: i.path.map(String).join('.') || 'body', reason: i.message }));

/** "word = value" lines; a line without "=" is an error at `path`. */
function parseLines(raw: string, path: string, problems: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) problems.push({ path, reason: `"${line.trim().slice(0, 60)}" is not "key = value"` });
    else out[m[1]!] = m[2]!;
  }
  return out;
}

const nullable = (s: string) => (s.trim() === '' ? null : s.trim());
const numberOr = (s: string): number | string => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : s);

/** The settings form of one channel as a PATCH body: every key of ChannelSettingsPatchSchema. */
function channelPatch(body: Body, problems: ErrorDetail[]): Record<string, unknown> {
  const on = new Set(all(body, '_checkboxes').filter((n) => first(body, n) === 'on'));
  const bool = (n: string) => on.has(n);
  const templates: Record<string, unknown> = {};
  for (const e of ['shipped', 'out_for_delivery', 'delivered']) {
    const name = first(body, `notifications.whatsapp.templates.${e}.name`).trim();
    const was = first(body, `_template.${e}`);
    if (name !== was) templates[e] = name ? { name } : null;
  }
  const token = first(body, 'notifications.whatsapp.token');
  return {
    createInvoice: first(body, 'createInvoice'),
    invoiceSeries: first(body, 'invoiceSeries').trim(),
    returnWindowDays: numberOr(first(body, 'returnWindowDays')),
    syncIntervalMinutes: numberOr(first(body, 'syncIntervalMinutes')),
    priceListId: nullable(first(body, 'priceListId')),
    defaultWarehouseId: nullable(first(body, 'defaultWarehouseId')),
    autoCreateDeliveryNote: bool('autoCreateDeliveryNote'),
    autoConfirm: bool('autoConfirm'),
    approvalRequired: bool('approvalRequired'),
    approvalFirstOrder: bool('approvalFirstOrder'),
    approvalMinTotal: nullable(first(body, 'approvalMinTotal')),
    statusMapIn: parseLines(first(body, 'statusMapIn'), 'statusMapIn', problems),
    statusMapOut: parseLines(first(body, 'statusMapOut'), 'statusMapOut', problems),
    notifications: {
      language: first(body, 'notifications.language') || null,
      shopify: { notifyCustomer: bool('notifications.shopify.notifyCustomer') },
      email: { shipped: bool('notifications.email.shipped'), from: nullable(first(body, 'notifications.email.from')), replyTo: nullable(first(body, 'notifications.email.replyTo')) },
      whatsapp: {
        enabled: bool('notifications.whatsapp.enabled'),
        phoneNumberId: nullable(first(body, 'notifications.whatsapp.phoneNumberId')),
        // Empty keeps the stored token: it is never shown, so the form cannot send it back.
        ...(token ? { token } : {}),
        language: first(body, 'notifications.whatsapp.language').trim(),
        apiVersion: first(body, 'notifications.whatsapp.apiVersion').trim(),
        baseUrl: first(body, 'notifications.whatsapp.baseUrl').trim(),
        ...(Object.keys(templates).length ? { templates } : {}),
      },
    },
  };
}

/** A courier setting typed as text: digits become numbers, true/false booleans, {…} JSON. */
function settingValue(s: string): unknown {
  if (/^-?\d{1,15}$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s.startsWith('{')) {
    try {
      return JSON.parse(s);
    } catch {}
  }
  return s;
}

/**
 * The settings screen's routes under /warehouse/settings (manager only: `settings.manage`). Each form
 * posts to its own handler, which calls the same domain function as the API; a refusal renders the
 * page again with the errors next to their fields and what was typed (never a secret).
 */
export function settingsUi(deps: Deps) {
  const ui = new Hono<UiEnv>();
  const gate = (c: Context<UiEnv>): SessionUser => {
    const s = requireSession(c);
    requirePermission(s, 'settings.manage');
    return s;
  };
  const ctxOf = (c: Context<UiEnv>): PageContext => ({ lang: c.get('lang'), t: c.get('t'), user: c.get('session') });

  async function lockedLogins(tenantId: string): Promise<NonNullable<SettingsView['lockedLogins']>> {
    const locked = await lockedLoginsOf(deps.sql, tenantId, deps.now());
    if (locked.size === 0) return [];
    return (await listUsers(deps.sql, tenantId)).filter((u) => locked.has(u.id)).map((u) => ({ id: u.id, email: u.email, name: u.name, lockedUntil: locked.get(u.id)!.toISOString() }));
  }

  async function view(s: SessionUser, extra: Partial<SettingsView> = {}): Promise<SettingsView> {
    const channels = await listChannels(deps.sql, s.tenantId);
    const profile = await getInvoicingProfile(deps.sql, s.tenantId);
    return {
      channels: await Promise.all(channels.map(async (ch) => ({ id: ch.id, name: ch.name, kind: ch.kind, settings: await getChannelSettings(deps.sql, s.tenantId, ch.id) }))),
      courierAccounts: await listCourierAccounts(deps.sql, deps.box, s.tenantId),
      profile: profile ? { ...profile, smtpUrlSealed: null } : null,
      anaf: await anafConnectionStatus(deps.sql, s.tenantId),
      smtp: await getSmtpSettings(deps.sql, s.tenantId),
      fxRates: (await listFxRates(deps.sql, s.tenantId, { limit: 10 })).rates,
      lockedLogins: await lockedLogins(s.tenantId),
      ...extra,
    };
  }

  const render = async (c: Context<UiEnv>, s: SessionUser, extra: Partial<SettingsView>, status: 200 | 400 = 200) => c.html(settingsScreen(ctxOf(c), s, await view(s, extra)), status);
  const refused = (c: Context<UiEnv>, s: SessionUser, form: string, body: Body, errors: ErrorDetail[], message?: string) =>
    render(c, s, { state: { form, errors, values: typedValues(body), message: { kind: 'error', text: message ?? c.get('t')('setFixBelow') } } }, 400);
  const saved = (c: Context<UiEnv>, form: string, anchor: string) => c.redirect(`/warehouse/settings?saved=${form}#${anchor}`, 303);

  /** Runs a save; a VALIDATION (or CONFLICT/NOT_FOUND) refusal becomes field errors on the form. */
  async function attempt(c: Context<UiEnv>, s: SessionUser, form: string, body: Body, fn: () => Promise<unknown>): Promise<Response | null> {
    try {
      await fn();
      return null;
    } catch (e) {
      if (e instanceof DomainError && ['VALIDATION', 'CONFLICT', 'NOT_FOUND'].includes(e.code)) return refused(c, s, form, body, e.details, e.message);
      throw e;
    }
  }

  ui.get('/', async (c) => {
    const s = gate(c);
    const savedForm = (c.req.query('saved') ?? '').slice(0, 40);
    const state: FormState | undefined = savedForm ? { form: savedForm, errors: [], values: {}, message: { kind: 'ok', text: c.get('t')('setSaved') } } : undefined;
    const servicesOf = c.req.query('services');
    let courierServices: SettingsView['courierServices'];
    if (servicesOf && isId(servicesOf)) {
      try {
        courierServices = await courierAccountServices(deps, s.tenantId, servicesOf);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return render(c, s, { state: { form: 'courier-new', errors: [], values: {}, message: { kind: 'error', text: e.message } } });
      }
    }
    return render(c, s, { ...(state ? { state } : {}), ...(courierServices ? { courierServices } : {}) });
  });

  ui.post('/channels/:id', async (c) => {
    const s = gate(c);
    const id = c.req.param('id');
    const form = `channel-${id}`;
    const body = await c.req.parseBody({ all: true });
    const problems: ErrorDetail[] = [];
    const patch = channelPatch(body, problems);
    const parsed = ChannelSettingsPatchSchema.safeParse(patch);
    if (problems.length || !parsed.success) return refused(c, s, form, body, [...problems, ...(parsed.success ? [] : zodDetails(parsed.error))]);
    return (await attempt(c, s, form, body, () => updateChannelSettings(deps.sql, deps.box, s.tenantId, id, parsed.data))) ?? saved(c, form, form);
  });

  ui.post('/courier-accounts', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const problems: ErrorDetail[] = [];
    const courier = first(body, 'courier') as CourierCode;
    if (!COURIER_CODES.includes(courier)) problems.push({ path: 'courier', reason: `must be one of ${COURIER_CODES.join(', ')}` });
    const credentials: Record<string, string> = {};
    for (const k of ['username', 'password', 'apiKey', 'subscriptionKey']) if (first(body, `credentials.${k}`)) credentials[k] = first(body, `credentials.${k}`);
    const settings = Object.fromEntries(Object.entries(parseLines(first(body, 'settings'), 'settings', problems)).map(([k, v]) => [k, settingValue(v)]));
    const senderKeys = ['name', 'phone', 'county', 'locality', 'postalCode', 'countryCode', 'addressLine'] as const;
    const sender = Object.fromEntries(senderKeys.map((k) => [k, first(body, `senderAddress.${k}`).trim() || null]));
    const hasSender = senderKeys.some((k) => k !== 'countryCode' && sender[k]);
    if (problems.length) return refused(c, s, 'courier-new', body, problems);
    return (
      (await attempt(c, s, 'courier-new', body, () =>
        saveCourierAccount(deps.sql, deps.box, s.tenantId, {
          courier,
          name: first(body, 'name').trim(),
          credentials,
          settings,
          baseUrl: nullable(first(body, 'baseUrl')),
          defaultService: nullable(first(body, 'defaultService')),
          ...(hasSender ? { senderAddress: sender } : {}),
        }),
      )) ?? saved(c, 'courier-new', 'couriers')
    );
  });

  ui.post('/courier-accounts/:id/test', async (c) => {
    const s = gate(c);
    const courierTest = await testCourierCredentials(deps, s.tenantId, c.req.param('id'));
    return render(c, s, { courierTest });
  });

  ui.post('/invoicing-profile', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const on = new Set(all(body, '_checkboxes').filter((n) => first(body, n) === 'on'));
    const parsed = InvoicingProfileBody.safeParse({
      legalName: first(body, 'legalName').trim(),
      cui: first(body, 'cui').trim(),
      vatRegistered: on.has('vatRegistered'),
      tradeRegisterNo: nullable(first(body, 'tradeRegisterNo')),
      street: first(body, 'street').trim(),
      city: first(body, 'city').trim(),
      countyCode: first(body, 'countyCode').trim(),
      postalCode: nullable(first(body, 'postalCode')),
      bankName: nullable(first(body, 'bankName')),
      iban: nullable(first(body, 'iban')?.replace(/\s/g, '')),
      email: nullable(first(body, 'email')),
      phone: nullable(first(body, 'phone')),
      paymentTermsDays: numberOr(first(body, 'paymentTermsDays') || '15'),
    });
    if (!parsed.success) return refused(c, s, 'profile', body, zodDetails(parsed.error));
    // The profile's older smtp_url stays as it was: SMTP has its own form.
    const current = await getInvoicingProfile(deps.sql, s.tenantId);
    return (
      (await attempt(c, s, 'profile', body, () => saveInvoicingProfile(deps.sql, s.tenantId, { ...parsed.data, smtpUrlSealed: current?.smtpUrlSealed ?? null, mailFrom: current?.mailFrom ?? null }))) ??
      saved(c, 'profile', 'invoicing-profile')
    );
  });

  ui.post('/anaf', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const problems: ErrorDetail[] = [];
    const url = (name: string) => {
      const v = first(body, name).trim();
      try {
        if (/^https?:$/.test(new URL(v).protocol)) return v;
      } catch {}
      problems.push({ path: name, reason: 'must be an http(s) URL' });
      return v;
    };
    const clientId = first(body, 'clientId').trim();
    const clientSecret = first(body, 'clientSecret');
    if (!clientId) problems.push({ path: 'clientId', reason: 'is required' });
    if (!clientSecret) problems.push({ path: 'clientSecret', reason: 'is required (it is stored sealed and never shown back)' });
    const oauthBaseUrl = url('oauthBaseUrl');
    const apiBaseUrl = url('apiBaseUrl');
    if (problems.length) return refused(c, s, 'anaf', body, problems);
    const redirectUri = anafCallbackUrl(c.req.url, c.req.header('x-forwarded-proto'), c.req.header('x-forwarded-host'));
    await saveAnafConnection(deps.sql, deps.box, s.tenantId, { clientId, clientSecret, redirectUri, oauthBaseUrl, apiBaseUrl });
    return saved(c, 'anaf', 'anaf');
  });

  ui.post('/anaf/environment', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const environment = first(body, 'environment');
    if (environment !== 'prod' && environment !== 'test') return refused(c, s, 'anafEnvironment', body, [{ path: 'environment', reason: 'must be prod or test' }]);
    return (await attempt(c, s, 'anafEnvironment', body, () => setAnafEnvironment(deps.sql, s.tenantId, environment))) ?? saved(c, 'anafEnvironment', 'anaf');
  });

  ui.post('/anaf/authorize', async (c) => {
    const s = gate(c);
    // A link, not a redirect: the CSP's form-action 'self' forbids a form answer sending the browser to ANAF.
    const anafAuthorizeUrl = await startAnafAuthorization(deps.sql, s.tenantId);
    return render(c, s, { anafAuthorizeUrl });
  });

  ui.post('/smtp', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const on = new Set(all(body, '_checkboxes').filter((n) => first(body, n) === 'on'));
    const port = Number(first(body, 'port'));
    const password = first(body, 'password');
    return (
      (await attempt(c, s, 'smtp', body, () =>
        saveSmtpSettings(deps.sql, deps.box, s.tenantId, {
          host: first(body, 'host').trim(),
          port: Number.isInteger(port) ? port : -1,
          secure: on.has('secure'),
          username: nullable(first(body, 'username')),
          ...(password ? { password } : {}),
          from: first(body, 'from').trim(),
        }),
      )) ?? saved(c, 'smtp', 'smtp')
    );
  });

  ui.post('/smtp/test', async (c) => {
    const s = gate(c);
    const r = await testSmtpSettings(deps.sql, deps.box, s.tenantId);
    const message = r.ok ? { kind: 'ok' as const, text: c.get('t')('setSmtpOk') } : { kind: 'error' as const, text: `${r.error.code}: ${r.error.message}` };
    return render(c, s, { state: { form: 'smtp', errors: [], values: {}, message } });
  });

  // The operator lifts a login's lockout after too many wrong passwords (same call as DELETE /api/v1/users/{id}/login-lockout).
  ui.post('/login-lockouts/:userId/lift', async (c) => {
    const s = gate(c);
    const userId = c.req.param('userId');
    if (!/^\d{1,18}$/.test(userId)) throw new DomainError('VALIDATION', 'Choose a login to unlock.', [{ path: 'userId', reason: 'must be a numeric id' }]);
    await liftUserLoginLockout(deps.sql, s.tenantId, userId);
    return saved(c, 'logins', 'locked-logins');
  });

  ui.post('/fx-rates', async (c) => {
    const s = gate(c);
    const body = await c.req.parseBody({ all: true });
    const parsed = ManualRate.safeParse({ currency: first(body, 'currency').trim().toUpperCase(), validOn: first(body, 'validOn').trim(), ronPerUnit: first(body, 'ronPerUnit').trim().replace(',', '.') });
    if (!parsed.success) return refused(c, s, 'fx', body, zodDetails(parsed.error as unknown as z.ZodError));
    return (await attempt(c, s, 'fx', body, () => saveManualFxRate(deps.sql, s.tenantId, parsed.data))) ?? saved(c, 'fx', 'fx-rates');
  });

  return ui;
}
