import { benchDatabase } from '../support/bench-db.ts';
import { cpuMs } from '../support/process-cpu.ts';

/**
 * The CPU PostgreSQL spends per order in the group-commit intake (issue 14), whatever else the
 * machine runs: the arguments captured by capture-intake-args.ts (database KEEP, default
 * expedio_perf2_intake) taken in batches of B orders by the set-based `flows_intake_store_orders`
 * (migration 044) and by the one-order loop `flows_intake_store_orders_each` (033), interleaved
 * (loop, set, loop, set… ROUNDS rounds per batch size). The backend's own CPU (utime + stime of its
 * /proc/<pid>/stat, 10 ms ticks) before and after the calls gives ms per order; WAL writer and
 * checkpointer are not counted. Each run takes new orders of new customers: the captured arguments
 * with the run's mark in their delivery, store order and customer ids and e-mails (prepared before
 * the measure), so the tables grow as a used database's do, with no dead rows of deleted runs in
 * the way; the tables are analyzed after the first run. The run's first batch plans the
 * statements and is not counted.
 */
const BATCHES = (process.env.BATCHES ?? '16,32').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const db = await benchDatabase(2, { keep: process.env.KEEP ?? 'expedio_perf2_intake' });
const [{ n: total } = { n: 0 }] = await db.sql<{ n: number }[]>`select count(*)::int as n from intake_args`;
if (total < 64) throw new Error(`${total} captured arguments: run capture-intake-args.ts first`);
let runs = 0;

/** The captured arguments as new orders of new customers (ids and e-mails marked with the run's number). */
async function freshArgs(): Promise<void> {
  const mark = `r${++runs}-${Date.now()}`;
  await db.sql.unsafe(`drop table if exists run_args`);
  await db.sql.unsafe(
    `create table run_args as select n, jsonb_set(jsonb_set(jsonb_set(jsonb_set(p,
       '{deliveryId}', to_jsonb((p ->> 'deliveryId') || $1)),
       '{order,externalOrderId}', to_jsonb((p -> 'order' ->> 'externalOrderId') || $1)),
       '{client,externalId}', coalesce(to_jsonb((p -> 'client' ->> 'externalId') || $1), 'null')),
       '{client,email}', coalesce(to_jsonb($1 || '.' || (p -> 'client' ->> 'email')), 'null')) as p
     from intake_args`,
    [mark],
  );
  await db.sql.unsafe(`create unique index on run_args (n)`);
}

/** ms of backend CPU per order for all captured arguments through `fn` in batches of `size`. */
async function run(fn: 'flows_intake_store_orders' | 'flows_intake_store_orders_each', size: number): Promise<number> {
  await freshArgs();
  const conn = await db.sql.reserve();
  try {
    const [{ pid } = { pid: 0 }] = await conn<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const call = (from: number, to: number) =>
      conn.unsafe(`select ${fn}((select jsonb_agg(p order by n) from run_args where n > $1 and n <= $2)) as r`, [from, to]);
    const [first] = await conn<{ n: number }[]>`select min(n)::int - 1 as n from run_args`;
    const base = first!.n;
    await call(base, base + size); // plans every statement of the function on this connection
    let orders = 0;
    const before = cpuMs([pid]);
    for (let from = base + size; from + size <= base + total; from += size) {
      const [row] = await call(from, from + size);
      const answers = (row as unknown as { r: Array<{ outcome: string }> }).r;
      const created = answers.filter((a) => a.outcome === 'created').length;
      if (created !== size) throw new Error(`${fn}: ${created} of ${size} created (${JSON.stringify(answers.find((a) => a.outcome !== 'created'))})`);
      orders += created;
    }
    return (cpuMs([pid]) - before) / orders;
  } finally {
    conn.release();
  }
}

await run('flows_intake_store_orders', 32);
await db.sql`analyze`;
for (const size of BATCHES) {
  const each: number[] = [];
  const set: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    each.push(await run('flows_intake_store_orders_each', size));
    set.push(await run('flows_intake_store_orders', size));
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' / ');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`batches of ${size}: postgres backend CPU per order, one-order loop ${fmt(each)} ms, set-based ${fmt(set)} ms (median ratio ${(median(each) / median(set)).toFixed(2)}x)`);
}
await db.sql.unsafe(`drop table if exists run_args`);
await db.close();
