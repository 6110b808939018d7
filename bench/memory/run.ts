import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_MASTER_KEY, benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';
import { HttpConnection } from '../support/http-load.ts';
import { shopifyOrderHead, shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * The core's resident memory idle and with C signed Shopify orders/create webhooks in flight, in a
 * core process of its own (bench/ingest/core-server.ts). No pgbench beside it (bench/ingest does the
 * throughput ratio), so C may exceed the server's max_connections: the core's pool (POOL, default 20)
 * queues what does not fit, as it would in production.
 *
 *   C=256 SECONDS=5 node bench/memory/run.ts
 *
 * The core is started twice (the first fills Node's compile cache, the second is measured, as a
 * restarted replica would be). Last line: `memory: core RSS idle X MiB, at C in flight Y MiB (anon A / file F MiB idle; ...)`.
 * RSS counts the node binary's pages read from disk (file: shared, reclaimable) and the process's own
 * (anon: heap, code, buffers); the goals are on RSS.
 */
const C = Number(process.env.C ?? 256);
const SECONDS = Number(process.env.SECONDS ?? 5);
const IDLE_WAIT_MS = Number(process.env.IDLE_WAIT_MS ?? 3000);
const SKUS = Number(process.env.SKUS ?? 500);

const db = await benchDatabase(4);
const t = await benchTenant(db, { skus: SKUS, stockEach: 1_000_000, autoConfirm: true });
// Node's compile cache (stripped TypeScript and compiled code kept between starts) is what a
// deployed core runs with (README): COMPILE_CACHE=<dir>, default a fresh one per run; =off without.
// The first start fills it and its idle RSS is printed as the cold start; the second is measured.
const compileCache = process.env.COMPILE_CACHE ?? mkdtempSync(join(tmpdir(), 'expedio-compile-cache-'));
const cacheEnv = compileCache === 'off' ? { NODE_DISABLE_COMPILE_CACHE: '1' } : { NODE_COMPILE_CACHE: compileCache };
type Field = 'VmRSS' | 'RssAnon' | 'RssFile';
const mib = (s: string, field: Field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) / 1024;

async function startCore() {
  const child = spawn(process.execPath, [...(process.env.CORE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), new URL('../ingest/core-server.ts', import.meta.url).pathname], {
    env: { ...process.env, ...cacheEnv, DATABASE_URL: db.url, EXPEDIO_MASTER_KEY: BENCH_MASTER_KEY, POOL: process.env.POOL ?? '20' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the core exited (${code}) before listening`)));
    child.stdout!.on('data', (d: Buffer) => {
      const m = /PORT (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return { port, status, idle: status(), stop };
}

const cold = await startCore();
await cold.stop();
const core = await startCore();
const { status, idle } = core;
const url = `http://127.0.0.1:${core.port}/webhooks/shopify`;

const nextBody = shopifyOrderStream({ skus: t.skus, idBase: 7_100_000_000_000_000_000n, customerBase: 610_000_000_000, prefix: 'Mem' });

let peak = { rss: 0, anon: 0, file: 0 };
let inFlight = 0;
let peakInFlight = 0;
const sampler = setInterval(() => {
  const s = status();
  if (mib(s, 'VmRSS') > peak.rss) peak = { rss: mib(s, 'VmRSS'), anon: mib(s, 'RssAnon'), file: mib(s, 'RssFile') };
}, 100);
let ok = 0;
let other = 0;
let deferred = 0;
const latencies: number[] = [];
const until = Date.now() + SECONDS * 1000;
await Promise.all(
  Array.from({ length: C }, async () => {
    // One kept-alive connection per client, one request in flight on each: C connections are C in flight.
    const conn = new HttpConnection(url);
    while (Date.now() < until) {
      const { bytes, id } = nextBody();
      const s = performance.now();
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      // A 503 is retried after its Retry-After, as Shopify would; the latency is the 2xx answer's, from the first send.
      let res = await conn.request(shopifyOrderHead('/webhooks/shopify', t, bytes, `mem-${id}`), bytes);
      for (let tries = 1; res.status === 503 && tries < 10 && Date.now() < until + 5000; tries++) {
        deferred++;
        await new Promise((r) => setTimeout(r, 1000 * Math.min(5, Number(res.retryAfter ?? 1))));
        res = await conn.request(shopifyOrderHead('/webhooks/shopify', t, bytes, `mem-${id}`), bytes);
      }
      inFlight--;
      if (res.status >= 200 && res.status < 300) {
        ok++;
        latencies.push(performance.now() - s);
      } else other++;
    }
    conn.close();
  }),
);
clearInterval(sampler);
await core.stop();
if (!process.env.COMPILE_CACHE) rmSync(compileCache, { recursive: true, force: true });
await db.close();
latencies.sort((a, b) => a - b);
const f = (x: number) => x.toFixed(0);
console.log(`load      ${ok} 2xx, ${other} other (${deferred} 503s retried after Retry-After) in ${SECONDS} s, up to ${peakInFlight} in flight, p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
console.log(`cold      first start (compile cache ${compileCache === 'off' ? 'off' : 'empty'}): core RSS idle ${f(mib(cold.idle, 'VmRSS'))} MiB (anon ${f(mib(cold.idle, 'RssAnon'))} / file ${f(mib(cold.idle, 'RssFile'))} MiB)`);
console.log(
  `memory: core RSS idle ${f(mib(idle, 'VmRSS'))} MiB, at ${C} in flight ${f(peak.rss)} MiB (anon ${f(mib(idle, 'RssAnon'))} / file ${f(mib(idle, 'RssFile'))} MiB idle; anon ${f(peak.anon)} / file ${f(peak.file)} MiB in flight)`,
);
