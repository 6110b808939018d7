import { beforeAll, describe, expect, it } from 'vitest';
import { mapShopifyWebhookOrder, parseShopifyJson } from '../../core/src/channels/index.ts';
import { signShopifySessionToken, verifyShopifySessionToken } from '../../core/src/channels/shopify/verify-session-token.ts';
import { DomainError } from '../../core/src/shared/domain-error.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { makeShopifyOrderObject, serializeShopifyJson } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';
import { shopSessionToken } from '../support/shop-helpers.ts';

let core: CoreHarness;
let t: TenantFixture;
const send = (topic: string, body: string) => sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic, shopDomain: t.shopify.shopDomain, body, secret: t.shopify.apiSecret });

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

describe('Shopify GIDs are read strictly: gid://shopify/<Type>/<number> of the expected type, or the number', () => {
  it.each([
    ['admin_graphql_api_id', { admin_graphql_api_id: 'gid://shopify/Order/abc' }],
    ['admin_graphql_api_id', { admin_graphql_api_id: 'gid://shopify/Customer/123' }],
    ['admin_graphql_api_id', { admin_graphql_api_id: 'gid://shopify/Order/../../1' }],
    ['id', { admin_graphql_api_id: undefined, id: 'abc' }],
  ])('a signed webhook with a bad %s is refused naming it (200 with outcome rejected, so Shopify stops retrying) and stores nothing', async (field, over) => {
    const before = (await core.sql`select count(*)::int as n from orders where tenant_id = ${t.tenantId}`)[0]!.n;
    const res = await send('orders/create', serializeShopifyJson(makeShopifyOrderObject(over)));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.outcome).toBe('rejected');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect((await core.sql`select count(*)::int as n from orders where tenant_id = ${t.tenantId}`)[0]!.n).toBe(before);
  });

  it('a line or customer GID of the wrong shape is refused by the mapper, naming its path', () => {
    const base = makeShopifyOrderObject({});
    const line = (base.line_items as Array<Record<string, unknown>>)[0]!;
    expect(() => mapShopifyWebhookOrder(parseShopifyJson(serializeShopifyJson({ ...base, line_items: [{ ...line, admin_graphql_api_id: 'gid://shopify/LineItem/x1' }] })))).toThrow(/line_items\.0\.admin_graphql_api_id/);
    expect(() => mapShopifyWebhookOrder(parseShopifyJson(serializeShopifyJson({ ...base, customer: { ...(base.customer as object), admin_graphql_api_id: 'gid://shopify/Customer/' } })))).toThrow(/customer\.admin_graphql_api_id/);
    expect(mapShopifyWebhookOrder(parseShopifyJson(serializeShopifyJson({ ...base, admin_graphql_api_id: 'gid://shopify/Order/820982911946154508' }))).externalOrderId).toBe('820982911946154508');
  });

  it('GET /orders?externalOrderId= takes the number or its Order GID, and refuses a malformed GID naming the field', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]] });
    expect((await send('orders/create', raw)).status).toBe(200);
    const byNumber = await core.api(`/api/v1/orders?externalOrderId=${id}`, { key: t.apiKey });
    const byGid = await core.api(`/api/v1/orders?externalOrderId=${encodeURIComponent(`gid://shopify/Order/${id}`)}`, { key: t.apiKey });
    expect(byNumber.body.items ?? byNumber.body.orders).toHaveLength(1);
    expect(byGid.body).toEqual(byNumber.body);
    const bad = await core.api(`/api/v1/orders?externalOrderId=${encodeURIComponent('gid://shopify/Order/abc')}`, { key: t.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.externalOrderId');
  });

  it.each([
    ['dest', { dest: 'https://127.0.0.1' }],
    ['dest', { dest: 'https://x.myshopify.com/admin' }],
    ['dest', { dest: 'https://x.myshopify.com.evil.test' }],
    ['sub', { sub: 'gid://shopify/Order/abc' }],
    ['sub', { sub: '../1' }],
  ])('a signed session token with a bad %s claim is refused naming the claim', (claim, over) => {
    const now = Math.floor(Date.now() / 1000);
    const token = signShopifySessionToken({ iss: 'https://x.myshopify.com/admin', dest: 'https://x.myshopify.com', aud: 'key', sub: '42', exp: now + 60, nbf: now - 1, iat: now - 1, ...over }, 'secret');
    let err: unknown;
    try {
      verifyShopifySessionToken(token, { apiKey: 'key', apiSecret: 'secret' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNAUTHORIZED');
    expect((err as DomainError).details).toEqual([{ path: `token.${claim}`, reason: expect.any(String) }]);
  });

  it('over HTTP a session token whose sub is not a Shopify user id gets 401', async () => {
    const res = await core.api('/api/v1/orders', { headers: { authorization: `Bearer ${shopSessionToken(t, { sub: 'gid://shopify/Order/abc' })}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.details[0].path).toBe('token.sub');
  });
});
