import { placeShopifyOrder, tenantCalls } from '../support/shop-helpers.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustStock } from '../../core/src/inventory/reserve-order-stock.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
beforeAll(async () => {
  core = await startCore({ max: 10 });
});

const placeOrder = (t: TenantFixture, lines: Array<[string, number]>) => placeShopifyOrder(core, t, lines);

const { post, get, patch } = tenantCalls(() => core);
const barcode = (sku: string) => `590${sku}`;
const orderStatus = async (t: TenantFixture, id: string) => (await get(t, `/orders/${id}`)).body;

async function confirmed(t: TenantFixture, lines: Array<[string, number]>, body?: unknown): Promise<string> {
  const id = await placeOrder(t, lines);
  const r = await post(t, `/orders/${id}/confirm`, body);
  expect(r.body.status).toBe('confirmed');
  return id;
}

async function noteOf(t: TenantFixture, orderId: string) {
  const r = await get(t, `/delivery-notes?orderId=${orderId}`);
  expect(r.status).toBe(200);
  return r.body.deliveryNotes as Array<{ id: string; blocked: boolean; approved: boolean; type: string; status: string; lines: Array<{ sku: string; quantity: number; lineNo: number }>; blockedDetails: unknown }>;
}

async function picker(t: TenantFixture): Promise<string> {
  const [u] = await core.sql`insert into users (tenant_id, email, name, role) values (${t.tenantId}, ${`p${Math.random()}@example.com`}, 'Picker Ana', 'warehouse') returning id::text`;
  return u!.id as string;
}

