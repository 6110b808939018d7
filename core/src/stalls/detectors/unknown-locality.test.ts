import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { recordAwbRefusal, updatePackingList } from '../../warehouse/index.ts';
import { detectStalls } from '../detect-stalls.ts';
import { addChannel, addOrder, addPackingList, addTenant } from '../stall-test-data.ts';
import { detectUnknownLocality } from './unknown-locality.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

const refusal = (path: string, reason: string) => ({ courier: 'cargus', message: `cargus refused the AWB: ${path} ${reason}`, details: [{ path, reason }], at: '2026-12-01T10:00:00.000Z' });

describe('detectUnknownLocality', () => {
  it('names the packing lists whose AWB the courier refused for the address, with the fix, until the address is corrected', async () => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const order = await addOrder(sql, t, ch, { externalNumber: '#1042' });
    const refused = await addPackingList(sql, t, order);
    const phoneOnly = await addPackingList(sql, t, order);
    const gone = await addPackingList(sql, t, order, { status: 'in_transit' });
    await addPackingList(sql, t, order); // never refused
    await sql`update packing_lists set delivery_address = ${sql.json({ city: 'Clujj-Napoca', province: 'CJ' })} where id = ${refused}`;
    await recordAwbRefusal(sql, t, refused, refusal('deliveryAddress.city', "Localitatea 'Clujj-Napoca' nu a fost gasita in judetul 'Cluj'"));
    await recordAwbRefusal(sql, t, phoneOnly, refusal('deliveryAddress.phone', 'invalid phone'));
    await recordAwbRefusal(sql, t, gone, refusal('deliveryAddress.city', 'unknown'));

    const stalls = await detectUnknownLocality(sql, t);
    expect(stalls).toEqual([
      {
        kind: 'awb.unknown_locality',
        subjectType: 'packing_list',
        subjectId: refused,
        message: `Order ${order} (#1042): cargus refused the AWB of packing list ${refused} for the delivery address (Clujj-Napoca, CJ): Localitatea 'Clujj-Napoca' nu a fost gasita in judetul 'Cluj'`,
        why: 'the courier does not know the locality (or its county) of the delivery address',
        fix: expect.stringContaining(`Correct the city and county of packing list ${refused}'s delivery address`),
        target: { resource: 'packing_list', id: refused },
        since: '2026-12-01T10:00:00.000Z',
      },
    ]);
    // In the stall list every detector feeds.
    expect((await detectStalls(sql, t)).filter((s) => s.kind === 'awb.unknown_locality').map((s) => s.subjectId)).toEqual([refused]);

    await sql.begin((tx) => updatePackingList(tx, t, refused, { deliveryAddress: { city: 'Cluj-Napoca', province: 'CJ' } }));
    expect(await detectUnknownLocality(sql, t)).toEqual([]);
  });
});
