import { randomBytes } from 'node:crypto';
import { createWooRestClient } from '../../core/src/channels/woocommerce/woo-rest-client.ts';
import { wooAuthModeFor } from '../../core/src/channels/store-client-options.ts';
import type { FakeApiKey, FakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';

/*
 * Connecting a fake WooCommerce store to a core exactly as the Expedio plugin does it
 * (woo-plugin/includes/class-connect.php), HTTP call for HTTP call:
 *
 *   1. "Connect to Expedio" (admin-post expedio_connect_start): the browser goes to
 *      {core}/warehouse/connect/woocommerce?store_url=<home_url>&return_url=<admin-post return URL>&state=<random>.
 *      A manager logs in to the core and allows it; the core's page sends the browser back to
 *      return_url with expedio_code and state.                       (pairing: operator)
 *      — or the plugin already holds a tenant API key.               (pairing: apiKey)
 *   2. The return handler creates a read_write REST key the way WC_Auth::create_keys does (here:
 *      FakeWooCommerce.addApiKey, the stand-in for that database insert).
 *   3. POST {core}/api/v1/installations/woocommerce, Bearer <code or key>,
 *      { storeUrl, storeName, consumerKey, consumerSecret, keyPermissions: 'read_write' } → 201
 *      { channelId, apiKey, created, webhookUrl, catalogSyncQueued }. A refusal deletes the key again.
 *   4. Webhooks::connect(): PUT {core}/api/v1/channels/{channelId}/webhook-secret (Bearer the new
 *      apiKey) → 204, then the two webhooks order.created / order.updated to {core}/webhooks/woocommerce/{channelId}
 *      (the plugin uses WC_Webhook; on the fake they are made through its REST API with the new key).
 */

export type WooPairingCredential = { operator: { email: string; password: string } } | { apiKey: string } | { connectCode: string };

export interface ConnectWooOptions {
  pairing: WooPairingCredential;
  storeName?: string;
  /** Create the order webhooks afterwards, as the plugin does (default true). */
  webhooks?: boolean;
}

export interface WooConnection {
  channelId: string;
  /** The plugin's API key (channel-bound). */
  apiKey: string;
  created: boolean;
  /** The secret the webhooks sign with (undefined with `webhooks: false`). */
  webhookSecret?: string;
  webhookIds: number[];
  key: FakeApiKey;
}

export interface InstallationAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert the body field by field
  body: any;
}

export class WooConnectRefused extends Error {
  readonly answer: InstallationAnswer;
  constructor(answer: InstallationAnswer) {
    super(`POST /api/v1/installations/woocommerce answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    this.answer = answer;
  }
}

/** The plugin's return URL on the store (admin-post.php), which the core sends the code back to. */
export const pluginReturnUrl = (storeUrl: string): string => `${storeUrl}/wp-admin/admin-post.php?action=expedio_connect_return&_wpnonce=0123456789`;

/** Step 3 alone: what the plugin sends, and the core's answer as it is. */
export async function postWooInstallation(
  core: { url: string },
  bearer: string,
  body: { storeUrl: string; storeName?: string; consumerKey: string; consumerSecret: string; keyPermissions?: string },
): Promise<InstallationAnswer> {
  const res = await fetch(`${core.url}/api/v1/installations/woocommerce`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ keyPermissions: 'read_write', ...body }),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body: parsed };
}

/**
 * Step 1 with an operator: the browser's round trip through the core's consent page. Returns the
 * URL the core sent the browser back to (return_url + expedio_code + state).
 */
export async function grantOnConsentPage(core: { url: string }, storeUrl: string, operator: { email: string; password: string }, state: string): Promise<URL> {
  const consent = `/warehouse/connect/woocommerce?${new URLSearchParams({ store_url: storeUrl, return_url: pluginReturnUrl(storeUrl), state })}`;
  const first = await fetch(`${core.url}${consent}`, { redirect: 'manual' });
  const toLogin = first.headers.get('location');
  if (first.status !== 303 || !toLogin) throw new Error(`the consent page did not send a logged-out browser to the login (HTTP ${first.status})`);
  const next = new URL(toLogin, core.url).searchParams.get('next') ?? '';
  const { cookie, location: back } = await loginToCore(core, operator, next);
  const page = await fetch(new URL(back, core.url), { headers: { cookie } });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const allow = await fetch(`${core.url}/warehouse/connect/woocommerce`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: field('_csrf'), store_url: unescapeHtml(field('store_url')), return_url: unescapeHtml(field('return_url')), state: field('state'), decision: 'allow' }),
  });
  const granted = await allow.text();
  const href = /data-return-url href="([^"]+)"/.exec(granted)?.[1];
  if (allow.status !== 200 || !href) throw new Error(`allowing the connection failed (HTTP ${allow.status}): ${granted.slice(0, 300)}`);
  return new URL(unescapeHtml(href));
}

/** The core's login form as a browser fills it in; returns the session cookie and where the core sends the browser next. */
export async function loginToCore(core: { url: string }, operator: { email: string; password: string }, next = ''): Promise<{ cookie: string; location: string }> {
  const form = await fetch(`${core.url}/warehouse/login`);
  const loginCookie = cookiePair(form.headers.getSetCookie(), 'expedio_wh_login');
  const token = /name="_login" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await fetch(`${core.url}/warehouse/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _login: token, email: operator.email, password: operator.password, next }),
  });
  if (login.status !== 303) throw new Error(`login as ${operator.email} failed (HTTP ${login.status})`);
  return { cookie: cookiePair(login.headers.getSetCookie(), 'expedio_wh_session'), location: login.headers.get('location') ?? '' };
}

