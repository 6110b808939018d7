import { beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../core/src/channels/channel-repo.ts';
import { signShopifySessionToken } from '../../core/src/channels/shopify/verify-session-token.ts';
import { type CoreHarness, startCore } from '../support/core-harness.ts';

const APP = { apiKey: 'installations-test-key', apiSecret: 'shpss_installations_test_secret' };
let core: CoreHarness;

function appToken(shop: string, over: Record<string, unknown> = {}, secret = APP.apiSecret): string {
  const now = Math.floor(Date.now() / 1000);
  return signShopifySessionToken({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: APP.apiKey, exp: now + 60, nbf: now - 1, iat: now - 1, jti: crypto.randomUUID(), ...over }, secret);
}

const install = (shop: string, body: Record<string, unknown> = {}, token = appToken(shop)) =>
  core.api('/api/v1/installations/shopify', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({ shop, accessToken: `shpat_${shop.slice(0, 8)}`, scope: 'read_orders,write_orders', expires: '2027-01-01T10:00:00.000Z', refreshToken: 'shprt_1', refreshTokenExpires: '2027-03-01T10:00:00.000Z', ...body }),
  });
const channelsOf = (shop: string) => core.sql`select tenant_id::text, id::text, status from channels where lower(external_ref) = ${shop}`;

beforeAll(async () => {
  core = await startCore({ shopifyApp: { ...APP, publicUrl: 'https://core.example.test' } });
});

describe('POST /api/v1/installations/shopify', () => {
  it('creates the tenant and channel of a new shop, seals the token and queues webhooks and catalog sync once', async () => {
    const shop = 'new-shop.myshopify.com';
    const first = await install(shop);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: true, connected: true, channelStatus: 'active', webhookUrl: 'https://core.example.test/webhooks/shopify' });
    const again = await install(shop);
    expect(again.body).toMatchObject({ tenantId: first.body.tenantId, channelId: first.body.channelId, created: false, connected: false });
    const creds = await readCredentials(core.sql, core.deps.box, first.body.tenantId, first.body.channelId);
    expect(creds).toMatchObject({ accessToken: 'shpat_new-shop', refreshToken: 'shprt_1', accessTokenExpiresAt: '2027-01-01T10:00:00.000Z', scopes: 'read_orders,write_orders' });
    const outbox = await core.sql`select kind, payload from outbox where tenant_id = ${first.body.tenantId} order by id`;
    expect(outbox.map((r) => [r.kind, r.payload])).toEqual([
      ['channel.catalog_sync', { channelId: first.body.channelId }],
      ['channel.register_webhooks', { channelId: first.body.channelId, callbackUrl: 'https://core.example.test/webhooks/shopify' }],
      ['channel.refresh_shopify_token', { channelId: first.body.channelId, grantKey: expect.any(String) }],
    ]);
  });

  it('reuses a shop the core knew (its tenant, channel and stored app secret) and clears needs_reconnect', async () => {
    const t = await core.createTenant();
    await core.sql`update channels set status = 'needs_reconnect', status_reason = 'HTTP 401' where id = ${t.shopify.channelId}`;
    const state = await core.api('/api/v1/installations/shopify', { headers: { authorization: `Bearer ${appToken(t.shopify.shopDomain)}` } });
    expect(state.body).toMatchObject({ installed: true, channelId: t.shopify.channelId, channelStatus: 'needs_reconnect', needsAuthorization: true });
    const res = await install(t.shopify.shopDomain, { accessToken: 'shpat_renewed' });
    expect(res.body).toMatchObject({ tenantId: t.tenantId, channelId: t.shopify.channelId, created: false, connected: true });
    const creds = await readCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId);
    expect(creds).toMatchObject({ accessToken: 'shpat_renewed', apiKey: t.shopify.apiKey, apiSecret: t.shopify.apiSecret });
    expect((await channelsOf(t.shopify.shopDomain))[0]).toMatchObject({ status: 'active' });
    const after = await core.api('/api/v1/installations/shopify', { headers: { authorization: `Bearer ${appToken(t.shopify.shopDomain)}` } });
    expect(after.body.needsAuthorization).toBe(false);
  });

  it('answers an unknown shop’s state as not installed', async () => {
    const res = await core.api('/api/v1/installations/shopify', { headers: { authorization: `Bearer ${appToken('nobody.myshopify.com')}` } });
    expect(res.body).toMatchObject({ shop: 'nobody.myshopify.com', installed: false, needsAuthorization: true, channelId: null });
  });

  it('refuses a token not signed with the app secret (401), creating nothing', async () => {
    const res = await install('forged.myshopify.com', {}, appToken('forged.myshopify.com', {}, 'not-the-app-secret'));
    expect(res.status).toBe(401);
    expect(res.body.error.details).toEqual([{ path: 'Authorization', reason: 'invalid session token' }]);
    expect(await channelsOf('forged.myshopify.com')).toHaveLength(0);
  });

  it('refuses a token for another app (aud) with 401', async () => {
    const res = await install('aud.myshopify.com', {}, appToken('aud.myshopify.com', { aud: 'someone-else' }));
    expect(res.status).toBe(401);
    expect(await channelsOf('aud.myshopify.com')).toHaveLength(0);
  });

  it('refuses a body naming another shop than the token (403 naming shop), creating nothing', async () => {
    const res = await install('victim.myshopify.com', {}, appToken('attacker.myshopify.com'));
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual([{ path: 'shop', reason: 'not the shop of the session token' }]);
    expect(await channelsOf('victim.myshopify.com')).toHaveLength(0);
  });

  it.each([
    ['accessToken', { accessToken: '' }],
    ['shop', { shop: 'not a domain' }],
    ['expires', { expires: 'tomorrow' }],
    ['extra', { extra: 1 }],
  ])('refuses a bad %s with 400 naming it, creating nothing', async (field, body) => {
    const res = await install('bad-input.myshopify.com', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe(field);
    expect(await channelsOf('bad-input.myshopify.com')).toHaveLength(0);
  });
});

describe('the app’s one key opens every installed shop', () => {
  it('accepts a session token signed with SHOPIFY_API_SECRET for a shop installed without a stored secret', async () => {
    const shop = 'session-shop.myshopify.com';
    await install(shop);
    const res = await core.api('/api/v1/orders', { headers: { authorization: `Bearer ${appToken(shop)}` } });
    expect(res.status).toBe(200);
    expect(res.body.orders).toEqual([]);
  });
});
