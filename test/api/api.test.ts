import { shopSessionToken } from '../support/shop-helpers.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;
const orderIds: string[] = [];

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { auto_confirm: false } });
  other = await core.createTenant();
  for (let i = 0; i < 7; i++) {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]] });
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    orderIds.push(o!.id);
  }
  const { raw } = shopifyOrderBody({ lines: [['A-1', 1]] });
  await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: other.shopify.shopDomain, body: raw, secret: other.shopify.apiSecret });
});

const sessionToken = (over: Record<string, unknown> = {}, secret = t.shopify.apiSecret) => shopSessionToken(t, over, secret);

describe('core HTTP API', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${core.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('serves an OpenAPI document generated from the zod schemas', async () => {
    const doc = await (await fetch(`${core.url}/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/{id}/confirm', '/api/v1/sync-log']));
    expect(doc.components.schemas.OrderListRow.properties.statusCode).toBeDefined();
    expect(doc.components.schemas.OrderListRow.properties.awbs).toBeDefined();
  });

  it('refuses a missing or unknown API key with 401 and the error shape', async () => {
    const none = await fetch(`${core.url}/api/v1/orders`);
    expect(none.status).toBe(401);
    const body = await none.json();
    expect(body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String), details: [{ path: 'Authorization', reason: 'missing bearer token' }] } });
    expect((await core.api('/api/v1/orders', { key: 'exp_nope' })).status).toBe(401);
  });

  it('lists orders newest first with keyset pagination that visits each order once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { orders: Array<{ id: string }>; nextCursor: string | null } } = await core.api(
        `/api/v1/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { key: t.apiKey },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.orders.map((o) => o.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...orderIds].sort());
  });

  it('filters by status, channel and external id, and stays inside the tenant', async () => {
    await core.api(`/api/v1/orders/${orderIds[0]}/confirm`, { method: 'POST', key: t.apiKey });
    const confirmed = await core.api('/api/v1/orders?status=confirmed', { key: t.apiKey });
    expect(confirmed.body.orders.map((o: { id: string }) => o.id)).toEqual([orderIds[0]]);
    const [ext] = await core.sql`select external_order_id from orders where id = ${orderIds[1]!}`;
    const byExt = await core.api(`/api/v1/orders?externalOrderId=${ext!.external_order_id}`, { key: t.apiKey });
    expect(byExt.body.orders).toHaveLength(1);
    const theirs = await core.api('/api/v1/orders', { key: other.apiKey });
    expect(theirs.body.orders.every((o: { channelId: string }) => o.channelId === other.shopify.channelId)).toBe(true);
    expect((await core.api(`/api/v1/orders/${orderIds[1]}`, { key: other.apiKey })).status).toBe(404);
  });

  it('names the field and reason for bad query parameters', async () => {
    const res = await core.api('/api/v1/orders?status=teleported&limit=0', { key: t.apiKey });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['query.status', 'query.limit']));
    expect((await core.api('/api/v1/orders?cursor=garbage', { key: t.apiKey })).body.error.details[0].path).toBe('cursor');
    expect((await core.api('/api/v1/orders/abc', { key: t.apiKey })).status).toBe(400);
  });

  it('refuses malformed JSON, a wrong content type, a wrong field type and a body over 1 MB, changing nothing', async () => {
    const id = orderIds[2]!;
    const malformed = await core.api(`/api/v1/orders/${id}/hold`, { method: 'POST', key: t.apiKey, body: '{"reason":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION');
    const wrongType = await core.api(`/api/v1/orders/${id}/hold`, { method: 'POST', key: t.apiKey, body: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.status).toBe(415);
    const wrongField = await core.api(`/api/v1/orders/${id}/confirm`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ partial: 'yes' }) });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.details[0].path).toBe('partial');
    const huge = await core.api(`/api/v1/orders/${id}/hold`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 1) }) });
    expect(huge.status).toBe(413);
    const [o] = await core.sql`select status from orders where id = ${id}`;
    expect(o!.status).toBe('new');
  });

  it('answers 404 naming an unknown channel for a manual sync', async () => {
    const res = await core.api('/api/v1/channels/987654/sync', { method: 'POST', key: t.apiKey });
    expect(res.status).toBe(404);
    expect(res.body.error.details[0]).toEqual({ path: 'channelId', reason: 'unknown channel' });
  });

  it('registers a WooCommerce webhook secret, refusing a short one', async () => {
    const short = await core.api(`/api/v1/channels/${t.woo.channelId}/webhook-secret`, { method: 'PUT', key: t.apiKey, body: JSON.stringify({ secret: 'short' }) });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe('secret');
    const ok = await core.api(`/api/v1/channels/${t.woo.channelId}/webhook-secret`, { method: 'PUT', key: t.apiKey, body: JSON.stringify({ secret: 'a-long-enough-secret-0123456789' }) });
    expect(ok.status).toBe(204);
    const [row] = await core.sql`select webhook_secret_enc from channels where id = ${t.woo.channelId}`;
    expect(row!.webhook_secret_enc).not.toContain('a-long-enough-secret');
  });

  describe('Shopify session tokens from the embedded app', () => {
    it('accepts a valid token and scopes the answer to that shop', async () => {
      const res = await core.api('/api/v1/orders', { headers: { authorization: `Bearer ${sessionToken()}` } });
      expect(res.status).toBe(200);
      expect(res.body.orders).toHaveLength(7);
      expect(res.body.orders.every((o: { channelId: string }) => o.channelId === t.shopify.channelId)).toBe(true);
    });

    it('accepts a token expired by less than the 10 s leeway', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await core.api('/api/v1/orders', { headers: { authorization: `Bearer ${sessionToken({ exp: now - 5 })}` } });
      expect(res.status).toBe(200);
    });

    it.each([
      ['signed with another secret', () => sessionToken({}, 'wrong-secret')],
      ['for another app (aud)', () => sessionToken({ aud: 'someone-else' })],
      ['expired beyond the leeway', () => sessionToken({ exp: Math.floor(Date.now() / 1000) - 30 })],
      ['not valid yet (nbf)', () => sessionToken({ nbf: Math.floor(Date.now() / 1000) + 60 })],
      ['for a shop no channel has', () => sessionToken({ dest: 'https://unknown.myshopify.com' })],
    ])('refuses a token %s with 401 and the retry header', async (_, make) => {
      const res = await fetch(`${core.url}/api/v1/orders`, { headers: { authorization: `Bearer ${make()}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
    });

    it("refuses to read another channel's orders with a shop's token", async () => {
      const res = await core.api(`/api/v1/orders?channelId=${t.woo.channelId}`, { headers: { authorization: `Bearer ${sessionToken()}` } });
      expect(res.status).toBe(403);
    });
  });
});
