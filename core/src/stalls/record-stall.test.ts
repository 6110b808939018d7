import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import type { Sql } from '../db/connect.ts';
import { dispatchOutbox, enqueue } from '../db/outbox.ts';
import { openOutboxStall, openStall } from './record-stall.ts';
import { addTenant } from './stall-test-data.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('record-stall', () => {
  it('an outbox item the worker gave up on opens a stall naming the cause', async () => {
    const t = await addTenant(sql);
    await enqueue(sql, t, 'test.boom', { n: 1 }, 'boom', { maxAttempts: 2 });
    const boom = { 'test.boom': async () => { throw new Error('still down'); } };
    await dispatchOutbox(sql, boom, { onStalled: openOutboxStall });
    expect(await sql`select 1 from stalls where tenant_id = ${t}`).toHaveLength(0);
    await sql`update outbox set next_attempt_at = now() where idempotency_key = 'boom'`;
    await dispatchOutbox(sql, boom, { onStalled: openOutboxStall });
    const [stall] = await sql`select kind, subject_type, message, fix, details from stalls where tenant_id = ${t} and kind = 'outbox.test.boom'`;
    expect(stall!.message).toContain('still down');
    expect(stall).toMatchObject({ subject_type: 'outbox', message: 'test.boom failed after 2 attempt(s): still down', details: { payload: { n: 1 } } });
  });

  it('opens a stall once per kind and subject while it is open', async () => {
    const t = await addTenant(sql);
    const s = { kind: 'shipment.failed_attempt', subjectType: 'shipment', subjectId: '5', message: 'first', fix: 'f' };
    await openStall(sql, t, s);
    await openStall(sql, t, { ...s, message: 'second' });
    expect((await sql`select message from stalls where tenant_id = ${t}`).map((r) => r.message)).toEqual(['first']);
  });
});
