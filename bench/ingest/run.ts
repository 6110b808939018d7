import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { signShopifyBody } from '../../core/src/channels/index.ts';
import { makeShopifyOrderObject, serializeShopifyJson } from '../../test/fakes/shopify/shopify-order-fixtures.ts';
import { BENCH_MASTER_KEY, benchDatabase, benchTenant, percentile, tpcbBaseline } from '../support/bench-db.ts';

/**
 * Signed Shopify orders/create webhooks over HTTP into a core process at concurrency C for N
 * seconds, against the TPC-B-like transaction through the same driver at the same C, in one run.
 * Each webhook is a full intake: HMAC check, dedupe row, order + client + addresses + 3 lines,
 * sync log, outbox row, all in one transaction before the 200.
 */
const C = Number(process.env.C ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 10);

const db = await benchDatabase(C + 4);
const t = await benchTenant(db, { skus: 20, stockEach: 1000, autoConfirm: true });
console.log(`bench/ingest on ${db.serverKind}; concurrency ${C}, ${SECONDS} s each`);

const baseline = await tpcbBaseline(db.sql, C, SECONDS);
console.log(`baseline  TPC-B-like transaction (5 statements): ${baseline.tps.toFixed(0)} tps (${baseline.count} tx)`);

// CORE_PROF=<dir> writes a CPU profile of the core process there (how the bound below was found).
const child = spawn(process.execPath, [...(process.env.CORE_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CORE_PROF] : []), new URL('./core-server.ts', import.meta.url).pathname], {
  env: { ...process.env, DATABASE_URL: db.url, EXPEDIO_MASTER_KEY: BENCH_MASTER_KEY, POOL: String(C + 4) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => {
  child.stdout!.on('data', (d: Buffer) => {
    const m = /PORT (\d+)/.exec(d.toString());
    if (m) resolve(Number(m[1]));
  });
});
const url = `http://127.0.0.1:${port}/webhooks/shopify`;

const template = makeShopifyOrderObject({ cancelled_at: null, cancel_reason: null, financial_status: 'paid' });
const lineTemplate = (template.line_items as Array<Record<string, unknown>>)[0]!;
let seq = 0;
function nextBody(): { raw: string; id: string } {
  const n = seq++;
  const id = String(7_000_000_000_000_000_000n + BigInt(n));
  const raw = serializeShopifyJson({
    ...template,
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#B${n}`,
    email: `buyer${n % 5000}@example.com`,
    customer: { ...(template.customer as Record<string, unknown>), id: String(600_000_000_000 + (n % 5000)), email: `buyer${n % 5000}@example.com` },
    line_items: [0, 1, 2].map((k) => ({ ...lineTemplate, id: `${id.slice(0, 12)}${k}`, sku: t.skus[(n + k) % t.skus.length], quantity: 1, current_quantity: 1 })),
  });
  return { raw, id };
}

const latencies: number[] = [];
let errors = 0;
const until = Date.now() + SECONDS * 1000;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: C }, async () => {
    while (Date.now() < until) {
      const { raw, id } = nextBody();
      const bytes = Buffer.from(raw);
      const s = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': signShopifyBody(bytes, t.appSecret),
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': t.shopDomain,
          'x-shopify-webhook-id': `bench-${id}`,
          'x-shopify-api-version': '2025-10',
        },
        body: bytes,
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      latencies.push(performance.now() - s);
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
child.kill('SIGTERM');
latencies.sort((a, b) => a - b);
const [{ n }] = (await db.sql`select count(*)::int as n from orders`) as unknown as [{ n: number }];
const ops = latencies.length / elapsed;
console.log(`webhooks  orders/create, signed, over HTTP:   ${ops.toFixed(0)} orders/s (${latencies.length} requests, ${errors} non-200, ${n} orders stored)`);
console.log(`latency   p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
console.log(`memory    core process peak RSS ${hwm.toFixed(0)} MiB`);
console.log(`ratio     orders/s ÷ baseline tps = ${(ops / baseline.tps).toFixed(2)} (goal ≥ 1.0)`);
await db.close();
