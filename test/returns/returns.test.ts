import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateUblFiles } from '@expedio/efactura-rules';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectStalls } from '../../core/src/stalls/index.ts';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type FakeStores, RO_ADDRESS, type shippingApi } from '../shipping/flow-support.ts';
import { pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import { type CoreHarness, stockOf, type TenantFixture } from '../support/core-harness.ts';

/*
 * Issue 13's returns, end to end over the API on real Postgres: a delivered Shopify order (picked,
 * packed, AWB at the fake Sameday, tracked to delivered, invoiced on shipping) comes back in part —
 * one unit restocked to a bin, one quarantined — and is credited by a partial credit note that the
 * official CIUS-RO rules accept; a manual return credits without moving stock; asking for more than
 * was delivered, or after the window, is refused naming the line and the reason. The stock ledger is
 * read in each.
 */

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;

beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
  const p = await api.put('/invoicing/profile', PROFILE);
  expect(p.status).toBe(204);
  await core.sql`update channels set create_invoice = 'on_shipping', invoice_series = 'RET' where tenant_id = ${t.tenantId}`;
  // The store's orders are in USD: the invoice (and its credit note) needs the day's BNR rate.
  const rate = await api.put('/invoicing/fx-rates', { currency: 'USD', validOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), ronPerUnit: '4.6012' });
  expect(rate.status, JSON.stringify(rate.body)).toBeLessThan(300);
}, 120_000);

