import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../core/src/db/outbox.ts';
import { makeShopifyGraphqlOrderNode } from '../fakes/shopify/shopify-order-fixtures.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { shopifyOrderBody } from '../support/orders.ts';
import { browserRequest, installShopifyApp, openShopifyApp, type ShopifyInstallEnv, type ShopifyInstallResult, startShopifyInstallEnv } from '../support/shopify-install.ts';

let env: ShopifyInstallEnv;
let installed: ShopifyInstallResult;

const channelRow = async () =>
  (
    await env.core.sql<{ status: string; status_reason: string | null; credentials_enc: string | null }[]>`
      select status, status_reason, credentials_enc from channels where id = ${installed.channelId}`
  )[0]!;
const credentials = async () => JSON.parse(env.core.deps.box.open((await channelRow()).credentials_enc!)) as Record<string, unknown>;

beforeAll(async () => {
  env = await startShopifyInstallEnv();
  // An empty install: no tenant, no channel, before the merchant does anything.
  expect(await env.core.sql`select id from tenants`).toHaveLength(0);
  installed = await installShopifyApp(env);
}, 240_000);

describe('the app’s login page', () => {
  it('GET /auth/login renders the Polaris login form', async () => {
    const res = await browserRequest(env, `${env.app.url}/auth/login`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Log in to Expedio');
    expect(html).toMatch(/<input[^>]*name="shop"/);
    expect(html).toContain('Polaris-TextField');
  });

  it('POST with a shop domain starts the install at Shopify', async () => {
    const res = await browserRequest(env, `${env.app.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `shop=${env.shop.replace('.myshopify.com', '')}` });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`https://admin.shopify.com/store/${env.shop.replace('.myshopify.com', '')}/oauth/install?client_id=${env.apiKey}`);
  });

  it.each([
    ['a bad shop domain', 'not a shop!', 'Enter a valid shop domain'],
    ['no shop domain', '', 'Enter your shop domain'],
  ])('POST with %s shows the error on the form', async (_what, shop, message) => {
    const res = await browserRequest(env, `${env.app.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ shop }).toString() });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(message);
  });
});

describe('installing the Shopify app on an empty core', () => {
  it('creates the tenant and the channel through the app’s token exchange and lands on the app', async () => {
    const tenants = await env.core.sql<{ id: string }[]>`select id::text from tenants`;
    expect(tenants.map((t) => t.id)).toEqual([installed.tenantId]);
    const [channel] = await env.core.sql`select kind, external_ref, status from channels where tenant_id = ${installed.tenantId}`;
    expect(channel).toMatchObject({ kind: 'shopify', external_ref: env.shop, status: 'active' });
    // The library exchanged the admin's session token for an expiring offline token.
    expect(env.shopify.oauth.tokenRequests).toContainEqual({
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      expiring: '1',
      requestedTokenType: 'urn:shopify:params:oauth:token-type:offline-access-token',
    });
    expect(installed.refreshToken).toMatch(/^shprt_/);
    // One exchange although the page's loaders authenticate in parallel: the token the app stored is the core's.
    expect(env.shopify.oauth.tokens.filter((t) => t.kind === 'offline')).toHaveLength(1);
    expect(installed.landing.html).toContain('Orders');
    expect(installed.landing.html).not.toContain('This store is not connected to Expedio');
  });

  it('keeps the offline token sealed at rest: the database holds no plaintext token', async () => {
    const row = await channelRow();
    expect(row.credentials_enc).toMatch(/^v1\./);
    const dump = JSON.stringify(await env.core.sql`select * from channels`);
    expect(dump).not.toContain(installed.accessToken);
    expect(dump).not.toContain(installed.refreshToken!);
    expect(await credentials()).toMatchObject({
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      accessTokenExpiresAt: expect.any(String),
      scopes: expect.stringContaining('read_orders'),
      adminBaseUrl: env.shopify.url,
    });
  });

  it('registers the shop’s webhooks to the core and queues the catalog sync in the install’s transaction', async () => {
    const subscribed = env.shopify.webhooks.subscriptions.filter((s) => s.source === 'shop');
    // The app asks for read_returns: the Return API's topics are subscribed with the order topics.
    expect(subscribed.map((s) => s.topic).sort()).toEqual([
      'APP_SCOPES_UPDATE',
      'APP_UNINSTALLED',
      'ORDERS_CANCELLED',
      'ORDERS_CREATE',
      'ORDERS_PAID',
      'ORDERS_UPDATED',
      'RETURNS_APPROVE',
      'RETURNS_CANCEL',
      'RETURNS_CLOSE',
      'RETURNS_DECLINE',
      'RETURNS_REOPEN',
      'RETURNS_REQUEST',
    ]);
    expect(new Set(subscribed.map((s) => s.callbackUrl))).toEqual(new Set([`${env.core.url}/webhooks/shopify`]));
    const sync = await env.core.sql`select payload from outbox where tenant_id = ${installed.tenantId} and kind = 'channel.catalog_sync'`;
    expect(sync.map((r) => r.payload)).toEqual([{ channelId: installed.channelId }]);
  });

  it('reuses the tenant and channel when the app is opened again, queueing nothing new', async () => {
    const page = await openShopifyApp(env);
    expect(page.status).toBe(200);
    expect(await env.core.sql`select id from tenants`).toHaveLength(1);
    expect(await env.core.sql`select id from outbox where kind = 'channel.catalog_sync'`).toHaveLength(1);
  });

  it('verifies the shop’s webhooks with the app’s one secret; a wrong HMAC is 401 and on record', async () => {
    const { raw } = shopifyOrderBody({ lines: [['A-1', 1]] });
    const forged = await sendShopifyWebhook({ url: `${env.core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: env.shop, body: raw, secret: 'not-the-app-secret' });
    expect(forged.status).toBe(401);
    const [log] = await env.core.sql`select outcome, error from sync_log where tenant_id = ${installed.tenantId} and kind = 'webhook' order by id desc limit 1`;
    expect(log).toMatchObject({ outcome: 'rejected', error: 'HMAC signature does not match' });
  });

  it('takes in the next order placed in the shop by its webhook and writes the shipment back with the stored token', async () => {
    const { raw, id, lineItemIds } = shopifyOrderBody({ lines: [['SKU-NEW-1', 2]] });
    const orderGid = `gid://shopify/Order/${id}`;
    env.shopify.setFulfillmentOrders(orderGid, [{ lines: lineItemIds.map((l) => ({ lineItemId: `gid://shopify/LineItem/${l}`, quantity: 2 })) }]);
    const deliveries = await env.shopify.placeOrder({ node: makeShopifyGraphqlOrderNode({ id: orderGid }), payload: raw });
    expect(deliveries.map((d) => [d.url, d.status])).toEqual([[`${env.core.url}/webhooks/shopify`, 200]]);
    const [order] = await env.core.sql<{ id: string; channel_id: string }[]>`
      select id::text, channel_id::text from orders where tenant_id = ${installed.tenantId} and external_order_id = ${id}`;
    expect(order?.channel_id).toBe(installed.channelId);

    // The parcel leaves (AWB created) — the shipping flow's state, set up directly here.
    await env.core.sql.begin(async (tx) => {
      const [acct] = await tx<{ id: string }[]>`insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url)
        values (${installed.tenantId}, 'sameday', 'Sameday', 'v1.unused', 'http://127.0.0.1:1') returning id::text`;
      const [s] = await tx<{ id: string }[]>`insert into shipments (tenant_id, order_id, courier_account_id, courier, service, reference, awb, tracking_url, status)
        values (${installed.tenantId}, ${order!.id}, ${acct!.id}, 'sameday', 'Standard', 'ref-install-1', 'SD-INSTALL-1', 'https://track.example.test/SD-INSTALL-1', 'created') returning id::text`;
      await enqueue(tx, installed.tenantId, 'shipment.created', { shipmentId: s!.id, orderId: order!.id }, `shipment.created:${s!.id}`);
    });
    const before = env.shopify.requests.length;
    await env.core.drainOutbox();

    expect(env.shopify.fulfillments.get(orderGid)?.map((f) => f.trackingInfo)).toEqual([[{ company: 'Sameday', number: 'SD-INSTALL-1', url: 'https://track.example.test/SD-INSTALL-1' }]]);
    const tokens = new Set(env.shopify.requests.slice(before).map((r) => r.accessToken));
    expect(tokens).toEqual(new Set([installed.accessToken]));
  });

  it('the workspace’s first warehouse becomes the shop’s warehouse to ship from; a second one changes nothing', async () => {
    const key = await apiKeyOf(installed.tenantId);
    const settings = async () => (await env.core.api(`/api/v1/channels/${installed.channelId}/settings`, { key })).body.defaultWarehouseId;
    expect(await settings()).toBeNull();
    const first = await env.core.api('/api/v1/warehouses', { method: 'POST', key, body: JSON.stringify({ code: 'MAIN', name: 'Main' }) });
    expect(first.status).toBe(201);
    expect(await settings()).toBe(first.body.id);
    const second = await env.core.api('/api/v1/warehouses', { method: 'POST', key, body: JSON.stringify({ code: 'SECOND', name: 'Second' }) });
    expect(second.status).toBe(201);
    expect(await settings()).toBe(first.body.id);
  });
});

describe('the expiring offline token', () => {
  it('is refreshed by the worker before it ends: the core holds a live new token and the next refresh is queued', async () => {
    const [job] = await env.core.sql<{ next_attempt_at: Date }[]>`
      select next_attempt_at from outbox where tenant_id = ${installed.tenantId} and kind = 'channel.refresh_shopify_token' and status = 'pending'`;
    const expiresAt = Date.parse(String((await credentials()).accessTokenExpiresAt));
    // Queued for ten minutes before the token's end (Shopify's expiring offline tokens last an hour).
    expect(Math.abs(job!.next_attempt_at.getTime() - (expiresAt - 600_000))).toBeLessThan(5000);

    env.shopify.oauth.expireAccessTokens();
    expect(env.shopify.oauth.isLiveToken(installed.accessToken)).toBe(false);
    // The test's stand-in for waiting until the job is due.
    await env.core.sql`update outbox set next_attempt_at = now() where kind = 'channel.refresh_shopify_token' and status = 'pending'`;
    await env.core.drainOutbox();

    expect(env.shopify.oauth.tokenRequests.at(-1)).toMatchObject({ grantType: 'refresh_token' });
    const creds = await credentials();
    expect(creds.accessToken).not.toBe(installed.accessToken);
    expect(env.shopify.oauth.isLiveToken(String(creds.accessToken))).toBe(true);
    expect(creds.refreshToken).not.toBe(installed.refreshToken);
    // The next refresh is queued for the new token.
    expect(await env.core.sql`select id from outbox where kind = 'channel.refresh_shopify_token' and status = 'pending'`).toHaveLength(1);
    installed = { ...installed, accessToken: String(creds.accessToken), refreshToken: String(creds.refreshToken) };
  });
});

describe('app/scopes_update, uninstall and reinstall', () => {
  it('records the scopes the merchant granted now, in the core and in the app’s session', async () => {
    const current = ['read_orders', 'write_orders', 'read_products'];
    const registrations = async () => (await env.core.sql<{ n: number }[]>`select count(*)::int as n from outbox where kind = 'channel.register_webhooks'`)[0]!.n;
    const before = await registrations();
    const sent = await env.shopify.updateScopes(current);
    expect(sent.map((d) => d.status)).toEqual([200, 200]);
    expect((await credentials()).scopes).toBe(current.join(','));
    // Scopes granted now may open topics: the shop's subscriptions are checked again, once per grant.
    expect(await registrations()).toBe(before + 1);
    await env.shopify.updateScopes(current);
    expect(await registrations()).toBe(before + 1);
    const appDb = postgres(env.appDatabaseUrl, { max: 1, onnotice: () => {} });
    try {
      expect(await appDb`select scope from shopify_sessions where shop = ${env.shop}`).toEqual([{ scope: current.join(',') }]);
    } finally {
      await appDb.end();
    }
  });

  it('on app/uninstalled disconnects the channel and erases the token, keeping what shop/redact needs', async () => {
    const sent = await env.shopify.uninstall();
    // The core's own subscription and the app's (shopify.app.toml) both answer 200.
    expect(sent.map((d) => [d.url.replace(env.core.url, 'core').replace(env.app.url, 'app'), d.status]).sort()).toEqual([
      ['app/webhooks/app/uninstalled', 200],
      ['core/webhooks/shopify', 200],
    ]);
    expect(await channelRow()).toMatchObject({ status: 'disconnected', status_reason: 'the app was uninstalled from the shop' });
    expect((await credentials()).accessToken).toBeUndefined();
    // shop/redact arrives 48 h later and must still verify: signed with the same app secret.
    const redact = await sendShopifyWebhook({
      url: `${env.core.url}/webhooks/shopify`,
      topic: 'shop/redact',
      shopDomain: env.shop,
      body: JSON.stringify({ shop_id: 548380009, shop_domain: env.shop }),
      secret: env.apiSecret,
    });
    expect(redact.status).toBe(200);
  });

  it('reinstalling reconnects the same tenant and channel with a new token', async () => {
    const again = await installShopifyApp(env);
    expect(again).toMatchObject({ tenantId: installed.tenantId, channelId: installed.channelId });
    expect(again.accessToken).not.toBe(installed.accessToken);
    expect(await channelRow()).toMatchObject({ status: 'active', status_reason: null });
    expect((await credentials()).accessToken).toBe(again.accessToken);
    installed = again;
  });
});

describe('re-authorisation when the channel needs reconnecting', () => {
  it('the app sees needs_reconnect, runs the shop through token exchange again and the core gets a working token', async () => {
    // Shopify stops accepting the token (revoked); the next write-back is refused and the channel marked.
    env.shopify.oauth.revokeAll();
    await env.core.sql`update channels set status = 'needs_reconnect', status_reason = 'Shopify rejected the access token (HTTP 401)' where id = ${installed.channelId}`;
    const [stall] = (await env.core.api('/api/v1/stalls?kind=channel.credentials_rejected', { key: await apiKeyOf(installed.tenantId) })).body.stalls;
    expect(stall.fix).toContain('Open the Expedio app in the Shopify admin');

    const exchangesBefore = env.shopify.oauth.tokenRequests.length;
    const page = await openShopifyApp(env);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('This store is not connected to Expedio');
    expect(env.shopify.oauth.tokenRequests.length).toBeGreaterThan(exchangesBefore);
    expect(await channelRow()).toMatchObject({ status: 'active', status_reason: null });
    const token = String((await credentials()).accessToken);
    expect(env.shopify.oauth.isLiveToken(token)).toBe(true);
    expect(token).not.toBe(installed.accessToken);
  });
});

async function apiKeyOf(tenantId: string): Promise<string> {
  const { createApiKey } = await import('../../core/src/auth/api-keys.ts');
  return createApiKey(env.core.sql, tenantId, 'test');
}

describe('a core that refuses the app', () => {
  it('shows the core’s reason in a banner on the app instead of failing the page', async () => {
    const config = env.core.deps.shopifyApp!;
    const secret = config.apiSecret;
    // The core deployed with another app's secret than the app's: it refuses the app's session tokens.
    config.apiSecret = 'shpss_some_other_app';
    try {
      const page = await openShopifyApp(env);
      expect(page.status).toBe(200);
      expect(page.html).toContain('This store is not connected to Expedio');
      expect(page.html).toContain('Shopify session token rejected: bad signature.');
    } finally {
      config.apiSecret = secret;
    }
  });
});
