import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { requestStoreMoneyBack, type StoreMoneyBackRequest, storeMoneyBacksFor } from '../../core/src/channels/index.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { makeShopifyGraphqlOrderNode } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';
import { makeOutboxDue } from '../writeback/support.ts';

let core: CoreHarness;
let shopify: FakeShopify;
let woo: FakeWooCommerce;
let smtp: SMTPServer;
let smtpPort = 0;
const mails: { to: string[]; raw: string }[] = [];
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  shopify = await startFakeShopify({ shopDomain: 'money-back.myshopify.com', accessToken: 'shpat_money' });
  woo = await startFakeWooCommerce({ consumerKey: 'ck_money', consumerSecret: 'cs_money' });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as { port: number }).port;
  t = await core.createTenant({ shopDomain: 'money-back.myshopify.com' });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId, { apiKey: t.shopify.apiKey, apiSecret: t.shopify.apiSecret, accessToken: 'shpat_money', adminBaseUrl: shopify.url });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: 'ck_money', consumerSecret: 'cs_money', adminBaseUrl: woo.url });
  const r = await core.api('/api/v1/invoicing/profile', {
    method: 'PUT',
    key: t.apiKey,
    body: JSON.stringify({ ...PROFILE, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'Expedio Demo <livrari@expedio.test>' }),
  });
  expect(r.status).toBe(204);
});
afterAll(async () => {
  await Promise.all([shopify.close(), woo.close(), new Promise<void>((r) => smtp.close(() => r()))]);
});

/** A Shopify order taken in through orders/create, paid through Shopify Payments on the fake shop. */
async function ingestedShopifyOrder(lines: Array<[string, number]>) {
  const body = shopifyOrderBody({ lines });
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: body.raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const gid = `gid://shopify/Order/${body.id}`;
  shopify.upsertOrder(
    makeShopifyGraphqlOrderNode({
      id: gid,
      cancelledAt: null,
      lineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: body.lineItemIds.map((id, i) => ({ id: `gid://shopify/LineItem/${id}`, quantity: lines[i]![1] })) },
    }),
  );
  const [o] = await core.sql<{ id: string; currency: string; total: string }[]>`select id::text, currency, total::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${body.id}`;
  shopify.money.addSale(gid, o!.total, { currencyCode: o!.currency });
  return { orderId: o!.id, currency: o!.currency, gid, lineItemIds: body.lineItemIds };
}

const ask = (over: Partial<StoreMoneyBackRequest> & Pick<StoreMoneyBackRequest, 'channelId' | 'orderId' | 'currency' | 'amount'>) =>
  core.sql.begin((tx) =>
    requestStoreMoneyBack(tx, {
      tenantId: t.tenantId,
      kind: 'refund',
      source: { kind: 'return', id: String(Math.random()).slice(2, 10) },
      customerEmail: 'ana@example.test',
      note: 'Return R-1',
      idempotencyKey: `return:${Math.random()}`,
      ...over,
    }),
  );

const stalls = (subjectId: string) => core.sql<{ kind: string; message: string }[]>`select kind, message from stalls where tenant_id = ${t.tenantId} and resolved_at is null and (subject_id = ${subjectId} or kind like 'outbox.store.%')`;

