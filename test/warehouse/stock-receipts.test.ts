import { placeShopifyOrder, tenantCalls } from '../support/shop-helpers.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
beforeAll(async () => {
  core = await startCore({ max: 10 });
});

const placeOrder = (t: TenantFixture, lines: Array<[string, number]>) => placeShopifyOrder(core, t, lines);

const { post, get } = tenantCalls(() => core);
const barcode = (sku: string) => `590${sku}`;

type Note = { id: string; blocked: boolean; approved: boolean; lines: Array<{ sku: string; quantity: number }>; blockedDetails: unknown };
async function notesOf(t: TenantFixture, orderId: string): Promise<Note[]> {
  const r = await get(t, `/delivery-notes?orderId=${orderId}`);
  expect(r.status).toBe(200);
  return (r.body.deliveryNotes as Note[]).sort((a, b) => Number(a.id) - Number(b.id));
}

/** An order confirmed partially: what is in stock now on one delivery note, the rest on a blocked one. */
async function partiallyConfirmed(t: TenantFixture, lines: Array<[string, number]>): Promise<{ orderId: string; notes: Note[] }> {
  const orderId = await placeOrder(t, lines);
  // Confirming holds the order for stock; partial delivery is the operator's choice from there.
  expect((await post(t, `/orders/${orderId}/confirm`)).body.status).toBe('on_hold');
  expect((await post(t, `/orders/${orderId}/confirm`, { partial: true })).body.status).toBe('confirmed');
  const made = await post(t, `/orders/${orderId}/delivery-notes`, { partial: true });
  expect(made.status).toBe(201);
  return { orderId, notes: made.body.deliveryNotes };
}

/** Rows that prove nothing was written: receipts, their lines, the ledger and the stock of a tenant. */
async function footprint(tenantId: string) {
  const [r] = await core.sql`select
      (select count(*)::int from stock_receipts where tenant_id = ${tenantId}) as receipts,
      (select count(*)::int from stock_receipt_lines where tenant_id = ${tenantId}) as lines,
      (select count(*)::int from stock_movements where tenant_id = ${tenantId}) as movements,
      (select coalesce(sum(on_hand), 0)::int from stock where tenant_id = ${tenantId}) as on_hand,
      (select coalesce(sum(reserved), 0)::int from stock where tenant_id = ${tenantId}) as reserved`;
  return r!;
}

async function secondWarehouse(t: TenantFixture): Promise<{ warehouseId: string; binId: string }> {
  const [w] = await core.sql`insert into warehouses (tenant_id, code, name) values (${t.tenantId}, 'W2', 'Overflow') returning id::text`;
  const [b] = await core.sql`insert into bins (tenant_id, warehouse_id, code, pick_sequence) values (${t.tenantId}, ${w!.id}, 'X-01', 10) returning id::text`;
  return { warehouseId: w!.id as string, binId: b!.id as string };
}

