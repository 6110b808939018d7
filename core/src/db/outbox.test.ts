import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import type { Sql } from './connect.ts';
import { backoffSeconds, dispatchOutbox, enqueue, inOneTransaction, PermanentFailure, type StalledOutboxItem } from './outbox.ts';

let sql: Sql;
let tenantId: string;

beforeAll(async () => {
  ({ sql } = await testDatabase());
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values ('outbox') returning id::text`;
  tenantId = t!.id;
});

describe('outbox', () => {
  it('enqueues the same work once per idempotency key', async () => {
    expect(await enqueue(sql, tenantId, 'test.noop', { n: 1 }, 'key-1')).toBe(true);
    expect(await enqueue(sql, tenantId, 'test.noop', { n: 1 }, 'key-1')).toBe(false);
    await dispatchOutbox(sql, { 'test.noop': async () => {} });
    const rows = await sql`select status from outbox where tenant_id = ${tenantId} and idempotency_key = 'key-1'`;
    expect(rows.map((r) => r.status)).toEqual(['done']);
  });

  it("commits a local handler's writes with the item, and rolls them back when it fails", async () => {
    await enqueue(sql, tenantId, 'test.write', { name: 'kept' }, 'w-ok');
    await enqueue(sql, tenantId, 'test.write', { name: 'lost', fail: true }, 'w-fail');
    await dispatchOutbox(sql, {
      'test.write': inOneTransaction(async (tx, item) => {
        await tx`insert into tenants (name) values (${String(item.payload.name)})`;
        if (item.payload.fail) throw new Error('courier down');
      }),
    });
    expect((await sql`select name from tenants where name in ('kept','lost')`).map((r) => r.name)).toEqual(['kept']);
    const [failed] = await sql`select status, attempts, last_error, next_attempt_at > now() as later from outbox where idempotency_key = 'w-fail'`;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'courier down', later: true });
  });

  it('stalls an item after its last attempt and hands it, with the cause, to the onStalled hook', async () => {
    await enqueue(sql, tenantId, 'test.boom', {}, 'boom', { maxAttempts: 2 });
    const boom = { 'test.boom': async () => { throw new Error('still down'); } };
    const stalled: StalledOutboxItem[] = [];
    const onStalled = async (_tx: unknown, item: StalledOutboxItem) => void stalled.push(item);
    await dispatchOutbox(sql, boom, { onStalled });
    expect(stalled).toEqual([]);
    await sql`update outbox set next_attempt_at = now() where idempotency_key = 'boom'`;
    await dispatchOutbox(sql, boom, { onStalled });
    const [row] = await sql`select status, attempts from outbox where idempotency_key = 'boom'`;
    expect(row).toMatchObject({ status: 'stalled', attempts: 2 });
    expect(stalled).toMatchObject([{ tenantId, kind: 'test.boom', attempts: 2 }]);
    expect(stalled[0]!.error).toContain('still down');
  });

  it('a permanent failure stalls at once', async () => {
    await enqueue(sql, tenantId, 'test.perm', {}, 'perm');
    await dispatchOutbox(sql, { 'test.perm': async () => { throw new PermanentFailure('unknown locality'); } });
    expect((await sql`select status from outbox where idempotency_key = 'perm'`)[0]!.status).toBe('stalled');
  });

  it('two dispatchers running at once never run the same item twice', async () => {
    for (let i = 0; i < 60; i++) await enqueue(sql, tenantId, 'test.count', { i }, `count-${i}`);
    const runs = new Map<number, number>();
    const handlers = {
      'test.count': async (_tx: unknown, item: { payload: Record<string, unknown> }) => {
        const i = Number(item.payload.i);
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
      },
    };
    await Promise.all([
      dispatchOutbox(sql, handlers, { batch: 20 }),
      dispatchOutbox(sql, handlers, { batch: 20 }),
      dispatchOutbox(sql, handlers, { batch: 20 }),
    ]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(60);
  });

  it('runs items due at the same moment in the order they were enqueued, also across 99 → 100 ids', async () => {
    // One transaction: every item has the same next_attempt_at, so the id alone orders them
    // (a tracking event's fan-out before the next one's; as text, '100' would run before '99').
    await sql.begin(async (tx) => {
      for (let n = 0; n < 110; n++) await enqueue(tx, tenantId, 'test.order', { n }, `order-${n}`);
    });
    const ran: number[] = [];
    await dispatchOutbox(sql, { 'test.order': async (_tx, item) => void ran.push(Number(item.payload.n)) }, { batch: 200 });
    const [range] = await sql<{ lo: string; hi: string }[]>`select min(id)::text as lo, max(id)::text as hi from outbox where kind = 'test.order'`;
    expect(Number(range!.lo)).toBeLessThan(100);
    expect(Number(range!.hi)).toBeGreaterThanOrEqual(100);
    expect(ran).toEqual(Array.from({ length: 110 }, (_, n) => n));
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffSeconds)).toEqual([5, 20, 80, 320, 1280, 3600, 3600]);
  });
});
