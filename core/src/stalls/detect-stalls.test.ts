import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import type { Sql } from '../db/connect.ts';
import { detectStalls } from './detect-stalls.ts';
import { openStall } from './record-stall.ts';
import { addChannel, addOrder, addPackingList, addTenant } from './stall-test-data.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectStalls', () => {
  it('lists every detector’s stalls in the detectors’ order, recorded stalls last', async () => {
    const t = await addTenant(sql);
    await openStall(sql, t, { kind: 'outbox.notify.whatsapp', subjectType: 'outbox', subjectId: '1', message: 'm', fix: 'f' });
    const ch = await addChannel(sql, t, { status: 'needs_reconnect', autoCreateDeliveryNote: false });
    const order = await addOrder(sql, t, ch, { status: 'on_hold', holdReason: 'unknown SKU X' });
    await addPackingList(sql, t, order, { type: 'partial', hoursAgo: 48 });
    await addOrder(sql, t, ch, { minutesAgo: 60 });
    expect((await detectStalls(sql, t)).map((s) => s.kind)).toEqual([
      'channel.credentials_rejected',
      'order.unknown_sku',
      'delivery_note.not_generated',
      'packing_list.partial_forgotten',
      'outbox.notify.whatsapp',
    ]);
  });

  it('passes the options on to the detectors', async () => {
    const t = await addTenant(sql);
    await addPackingList(sql, t, await addOrder(sql, t, await addChannel(sql, t)), { type: 'partial', hoursAgo: 3 });
    expect(await detectStalls(sql, t)).toEqual([]);
    expect((await detectStalls(sql, t, { partialParcelHours: 2 })).map((s) => s.kind)).toEqual(['packing_list.partial_forgotten']);
  });
});