describe('stock receipts: goods into bins release the blocked delivery notes they cover', () => {
  it('a receipt of the missing units unblocks the partially confirmed order, which is then picked; the ledger cites the receipt', async () => {
    const t = await core.createTenant({ stock: { 'A-5': 2, 'A-3': 5, 'A-1': 0, 'A-4': 1 }, channel: { auto_confirm: false, auto_create_delivery_note: false } });
    const first = await partiallyConfirmed(t, [['A-5', 5], ['A-3', 1]]);
    expect(first.notes.map((n) => [n.blocked, n.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')])).toEqual([
      [false, 'A-5×2,A-3×1'],
      [true, 'A-5×3'],
    ]);
    // A second order short of the same product: the receipt covers the first only.
    const second = await partiallyConfirmed(t, [['A-4', 1], ['A-5', 2]]);
    expect(second.notes.map((n) => n.blocked)).toEqual([false, true]);
    const blockedNote = first.notes[1]!;
    expect((await post(t, `/delivery-notes/${blockedNote.id}/approve`)).body.error.code).toBe('INSUFFICIENT_STOCK');

    const received = await post(t, '/stock-receipts', {
      warehouseId: t.warehouseId,
      reference: 'PO-2026-117',
      note: 'supplier Alfa, pallet 1',
      lines: [
        { sku: 'A-5', binCode: 'B-01', quantity: 3 },
        { barcode: barcode('A-1'), binId: t.binIds[0], quantity: 4 },
      ],
    });
    expect(received.status).toBe(201);
    const receipt = received.body.receipt;
    expect(receipt).toMatchObject({ warehouseId: t.warehouseId, warehouseCode: 'W1', reference: 'PO-2026-117', note: 'supplier Alfa, pallet 1' });
    expect(receipt.lines.map((l: { lineNo: number; sku: string; binCode: string; quantity: number }) => [l.lineNo, l.sku, l.binCode, l.quantity])).toEqual([
      [1, 'A-5', 'B-01', 3],
      [2, 'A-1', 'B-02', 4],
    ]);
    expect(received.body.releasedDeliveryNotes.map((n: Note) => [n.id, n.blocked, n.blockedDetails])).toEqual([[blockedNote.id, false, null]]);
    expect(received.body.stillBlockedDeliveryNotes.map((n: Note) => n.id)).toEqual([second.notes[1]!.id]);
    expect((await notesOf(t, first.orderId)).map((n) => n.blocked)).toEqual([false, false]);
    expect((await notesOf(t, second.orderId)).map((n) => n.blocked)).toEqual([false, true]);

    // On hand up by what arrived; the 3 new units are reserved for the note they released.
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 5, reserved: 5 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 4, reserved: 0 });
    const ledger = await get(t, `/reports/stock-movements?causeType=stock_receipt&causeId=${receipt.id}`);
    expect(ledger.body.movements.map((m: { sku: string; binCode: string; kind: string; onHandDelta: number; reservedDelta: number; note: string }) => [m.sku, m.binCode, m.kind, m.onHandDelta, m.reservedDelta, m.note]).sort()).toEqual([
      ['A-1', 'B-02', 'receipt', 4, 0, 'PO-2026-117'],
      ['A-5', 'B-01', 'receipt', 3, 0, 'PO-2026-117'],
    ]);
    const reserve = await get(t, `/reports/stock-movements?causeType=order&causeId=${first.orderId}&kind=reserve`);
    expect(reserve.body.movements.map((m: { sku: string; binCode: string; reservedDelta: number }) => [m.sku, m.binCode, m.reservedDelta]).sort()).toEqual([
      ['A-3', 'B-02', 1],
      ['A-5', 'B-01', 3],
      ['A-5', 'B-02', 2],
    ]);
    const [doc] = await core.sql`select count(*)::int as n from stock_receipt_lines where tenant_id = ${t.tenantId} and receipt_id = ${receipt.id}`;
    expect(doc!.n).toBe(2);

    // The order can be picked now: every unit ordered, both notes approved at completion.
    const pl = await post(t, '/pick-lists', { orderIds: [first.orderId] });
    expect(pl.status).toBe(201);
    expect(pl.body.lines.map((l: { binCode: string; sku: string; quantity: number }) => [l.binCode, l.sku, l.quantity])).toEqual([
      ['B-01', 'A-5', 3],
      ['B-02', 'A-3', 1],
      ['B-02', 'A-5', 2],
    ]);
    for (const l of pl.body.lines as Array<{ binCode: string; sku: string; quantity: number }>) {
      expect((await post(t, `/pick-lists/${pl.body.id}/confirm`, { method: 'scan', binCode: l.binCode, barcode: barcode(l.sku), quantity: l.quantity })).status).toBe(200);
    }
    expect((await post(t, `/pick-lists/${pl.body.id}/complete`)).status).toBe(200);
    expect((await get(t, `/orders/${first.orderId}`)).body.status).toBe('picked');
    expect((await notesOf(t, first.orderId)).map((n) => n.approved)).toEqual([true, true]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 0, reserved: 0 });

    // A second receipt releases the other order's note.
    const more = await post(t, '/stock-receipts', { warehouseId: t.warehouseId, lines: [{ productId: t.productIds['A-5'], binCode: 'B-02', quantity: 2 }] });
    expect(more.status).toBe(201);
    expect(more.body.receipt.reference).toBeNull();
    expect(more.body.releasedDeliveryNotes.map((n: Note) => n.id)).toEqual([second.notes[1]!.id]);
    expect(more.body.stillBlockedDeliveryNotes).toEqual([]);

    // The receipts are documents: read one back, page through the list newest first.
    expect((await get(t, `/stock-receipts/${receipt.id}`)).body).toMatchObject({ id: receipt.id, reference: 'PO-2026-117', lines: receipt.lines });
    const page1 = await get(t, '/stock-receipts?limit=1');
    expect(page1.body.stockReceipts.map((r: { id: string }) => r.id)).toEqual([more.body.receipt.id]);
    const page2 = await get(t, `/stock-receipts?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.stockReceipts.map((r: { id: string }) => r.id)).toEqual([receipt.id]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await get(t, `/stock-receipts?warehouseId=${t.warehouseId}`)).body.stockReceipts).toHaveLength(2);
    expect((await get(t, '/stock-receipts?cursor=abc')).body.error.details).toEqual([{ path: 'query.cursor', reason: 'must be a numeric id' }]);
    expect((await get(t, '/stock-receipts/999999999')).status).toBe(404);
  });

  it('names every bad line (lines[i].field and why) and writes nothing', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 3 } });
    const w2 = await secondWarehouse(t);
    const before = await footprint(t.tenantId);
    const bad = async (body: unknown) => {
      const r = await post(t, '/stock-receipts', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION');
      return r.body.error.details as Array<{ path: string; reason: string }>;
    };
    const line = { sku: 'A-1', binCode: 'B-01', quantity: 1 };

    for (const quantity of [0, -2, 1.5, '3', null]) {
      const d = await bad({ warehouseId: t.warehouseId, lines: [line, { ...line, quantity }] });
      expect(d).toEqual([{ path: 'lines[1].quantity', reason: 'must be a positive whole number' }]);
    }
    expect(await bad({ warehouseId: t.warehouseId, lines: [{ binCode: 'B-01', quantity: 1 }] })).toEqual([{ path: 'lines[0].productId', reason: 'give exactly one of productId, sku, barcode' }]);
    expect(await bad({ warehouseId: t.warehouseId, lines: [{ sku: 'A-1', barcode: barcode('A-1'), binCode: 'B-01', quantity: 1 }] })).toEqual([
      { path: 'lines[0].barcode', reason: 'give exactly one of productId, sku, barcode' },
    ]);
    expect(await bad({ warehouseId: t.warehouseId, lines: [{ sku: 'A-1', quantity: 1 }] })).toEqual([{ path: 'lines[0].binId', reason: 'give exactly one of binId, binCode' }]);
    expect(await bad({ warehouseId: t.warehouseId, lines: [] })).toEqual([{ path: 'lines', reason: 'a receipt needs at least one line' }]);
    expect((await bad({ warehouseId: 'W1', lines: [line] }))[0]!.path).toBe('warehouseId');
    expect((await bad({ warehouseId: t.warehouseId, lines: [{ ...line, productId: 'x1' }].map(({ sku: _s, ...l }) => l) }))[0]!.path).toBe('lines[0].productId');

    // Unknown product, unknown bin, a bin of another warehouse: every fault of the body at once.
    const all = await bad({
      warehouseId: t.warehouseId,
      lines: [
        line,
        { sku: 'NO-SUCH', binCode: 'B-01', quantity: 2 },
        { barcode: '0000', binCode: 'Z-99', quantity: 2 },
        { productId: t.productIds['A-2'], binId: w2.binId, quantity: 2 },
        { productId: '987654321', binId: '987654321', quantity: 2 },
        { sku: 'A-2', binCode: 'X-01', quantity: 2 },
      ],
    });
    expect(all).toEqual([
      { path: 'lines[1].sku', reason: 'unknown product NO-SUCH' },
      { path: 'lines[2].barcode', reason: 'unknown product 0000' },
      { path: 'lines[2].binCode', reason: `no bin Z-99 in warehouse ${t.warehouseId}` },
      { path: 'lines[3].binId', reason: `bin X-01 is in warehouse ${w2.warehouseId}, not ${t.warehouseId}` },
      { path: 'lines[4].productId', reason: 'unknown product 987654321' },
      { path: 'lines[4].binId', reason: 'unknown bin 987654321' },
      { path: 'lines[5].binCode', reason: `no bin X-01 in warehouse ${t.warehouseId}` },
    ]);
    const unknownWh = await post(t, '/stock-receipts', { warehouseId: '987654321', lines: [line] });
    expect(unknownWh.status).toBe(404);
    expect(unknownWh.body.error.details).toEqual([{ path: 'warehouseId', reason: 'unknown warehouse' }]);
    expect(await footprint(t.tenantId)).toEqual(before);

    // The same bin code in the other warehouse is that warehouse's bin.
    const ok = await post(t, '/stock-receipts', { warehouseId: w2.warehouseId, lines: [{ sku: 'A-2', binCode: 'X-01', quantity: 2 }] });
    expect(ok.status).toBe(201);
    expect(ok.body.receipt.lines[0]).toMatchObject({ binId: w2.binId, quantity: 2 });
  });

  it("another tenant's warehouse, bin, product or receipt is not found, and nothing is written", async () => {
    const a = await core.createTenant({ stock: { 'A-1': 3 } });
    const b = await core.createTenant({ stock: { 'A-1': 3 } });
    const mine = await post(a, '/stock-receipts', { warehouseId: a.warehouseId, reference: 'A-only', lines: [{ sku: 'A-1', binCode: 'B-01', quantity: 1 }] });
    expect(mine.status).toBe(201);
    const [beforeA, beforeB] = [await footprint(a.tenantId), await footprint(b.tenantId)];

    const otherWh = await post(b, '/stock-receipts', { warehouseId: a.warehouseId, lines: [{ sku: 'A-1', binCode: 'B-01', quantity: 1 }] });
    expect(otherWh.status).toBe(404);
    const otherBin = await post(b, '/stock-receipts', { warehouseId: b.warehouseId, lines: [{ sku: 'A-1', binId: a.binIds[0], quantity: 1 }] });
    expect(otherBin.status).toBe(400);
    expect(otherBin.body.error.details).toEqual([{ path: 'lines[0].binId', reason: `unknown bin ${a.binIds[0]}` }]);
    const otherProduct = await post(b, '/stock-receipts', { warehouseId: b.warehouseId, lines: [{ productId: a.productIds['A-1'], binCode: 'B-01', quantity: 1 }] });
    expect(otherProduct.body.error.details).toEqual([{ path: 'lines[0].productId', reason: `unknown product ${a.productIds['A-1']}` }]);
    const otherAdj = await post(b, '/stock-adjustments', { warehouseId: b.warehouseId, binId: a.binIds[0], productId: a.productIds['A-1'], delta: 1, reason: 'x' });
    expect(otherAdj.status).toBe(400);
    expect(otherAdj.body.error.details.map((d: { path: string }) => d.path)).toEqual(['productId', 'binId']);
    expect((await post(b, '/stock-adjustments', { warehouseId: a.warehouseId, binCode: 'B-01', sku: 'A-1', delta: 1, reason: 'x' })).status).toBe(404);

    expect((await get(b, `/stock-receipts/${mine.body.receipt.id}`)).status).toBe(404);
    expect((await get(b, '/stock-receipts')).body.stockReceipts).toEqual([]);
    expect((await get(a, '/stock-receipts')).body.stockReceipts.map((r: { reference: string }) => r.reference)).toEqual(['A-only']);
    expect(await footprint(a.tenantId)).toEqual(beforeA);
    expect(await footprint(b.tenantId)).toEqual(beforeB);
  });
});

describe('stock adjustments and counts: a reason, the ledger, never below reserved', () => {
  it('adjusts by a delta, sets a count, refuses to go below reserved naming the numbers, validates every field', async () => {
    const t = await core.createTenant({ stock: { 'A-3': 10 }, channel: { auto_confirm: false } });
    const base = { warehouseId: t.warehouseId, binCode: 'B-02', sku: 'A-3' };

    const plus = await post(t, '/stock-adjustments', { ...base, delta: 2, reason: 'found behind the shelf' });
    expect(plus.status).toBe(201);
    expect(plus.body).toMatchObject({ kind: 'stock_adjustment', delta: 2, onHand: 12, reserved: 0, reason: 'found behind the shelf', binId: t.binIds[0] });
    const [m] = (await get(t, `/reports/stock-movements?causeType=stock_adjustment&causeId=${plus.body.movementId}`)).body.movements;
    expect(m).toMatchObject({ id: plus.body.movementId, kind: 'adjustment', onHandDelta: 2, reservedDelta: 0, note: 'found behind the shelf', sku: 'A-3', binCode: 'B-02' });

    // A count of a bin never used for the product starts the row at 0.
    const count = await post(t, '/stock-adjustments', { warehouseId: t.warehouseId, binId: t.binIds[1], barcode: barcode('A-3'), countedQuantity: 4, reason: 'cycle count zone B' });
    expect(count.body).toMatchObject({ kind: 'stock_count', delta: 4, onHand: 4 });
    const recount = await post(t, '/stock-adjustments', { warehouseId: t.warehouseId, binId: t.binIds[1], productId: t.productIds['A-3'], countedQuantity: 0, reason: 'recount' });
    expect(recount.body).toMatchObject({ kind: 'stock_count', delta: -4, onHand: 0 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-3']!)).toEqual({ on_hand: 12, reserved: 0 });
    const counts = await get(t, `/reports/stock-movements?productId=${t.productIds['A-3']}&causeType=stock_count`);
    expect(counts.body.movements.map((x: { onHandDelta: number; note: string }) => [x.onHandDelta, x.note])).toEqual([
      [-4, 'recount'],
      [4, 'cycle count zone B'],
    ]);

    // 5 units of B-02 reserved by a confirmed order: on hand may not drop under them.
    const orderId = await placeOrder(t, [['A-3', 5]]);
    expect((await post(t, `/orders/${orderId}/confirm`)).body.status).toBe('confirmed');
    const [row] = await core.sql`select on_hand, reserved from stock where tenant_id = ${t.tenantId} and bin_id = ${t.binIds[0]!} and product_id = ${t.productIds['A-3']!}`;
    expect(row).toEqual({ on_hand: 12, reserved: 5 });
    const before = await footprint(t.tenantId);
    const tooMuch = await post(t, '/stock-adjustments', { ...base, delta: -8, reason: 'broken' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details).toEqual([{ path: 'delta', reason: 'on hand 4 would be below the 5 reserved (on hand now 12)' }]);
    expect(tooMuch.body.error.message).toContain('Bin B-02 holds 12 of A-3, 5 of them reserved');
    const lowCount = await post(t, '/stock-adjustments', { ...base, countedQuantity: 3, reason: 'count' });
    expect(lowCount.body.error.details).toEqual([{ path: 'countedQuantity', reason: 'on hand 3 would be below the 5 reserved (on hand now 12)' }]);
    expect(await footprint(t.tenantId)).toEqual(before);
    expect((await post(t, '/stock-adjustments', { ...base, delta: -7, reason: 'broken' })).body).toMatchObject({ onHand: 5, reserved: 5 });

    const bad = async (body: unknown) => {
      const r = await post(t, '/stock-adjustments', body);
      expect(r.status).toBe(400);
      return r.body.error.details as Array<{ path: string; reason: string }>;
    };
    const after = await footprint(t.tenantId);
    expect(await bad({ ...base, delta: 0, reason: 'x' })).toEqual([{ path: 'delta', reason: 'must be a non-zero whole number' }]);
    expect(await bad({ ...base, delta: 1.5, reason: 'x' })).toEqual([{ path: 'delta', reason: 'must be a non-zero whole number' }]);
    expect(await bad({ ...base, countedQuantity: -1, reason: 'x' })).toEqual([{ path: 'countedQuantity', reason: 'must be a whole number >= 0' }]);
    expect(await bad({ ...base, reason: 'x' })).toEqual([{ path: 'delta', reason: 'give exactly one of delta, countedQuantity' }]);
    expect(await bad({ ...base, delta: 1, countedQuantity: 3, reason: 'x' })).toEqual([{ path: 'countedQuantity', reason: 'give exactly one of delta, countedQuantity' }]);
    expect(await bad({ ...base, delta: 1 })).toEqual([{ path: 'reason', reason: 'required: why the stock changes (1-200 characters)' }]);
    expect(await bad({ ...base, delta: 1, reason: '   ' })).toEqual([{ path: 'reason', reason: 'required: why the stock changes (1-200 characters)' }]);
    expect(await bad({ ...base, delta: 1, reason: 'x'.repeat(201) })).toEqual([{ path: 'reason', reason: 'at most 200 characters' }]);
    expect(await bad({ warehouseId: t.warehouseId, sku: 'A-3', delta: 1, reason: 'x' })).toEqual([{ path: 'binId', reason: 'give exactly one of binId, binCode' }]);
    expect(await bad({ ...base, sku: 'NOPE', delta: 1, reason: 'x' })).toEqual([{ path: 'sku', reason: 'unknown product NOPE' }]);
    expect(await bad({ ...base, binCode: 'Q-1', delta: 1, reason: 'x' })).toEqual([{ path: 'binCode', reason: `no bin Q-1 in warehouse ${t.warehouseId}` }]);
    expect(await footprint(t.tenantId)).toEqual(after);
  });
});
