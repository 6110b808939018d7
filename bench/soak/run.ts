import { type ChildProcess, fork } from 'node:child_process';
import { BENCH_MASTER_KEY, benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';
import { postShopifyOrder, shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * Soak: signed Shopify orders/create webhooks (a full intake each) over HTTP into one core
 * process at C in flight for SECONDS, on 127.0.0.1 only. Prints the core's RSS and heap at the
 * start, every SAMPLE_S seconds and at the end, each beside the heap after a forced full GC, so
 * growth that a GC takes back (or RSS that levels off) is told apart from a leak (heap after GC
 * climbing sample after sample). Bounded: it stops after SECONDS or MAX_REQUESTS, whichever first.
 *   node bench/soak/run.ts                      10 minutes at 32 in flight
 *   SECONDS=180 C=32 node bench/soak/run.ts     a 3-minute run
 *   SNAPSHOTS=1 …                               heap snapshots at the first and last sample (paths printed)
 */
const C = Number(process.env.C ?? 32);
const SECONDS = Number(process.env.SECONDS ?? 600);
const SAMPLE_S = Number(process.env.SAMPLE_S ?? Math.max(10, Math.round(SECONDS / 10)));
const MAX_REQUESTS = Number(process.env.MAX_REQUESTS ?? 2_000_000);
const WARMUP_S = Number(process.env.WARMUP_S ?? 20);

const db = await benchDatabase(C + 4);
const t = await benchTenant(db, { skus: 20, stockEach: 1_000_000, autoConfirm: true });

const child: ChildProcess = fork(new URL('./core-server.ts', import.meta.url).pathname, [], {
  execArgv: [...process.execArgv, '--expose-gc'],
  env: { ...process.env, DATABASE_URL: db.url, EXPEDIO_MASTER_KEY: BENCH_MASTER_KEY, POOL: String(C + 4) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = <T>(cmd: string, key: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    child.send({ cmd });
  });
const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
const url = `http://127.0.0.1:${port}/webhooks/shopify`;

// 5,000 customers that come back, as a shop's regulars do.
const nextBody = shopifyOrderStream({ skus: t.skus, idBase: 7_100_000_000_000_000_000n, customerBase: 600_000_000_000, prefix: 'Soak', customers: 5000 });

type Sample = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
const rows: string[] = [];
const t0 = Date.now();
let done = 0;
let errors = 0;
let windowLat: number[] = [];
async function sample(label: string): Promise<{ live: Sample; afterGc: Sample }> {
  const live = await ask<Sample>('sample', 'sample');
  const afterGc = await ask<Sample>('gc', 'sample');
  windowLat.sort((a, b) => a - b);
  const line = `${label.padEnd(8)} ${String(Math.round((Date.now() - t0) / 1000)).padStart(5)} s  ${String(done).padStart(8)} req  RSS ${String(live.rss).padStart(6)} MiB  heap ${String(live.heapUsed).padStart(6)}/${String(live.heapTotal).padStart(6)}  after GC: RSS ${String(afterGc.rss).padStart(6)} heap ${String(afterGc.heapUsed).padStart(6)} ext ${String(afterGc.external).padStart(5)} MiB  p50 ${percentile(windowLat, 50).toFixed(0)} ms p99 ${percentile(windowLat, 99).toFixed(0)} ms`;
  windowLat = [];
  console.log(line);
  rows.push(line);
  return { live, afterGc };
}

console.log(`bench/soak on ${db.serverKind}: ${C} in flight, ${SECONDS} s (stops at ${MAX_REQUESTS} requests), sample every ${SAMPLE_S} s, first ${WARMUP_S} s warm-up`);
const start = await sample('start');
const until = Date.now() + SECONDS * 1000;
let nextSampleAt = Date.now() + SAMPLE_S * 1000;
const gcSeries: number[] = [];
let sampling = false;
let warmEnd: { live: Sample; afterGc: Sample } | null = null;
const sampler = setInterval(() => {
  if (sampling || Date.now() < nextSampleAt) return;
  sampling = true;
  nextSampleAt += SAMPLE_S * 1000;
  void sample('sample').then((s) => {
    if (!warmEnd && Date.now() - t0 >= WARMUP_S * 1000) warmEnd = s;
    gcSeries.push(s.afterGc.heapUsed);
    sampling = false;
  });
}, 250);

await Promise.all(
  Array.from({ length: C }, async () => {
    while (Date.now() < until && done < MAX_REQUESTS) {
      const { bytes, id } = nextBody();
      const s = performance.now();
      const res = await postShopifyOrder(url, t, bytes, `soak-${id}`);
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      done++;
      windowLat.push(performance.now() - s);
    }
  }),
);
clearInterval(sampler);
while (sampling) await new Promise((r) => setTimeout(r, 50));
const end = await sample('end');
// Idle: what the process gives back once the load stops.
await new Promise((r) => setTimeout(r, 5000));
const idle = await sample('idle 5s');
const elapsed = (Date.now() - t0) / 1000;
console.log(`\n${done} webhooks in ${elapsed.toFixed(0)} s (${(done / elapsed).toFixed(0)}/s), ${errors} non-200`);
console.log(`RSS     start ${start.live.rss} MiB → end ${end.live.rss} MiB (idle ${idle.afterGc.rss} MiB after GC)`);
console.log(`heap after GC: start ${start.afterGc.heapUsed} MiB, after warm-up ${(warmEnd as { afterGc: Sample } | null)?.afterGc.heapUsed ?? '-'} MiB, end ${end.afterGc.heapUsed} MiB`);
if (gcSeries.length >= 4) {
  const half = Math.floor(gcSeries.length / 2);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`heap after GC, mean of first half of samples ${avg(gcSeries.slice(0, half)).toFixed(1)} MiB vs second half ${avg(gcSeries.slice(half)).toFixed(1)} MiB`);
}
if (process.env.SNAPSHOTS) console.log(`heap snapshot: ${await ask<string>('snapshot', 'snapshot')}`);
child.send({ cmd: 'stop' });
await new Promise((r) => child.once('exit', r));
await db.close();
