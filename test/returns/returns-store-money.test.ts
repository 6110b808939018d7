import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateUblFiles } from '@expedio/efactura-rules';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { makeShopifyGraphqlOrderNode } from '../fakes/shopify/shopify-order-fixtures.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type FakeStores, RO_ADDRESS, type shippingApi } from '../shipping/flow-support.ts';
import { pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import { type CoreHarness, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { makeOutboxDue } from '../writeback/support.ts';

/*
 * Issue 13's money back through the store, end to end on real Postgres with the fake stores and a
 * real SMTP server: a delivered Shopify order comes back in part (one unit restocked, one
 * quarantined) and is refunded on Shopify's transactions, with the partial credit note (CIUS-RO)
 * issued with it; a WooCommerce order comes back whole and gets a coupon whose code is e-mailed to
 * the customer; a refund the store refuses sends the return back to the operator. The stock ledger,
 * the order's status and the note to the customer on the store order are read in each.
 */

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
let smtp: SMTPServer;
const mails: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
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
  const port = (smtp.server.address() as { port: number }).port;
  const p = await api.put('/invoicing/profile', { ...PROFILE, smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Expedio Demo <livrari@expedio.test>' });
  expect(p.status).toBe(204);
  await core.sql`update channels set create_invoice = 'on_shipping', invoice_series = 'RSM' where tenant_id = ${t.tenantId}`;
  const rate = await api.put('/invoicing/fx-rates', { currency: 'USD', validOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), ronPerUnit: '4.6012' });
  expect(rate.status, JSON.stringify(rate.body)).toBeLessThan(300);
}, 120_000);
afterAll(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
});

/** An order carried to delivered at the fake courier, invoiced on shipping. */
async function delivered(channel: 'shopify' | 'woo', lines: Array<[string, number]>): Promise<{ orderId: string; invoiceId: string }> {
  const { orderId, packingListId } = await readyToShip({ core, t, stores }, { channel, lines, courier: 'sameday', service: '7', address: RO_ADDRESS });
  const awb = await api.post(`/packing-lists/${packingListId}/awb`, { labelFormat: 'A4' });
  expect(awb.status, JSON.stringify(awb.body)).toBe(201);
  await core.drainOutbox();
  fake.state.advance(awb.body.awb, '9', 'Livrata cu succes', 'Cluj', new Date(Date.now() + 1000));
  await pollDue(core, t, [awb.body.id]);
  await core.drainOutbox();
  expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
  const [inv] = await core.sql<{ id: string }[]>`select id::text from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId} and kind = 'invoice'`;
  expect(inv, 'the order is invoiced on shipping').toBeTruthy();
  return { orderId, invoiceId: inv!.id };
}

/** The Shopify order as the shop's Admin API knows it (its line items) and paid: one SALE of its total. */
async function paidOnShopify(orderId: string, lines: Array<[string, number]>) {
  const known = stores.shopifyOrders.get(orderId)!;
  const [o] = await core.sql<{ total: string; currency: string }[]>`select total::text, currency from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
  stores.shopify.upsertOrder(
    makeShopifyGraphqlOrderNode({
      id: known.orderGid,
      cancelledAt: null,
      lineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: lines.map(([sku, quantity]) => ({ id: known.lineItems[sku]!, quantity, sku })) },
    }),
  );
  const sale = stores.shopify.money.addSale(known.orderGid, o!.total, { currencyCode: o!.currency });
  return { ...known, sale, total: o!.total, currency: o!.currency };
}

const ledger = (returnId: string) =>
  core.sql<{ sku: string; bin: string; kind: string; delta: number }[]>`
    select p.sku, b.code as bin, m.kind, m.on_hand_delta as delta
    from stock_movements m join products p on p.tenant_id = m.tenant_id and p.id = m.product_id join bins b on b.tenant_id = m.tenant_id and b.id = m.bin_id
    where m.tenant_id = ${t.tenantId} and m.cause_type = 'return' and m.cause_id = ${returnId} order by m.id`;

async function passesCiusRo(creditNoteId: string): Promise<string> {
  const xml = await (await api.raw(`/invoices/${creditNoteId}/ubl`)).text();
  const file = join(mkdtempSync(join(tmpdir(), 'expedio-return-money-')), 'credit-note.xml');
  writeFileSync(file, xml);
  const [ro] = await validateUblFiles([file], { rules: 'ro', xsd: true });
  expect(ro!.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`)).toEqual([]);
  return xml;
}

