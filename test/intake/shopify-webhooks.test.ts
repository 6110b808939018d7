import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { SHOPIFY_ORDER_SAMPLE_RAW } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { readContractFixture, shopifyOrderBody } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
const send = (topic: string, body: string, extra: Partial<Parameters<typeof sendShopifyWebhook>[0]> = {}) =>
  sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic, shopDomain: t.shopify.shopDomain, body, secret: t.shopify.apiSecret, ...extra });
const orderCount = async () => Number((await core.sql`select count(*)::int as n from orders where tenant_id = ${t.tenantId}`)[0]!.n);

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

describe('Shopify webhooks', () => {
  it('stores the real sample order with its big id exact, its client and its lines, then acknowledges', async () => {
    const res = await send('orders/create', SHOPIFY_ORDER_SAMPLE_RAW);
    expect(res.status).toBe(200);
    const [o] = await core.sql`select external_order_id, external_number, status, currency, total::text, client_id from orders
      where tenant_id = ${t.tenantId} and external_order_id = '820982911946154508'`;
    expect(o).toMatchObject({ external_order_id: '820982911946154508', external_number: '#9999' });
    // the sample is a cancelled, voided order: recorded, nothing to fulfil
    expect(o!.status).toBe('cancelled');
    const lines = await core.sql`select sku from order_lines l join orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
      where o.external_order_id = '820982911946154508'`;
    expect(lines.map((l) => l.sku).sort()).toEqual(['SKU2006-001', 'SKU2006-020', 'SKU2006-035']);
  });

  it('accepts the newer shopify-* header names as well', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]] });
    const res = await send('orders/create', raw, { headerStyle: 'shopify' });
    expect(res.status).toBe(200);
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`).length).toBe(1);
  });

  it('refuses a forged signature with 401, stores nothing and logs the rejection', async () => {
    const before = await orderCount();
    const { raw, id } = shopifyOrderBody({});
    const res = await send('orders/create', raw, { secret: 'not-the-app-secret' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHORIZED');
    expect(await orderCount()).toBe(before);
    const [log] = await core.sql`select outcome, error from sync_log where tenant_id = ${t.tenantId} order by id desc limit 1`;
    expect(log).toMatchObject({ outcome: 'rejected', error: 'HMAC signature does not match' });
    expect((await core.sql`select 1 from orders where external_order_id = ${id}`).length).toBe(0);
  });

  it('refuses a missing signature with 401 and stores nothing', async () => {
    const before = await orderCount();
    const { raw } = shopifyOrderBody({});
    const res = await fetch(`${core.url}/webhooks/shopify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': t.shopify.shopDomain, 'x-shopify-webhook-id': 'w-1' },
      body: raw,
    });
    expect(res.status).toBe(401);
    expect(await orderCount()).toBe(before);
  });

  it('refuses a body signed for a different body (re-serialised JSON) with 401', async () => {
    const { raw } = shopifyOrderBody({});
    const tampered = raw.replace('"paid"', '"pending"');
    const good = await import('../../core/src/channels/shopify/verify-shopify-hmac.ts');
    const res = await send('orders/create', tampered, { hmacOverride: good.signShopifyBody(Buffer.from(raw), t.shopify.apiSecret) });
    expect(res.status).toBe(401);
  });

  it('stores one order when the same delivery arrives five times at once, and logs four duplicates', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-2', 2]] });
    const results = await Promise.all(Array.from({ length: 5 }, () => send('orders/create', raw, { webhookId: `dup-${id}` })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`).length).toBe(1);
    const logs = await core.sql`select outcome from sync_log where tenant_id = ${t.tenantId} and delivery_id = ${`dup-${id}`}`;
    expect(logs.filter((l) => l.outcome === 'duplicate').length).toBe(4);
  });

  it('stores one order when create and update deliveries of a new order race', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-3', 1]] });
    await Promise.all([send('orders/create', raw), send('orders/updated', raw), send('orders/paid', raw), send('orders/updated', raw)]);
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`).length).toBe(1);
  });

  it('ignores an update older than the stored one (a late retry) and applies a newer one', async () => {
    const newer = shopifyOrderBody({ lines: [['A-4', 1]], updatedAt: '2026-11-21T12:00:00Z', financialStatus: 'paid' });
    await send('orders/updated', newer.raw);
    const older = shopifyOrderBody({ id: newer.id, lines: [['A-4', 5]], updatedAt: '2026-11-21T11:00:00Z', financialStatus: 'pending' });
    const res = await send('orders/updated', older.raw);
    expect((await res.json()).outcome).toBe('stale');
    const [o] = await core.sql`select payment_status, (select quantity from order_lines l where l.tenant_id = o.tenant_id and l.order_id = o.id) as qty
      from orders o where tenant_id = ${t.tenantId} and external_order_id = ${newer.id}`;
    expect(o).toMatchObject({ payment_status: 'paid', qty: 1 });
    const newest = shopifyOrderBody({ id: newer.id, lines: [['A-4', 1]], updatedAt: '2026-11-21T13:00:00Z', cancelled: true });
    await send('orders/cancelled', newest.raw);
    const [after] = await core.sql`select status from orders where tenant_id = ${t.tenantId} and external_order_id = ${newer.id}`;
    expect(after!.status).toBe('cancelled');
  });

  it('validates and reserves a new paid order through the outbox, and a store cancellation releases it', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-5', 3]], updatedAt: '2026-11-22T08:00:00Z' });
    await send('orders/create', raw);
    await core.drainOutbox();
    const [o] = await core.sql`select id::text, status from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    expect(o!.status).toBe('confirmed');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(3);
    const cancel = shopifyOrderBody({ id, lines: [['A-5', 3]], updatedAt: '2026-11-22T09:00:00Z', cancelled: true });
    await send('orders/cancelled', cancel.raw);
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(0);
    const moves = await core.sql`select kind, reserved_delta from stock_movements where tenant_id = ${t.tenantId} and cause_type = 'order' and cause_id = ${o!.id} order by id`;
    expect(moves.map((m) => [m.kind, m.reserved_delta])).toEqual([['reserve', 3], ['release', -3]]);
  });

  it('puts an order with an unknown SKU on hold naming the SKU', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['NOPE-1', 1], ['A-1', 1]] });
    await send('orders/create', raw);
    const [o] = await core.sql`select status, hold_reason from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    expect(o).toMatchObject({ status: 'on_hold' });
    expect(o!.hold_reason).toContain('unknown SKU NOPE-1');
  });

  it('keeps an order payload missing line_items on record, naming the field, and acknowledges it (a retry cannot help)', async () => {
    const body = JSON.stringify({ id: 1, admin_graphql_api_id: 'gid://shopify/Order/1', updated_at: '2026-11-20T10:00:00Z' });
    const res = await send('orders/create', body);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.outcome).toBe('rejected');
    const err = answer.error;
    expect(err.code).toBe('VALIDATION');
    expect(JSON.stringify(err.details)).toMatch(/line_items|currency|created_at/);
    const [log] = await core.sql`select outcome from sync_log where tenant_id = ${t.tenantId} order by id desc limit 1`;
    expect(log!.outcome).toBe('error');
  });

  it('acknowledges malformed JSON with a valid signature as rejected, naming the body', async () => {
    const res = await send('orders/create', '{"id": 12,');
    expect(res.status).toBe(200);
    expect((await res.json()).error.details[0].reason).toBe('malformed JSON');
  });

  it('acknowledges an order whose note holds a NUL as rejected, naming the field, and stores nothing', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]] });
    const body = raw.replace(/"note":(null|"[^"]*")/, '"note":"gift\\u0000wrap"');
    expect(body).toContain('\\u0000');
    const res = await send('orders/create', body);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.outcome).toBe('rejected');
    expect(answer.error.details[0]).toEqual({ path: 'note', reason: 'contains a NUL character (U+0000)' });
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`).length).toBe(0);
  });

  it('answers 413 for a body over 1 MB and logs it', async () => {
    const res = await send('orders/create', JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });

  it('exports a customer on customers/data_request and erases them on customers/redact', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]], email: 'erase.me@example.com' });
    await send('orders/create', raw);
    const request = JSON.parse(readContractFixture('shopify-customers-data-request.json'));
    request.shop_domain = t.shopify.shopDomain;
    request.customer.email = 'erase.me@example.com';
    request.orders_requested = [id];
    const exported = await send('customers/data_request', JSON.stringify(request));
    expect(exported.status).toBe(200);
    const [cr] = await core.sql`select result from compliance_requests where tenant_id = ${t.tenantId} and topic = 'customers/data_request'`;
    expect(JSON.stringify(cr!.result)).toContain('erase.me@example.com');

    const redact = JSON.parse(readContractFixture('shopify-customers-redact.json'));
    redact.shop_domain = t.shopify.shopDomain;
    redact.customer.email = 'erase.me@example.com';
    redact.orders_to_redact = [id];
    expect((await send('customers/redact', JSON.stringify(redact))).status).toBe(200);
    expect((await core.sql`select 1 from clients where tenant_id = ${t.tenantId} and email = 'erase.me@example.com'`).length).toBe(0);
    const [o] = await core.sql`select email, shipping_address from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    expect(o).toMatchObject({ email: null, shipping_address: null });
    const stored = await core.sql`select request::text from compliance_requests where tenant_id = ${t.tenantId} and topic = 'customers/redact'`;
    expect(stored[0]!.request).not.toContain('erase.me@example.com');
  });

  it('disconnects the channel on app/uninstalled and erases the shop on shop/redact, releasing its stock', async () => {
    const other = await core.createTenant({ name: 'Leaving shop' });
    const { raw } = shopifyOrderBody({ lines: [['A-1', 4]] });
    const sendOther = (topic: string, body: string) =>
      sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic, shopDomain: other.shopify.shopDomain, body, secret: other.shopify.apiSecret });
    await sendOther('orders/create', raw);
    await core.drainOutbox();
    expect((await stockOf(core.sql, other.tenantId, other.productIds['A-1']!)).reserved).toBe(4);
    expect((await sendOther('app/uninstalled', JSON.stringify({ id: 1, domain: other.shopify.shopDomain }))).status).toBe(200);
    const [ch] = await core.sql`select status from channels where tenant_id = ${other.tenantId} and id = ${other.shopify.channelId}`;
    expect(ch!.status).toBe('disconnected');
    const shopRedact = JSON.parse(readContractFixture('shopify-shop-redact.json'));
    shopRedact.shop_domain = other.shopify.shopDomain;
    // still verifiable after uninstall: the app secret is kept for exactly this
    expect((await sendOther('shop/redact', JSON.stringify(shopRedact))).status).toBe(200);
    expect((await core.sql`select 1 from orders where tenant_id = ${other.tenantId}`).length).toBe(0);
    expect((await core.sql`select 1 from clients where tenant_id = ${other.tenantId}`).length).toBe(0);
    expect((await stockOf(core.sql, other.tenantId, other.productIds['A-1']!)).reserved).toBe(0);
  });

  it('answers 401 for a shop no channel is connected to', async () => {
    const { raw } = shopifyOrderBody({});
    const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: 'stranger.myshopify.com', body: raw, secret: 'x' });
    expect(res.status).toBe(401);
  });
});