describe('refund written back to Shopify', () => {
  it('refunds the returned line on the order’s payment once, across a failed try and a lost commit', async () => {
    const o = await ingestedShopifyOrder([
      ['SKU2006-001', 2],
      ['SKU2006-020', 1],
    ]);
    const mb = await ask({ channelId: t.shopify.channelId, orderId: o.orderId, currency: o.currency, amount: '10.00', lines: [{ lineNo: 1, quantity: 1, restock: false }] });
    shopify.failNext('500');
    await core.drainOutbox();
    const [pending] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(pending).toMatchObject({ state: 'pending', externalId: null });
    expect(pending!.error).toContain('failing');
    expect(shopify.money.refunds.filter((r) => r.orderId === o.gid)).toHaveLength(0);

    await makeOutboxDue(core.sql);
    await core.drainOutbox();
    const refunds = shopify.money.refunds.filter((r) => r.orderId === o.gid);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: '10.00', notify: false, lines: [{ lineItemId: `gid://shopify/LineItem/${o.lineItemIds[0]}`, quantity: 1, restockType: 'NO_RESTOCK' }] });
    expect(refunds[0]!.note).toMatch(/^Return R-1 \[expedio:[0-9a-f]{16}\]$/);
    const [done] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(done).toMatchObject({ state: 'done', externalId: refunds[0]!.id, error: null });

    // The worker lost its commit after the call: the item runs again and finds the refund by its note.
    await core.sql`update store_money_backs set state = 'pending', external_id = null where id = ${mb.id}`;
    await core.sql`update outbox set status = 'pending', next_attempt_at = now() where tenant_id = ${t.tenantId} and kind = 'store.money_back' and payload->>'moneyBackId' = ${mb.id}`;
    await core.drainOutbox();
    expect(shopify.money.refunds.filter((r) => r.orderId === o.gid)).toHaveLength(1);
    expect((await storeMoneyBacksFor(core.sql, t.tenantId, mb.source))[0]).toMatchObject({ state: 'done', externalId: refunds[0]!.id });
    const log = await core.sql`select outcome, details->>'outcome' as store from sync_log where tenant_id = ${t.tenantId} and topic = 'money_back.refund' order by id`;
    expect(log.map((l) => [l.outcome, l.store])).toEqual([
      ['error', null],
      ['ok', 'created'],
      ['ok', 'already_done'],
    ]);
  });

  it('a refund Shopify refuses (more units than bought) becomes the store.refund_refused stall with Shopify’s reason', async () => {
    const o = await ingestedShopifyOrder([['SKU2006-001', 1]]);
    const mb = await ask({ channelId: t.shopify.channelId, orderId: o.orderId, currency: o.currency, amount: '10.00', lines: [{ lineNo: 1, quantity: 3, restock: false }] });
    await core.drainOutbox();
    const [row] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(row!.state).toBe('refused');
    expect(row!.error).toContain('Quantity cannot refund more items than were purchased');
    const open = await stalls(mb.id);
    expect(open.map((s) => s.kind)).toEqual(['store.refund_refused']);
    expect(open[0]!.message).toContain('refused by Shopify');
    expect(open[0]!.message).toContain('Quantity cannot refund more items than were purchased');
    expect(shopify.money.refunds.filter((r) => r.orderId === o.gid)).toHaveLength(0);
    const [item] = await core.sql`select status, attempts from outbox where tenant_id = ${t.tenantId} and kind = 'store.money_back' and payload->>'moneyBackId' = ${mb.id}`;
    expect(item).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a store that keeps failing ends as the stall after the last try, not before', async () => {
    const o = await ingestedShopifyOrder([['SKU2006-001', 1]]);
    const mb = await ask({ channelId: t.shopify.channelId, orderId: o.orderId, currency: o.currency, amount: '5.00' });
    for (let i = 1; i <= 6; i++) {
      shopify.failNext('500');
      await makeOutboxDue(core.sql);
      await core.drainOutbox();
      const [row] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
      expect([i, row!.state]).toEqual([i, i < 6 ? 'pending' : 'refused']);
      expect((await stalls(mb.id)).map((s) => s.kind)).toEqual(i < 6 ? [] : ['store.refund_refused']);
    }
    expect(shopify.money.refunds.filter((r) => r.orderId === o.gid)).toHaveLength(0);
  });

  it('a Shopify gift card is made with the planned code, once, and its code is e-mailed', async () => {
    const o = await ingestedShopifyOrder([['SKU2006-001', 1]]);
    const mb = await ask({ kind: 'voucher', channelId: t.shopify.channelId, orderId: o.orderId, currency: o.currency, amount: '7.50', customerEmail: 'gift@example.test' });
    await core.drainOutbox();
    const [row] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(row!.state).toBe('done');
    expect(row!.voucherCode).toMatch(/^[A-Z2-9]{16}$/);
    const cards = shopify.money.giftCards.filter((g) => g.code === row!.voucherCode);
    expect(cards).toMatchObject([{ initialValue: '7.50', id: row!.externalId }]);
    const mail = mails.filter((m) => m.to.includes('gift@example.test'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toContain(row!.voucherCode!);
    expect(mail[0]!.raw).toContain('card cadou');
  });
});

