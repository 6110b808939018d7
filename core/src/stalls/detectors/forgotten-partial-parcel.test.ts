import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addOrder, addPackingList, addTenant } from '../stall-test-data.ts';
import { detectForgottenPartialParcel } from './forgotten-partial-parcel.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectForgottenPartialParcel', () => {
  it('finds a partial packing list waiting longer than the limit, not a total one nor a recent one', async () => {
    const t = await addTenant(sql);
    const order = await addOrder(sql, t, await addChannel(sql, t));
    const forgotten = await addPackingList(sql, t, order, { type: 'partial', hoursAgo: 30 });
    const recent = await addPackingList(sql, t, order, { type: 'partial', hoursAgo: 3 });
    await addPackingList(sql, t, order, { type: 'total', hoursAgo: 30 });
    await addPackingList(sql, t, order, { type: 'partial', hoursAgo: 30, status: 'in_transit' });
    expect(await detectForgottenPartialParcel(sql, t)).toEqual([
      expect.objectContaining({
        kind: 'packing_list.partial_forgotten',
        subjectId: forgotten,
        message: `Partial packing list ${forgotten} (order ${order}) has waited more than 24 h without an AWB.`,
        target: { resource: 'packing_list', id: forgotten },
      }),
    ]);
    const shorter = await detectForgottenPartialParcel(sql, t, { partialParcelHours: 2 });
    expect(shorter.map((s) => s.subjectId).sort()).toEqual([forgotten, recent].sort());
    expect(shorter[0]!.message).toContain('more than 2 h');
  });
});
