import { spawn } from 'node:child_process';
import { BENCH_MASTER_KEY, benchDatabase, benchTenant } from '../support/bench-db.ts';
import { postShopifyOrder, shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * Scratch helper for the intake-function cost (issue 14): a kept database (KEEP, default
 * expedio_perf2_intake) with the bench tenant and catalog, and N (default 600) real arguments of
 * `flows_intake_store_order` in table `intake_args(n, p)`, captured from signed webhooks through the
 * core; the orders those webhooks wrote are removed again, so each argument is a new order.
 *
 * Then, in psql on that database: `set track_functions = 'all'`, N calls of
 * `select flows_intake_store_order(p) from intake_args where n = K` (or groups of 32 through
 * `flows_intake_store_orders(jsonb_agg(p))`), and per function `pg_stat_user_functions`
 * (calls, total_time, self_time); the backend's CPU ticks before and after
 * (`pg_read_file('/proc/' || pg_backend_pid() || '/stat')`, fields 14 and 15) give CPU per order
 * whatever the load. ANALYZE once after a first load (this server runs with autovacuum off) and
 * empty the tables with DELETE, not TRUNCATE, between runs, so the plans are the ones of a used
 * database.
 */
const N = Number(process.env.N ?? 600);
const db = await benchDatabase(4, { keep: process.env.KEEP ?? 'expedio_perf2_intake' });
const t = await benchTenant(db, { skus: 500, stockEach: 1_000_000, autoConfirm: true });
const [orig] = await db.sql<{ def: string }[]>`select pg_get_functiondef('flows_intake_store_orders(jsonb)'::regprocedure) as def`;
await db.sql.unsafe(`create table if not exists intake_args (n serial primary key, p jsonb not null)`);
await db.sql.unsafe(`create or replace function flows_intake_store_orders(batch jsonb) returns jsonb language sql as $$
  with kept as (insert into intake_args (p) select value from jsonb_array_elements(batch) returning 1) select '[]'::jsonb $$`);
const child = spawn(process.execPath, [new URL('./core-server.ts', import.meta.url).pathname], {
  env: { ...process.env, DATABASE_URL: db.url, EXPEDIO_MASTER_KEY: BENCH_MASTER_KEY, POOL: '4' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => child.stdout!.on('data', (d: Buffer) => { const m = /PORT (\d+)/.exec(d.toString()); if (m) resolve(Number(m[1])); }));
const next = shopifyOrderStream({ skus: t.skus, idBase: 7_000_000_000_000_000_000n, customerBase: 600_000_000_000, prefix: 'Buyer', customers: 1_000_000 });
for (let i = 0; i < N; i++) {
  const { bytes, id } = next();
  const res = await postShopifyOrder(`http://127.0.0.1:${port}/webhooks/shopify`, t, bytes, `bench-${id}`);
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`webhook ${i}: ${res.status}`);
}
await new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
await db.sql.unsafe(orig!.def);
await db.sql.unsafe(`truncate orders, order_lines, order_status_log, clients, client_addresses, client_channel_ids, webhook_deliveries, sync_log, outbox cascade`);
const [c] = await db.sql<{ n: number }[]>`select count(*)::int as n from intake_args`;
console.log(`captured ${c!.n} intake arguments in ${db.url}`);
await db.close();
