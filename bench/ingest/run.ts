import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BENCH_MASTER_KEY, benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';
import { pgbenchDatabase, spread } from '../support/pgbench.ts';
import { HttpConnection } from '../support/http-load.ts';
import { shopifyOrderHead, shopifyOrderStream } from '../support/shopify-orders.ts';
import { cpuMs, machineBusyMs } from '../support/process-cpu.ts';

/**
 * Signed Shopify orders/create webhooks over HTTP into a core process, against pgbench's own
 * TPC-B-like run at the same client count on the same server, interleaved A/B/A/B… for ROUNDS
 * rounds. A webhook counts only when its answer is a 2xx (the core answers after the commit); a
 * 503 with Retry-After is retried after the pause it names, as Shopify would, and counts as
 * deferred. Customers and products are distinct (each order a new customer until CUSTOMERS wrap,
 * lines over SKUS products), so the new-client path is measured, not only the cheap one.
 *
 *   C=16 SECONDS=10 ROUNDS=3 [PROCS=2] node bench/ingest/run.ts
 *
 * Last line: `ingest: ratio R (orders/s O, pgbench tps P, p50 X ms, p99 Y ms, clients C)`.
 */
const C = Number(process.env.C ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const SKUS = Number(process.env.SKUS ?? 500);
/** Bounded: no phase sends more than this many requests, whatever the machine does. */
const MAX_REQUESTS_PER_PHASE = Number(process.env.MAX_REQUESTS ?? 200_000);

const db = await benchDatabase(8);
const t = await benchTenant(db, { skus: SKUS, stockEach: 1_000_000, autoConfirm: true });
const pgbench = await pgbenchDatabase(db.adminUrl, Math.max(C, 10));
console.log(`bench/ingest on ${db.serverKind}; clients ${C}, core processes ${process.env.PROCS ?? 1}, ${ROUNDS} rounds of pgbench ${SECONDS} s then ingest ${SECONDS} s`);

/** PROCS=N runs N core processes on the one database, the load spread over them round-robin. */
const PROCS = Math.max(1, Number(process.env.PROCS ?? 1));
async function startCore(): Promise<{ child: ReturnType<typeof spawn>; url: string }> {
  // CORE_PROF=<dir> writes a CPU profile of the core process there.
  const child = spawn(process.execPath, [...(process.env.CORE_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CORE_PROF] : []), new URL('./core-server.ts', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: db.url, EXPEDIO_MASTER_KEY: BENCH_MASTER_KEY, POOL: process.env.POOL ?? String(Math.ceil((C + 4) / PROCS)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the core exited (${code}) before listening`)));
    child.stdout!.on('data', (d: Buffer) => {
      const m = /PORT (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, url: `http://127.0.0.1:${port}/webhooks/shopify` };
}
const cores = await Promise.all(Array.from({ length: PROCS }, () => startCore()));
// A bench that fails (pgbench refused, say) takes its core processes with it: left running, one held most of the server's connections.
process.once('exit', () => {
  for (const c of cores) c.child.kill('SIGKILL');
});
const urls = cores.map((c) => c.url);
const rssMiB = (field: 'VmRSS' | 'VmHWM') =>
  cores.reduce((sum, c) => sum + Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${c.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
await new Promise((r) => setTimeout(r, 1000));
const idleRss = rssMiB('VmRSS');

const nextBody = shopifyOrderStream({ skus: t.skus, idBase: 7_000_000_000_000_000_000n, customerBase: 600_000_000_000, prefix: 'Buyer', customers: CUSTOMERS });

interface Phase {
  ok: number;
  /** Requests sent again because their (kept-alive) connection was closed under them. */
  reconnects: number;
  deferred: number;
  failed: number;
  seconds: number;
  latencies: number[];
}

async function ingestPhase(seconds: number): Promise<Phase> {
  const p: Phase = { ok: 0, reconnects: 0, deferred: 0, failed: 0, seconds: 0, latencies: [] };
  const until = Date.now() + seconds * 1000;
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async (_, client) => {
      // Each client its own kept-alive connection, to one core process (round-robin over them).
      const conn = new HttpConnection(urls[client % urls.length]!);
      while (Date.now() < until && sent < MAX_REQUESTS_PER_PHASE) {
        sent++;
        const { bytes, id } = nextBody();
        const head = shopifyOrderHead('/webhooks/shopify', t, bytes, `bench-${id}`);
        const s = performance.now();
        // Retried on 503 as Shopify would; the latency counted is the one of the 2xx answer.
        for (let tries = 0; tries < 20 && Date.now() < until + 5000; tries++) {
          // A keep-alive socket the core closed while pgbench ran is refused on reuse: sent again, counted apart.
          const res = await conn.request(head, bytes).catch((e: unknown) => {
            p.reconnects++;
            if (p.reconnects > 1000) throw e;
            return null;
          });
          if (!res) continue;
          if (res.status >= 200 && res.status < 300) {
            p.ok++;
            p.latencies.push(performance.now() - s);
            break;
          }
          if (res.status === 503) {
            p.deferred++;
            await new Promise((r) => setTimeout(r, 1000 * Math.min(5, Number(res.retryAfter ?? 1))));
            continue;
          }
          p.failed++;
          if (p.failed <= 3) console.log(`  ${res.status}: ${res.body.slice(0, 300)}`);
          break;
        }
      }
      conn.close();
    }),
  );
  p.seconds = (performance.now() - t0) / 1000;
  return p;
}

const tps: number[] = [];
const ops: number[] = [];
const ratios: number[] = [];
const latencies: number[] = [];
let acknowledged = 0;
let deferred = 0;
let failed = 0;
let peakInFlightRss = 0;
// Statistics as production has them: this server runs with autovacuum off, so without this the
// tables the intake probes are never analysed, every plan is made for empty tables (cached for the
// session: PL/pgSQL's and the foreign-key checks'), and a foreign-key check on orders or a line's
// product lookup walks every order or product of the tenant by an index on tenant_id alone
// (measured: 10,000 index tuples read per order after 6,000 orders, growing with each order).
// pgbench's tables are analysed by its own initialisation. A few seconds of orders first, then
// ANALYZE, as autovacuum does after the first 50 rows; the warm-up's orders count as acknowledged.
const warmUp = await ingestPhase(Math.min(2, SECONDS));
acknowledged += warmUp.ok;
failed += warmUp.failed;
await db.sql`analyze`;
for (let round = 1; round <= ROUNDS; round++) {
  const a = pgbench.run(C, SECONDS);
  const sampler = setInterval(() => {
    peakInFlightRss = Math.max(peakInFlightRss, rssMiB('VmRSS'));
  }, 250);
  // CPU per acknowledged order of the core processes, this load client and the rest of the machine
  // (PostgreSQL's processes, the kernel's network work outside them; a quiet machine has little else).
  const corePids = cores.map((c) => c.child.pid!);
  const before = { core: cpuMs(corePids), machine: machineBusyMs(), client: cpuMs([process.pid]) };
  const b = await ingestPhase(SECONDS);
  clearInterval(sampler);
  const per = (now: number, was: number) => ((now - was) / Math.max(1, b.ok)).toFixed(2);
  const used = { core: cpuMs(corePids) - before.core, client: cpuMs([process.pid]) - before.client, machine: machineBusyMs() - before.machine };
  const cpu = `CPU per order: core ${per(used.core, 0)} ms, load client ${per(used.client, 0)} ms, the rest (PostgreSQL) ${per(used.machine - used.core - used.client, 0)} ms`;
  const o = b.ok / b.seconds;
  tps.push(a);
  ops.push(o);
  ratios.push(o / a);
  latencies.push(...b.latencies);
  acknowledged += b.ok;
  deferred += b.deferred;
  failed += b.failed;
  console.log(`round ${round}: pgbench ${a.toFixed(0)} tps | ingest ${o.toFixed(0)} orders/s (${b.ok} 2xx, ${b.deferred} 503 retried, ${b.reconnects} resent on a closed connection, ${b.failed} failed) | ratio ${(o / a).toFixed(2)} | ${cpu}`);
}
await Promise.all(cores.map(({ child }) => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); })));

latencies.sort((x, y) => x - y);
const [{ orders, clients }] = (await db.sql`
  select (select count(*)::int from orders) as orders, (select count(*)::int from clients) as clients`) as unknown as [{ orders: number; clients: number }];
const fmt = (s: { min: number; median: number; max: number }, d = 0) => `min ${s.min.toFixed(d)} / median ${s.median.toFixed(d)} / max ${s.max.toFixed(d)}`;
console.log(`pgbench   tpcb-like tps:   ${fmt(spread(tps))}`);
console.log(`ingest    orders/s:        ${fmt(spread(ops))}`);
console.log(`ratio     orders/s ÷ tps:  ${fmt(spread(ratios), 2)} (goal ≥ 1.0)`);
console.log(`check     ${acknowledged} acknowledged, ${orders} orders stored${orders === acknowledged ? '' : ' (MISMATCH)'}, ${clients} clients, ${deferred} 503s retried, ${failed} other non-2xx`);
console.log(`memory    core RSS idle ${idleRss.toFixed(0)} MiB, under load ${peakInFlightRss.toFixed(0)} MiB (sum over ${PROCS} process${PROCS > 1 ? 'es' : ''})`);
await pgbench.close();
await db.close();
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
console.log(
  `ingest: ratio ${spread(ratios).median.toFixed(2)} (orders/s ${spread(ops).median.toFixed(0)}, pgbench tps ${spread(tps).median.toFixed(0)}, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, clients ${C})`,
);
if (orders !== acknowledged || failed > 0) process.exitCode = 1;