describe('a delivered Shopify order partly returned and refunded on Shopify', () => {
  it('restocks one unit, quarantines one, credits both (CIUS-RO) and refunds them on the order’s payment; the order is partially returned with a note on Shopify', async () => {
    const lines: Array<[string, number]> = [
      ['A-1', 2],
      ['A-2', 1],
    ];
    const { orderId } = await delivered('shopify', lines);
    const shop = await paidOnShopify(orderId, lines);
    const before = { a1: await stockOf(core.sql, t.tenantId, t.productIds['A-1']!), a2: await stockOf(core.sql, t.tenantId, t.productIds['A-2']!) };
    const started = await api.post('/returns', {
      orderId,
      type: 'partially',
      lines: [
        { orderLineNo: 1, quantity: 1, reason: 'mărime greșită' },
        { orderLineNo: 2, quantity: 1, reason: 'defect' },
      ],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    expect((await api.post(`/returns/${id}/receipt-lines`, { barcode: '590A-1', destination: 'restock', binCode: 'B-01' })).status).toBe(201);
    expect((await api.post(`/returns/${id}/receipt-lines`, { barcode: '590A-2', destination: 'quarantine' })).body.status).toBe('received');
    // Money back waits for the approval.
    const early = await api.post(`/returns/${id}/money-back`, { kind: 'refund' });
    expect(early.status).toBe(409);
    expect((await api.post(`/returns/${id}/approve`)).body.status).toBe('approved');
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('partially_returned');
    expect(await ledger(id)).toEqual([{ sku: 'A-1', bin: 'B-01', kind: 'return', delta: 1 }]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: before.a1.on_hand + 1, reserved: before.a1.reserved });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual(before.a2);

    const asked = await api.post(`/returns/${id}/money-back`, { kind: 'refund' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ status: 'settling', moneyBack: 'refund', creditNoteId: expect.any(String) });
    // Asking again is the same request: one row, one outbox item.
    expect((await api.post(`/returns/${id}/money-back`, { kind: 'refund' })).body.moneyBackRef).toBe(asked.body.moneyBackRef);
    const rows = await core.sql<{ amount: string; idempotencyKey: string; lines: unknown }[]>`
      select amount::text, idempotency_key as "idempotencyKey", lines from store_money_backs where tenant_id = ${t.tenantId} and source_id = ${id}`;
    expect(rows.map((r) => r.idempotencyKey)).toEqual([`return:${id}:refund`]);
    // The credit note for the two units, issued with the refund (the sale is corrected), passes CIUS-RO.
    const cn = await api.get(`/invoices/${asked.body.creditNoteId}`);
    expect(cn.body.lines.map((l: { sku: string; quantity: string }) => [l.sku, Number(l.quantity)])).toEqual([
      ['A-1', 1],
      ['A-2', 1],
    ]);
    expect(await passesCiusRo(asked.body.creditNoteId)).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');

    await core.drainOutbox();
    const refunds = stores.shopify.money.refunds.filter((r) => r.orderId === shop.orderGid);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: rows[0]!.amount,
      lines: [
        { lineItemId: shop.lineItems['A-1'], quantity: 1, restockType: 'NO_RESTOCK' },
        { lineItemId: shop.lineItems['A-2'], quantity: 1, restockType: 'NO_RESTOCK' },
      ],
    });
    // refundCreate on the order's transactions: a REFUND child of its SALE.
    expect(stores.shopify.money.transactions.get(shop.orderGid)!.filter((x) => x.kind === 'REFUND')).toEqual([expect.objectContaining({ parentId: shop.sale.id, amount: rows[0]!.amount, status: 'SUCCESS' })]);
    expect(Number(rows[0]!.amount)).toBeGreaterThan(0);
    expect(Number(rows[0]!.amount)).toBeLessThan(Number(shop.total));
    const settled = await api.get(`/returns/${id}`);
    expect(settled.body).toMatchObject({ status: 'settled', moneyBack: 'refund', moneyBackRef: refunds[0]!.id, creditNoteId: asked.body.creditNoteId, moneyBackError: null });
    // The note to the customer on the Shopify order, once.
    expect(stores.shopify.orderNotes.notes.get(shop.orderGid)).toMatch(/returnată parțial\. \[expedio:return:\d+:partially_returned\]$/);
    expect(stores.shopify.orderNotes.updates.filter((u) => u.orderId === shop.orderGid)).toHaveLength(1);
    // Stock moved only by the approval.
    expect(await ledger(id)).toEqual([{ sku: 'A-1', bin: 'B-01', kind: 'return', delta: 1 }]);
  }, 240_000);

  it('a refund Shopify refuses sends the return back to approved with the reason and the stall; the operator then credits it', async () => {
    const lines: Array<[string, number]> = [['A-3', 1]];
    const { orderId } = await delivered('shopify', lines);
    // Known to Shopify, but never paid: there is no transaction to refund.
    const k = stores.shopifyOrders.get(orderId)!;
    stores.shopify.upsertOrder(makeShopifyGraphqlOrderNode({ id: k.orderGid, cancelledAt: null, lineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ id: k.lineItems['A-3']!, quantity: 1, sku: 'A-3' }] } }));
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'renunțare' });
    expect((await api.post(`/returns/${r.body.id}/receipt-lines`, { barcode: '590A-3', destination: 'restock', binCode: 'B-01' })).status).toBe(201);
    await api.post(`/returns/${r.body.id}/approve`);
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('returned');
    expect((await api.post(`/returns/${r.body.id}/money-back`, { kind: 'refund' })).body.status).toBe('settling');
    for (let i = 0; i < 6; i++) {
      await makeOutboxDue(core.sql);
      await core.drainOutbox();
    }
    const back = await api.get(`/returns/${r.body.id}`);
    expect(back.body).toMatchObject({ status: 'approved', moneyBack: null, moneyBackError: expect.stringContaining('refused by the store') });
    const stalls = await core.sql<{ kind: string }[]>`select kind from stalls where tenant_id = ${t.tenantId} and resolved_at is null and kind = 'store.refund_refused' and details->>'orderId' = ${orderId}`;
    expect(stalls).toHaveLength(1);
    expect(stores.shopify.money.refunds.filter((x) => x.orderId === k.orderGid)).toHaveLength(0);
    // The operator chooses again: the credit note issued with the refused refund is the one kept.
    const credited = await api.post(`/returns/${r.body.id}/money-back`, { kind: 'credit_note' });
    expect(credited.status, JSON.stringify(credited.body)).toBe(200);
    expect(credited.body).toMatchObject({ status: 'settled', moneyBack: 'credit_note' });
    expect(await core.sql`select 1 from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId} and kind = 'credit_note'`).toHaveLength(1);
    expect(stores.shopify.orderNotes.notes.get(k.orderGid)).toMatch(/comanda este returnată\. \[expedio:return:\d+:returned\]$/);
  }, 240_000);
});