/** A Shopify order carried to delivered at the fake courier, with its invoice issued. */
async function deliveredShopifyOrder(lines: Array<[string, number]>): Promise<{ orderId: string; invoiceId: string }> {
  const { orderId, packingListId } = await readyToShip({ core, t, stores }, { channel: 'shopify', lines, courier: 'sameday', service: '7', address: RO_ADDRESS });
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

const ledger = (returnId: string) =>
  core.sql<{ sku: string; bin: string; kind: string; delta: number }[]>`
    select p.sku, b.code as bin, m.kind, m.on_hand_delta as delta
    from stock_movements m join products p on p.tenant_id = m.tenant_id and p.id = m.product_id join bins b on b.tenant_id = m.tenant_id and b.id = m.bin_id
    where m.tenant_id = ${t.tenantId} and m.cause_type = 'return' and m.cause_id = ${returnId} order by m.id`;

describe('a delivered Shopify order partly returned: one line restocked, one quarantined, a partial credit note', () => {
  it('checks eligibility, receives by scan, approves once, credits what came back and passes CIUS-RO', async () => {
    const { orderId, invoiceId } = await deliveredShopifyOrder([
      ['A-1', 2],
      ['A-2', 1],
      ['A-3', 1],
    ]);
    const eligible = await api.get(`/orders/${orderId}/returnable`);
    expect(eligible.status).toBe(200);
    expect(eligible.body).toMatchObject({ withinWindow: true, windowDays: 30, reason: null });
    expect(eligible.body.lines.map((l: { orderLineNo: number; delivered: number; returnable: number }) => [l.orderLineNo, l.delivered, l.returnable])).toEqual([
      [1, 2, 2],
      [2, 1, 1],
      [3, 1, 1],
    ]);

    const started = await api.post('/returns', {
      orderId,
      type: 'partially',
      lines: [
        { orderLineNo: 1, quantity: 1, reason: 'mărime greșită' },
        { orderLineNo: 2, quantity: 1, reason: 'ambalaj deteriorat' },
      ],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const returnId = started.body.id as string;
    expect(started.body).toMatchObject({ status: 'requested', type: 'partially', orderId });
    // What is asked for is no longer returnable by a second return.
    expect((await api.get(`/orders/${orderId}/returnable`)).body.lines.map((l: { returnable: number }) => l.returnable)).toEqual([1, 0, 1]);
    expect((await api.post(`/returns/${returnId}/awb`, { courier: 'sameday', awb: '1SDYRET0001' })).body).toMatchObject({ returnAwb: '1SDYRET0001' });

    const before = { a1: await stockOf(core.sql, t.tenantId, t.productIds['A-1']!), a2: await stockOf(core.sql, t.tenantId, t.productIds['A-2']!) };
    // Scans at the return desk: the item's barcode, restocked into a bin by its code, or quarantined.
    const restock = await api.post(`/returns/${returnId}/receipt-lines`, { barcode: '590A-1', quantity: 1, destination: 'restock', binCode: 'B-01' });
    expect(restock.status, JSON.stringify(restock.body)).toBe(201);
    expect(restock.body.status).toBe('receiving');
    const tooMany = await api.post(`/returns/${returnId}/receipt-lines`, { barcode: '590A-1', quantity: 1, destination: 'restock', binCode: 'B-01' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual([{ path: 'quantity', reason: 'at most 0 more' }]);
    const notOnReturn = await api.post(`/returns/${returnId}/receipt-lines`, { barcode: '590A-3', destination: 'quarantine' });
    expect(notOnReturn.status).toBe(400);
    expect(notOnReturn.body.error.details).toEqual([{ path: 'barcode', reason: 'item not on this return' }]);
    const quarantine = await api.post(`/returns/${returnId}/receipt-lines`, { barcode: '590A-2', destination: 'quarantine' });
    expect(quarantine.status, JSON.stringify(quarantine.body)).toBe(201);
    expect(quarantine.body.status).toBe('received');
    // Scanning moves no stock: approval does.
    expect(await ledger(returnId)).toEqual([]);

    const approved = await api.post(`/returns/${returnId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.lines.map((l: { restocked: number; quarantined: number }) => [l.restocked, l.quarantined])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(approved.body.quarantine).toEqual([expect.objectContaining({ productId: t.productIds['A-2'], quantity: 1, status: 'held' })]);
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('partially_returned');
    // Approving again restocks nothing twice.
    expect((await api.post(`/returns/${returnId}/approve`)).status).toBe(200);
    expect(await ledger(returnId)).toEqual([{ sku: 'A-1', bin: 'B-01', kind: 'return', delta: 1 }]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: before.a1.on_hand + 1, reserved: before.a1.reserved });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual(before.a2);

    // Money back: a credit note for the two units that came back, referencing the invoice.
    const settled = await api.post(`/returns/${returnId}/money-back`, { kind: 'credit_note' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body).toMatchObject({ status: 'settled', moneyBack: 'credit_note', creditNoteId: expect.any(String) });
    const again = await api.post(`/returns/${returnId}/money-back`, { kind: 'credit_note' });
    expect(again.body.creditNoteId).toBe(settled.body.creditNoteId);
    const cn = await api.get(`/invoices/${settled.body.creditNoteId}`);
    expect(cn.status).toBe(200);
    expect(cn.body).toMatchObject({ kind: 'credit_note' });
    expect(cn.body.lines.map((l: { sku: string; quantity: string }) => [l.sku, Number(l.quantity)])).toEqual([
      ['A-1', 1],
      ['A-2', 1],
    ]);
    const invoice = await api.get(`/invoices/${invoiceId}`);
    const xml = await (await api.raw(`/invoices/${settled.body.creditNoteId}/ubl`)).text();
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml).toMatch(new RegExp(`<cac:BillingReference>\\s*<cac:InvoiceDocumentReference>\\s*<cbc:ID>${invoice.body.fullNumber ?? invoice.body.number}</cbc:ID>`));
    expect(xml.match(/<cac:CreditNoteLine>/g)).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'expedio-return-cn-'));
    const file = join(dir, 'return-credit-note.xml');
    writeFileSync(file, xml);
    const [ro] = await validateUblFiles([file], { rules: 'ro', xsd: true });
    expect(ro!.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`)).toEqual([]);
    const [en] = await validateUblFiles([file], { rules: 'en16931' });
    expect(en!.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`)).toEqual([]);
    const pdf = await api.raw(`/invoices/${settled.body.creditNoteId}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    // Sent to ANAF exactly when the invoice was (this store's buyer is billed abroad: neither is), and e-mailed to the customer.
    const eInvoices = await core.sql<{ invoiceId: string; standard: string }[]>`
      select invoice_id::text as "invoiceId", standard from e_invoices where tenant_id = ${t.tenantId} and invoice_id in (${invoiceId}, ${settled.body.creditNoteId})`;
    expect(eInvoices.some((x) => x.invoiceId === settled.body.creditNoteId)).toBe(eInvoices.some((x) => x.invoiceId === invoiceId));
    const mails = await core.sql`select 1 from outbox where tenant_id = ${t.tenantId} and kind = 'invoice.email' and payload->>'invoiceId' = ${settled.body.creditNoteId}`;
    expect(mails).toHaveLength(1);

    // The quarantined unit, released later to a bin: available again, the ledger cites the return.
    const held = approved.body.quarantine[0].id as string;
    const released = await api.post(`/quarantine/${held}/release`, { binCode: 'B-02' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ status: 'released' });
    expect((await api.post(`/quarantine/${held}/release`, { binCode: 'B-02' })).status).toBe(409);
    expect(await ledger(returnId)).toEqual([
      { sku: 'A-1', bin: 'B-01', kind: 'return', delta: 1 },
      { sku: 'A-2', bin: 'B-02', kind: 'return', delta: 1 },
    ]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual({ on_hand: before.a2.on_hand + 1, reserved: before.a2.reserved });

    // The rest of the order comes back: the order is returned.
    const rest = await api.post('/returns', { orderId, type: 'fully', reason: 'renunțare' });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body.lines.map((l: { orderLineNo: number; quantity: number }) => [l.orderLineNo, l.quantity])).toEqual([
      [1, 1],
      [3, 1],
    ]);
    for (const code of ['590A-1', '590A-3']) expect((await api.post(`/returns/${rest.body.id}/receipt-lines`, { barcode: code, destination: 'restock', binCode: 'B-01' })).status).toBe(201);
    expect((await api.post(`/returns/${rest.body.id}/approve`)).body.status).toBe('approved');
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('returned');
    const list = await api.get(`/returns?orderId=${orderId}&limit=1`);
    expect(list.body.returns.map((r: { id: string }) => r.id)).toEqual([rest.body.id]);
    // Each row names the order as the merchant knows it, by the store's number.
    const [number] = await core.sql<{ external_number: string }[]>`select external_number from orders where id = ${orderId}`;
    expect(list.body.returns[0].orderNumber).toBe(number!.external_number);
    expect((await api.get(`/returns?orderId=${orderId}&limit=1&cursor=${list.body.nextCursor}`)).body.returns.map((r: { id: string }) => r.id)).toEqual([returnId]);
    // A voucher is the store's to make: the return waits for its answer (returns-store-money.test.ts follows it there).
    const voucher = await api.post(`/returns/${rest.body.id}/money-back`, { kind: 'voucher' });
    expect(voucher.status, JSON.stringify(voucher.body)).toBe(200);
    expect(voucher.body).toMatchObject({ status: 'settling', moneyBack: 'voucher' });
  }, 240_000);
});

describe('refusals name the line and the reason, and change nothing', () => {
  it('more than delivered, an unknown line, a non-returnable product, and outside the window', async () => {
    const { orderId } = await deliveredShopifyOrder([
      ['A-4', 1],
      ['A-5', 2],
    ]);
    const count = async () => (await core.sql`select count(*)::int as n from returns where tenant_id = ${t.tenantId} and order_id = ${orderId}`)[0]!.n;
    const more = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 2, quantity: 3, reason: 'defect' }] });
    expect(more.status).toBe(400);
    expect(more.body.error.details).toEqual([{ path: 'lines[0].quantity', reason: 'line 2 (A-5): 3 asked, at most 2 (delivered 2 less 0 already returned)' }]);
    const unknown = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 9, quantity: 1, reason: 'defect' }] });
    expect(unknown.body.error.details).toEqual([{ path: 'lines[0].orderLineNo', reason: 'the order has no line 9' }]);
    const badInput = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 0, reason: '' }] });
    expect(badInput.status).toBe(400);
    expect(badInput.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['lines[0].quantity', 'lines[0].reason']);

    // The catalog says the shop does not take A-4 back (PATCH /products/{id}, every variant).
    const flagged = await api.patch(`/products/${t.productIds['A-4']!}`, { returnable: false });
    expect(flagged.status, JSON.stringify(flagged.body)).toBe(200);
    expect(flagged.body.variants.map((v: { sku: string; returnable: boolean }) => [v.sku, v.returnable])).toEqual([['A-4', false]]);
    expect((await api.patch(`/products/${t.productIds['A-4']!}`, { returnable: 'no' })).body.error.details).toEqual([{ path: 'returnable', reason: expect.any(String) }]);
    const notReturnable = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 1, reason: 'defect' }] });
    expect(notReturnable.body.error.details).toEqual([{ path: 'lines[0].orderLineNo', reason: 'line 1 (A-4): the product is not returnable' }]);
    expect((await api.patch(`/products/${t.productIds['A-4']!}`, { returnable: true })).status).toBe(200);

    // Delivered 31 days ago (the shipment's delivery, as the courier reported it): the 30-day window is over.
    await core.sql`update shipments set delivered_at = now() - interval '31 days' where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    const late = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 2, quantity: 1, reason: 'defect' }] });
    expect(late.status).toBe(400);
    expect(late.body.error.details).toEqual([{ path: 'lines[0].orderLineNo', reason: expect.stringMatching(/^line 2 \(A-5\): outside the return window: 30 days from delivery ended \d{4}-\d{2}-\d{2}$/) }]);
    expect((await api.get(`/orders/${orderId}/returnable`)).body).toMatchObject({ withinWindow: false, lines: [{ returnable: 0 }, { returnable: 0 }] });
    // The channel's window, longer: the same request is taken.
    const patched = await api.patch(`/channels/${t.shopify.channelId}/settings`, { returnWindowDays: 45 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await count()).toBe(0);
    const ok = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 2, quantity: 1, reason: 'defect' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    await api.patch(`/channels/${t.shopify.channelId}/settings`, { returnWindowDays: 30 });
    const notDelivered = await api.get(`/orders/${orderId}/returnable`);
    expect(notDelivered.status).toBe(200);
    expect(await core.sql`select 1 from stock_movements where tenant_id = ${t.tenantId} and cause_type = 'return' and cause_id = ${ok.body.id}`).toHaveLength(0);
  }, 240_000);
});

describe('a manual return credits without moving stock', () => {
  it('is approved without a receipt, credits the named units, leaves the ledger and the order status alone', async () => {
    const { orderId } = await deliveredShopifyOrder([['A-1', 1]]);
    const before = await stockOf(core.sql, t.tenantId, t.productIds['A-1']!);
    const r = await api.post('/returns', { orderId, type: 'manual', lines: [{ orderLineNo: 1, quantity: 1, reason: 'produs defect, fără retur fizic' }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const scan = await api.post(`/returns/${r.body.id}/receipt-lines`, { lineNo: 1, destination: 'quarantine' });
    expect(scan.status).toBe(409);
    const early = await api.post(`/returns/${r.body.id}/money-back`, { kind: 'credit_note' });
    expect(early.status).toBe(409);
    expect((await api.post(`/returns/${r.body.id}/approve`)).body.status).toBe('approved');
    const settled = await api.post(`/returns/${r.body.id}/money-back`, { kind: 'credit_note' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    const cn = await api.get(`/invoices/${settled.body.creditNoteId}`);
    expect(cn.body.lines.map((l: { sku: string; quantity: string }) => [l.sku, Number(l.quantity)])).toEqual([['A-1', 1]]);
    expect(await ledger(r.body.id)).toEqual([]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual(before);
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
    // What a manual return credited cannot be credited again by another return.
    const twice = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 1, reason: 'again' }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details[0].reason).toContain('already returned');
  }, 240_000);
});

describe('a return called off, and the stalls of a return left waiting', () => {
  it('cancelling after a scan undoes the scan; a return received long ago without money back, and old quarantine, are stalls', async () => {
    const { orderId } = await deliveredShopifyOrder([['A-2', 2]]);
    const r = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 2, reason: 'nu se potrivește' }] });
    expect((await api.post(`/returns/${r.body.id}/receipt-lines`, { lineNo: 1, destination: 'restock', binCode: 'B-01' })).body.status).toBe('receiving');
    const cancelled = await api.post(`/returns/${r.body.id}/cancel`, { reason: 'clientul a păstrat produsul' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', lines: [{ received: 0 }] });
    expect((await api.post(`/returns/${r.body.id}/approve`)).status).toBe(409);
    expect((await api.get(`/orders/${orderId}/returnable`)).body.lines[0].returnable).toBe(2);

    const r2 = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 1, reason: 'defect' }] });
    await api.post(`/returns/${r2.body.id}/receipt-lines`, { lineNo: 1, destination: 'quarantine' });
    const approved = await api.post(`/returns/${r2.body.id}/approve`);
    const kinds = async () => (await detectStalls(core.sql, t.tenantId)).filter((s) => s.kind.startsWith('return.')).map((s) => [s.kind, s.subjectId]);
    expect(await kinds()).toEqual([]);
    // Received eight days ago, quarantined 31 days ago (the clock moved by editing the rows' times).
    await core.sql`update returns set received_at = now() - interval '8 days' where tenant_id = ${t.tenantId} and id = ${r2.body.id}`;
    await core.sql`update quarantine_records set created_at = now() - interval '31 days' where tenant_id = ${t.tenantId} and return_id = ${r2.body.id}`;
    expect(await kinds()).toEqual([
      ['return.money_back_missing', r2.body.id],
      ['return.quarantine_aging', approved.body.quarantine[0].id],
    ]);
    const stalls = await api.get('/stalls?kind=return');
    expect(stalls.body.stalls.map((s: { kind: string }) => s.kind)).toEqual(['return.money_back_missing', 'return.quarantine_aging']);
    expect((await api.post(`/quarantine/${approved.body.quarantine[0].id}/scrap`, { note: 'spart' })).body.status).toBe('scrapped');
    await api.post(`/returns/${r2.body.id}/money-back`, { kind: 'credit_note' });
    expect(await kinds()).toEqual([]);
  }, 240_000);
});