describe('warehouse: wave pick → pack → ready, through the API', () => {
  it('picks a 3-order wave by bin with merged products, refuses a wrong item and an over-pick, issues stock, packs with measures', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 0, 'A-3': 10 }, channel: { auto_confirm: false } });
    // A-2 lies in B-01 (pick sequence 10), the others in B-02 (20): the walk starts at B-01.
    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[1]!, productId: t.productIds['A-2']!, delta: 20, kind: 'receipt', causeType: 'test', causeId: 'setup' }));
    const o1 = await confirmed(t, [['A-1', 2], ['A-2', 1]]);
    const o2 = await confirmed(t, [['A-1', 1], ['A-3', 2]]);
    const o3 = await confirmed(t, [['A-2', 2], ['A-1', 1]]);
    // Channel auto-creates delivery notes: the outbox item committed with each confirm makes them.
    expect(await noteOf(t, o1)).toEqual([]);
    await core.drainOutbox();
    for (const o of [o1, o2, o3]) {
      const notes = await noteOf(t, o);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ blocked: false, type: 'total', status: 'ready_for_packing', approved: false });
    }
    await core.drainOutbox();
    expect(await noteOf(t, o1)).toHaveLength(1);

    const userId = await picker(t);
    const created = await post(t, '/pick-lists', { orderIds: [o1, o2, o3] });
    expect(created.status).toBe(201);
    const pl = created.body;
    expect(pl.lines.map((l: { binCode: string; sku: string; quantity: number }) => [l.binCode, l.sku, l.quantity])).toEqual([
      ['B-01', 'A-2', 3],
      ['B-02', 'A-1', 4],
      ['B-02', 'A-3', 2],
    ]);
    // The merged A-1 line splits back per order for packing.
    const a1 = pl.lines[1];
    expect(a1.allocations.map((a: { orderId: string; quantity: number }) => [a.orderId, a.quantity])).toEqual([
      [o1, 2],
      [o2, 1],
      [o3, 1],
    ]);
    expect((await post(t, `/pick-lists/${pl.id}/assign`, { userId })).body.pickerUserId).toBe(userId);
    expect((await post(t, '/pick-lists', { orderIds: [o1] })).body.error.details[0].reason).toContain('already on another pick list');

    const wrong = await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', barcode: barcode('A-5') });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([{ path: 'barcode', reason: 'wrong_item' }]);
    expect(wrong.body.error.message).toContain('Wrong item');
    expect((await get(t, `/pick-lists/${pl.id}`)).body).toMatchObject({ status: 'open', picked: 0 });

    const wrongBin = await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', binCode: 'B-02', barcode: barcode('A-2') });
    expect(wrongBin.body.error.details).toEqual([{ path: 'binCode', reason: 'wrong_bin' }]);

    for (let i = 0; i < 3; i++) {
      const r = await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', binCode: 'B-01', barcode: barcode('A-2') });
      expect(r.status).toBe(200);
    }
    expect((await orderStatus(t, o1)).status).toBe('picking');
    const over = await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', barcode: barcode('A-2') });
    expect(over.status).toBe(400);
    expect(over.body.error.details).toEqual([{ path: 'quantity', reason: 'over_pick' }]);
    expect((await get(t, `/pick-lists/${pl.id}`)).body.lines[0]).toMatchObject({ picked: 3, remaining: 0 });

    expect((await post(t, `/pick-lists/${pl.id}/complete`)).status).toBe(409);
    expect((await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', barcode: barcode('A-1'), quantity: 4 })).status).toBe(200);
    const ticked = await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'tick', lineNo: 3 });
    expect(ticked.body.line).toMatchObject({ picked: 2, lastMethod: 'tick' });
    expect(ticked.body.pickList.tickUsed).toBe(true);

    const done = await post(t, `/pick-lists/${pl.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('picked');
    for (const o of [o1, o2, o3]) expect((await orderStatus(t, o)).status).toBe('picked');
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 6, reserved: 0 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual({ on_hand: 17, reserved: 0 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-3']!)).toEqual({ on_hand: 8, reserved: 0 });
    const [note1] = await noteOf(t, o1);
    expect(note1!.approved).toBe(true);
    const issued = await get(t, `/reports/stock-movements?causeType=delivery_note&causeId=${note1!.id}`);
    expect(issued.body.movements.map((m: { sku: string; kind: string; onHandDelta: number; reservedDelta: number }) => [m.sku, m.kind, m.onHandDelta, m.reservedDelta]).sort()).toEqual([
      ['A-1', 'issue', -2, -2],
      ['A-2', 'issue', -1, -1],
    ]);

    // Packing: measures are all required before an AWB, each missing one named.
    const packed = await post(t, `/delivery-notes/${note1!.id}/packing-lists`);
    expect(packed.status).toBe(201);
    const pk = packed.body;
    expect(pk).toMatchObject({ type: 'total', status: 'ready_to_deliver', deliveryNoteId: note1!.id });
    expect(pk.deliveryAddress).toBeTruthy();
    expect((await orderStatus(t, o1)).status).toBe('packed');
    expect((await noteOf(t, o1))[0]!.status).toBe('packed');
    const half = await patch(t, `/packing-lists/${pk.id}`, { parcels: [{ weightKg: 1.2, lengthCm: 30 }] });
    expect(half.status).toBe(200);
    const check = await post(t, `/packing-lists/${pk.id}/awb-check`);
    expect(check.status).toBe(400);
    expect(check.body.error.details.map((d: { path: string }) => d.path)).toEqual(['parcels[0].widthCm', 'parcels[0].heightCm', 'courier', 'service']);
    expect(check.body.error.message).toContain('parcels[0].widthCm');
    expect((await orderStatus(t, o1)).status).toBe('packed');

    const bad = await patch(t, `/packing-lists/${pk.id}`, { parcels: [{ weightKg: -1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('parcels.0.weightKg');

    const full = await patch(t, `/packing-lists/${pk.id}`, {
      courier: 'Fan Courier',
      service: 'Standard',
      deliveryAddress: { firstName: 'Ștefan', lastName: 'Țăranu', address1: 'Str. Învățătorului 7', city: 'Brașov', country: 'România', postcode: '500001' },
      parcels: [
        { weightKg: 1.2, lengthCm: 30, widthCm: 20, heightCm: 10 },
        { weightKg: '0.45', lengthCm: '20', widthCm: '15', heightCm: '5.5' },
      ],
    });
    expect(full.status).toBe(200);
    expect(full.body.parcels).toHaveLength(2);
    expect(full.body.missingForAwb).toEqual([]);
    expect((await post(t, `/packing-lists/${pk.id}/awb-check`)).body).toEqual({ ready: true });
    const order = await orderStatus(t, o1);
    expect(order.status).toBe('ready');
    expect(order.statusCode).toBe(15);

    const slip = await fetch(`${core.url}/api/v1/packing-lists/${pk.id}/slip.pdf`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(slip.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await slip.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = new URL('../artifacts/warehouse/', import.meta.url).pathname;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}packing-slip.pdf`, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', `${dir}packing-slip.pdf`, `${dir}packing-slip`]);
    const text = execFileSync('pdftotext', [`${dir}packing-slip.pdf`, '-']).toString();
    expect(text).toContain('Ștefan Țăranu');
    expect(text).toContain('Str. Învățătorului 7');
  });

  it('a short pick sends one order to partial delivery (remainder gets its own note) and another to hold; a restock unblocks both', async () => {
    const t = await core.createTenant({ stock: { 'A-4': 3, 'A-1': 10 }, channel: { auto_confirm: false } });
    const p = await confirmed(t, [['A-4', 2], ['A-1', 1]]);
    const q = await confirmed(t, [['A-4', 1]]);
    await core.drainOutbox();
    const pl = (await post(t, '/pick-lists', { orderIds: [p, q] })).body;
    const a4 = pl.lines.find((l: { sku: string }) => l.sku === 'A-4');
    expect(a4.quantity).toBe(3);
    await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', barcode: barcode('A-4') });
    await post(t, `/pick-lists/${pl.id}/confirm`, { method: 'scan', barcode: barcode('A-1') });
    // Units not found land on the wave's last order first: the first short hits Q, the second P.
    const s1 = await post(t, `/pick-lists/${pl.id}/short`, { lineNo: a4.lineNo, quantity: 1, decision: 'hold' });
    expect(s1.status).toBe(200);
    expect((await post(t, `/pick-lists/${pl.id}/short`, { lineNo: a4.lineNo, quantity: 5, decision: 'partial' })).status).toBe(400);
    await post(t, `/pick-lists/${pl.id}/short`, { lineNo: a4.lineNo, decision: 'partial' });
    const done = await post(t, `/pick-lists/${pl.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.orders.map((o: { orderId: string; shortDecision: string; active: boolean }) => [o.orderId, o.shortDecision, o.active])).toEqual([
      [p, 'partial', true],
      [q, 'hold', false],
    ]);

    const po = await orderStatus(t, p);
    expect(po).toMatchObject({ status: 'picked', deliveryType: 'partial' });
    const pNotes = (await noteOf(t, p)).reverse();
    expect(pNotes.map((n) => [n.type, n.approved, n.blocked, n.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')])).toEqual([
      ['partial', true, false, 'A-4×1,A-1×1'],
      ['partial', false, true, 'A-4×1'],
    ]);
    const qo = await orderStatus(t, q);
    expect(qo.status).toBe('on_hold');
    expect(qo.holdReason).toContain(`short pick on pick list ${pl.id}: A-4 1 missing`);
    // Books follow the shelf: 2 units written off, 1 issued.
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-4']!)).toEqual({ on_hand: 0, reserved: 0 });
    const adj = await get(t, `/reports/stock-movements?causeType=pick_list&causeId=${pl.id}`);
    expect(adj.body.movements.map((m: { kind: string; onHandDelta: number }) => [m.kind, m.onHandDelta])).toEqual([
      ['adjustment', -1],
      ['adjustment', -1],
    ]);

    const blocked = await get(t, '/delivery-notes?blocked=true');
    expect(blocked.body.deliveryNotes.map((n: { orderId: string }) => n.orderId).sort()).toEqual([p, q].sort());
    const report = await get(t, '/reports/blocked-delivery-notes');
    expect(report.body.missingBySku).toEqual([{ sku: 'A-4', missing: 2 }]);
    expect((await post(t, `/delivery-notes/${pNotes[1]!.id}/approve`)).body.error.code).toBe('INSUFFICIENT_STOCK');
    expect((await post(t, '/pick-lists', { orderIds: [q] })).body.error.details[0].reason).toContain('on_hold');

    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[0]!, productId: t.productIds['A-4']!, delta: 5, kind: 'receipt', causeType: 'test', causeId: 'restock' }));
    const recheck = await post(t, '/delivery-notes/recheck', {});
    expect(recheck.status).toBe(200);
    expect((await noteOf(t, p)).every((n) => !n.blocked)).toBe(true);
    // The order on hold is re-confirmed by the operator; the outbox then rechecks its note.
    expect((await post(t, `/orders/${q}/confirm`)).body.status).toBe('confirmed');
    await core.drainOutbox();
    expect((await get(t, '/delivery-notes?blocked=true')).body.deliveryNotes).toEqual([]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-4']!)).toEqual({ on_hand: 5, reserved: 2 });

    const second = await post(t, '/pick-lists', { orderIds: [p, q] });
    expect(second.status).toBe(201);
    expect(second.body.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['A-4', 2]]);
    await post(t, `/pick-lists/${second.body.id}/confirm`, { method: 'scan', barcode: barcode('A-4'), quantity: 2 });
    expect((await post(t, `/pick-lists/${second.body.id}/complete`)).status).toBe(200);
    expect((await orderStatus(t, q)).status).toBe('picked');
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-4']!)).toEqual({ on_hand: 3, reserved: 0 });
    // Nothing of P was forgotten: every unit ordered is on an approved delivery note.
    const shipped = (await noteOf(t, p)).flatMap((n) => n.lines).filter((l) => l.sku === 'A-4').reduce((a, l) => a + l.quantity, 0);
    expect(shipped).toBe(2);
  });

  it('a partially confirmed order gets a partial delivery note now and its remainder as a blocked note, made by hand when auto-create is off', async () => {
    const t = await core.createTenant({ stock: { 'A-5': 2, 'A-3': 5 }, channel: { auto_confirm: false, auto_create_delivery_note: false } });
    const id = await placeOrder(t, [['A-5', 5], ['A-3', 1]]);
    expect((await post(t, `/orders/${id}/confirm`)).body.status).toBe('on_hold');
    expect((await post(t, `/orders/${id}/delivery-notes`)).status).toBe(409);
    expect((await post(t, `/orders/${id}/confirm`, { partial: true })).body.status).toBe('confirmed');
    await core.drainOutbox();
    expect(await noteOf(t, id)).toEqual([]);

    const made = await post(t, `/orders/${id}/delivery-notes`, { partial: true });
    expect(made.status).toBe(201);
    expect(made.body.deliveryNotes.map((n: { type: string; blocked: boolean; lines: Array<{ sku: string; quantity: number }>; blockedDetails: unknown }) => [n.type, n.blocked, n.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')])).toEqual([
      ['partial', false, 'A-5×2,A-3×1'],
      ['partial', true, 'A-5×3'],
    ]);
    expect(made.body.deliveryNotes[1].blockedDetails).toEqual([expect.objectContaining({ sku: 'A-5', needed: 3, available: 0, missing: 3 })]);
    const again = await post(t, `/orders/${id}/delivery-notes`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already on a delivery note');

    // Approving by hand (no pick list) issues the stock of the unblocked note only.
    const first = made.body.deliveryNotes[0];
    expect((await post(t, `/delivery-notes/${first.id}/approve`)).body.approved).toBe(true);
    expect((await post(t, `/delivery-notes/${first.id}/approve`)).status).toBe(409);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 0, reserved: 0 });

    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[0]!, productId: t.productIds['A-5']!, delta: 4, kind: 'receipt', causeType: 'test', causeId: 'restock' }));
    const rechecked = await post(t, '/delivery-notes/recheck', { deliveryNoteId: made.body.deliveryNotes[1].id });
    expect(rechecked.body.deliveryNotes[0]).toMatchObject({ blocked: false, blockedDetails: null });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 4, reserved: 3 });

    // Partial packing: one unit now (type partial), the rest on a second packing list.
    const pk = await post(t, `/delivery-notes/${first.id}/packing-lists`, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(pk.status).toBe(201);
    expect(pk.body.type).toBe('partial');
    expect((await noteOf(t, id)).find((n) => n.id === first.id)!.status).toBe('ready_for_packing');
    expect((await post(t, `/delivery-notes/${first.id}/packing-lists`, { lines: [{ lineNo: 1, quantity: 5 }] })).body.error.details[0].path).toBe('lines[0].quantity');
    expect((await post(t, `/delivery-notes/${first.id}/packing-lists`)).status).toBe(201);
    expect((await noteOf(t, id)).find((n) => n.id === first.id)!.status).toBe('packed');
  });

  it('looks up stock by barcode, pages the movement history by keyset and names bad input', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 7 } });
    const look = await get(t, `/stock/lookup?barcode=${barcode('A-1')}`);
    expect(look.body.product.sku).toBe('A-1');
    expect(look.body.totals).toEqual({ onHand: 7, reserved: 0, available: 7 });
    expect((await get(t, '/stock/lookup?barcode=nope')).status).toBe(404);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: { body: { movements: Array<{ id: string }>; nextCursor: string | null } } = await get(t, `/reports/stock-movements?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.movements.map((m) => m.id));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    const [all] = await core.sql`select count(*)::int as n from stock_movements where tenant_id = ${t.tenantId}`;
    expect(new Set(seen).size).toBe(all!.n);
    expect(seen).toHaveLength(all!.n);
    const one = await get(t, `/reports/stock-movements?productId=${t.productIds['A-1']}&kind=receipt`);
    expect(one.body.movements).toHaveLength(1);
    const future = await get(t, `/reports/stock-movements?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future.body.movements).toEqual([]);
    expect((await get(t, '/reports/stock-movements?cursor=zzz')).body.error.details).toEqual([{ path: 'cursor', reason: 'malformed cursor' }]);
    expect((await post(t, '/pick-lists', { orderIds: [] })).status).toBe(400);
    expect((await post(t, '/pick-lists', { orderIds: ['999999'] })).status).toBe(404);
    expect((await get(t, '/pick-lists/999999')).status).toBe(404);
  });
});