describe('a WooCommerce order fully returned gets a coupon, its code e-mailed', () => {
  it('restocks everything, the order is returned with a customer note on WooCommerce, the coupon is made once and its code sent by SMTP', async () => {
    const { orderId } = await delivered('woo', [['Bar3', 2]]);
    const before = await stockOf(core.sql, t.tenantId, t.productIds['Bar3']!);
    const [o] = await core.sql<{ externalOrderId: string; email: string }[]>`select external_order_id as "externalOrderId", email from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'nu mai vreau' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.lines).toMatchObject([{ orderLineNo: 1, quantity: 2 }]);
    expect((await api.post(`/returns/${r.body.id}/receipt-lines`, { lineNo: 1, quantity: 2, destination: 'restock', binCode: 'B-02' })).body.status).toBe('received');
    await api.post(`/returns/${r.body.id}/approve`);
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('returned');
    expect(await ledger(r.body.id)).toEqual([{ sku: 'Bar3', bin: 'B-02', kind: 'return', delta: 2 }]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['Bar3']!)).toEqual({ on_hand: before.on_hand + 2, reserved: before.reserved });

    const asked = await api.post(`/returns/${r.body.id}/money-back`, { kind: 'voucher' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ status: 'settling', moneyBack: 'voucher' });
    await core.drainOutbox();
    await core.drainOutbox();
    const settled = await api.get(`/returns/${r.body.id}`);
    expect(settled.body).toMatchObject({ status: 'settled', moneyBack: 'voucher', moneyBackRef: expect.stringMatching(/^[A-Z2-9]{16}$/) });
    const code = settled.body.moneyBackRef as string;
    const [mb] = await core.sql<{ amount: string; shipping: string | null }[]>`select amount::text, shipping::text from store_money_backs where tenant_id = ${t.tenantId} and source_id = ${r.body.id}`;
    // The whole order withdrawn: the goods and the delivery the customer paid come back, i.e. what the order cost.
    const [paid] = await core.sql<{ total: string; shipping: string }[]>`select total::text, shipping_total::text as shipping from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    expect(Number(paid!.shipping)).toBeGreaterThan(0);
    expect(mb).toMatchObject({ amount: paid!.total });
    expect(Number(mb!.shipping)).toBeGreaterThan(0);
    expect(stores.woo.money.coupons.filter((c) => c.code === code.toLowerCase())).toMatchObject([{ amount: mb!.amount, discount_type: 'fixed_cart', usage_limit: 1, email_restrictions: [o!.email] }]);
    const mail = mails.filter((m) => m.to.includes(o!.email) && m.raw.includes(code));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toMatch(/cupon/);
    // The customer note on the WooCommerce order (WooCommerce e-mails it), once.
    const notes = [...(stores.woo.notes.get(Number(o!.externalOrderId)) ?? [])].filter((n) => n.customer_note && n.note.includes('[expedio:return:'));
    expect(notes.map((n) => n.note)).toEqual([expect.stringMatching(/comanda este returnată\. \[expedio:return:\d+:returned\]$/)]);
    // The voucher settles the sale too: the credit note for both units and the shipping, the invoice's total.
    const cn = await api.get(`/invoices/${settled.body.creditNoteId}`);
    expect(cn.body.lines.map((l: { kind: string; sku: string; quantity: string }) => [l.kind, l.sku, Number(l.quantity)])).toEqual([['item', 'Bar3', 2], ['shipping', null, 1]]);
    const invoice = await api.get(`/invoices/${cn.body.creditedInvoiceId}`);
    expect(cn.body.payableTotal).toBe(invoice.body.payableTotal);
    await passesCiusRo(settled.body.creditNoteId);
  }, 240_000);
});
