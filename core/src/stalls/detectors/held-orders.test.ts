import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addOrder, addTenant } from '../stall-test-data.ts';
import { detectHeldOrders } from './held-orders.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectHeldOrders', () => {
  it.each([
    ['client not created: no e-mail and no name', 'order.client_not_created', 'Complete the customer'],
    ['unknown SKU NOPE-1', 'order.unknown_sku', 'Add the product'],
    ['insufficient stock: A-1 ×2', 'order.short_stock', 'Restock'],
    ['held by the operator', 'order.on_hold', 'Restock'],
  ])('a hold "%s" is %s', async (reason, kind, fix) => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const id = await addOrder(sql, t, ch, { status: 'on_hold', holdReason: reason, externalNumber: '#77' });
    await addOrder(sql, t, ch, { status: 'confirmed' });
    const stalls = await detectHeldOrders(sql, t);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toMatchObject({ kind, subjectType: 'order', subjectId: id, message: `Order ${id} (#77) is on hold: ${reason}.`, target: { resource: 'order', id } });
    expect(stalls[0]!.fix).toContain(fix);
  });

  it('lists the oldest hold first and says "on hold" when no reason was kept', async () => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const newer = await addOrder(sql, t, ch, { status: 'on_hold', holdReason: 'x', minutesAgo: 1 });
    const older = await addOrder(sql, t, ch, { status: 'on_hold', externalNumber: null, minutesAgo: 10 });
    const stalls = await detectHeldOrders(sql, t);
    expect(stalls.map((s) => s.subjectId)).toEqual([older, newer]);
    expect(stalls[0]!.message).toBe(`Order ${older} is on hold: on hold.`);
  });
});