/** Steps 1–4: the store connected to the tenant the pairing credential belongs to. */
export async function connectWooStore(core: { url: string }, woo: FakeWooCommerce, opts: ConnectWooOptions): Promise<WooConnection> {
  let bearer: string;
  if ('operator' in opts.pairing) {
    const state = randomBytes(16).toString('hex');
    const back = await grantOnConsentPage(core, woo.url, opts.pairing.operator, state);
    if (back.searchParams.get('state') !== state) throw new Error('the core sent back another state');
    bearer = back.searchParams.get('expedio_code') ?? '';
  } else {
    bearer = 'apiKey' in opts.pairing ? opts.pairing.apiKey : opts.pairing.connectCode;
  }

  const key = woo.addApiKey({ description: `Expedio - API (${new Date().toISOString().slice(0, 19).replace('T', ' ')})`, permissions: 'read_write', userId: 1 });
  const answer = await postWooInstallation(core, bearer, {
    storeUrl: woo.url,
    storeName: opts.storeName ?? 'Fake Woo store',
    consumerKey: key.consumerKey,
    consumerSecret: key.consumerSecret,
  });
  if (answer.status !== 201) {
    woo.revokeApiKey(key.keyId);
    throw new WooConnectRefused(answer);
  }
  const { channelId, apiKey, created } = answer.body as { channelId: string; apiKey: string; created: boolean };
  if (opts.webhooks === false) return { channelId, apiKey, created, webhookIds: [], key };

  const webhookSecret = randomBytes(36).toString('base64url').slice(0, 50);
  const put = await fetch(`${core.url}/api/v1/channels/${channelId}/webhook-secret`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ secret: webhookSecret }),
  });
  if (put.status !== 204) throw new Error(`PUT webhook-secret answered ${put.status}: ${await put.text()}`);
  const store = createWooRestClient({ baseUrl: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, authMode: wooAuthModeFor(woo.url) });
  const webhookIds: number[] = [];
  for (const [topic, name] of [
    ['order.created', 'Expedio: order created'],
    ['order.updated', 'Expedio: order updated'],
  ] as const) {
    const res = await store.post<{ id: number }>('webhooks', { name, topic, delivery_url: `${core.url}/webhooks/woocommerce/${channelId}`, secret: webhookSecret, status: 'active' });
    webhookIds.push(res.body.id);
  }
  return { channelId, apiKey, created, webhookSecret, webhookIds, key };
}

function cookiePair(setCookies: string[], name: string): string {
  const c = setCookies.find((s) => s.startsWith(`${name}=`));
  if (!c) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookies)}`);
  return c.split(';')[0]!;
}

function unescapeHtml(s: string): string {
  return s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
}
