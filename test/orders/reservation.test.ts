import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

let core: CoreHarness;
const SKUS = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'];

beforeAll(async () => {
  core = await startCore({ max: 20 });
});

async function placeOrders(t: TenantFixture, specs: Array<Array<[string, number]>>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < specs.length; i += 20) {
    const batch = specs.slice(i, i + 20).map(async (lines) => {
      const { raw, id } = shopifyOrderBody({ lines, email: `buyer${Math.random()}@example.com` });
      const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
      expect(res.status).toBe(200);
      const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
      return o!.id as string;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

const confirm = (t: TenantFixture, id: string, body?: unknown) =>
  core.api(`/api/v1/orders/${id}/confirm`, { method: 'POST', key: t.apiKey, ...(body ? { body: JSON.stringify(body) } : {}) });

describe('stock reservation', () => {
  it('200 concurrent confirms over 5 SKUs with 50 units each reserve exactly 50 per SKU and oversell nothing', async () => {
    const stock = Object.fromEntries(SKUS.map((s) => [s, 50]));
    const t = await core.createTenant({ stock, channel: { auto_confirm: false } });
    // 40 orders per SKU for 2 units each: 80 units asked of 50.
    const ids = await placeOrders(t, Array.from({ length: 200 }, (_, i) => [[SKUS[i % 5]!, 2]]));
    const results = await Promise.all(ids.map((id) => confirm(t, id)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.status === 'confirmed')).toHaveLength(125);
    expect(results.filter((r) => r.body.status === 'on_hold')).toHaveLength(75);
    for (const sku of SKUS) {
      const s = await stockOf(core.sql, t.tenantId, t.productIds[sku]!);
      expect(s).toEqual({ on_hand: 50, reserved: 50 });
    }
    const [ledger] = await core.sql`select sum(reserved_delta)::int as reserved from stock_movements where tenant_id = ${t.tenantId} and cause_type = 'order'`;
    expect(ledger!.reserved).toBe(250);
    const held = results.find((r) => r.body.status === 'on_hold')!;
    expect(held.body.missing[0]).toMatchObject({ needed: 2, available: 0, missing: 2 });
  });

  it('concurrent two-line orders with lines in opposite product order never deadlock or oversell', async () => {
    const t = await core.createTenant({ stock: Object.fromEntries(SKUS.map((s) => [s, 30])), channel: { auto_confirm: false } });
    const specs = Array.from({ length: 100 }, (_, i) => {
      const a = SKUS[i % 5]!;
      const b = SKUS[(i + 2) % 5]!;
      return (i % 2 === 0 ? [[a, 1], [b, 1]] : [[b, 1], [a, 1]]) as Array<[string, number]>;
    });
    const ids = await placeOrders(t, specs);
    const results = await Promise.all(ids.map((id) => confirm(t, id)));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    let reserved = 0;
    for (const sku of SKUS) {
      const s = await stockOf(core.sql, t.tenantId, t.productIds[sku]!);
      expect(s.reserved).toBeLessThanOrEqual(s.on_hand);
      reserved += s.reserved;
    }
    expect(reserved).toBe(results.filter((r) => r.body.status === 'confirmed').length * 2);
  });

  it('short stock holds the order listing missing quantities; partial reserves what is there; restock then retry confirms the rest', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 3, 'A-2': 10 }, channel: { auto_confirm: false } });
    const [id] = await placeOrders(t, [[['A-1', 5], ['A-2', 2]]]);
    const held = await confirm(t, id!);
    expect(held.body.status).toBe('on_hold');
    expect(held.body.missing).toEqual([expect.objectContaining({ sku: 'A-1', needed: 5, available: 3, missing: 2 })]);
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).reserved).toBe(0);
    const order = await core.api(`/api/v1/orders/${id}`, { key: t.apiKey });
    expect(order.body.holdReason).toContain('A-1: 2 missing (5 needed, 3 available)');

    const partial = await confirm(t, id!, { partial: true });
    expect(partial.body).toMatchObject({ status: 'confirmed', deliveryType: 'partial' });
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).reserved).toBe(3);
    const detail = await core.api(`/api/v1/orders/${id}`, { key: t.apiKey });
    expect(detail.body.lines.find((l: { sku: string }) => l.sku === 'A-1')).toMatchObject({ quantityReserved: 3, unreserved: 2 });
  });

  it('confirm after a restock takes the order off hold', async () => {
    const t = await core.createTenant({ stock: { 'A-3': 1 }, channel: { auto_confirm: false } });
    const [id] = await placeOrders(t, [[['A-3', 4]]]);
    expect((await confirm(t, id!)).body.status).toBe('on_hold');
    const { adjustStock } = await import('../../core/src/inventory/reserve-order-stock.ts');
    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[1]!, productId: t.productIds['A-3']!, delta: 10, kind: 'receipt', causeType: 'test', causeId: 'restock' }));
    const again = await confirm(t, id!);
    expect(again.body).toMatchObject({ status: 'confirmed', deliveryType: 'total' });
    // taken from the bin earliest in the pick sequence first (B-01, sequence 10)
    const res = await core.sql`select b.code, r.quantity from stock_reservations r join bins b on b.tenant_id = r.tenant_id and b.id = r.bin_id
      where r.tenant_id = ${t.tenantId} and r.order_id = ${id!} order by b.pick_sequence`;
    expect(res.map((r) => [r.code, r.quantity])).toEqual([['B-01', 4]]);
  });

  it('cancel releases reservations with movement rows; a cancelled order cannot be confirmed', async () => {
    const t = await core.createTenant({ channel: { auto_confirm: false } });
    const [id] = await placeOrders(t, [[['A-4', 2]]]);
    await confirm(t, id!);
    const cancelled = await core.api(`/api/v1/orders/${id}/cancel`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'customer changed mind' }) });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', releasedUnits: 2 });
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-4']!)).reserved).toBe(0);
    const again = await confirm(t, id!);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_STATE' });
    expect(again.body.error.message).toContain('is cancelled');
  });

  it('approval above a value: pending until approved, then validated by the worker; rejected orders are cancelled', async () => {
    const t = await core.createTenant({ channel: { approval_required: true, approval_min_total: '15.00' } });
    const [big, small, other] = await placeOrders(t, [[['A-1', 2]], [['A-1', 1]], [['A-2', 3]]]);
    await core.drainOutbox();
    const get = async (id: string) => (await core.api(`/api/v1/orders/${id}`, { key: t.apiKey })).body;
    expect(await get(big!)).toMatchObject({ status: 'new', approvalStatus: 'pending' });
    expect(await get(small!)).toMatchObject({ status: 'confirmed', approvalStatus: null });
    expect((await confirm(t, big!)).body.error.message).toContain('awaits approval');
    expect((await core.api(`/api/v1/orders/${big}/approve`, { method: 'POST', key: t.apiKey })).body.approvalStatus).toBe('approved');
    await core.drainOutbox();
    expect(await get(big!)).toMatchObject({ status: 'confirmed', approvalStatus: 'approved' });
    const rejected = await core.api(`/api/v1/orders/${other}/reject`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'fraud check' }) });
    expect(rejected.body).toMatchObject({ status: 'cancelled', approvalStatus: 'rejected' });
  });

  it('manual hold keeps reservations; hold on a cancelled order names both statuses', async () => {
    const t = await core.createTenant({ channel: { auto_confirm: false } });
    const [id] = await placeOrders(t, [[['A-5', 1]]]);
    await confirm(t, id!);
    const held = await core.api(`/api/v1/orders/${id}/hold`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'address check' }) });
    expect(held.body.status).toBe('on_hold');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(1);
    await core.api(`/api/v1/orders/${id}/cancel`, { method: 'POST', key: t.apiKey });
    const res = await core.api(`/api/v1/orders/${id}/hold`, { method: 'POST', key: t.apiKey });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/is cancelled; it cannot be put on hold \(requested status: on_hold\)/);
  });
});
