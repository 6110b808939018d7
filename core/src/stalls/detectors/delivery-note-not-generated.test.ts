import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addDeliveryNote, addOrder, addTenant } from '../stall-test-data.ts';
import { detectDeliveryNoteNotGenerated } from './delivery-note-not-generated.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectDeliveryNoteNotGenerated', () => {
  it('finds a confirmed order without a delivery note past the grace, only where auto-create is off', async () => {
    const t = await addTenant(sql);
    const manualNotes = await addChannel(sql, t, { name: 'Manual notes', autoCreateDeliveryNote: false });
    const auto = await addChannel(sql, t, { name: 'Auto' });
    const stuck = await addOrder(sql, t, manualNotes, { minutesAgo: 45, externalNumber: '#5' });
    await addOrder(sql, t, manualNotes, { minutesAgo: 5 }); // still within the grace
    await addDeliveryNote(sql, t, await addOrder(sql, t, manualNotes, { minutesAgo: 45 })); // has its note
    await addOrder(sql, t, manualNotes, { minutesAgo: 45, status: 'on_hold' });
    await addOrder(sql, t, auto, { minutesAgo: 45 });
    const stalls = await detectDeliveryNoteNotGenerated(sql, t);
    expect(stalls).toEqual([
      expect.objectContaining({
        kind: 'delivery_note.not_generated',
        subjectType: 'order',
        subjectId: stuck,
        message: `Order ${stuck} (#5) is confirmed but has no delivery note.`,
        why: 'automatic delivery notes are off on channel Manual notes',
        target: { resource: 'order', id: stuck },
      }),
    ]);
    expect(await detectDeliveryNoteNotGenerated(sql, t, { deliveryNoteGraceMinutes: 1 })).toHaveLength(2);
  });
});