describe('money back to WooCommerce', () => {
  async function wooOrderIn(o: { paymentMethod: string }) {
    const order = woo.upsertOrder({ ...wooOrder({ lines: [['Bar3', 2]] }), payment_method: o.paymentMethod, currency: 'RON' });
    const [row] = await core.sql<{ id: string }[]>`insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, total, email)
      values (${t.tenantId}, ${t.woo.channelId}, ${String(order.id)}, ${String(order.number)}, 'delivered', 'RON', ${String(order['total'])}, 'ion@example.test') returning id::text`;
    const line = (order['line_items'] as Array<{ id: number }>)[0]!;
    await core.sql`insert into order_lines (tenant_id, order_id, line_no, external_line_id, sku, name, quantity, unit_price, total)
      values (${t.tenantId}, ${row!.id}, 1, ${String(line.id)}, 'Bar3', 'Bar 3', 2, '10.00', '20.00')`;
    return { orderId: row!.id, wooId: order.id, lineId: line.id };
  }

  it('a coupon with the planned code is created once on the fake store, for the customer, and its code e-mailed', async () => {
    const o = await wooOrderIn({ paymentMethod: 'cod' });
    const mb = await ask({ kind: 'voucher', channelId: t.woo.channelId, orderId: o.orderId, currency: 'RON', amount: '30.00', customerEmail: 'ion@example.test' });
    woo.failNext('503', 3);
    await core.drainOutbox();
    expect((await storeMoneyBacksFor(core.sql, t.tenantId, mb.source))[0]!.state).toBe('pending');
    await makeOutboxDue(core.sql);
    await core.drainOutbox();
    const [row] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(row).toMatchObject({ state: 'done' });
    const coupons = woo.money.coupons.filter((c) => c.code === row!.voucherCode!.toLowerCase());
    expect(coupons).toMatchObject([{ id: Number(row!.externalId), amount: '30.00', discount_type: 'fixed_cart', usage_limit: 1, email_restrictions: ['ion@example.test'] }]);
    const mail = mails.filter((m) => m.to.includes('ion@example.test'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toContain(row!.voucherCode!);
    expect(mail[0]!.raw).toMatch(/cupon/);
  });

  it('refunds a cash-on-delivery order as a manual refund with the line, and a card order through its gateway', async () => {
    const cod = await wooOrderIn({ paymentMethod: 'cod' });
    const a = await ask({ channelId: t.woo.channelId, orderId: cod.orderId, currency: 'RON', amount: '10.00', lines: [{ lineNo: 1, quantity: 1, restock: false }] });
    const card = await wooOrderIn({ paymentMethod: 'stripe' });
    const b = await ask({ channelId: t.woo.channelId, orderId: card.orderId, currency: 'RON', amount: '20.00', lines: [{ externalLineId: String(card.lineId), quantity: 2, restock: false }] });
    await core.drainOutbox();
    expect(woo.money.refunds.get(cod.wooId)).toMatchObject([{ amount: '10.00', refunded_payment: false, api_restock: false, line_items: [{ id: cod.lineId, quantity: -1, refund_total: '10.00' }] }]);
    expect(woo.money.refunds.get(card.wooId)).toMatchObject([{ amount: '20.00', refunded_payment: true, line_items: [{ id: card.lineId, quantity: -2, refund_total: '20.00' }] }]);
    expect(woo.orders.get(cod.wooId)!['refunds']).toEqual([{ id: Number((await storeMoneyBacksFor(core.sql, t.tenantId, a.source))[0]!.externalId), reason: expect.stringMatching(/^Return R-1 \[expedio:/), total: '-10.00' }]);
    expect((await storeMoneyBacksFor(core.sql, t.tenantId, b.source))[0]!.state).toBe('done');
  });

  it('a refund WooCommerce decides against (more than is left) is the stall with WooCommerce’s reason', async () => {
    const o = await wooOrderIn({ paymentMethod: 'cod' });
    const mb = await ask({ channelId: t.woo.channelId, orderId: o.orderId, currency: 'RON', amount: '999.00' });
    await core.drainOutbox();
    const [row] = await storeMoneyBacksFor(core.sql, t.tenantId, mb.source);
    expect(row!.state).toBe('refused');
    const open = await stalls(mb.id);
    expect(open.map((s) => s.kind)).toEqual(['store.refund_refused']);
    expect(open[0]!.message).toContain('Invalid refund amount.');
  });
});
