import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addDeliveryNote, addOrder, addTenant } from '../stall-test-data.ts';
import { detectBlockedDeliveryNotes } from './blocked-delivery-notes.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectBlockedDeliveryNotes', () => {
  it('lists a delivery note blocked by stock with what is missing, and not one that is free', async () => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const order = await addOrder(sql, t, ch);
    const blocked = await addDeliveryNote(sql, t, order, { blocked: true, blockedDetails: [{ lineNo: 1, sku: 'A-1', missing: 2 }] });
    await addDeliveryNote(sql, t, await addOrder(sql, t, ch));
    const stalls = await detectBlockedDeliveryNotes(sql, t);
    expect(stalls).toEqual([
      expect.objectContaining({
        kind: 'delivery_note.blocked',
        subjectType: 'delivery_note',
        subjectId: blocked,
        message: `Delivery note ${blocked} (order ${order}) is blocked by stock: missing A-1 ×2.`,
        target: { resource: 'delivery_note', id: blocked },
      }),
    ]);
    expect(stalls[0]!.since).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
