import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import { connect } from './connect.ts';

let url: string;

beforeAll(async () => {
  ({ url } = await testDatabase({ max: 1 }));
});

/**
 * postgres.js 3.4.9 reserves the connection of `sql.begin` in a hook that its `execute` skipped
 * whenever BEGIN was the query that filled the connection's pipeline (100 queries) or met a full
 * socket buffer: BEGIN reached PostgreSQL, the connection went back to the pool inside the open
 * transaction, the caller got UNSAFE_TRANSACTION and other requests' statements ran in that
 * transaction (seen as a 500 of 1 in 200 concurrent confirms, test/orders/reservation.test.ts, and
 * reported upstream as porsager/postgres#823, #1189, #1210). The project's patch of the driver
 * (patches/postgres@3.4.9.patch, the fix of porsager/postgres#1218) runs the hook whenever BEGIN
 * was written.
 */
describe('the database driver', () => {
  it('keeps a transaction on its own connection when BEGIN is the query that fills a busy connection’s pipeline', async () => {
    // The core's own pool settings (connect), two connections, both busy.
    const sql = connect(url, { max: 2 });
    const watcher = connect(url, { max: 1 });
    try {
      await Promise.all([sql`select 1`, sql`select 1`]); // both connections open
      // 196–199 queries pipeline onto the two busy connections, taken in turn (98–100 behind each
      // one's running query), so that in one of the rounds each connection's 100th is a BEGIN.
      for (const fill of [196, 197, 198, 199]) {
        const sleepers = [sql`select pg_sleep(0.05)`.execute(), sql`select pg_sleep(0.05)`.execute()];
        const fillers = Array.from({ length: fill }, (_, i) => sql`select ${i}::int as n`.execute());
        const transactions = Array.from({ length: 4 }, (_, i) =>
          sql.begin(async (tx) => {
            const [a] = await tx<{ x: string }[]>`select txid_current()::text as x`;
            await tx`select pg_sleep(0.01)`;
            const [b] = await tx<{ x: string }[]>`select txid_current()::text as x`;
            return { same: a!.x === b!.x, i };
          }),
        );
        const outcomes = await Promise.allSettled([...sleepers, ...fillers, ...transactions]);
        const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason?.message ?? o));
        expect(failed).toEqual([]);
        for (const o of outcomes.slice(-4)) expect((o as PromiseFulfilledResult<{ same: boolean }>).value.same).toBe(true);
        // No connection went back to the pool inside a transaction.
        const [open] = await watcher<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`;
        expect(open!.n).toBe(0);
      }
    } finally {
      await Promise.all([sql.end({ timeout: 5 }), watcher.end({ timeout: 5 })]);
    }
  });
});
