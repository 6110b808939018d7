import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import type { Sql } from './connect.ts';
import { backoffSeconds, dispatchOutbox, enqueue, inOneTransaction, type OutboxHandler, PermanentFailure, runOutboxDispatcher, type StalledOutboxItem } from './outbox.ts';

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

  it('keeps at most two items of one target in flight, and takes other work meanwhile', async () => {
    for (let i = 0; i < 5; i++) await enqueue(sql, tenantId, 'test.hang', { i }, `hang-${i}`, { target: 'channel:dead' });
    for (let i = 0; i < 3; i++) await enqueue(sql, tenantId, 'test.quick', { i }, `quick-${i}`);
    let release: () => void = () => {};
    const hung = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let most = 0;
    const handlers: Record<string, OutboxHandler> = {
      'test.hang': async () => {
        most = Math.max(most, ++inFlight);
        await hung;
        inFlight--;
      },
      'test.quick': async () => {},
    };
    // Two dispatchers at once: the limit holds over both, not per process.
    const a = dispatchOutbox(sql, handlers, { batch: 10 });
    const b = dispatchOutbox(sql, handlers, { batch: 10 });
    await new Promise((r) => setTimeout(r, 300));
    const [mid] = await sql<{ leased: number; quickDone: number }[]>`
      select count(*) filter (where kind = 'test.hang' and locked_until > now())::int as leased,
             count(*) filter (where kind = 'test.quick' and status = 'done')::int as "quickDone"
      from outbox where tenant_id = ${tenantId} and kind in ('test.hang', 'test.quick')`;
    expect(mid).toEqual({ leased: 2, quickDone: 3 });
    release();
    await Promise.all([a, b]);
    expect(most).toBe(2);
    await dispatchOutbox(sql, handlers, { batch: 10 });
    await dispatchOutbox(sql, handlers, { batch: 10 });
    const rows = await sql`select status from outbox where tenant_id = ${tenantId} and kind = 'test.hang'`;
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });

  it('runs the items of one sequence one after the other in enqueue order, though their target takes two at once', async () => {
    const ran: string[] = [];
    let inFlight = 0;
    let most = 0;
    const handlers: Record<string, OutboxHandler> = {
      'test.seq': async (_db, item) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        ran.push(String(item.payload.step));
        inFlight--;
      },
    };
    for (const step of ['fulfillment', 'picked_up', 'in_transit', 'delivered']) {
      await enqueue(sql, tenantId, 'test.seq', { step }, `seq-${step}`, { target: 'channel:seq', sequence: 'shipment:1' });
    }
    for (let i = 0; i < 6 && ran.length < 4; i++) await dispatchOutbox(sql, handlers, { batch: 10 });
    expect(ran).toEqual(['fulfillment', 'picked_up', 'in_transit', 'delivered']);
    expect(most).toBe(1);
  });

  it('claims an item again when the lease of a dispatcher that died mid-call lapses, with both attempts counted', async () => {
    await enqueue(sql, tenantId, 'test.crash', {}, 'crash-1');
    // The first dispatcher "dies": its handler never returns, so it never records an outcome.
    let firstRunning: () => void = () => {};
    const started = new Promise<void>((r) => (firstRunning = r));
    let finishFirst: () => void = () => {};
    const stuck = new Promise<void>((r) => (finishFirst = r));
    const first = dispatchOutbox(sql, {
      'test.crash': inOneTransaction(async (tx) => {
        firstRunning();
        await stuck;
        await tx`insert into tenants (name) values ('written by the dead claim')`;
      }),
    }, { leaseSeconds: 1 });
    await started;
    const [leased] = await sql`select attempts, locked_until > now() as leased from outbox where idempotency_key = 'crash-1'`;
    expect(leased).toMatchObject({ attempts: 1, leased: true });
    // Within the lease nobody else takes it.
    expect(await dispatchOutbox(sql, { 'test.crash': async () => {} })).toEqual({ done: 0, failed: 0, stalled: 0 });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await dispatchOutbox(sql, { 'test.crash': async () => {} })).toEqual({ done: 1, failed: 0, stalled: 0 });
    // The dead claim comes back late: its writes are rolled back and the outcome kept is the second's.
    finishFirst();
    expect(await first).toEqual({ done: 0, failed: 0, stalled: 0 });
    const [row] = await sql`select status, attempts from outbox where idempotency_key = 'crash-1'`;
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect(await sql`select 1 from tenants where name = 'written by the dead claim'`).toHaveLength(0);
  });

  it('stalls an item whose last attempt died with its dispatcher, and tells the hook', async () => {
    await enqueue(sql, tenantId, 'test.lastcrash', {}, 'lastcrash', { maxAttempts: 1 });
    const never = dispatchOutbox(sql, { 'test.lastcrash': () => new Promise<void>(() => {}) }, { leaseSeconds: 1 });
    void never;
    await new Promise((r) => setTimeout(r, 1100));
    const stalled: StalledOutboxItem[] = [];
    await dispatchOutbox(sql, { 'test.lastcrash': async () => {} }, { onStalled: async (_tx, item) => void stalled.push(item) });
    const [row] = await sql`select status, attempts, last_error from outbox where idempotency_key = 'lastcrash'`;
    expect(row).toMatchObject({ status: 'stalled', attempts: 1 });
    expect(stalled.filter((s) => s.kind === 'test.lastcrash')).toMatchObject([{ kind: 'test.lastcrash', attempts: 1 }]);
    expect(stalled[0]!.error).toContain('lease lapsed');
  });

  it('two running dispatchers share the outbox: every item done exactly once', async () => {
    for (let i = 0; i < 80; i++) await enqueue(sql, tenantId, 'test.shared', { i }, `shared-${i}`, { target: i % 2 ? 'channel:a' : null });
    const runs = new Map<number, number>();
    const handlers: Record<string, OutboxHandler> = {
      'test.shared': async (_db, item) => {
        const i = Number(item.payload.i);
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 3));
      },
    };
    const until = Date.now() + 800;
    const [a, b] = await Promise.all([
      runOutboxDispatcher(sql, handlers, { until, concurrency: 4, idleMs: 20, dispatcherId: 'a' }),
      runOutboxDispatcher(sql, handlers, { until, concurrency: 4, idleMs: 20, dispatcherId: 'b' }),
    ]);
    expect(runs.size).toBe(80);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(a.done + b.done).toBe(80);
    expect(a.done).toBeGreaterThan(0);
    expect(b.done).toBeGreaterThan(0);
    const [left] = await sql`select count(*)::int as n from outbox where kind = 'test.shared' and status <> 'done'`;
    expect(left!.n).toBe(0);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffSeconds)).toEqual([5, 20, 80, 320, 1280, 3600, 3600]);
  });
});
