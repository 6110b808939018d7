import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { openStall, resolveStalls } from '../record-stall.ts';
import { addTenant } from '../stall-test-data.ts';
import { detectRecordedStalls } from './recorded-stalls.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectRecordedStalls', () => {
  it('lists the open rows oldest first, a shipment one with its target, and why by kind', async () => {
    const t = await addTenant(sql);
    await openStall(sql, t, { kind: 'outbox.writeback.shopify.fulfillment', subjectType: 'outbox', subjectId: '7', message: 'm1', fix: 'f1' });
    await openStall(sql, t, { kind: 'outbox.notify.email.shipped', subjectType: 'outbox', subjectId: '8', message: 'm2', fix: 'f2' });
    await openStall(sql, t, { kind: 'shipment.failed_attempt', subjectType: 'shipment', subjectId: '9', message: 'm3', fix: 'f3' });
    const stalls = await detectRecordedStalls(sql, t);
    expect(stalls.map((s) => [s.kind, s.why, s.target])).toEqual([
      ['outbox.writeback.shopify.fulfillment', 'status write-back failing after every retry', null],
      ['outbox.notify.email.shipped', 'the worker gave up after every retry', null],
      ['shipment.failed_attempt', 'see the message', { resource: 'shipment', id: '9' }],
    ]);
    expect(stalls[2]).toMatchObject({ subjectType: 'shipment', subjectId: '9', message: 'm3', fix: 'f3', since: expect.any(String) });
  });

  it('leaves out resolved stalls', async () => {
    const t = await addTenant(sql);
    await openStall(sql, t, { kind: 'shipment.failed_attempt', subjectType: 'shipment', subjectId: '1', message: 'm', fix: 'f' });
    await resolveStalls(sql, t, { subjectType: 'shipment', subjectId: '1' }, ['shipment.failed_attempt']);
    expect(await detectRecordedStalls(sql, t)).toEqual([]);
  });
});
