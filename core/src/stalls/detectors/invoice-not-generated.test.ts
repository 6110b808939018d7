import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addInvoice, addOrder, addTenant } from '../stall-test-data.ts';
import { detectInvoiceNotGenerated } from './invoice-not-generated.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectInvoiceNotGenerated', () => {
  it('finds shipped orders of a channel with create_invoice off that have no invoice', async () => {
    const t = await addTenant(sql);
    const off = await addChannel(sql, t, { createInvoice: 'off' });
    const on = await addChannel(sql, t);
    const stuck = await addOrder(sql, t, off, { status: 'shipping' });
    await addInvoice(sql, t, await addOrder(sql, t, off, { status: 'delivered' }));
    await addOrder(sql, t, off, { status: 'confirmed' });
    await addOrder(sql, t, on, { status: 'shipping' });
    expect(await detectInvoiceNotGenerated(sql, t)).toEqual([
      {
        kind: 'invoice.not_generated',
        subjectType: 'order',
        subjectId: stuck,
        message: 'invoice not generated (create_invoice off)',
        why: 'create_invoice is off on the channel',
        fix: 'Issue the invoice from the order, or set create_invoice to on_shipping / on_paid on the channel.',
        target: { resource: 'order', id: stuck },
        since: null,
      },
    ]);
  });
});
