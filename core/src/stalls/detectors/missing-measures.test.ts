import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addOrder, addPackingList, addTenant } from '../stall-test-data.ts';
import { detectMissingMeasures } from './missing-measures.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectMissingMeasures', () => {
  it('names what each waiting packing list lacks before an AWB', async () => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const order = await addOrder(sql, t, ch);
    const noWeight = await addPackingList(sql, t, order, { hoursAgo: 2, parcels: [{ lengthCm: 1, widthCm: 1, heightCm: 1 }] });
    const nothing = await addPackingList(sql, t, order, { hoursAgo: 2, courier: null, parcels: [] });
    await addPackingList(sql, t, order, { hoursAgo: 2 }); // complete
    await addPackingList(sql, t, order, { hoursAgo: 0, parcels: [] }); // within the grace
    await addPackingList(sql, t, order, { hoursAgo: 2, status: 'in_transit', parcels: [] }); // left already
    const stalls = await detectMissingMeasures(sql, t);
    expect(stalls.map((s) => [s.subjectId, s.message]).sort()).toEqual(
      [
        [noWeight, `Packing list ${noWeight} (order ${order}) cannot get an AWB: weight missing.`],
        [nothing, `Packing list ${nothing} (order ${order}) cannot get an AWB: weight, dimensions, courier missing.`],
      ].sort(),
    );
    expect(stalls[0]).toMatchObject({ kind: 'awb.missing_measures', subjectType: 'packing_list', target: { resource: 'packing_list' } });
  });
});
