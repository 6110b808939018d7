import { spawn } from 'node:child_process';
import { benchDatabase, percentile } from '../support/bench-db.ts';
import { HttpConnection } from '../support/http-load.ts';
import { pgbenchDatabase, spread } from '../support/pgbench.ts';
import { cpuMs, machineBusyMs } from '../support/process-cpu.ts';
import { shopifyOrderHead, shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * The floor under bench/ingest (issue 14): how many of the same signed orders/create webhooks a
 * route that writes nothing answers, by the same load client at the same client count, against
 * pgbench's TPC-B-like run, interleaved (pgbench, bare, signed, pgbench, bare, signed… ROUNDS rounds).
 * `bare` reads the body and answers; `signed` also checks the HMAC and parses the body as the core
 * does (floor-server.ts). Whatever an intake writes comes on top of the `signed` route's CPU, on the
 * same 2 cores, so its ratio bounds bench/ingest's from above.
 *
 *   C=16 SECONDS=10 ROUNDS=3 node bench/ingest/floor.ts
 *
 * Last line: `floor: bare route ratio B, signed route ratio S (req/s …, pgbench tps P, clients C)`.
 */
const C = Number(process.env.C ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const MAX_REQUESTS_PER_PHASE = Number(process.env.MAX_REQUESTS ?? 400_000);
const shop = { shopDomain: 'floor-bench.myshopify.com', appSecret: 'floor-bench-secret' };

const db = await benchDatabase(2);
const pgbench = await pgbenchDatabase(db.adminUrl, Math.max(C, 10));

async function startServer(mode: 'bare' | 'signed'): Promise<{ child: ReturnType<typeof spawn>; url: string }> {
  const child = spawn(process.execPath, [new URL('./floor-server.ts', import.meta.url).pathname], {
    env: { ...process.env, FLOOR: mode, FLOOR_SECRET: shop.appSecret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited (${code}) before listening`)));
    child.stdout!.on('data', (d: Buffer) => {
      const m = /PORT (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, url: `http://127.0.0.1:${port}/webhooks/shopify` };
}
const servers = { bare: await startServer('bare'), signed: await startServer('signed') };
process.once('exit', () => {
  for (const s of Object.values(servers)) s.child.kill('SIGKILL');
});

const skus = Array.from({ length: 500 }, (_, i) => `FLOOR-${i}`);
const nextBody = shopifyOrderStream({ skus, idBase: 8_000_000_000_000_000_000n, customerBase: 700_000_000_000, prefix: 'Floor' });

interface Phase {
  ok: number;
  failed: number;
  perSecond: number;
  latencies: number[];
  cpu: string;
}

async function phase(mode: 'bare' | 'signed', seconds: number): Promise<Phase> {
  const server = servers[mode];
  const p: Phase = { ok: 0, failed: 0, perSecond: 0, latencies: [], cpu: '' };
  const until = Date.now() + seconds * 1000;
  let sent = 0;
  const before = { server: cpuMs([server.child.pid!]), client: cpuMs([process.pid]), machine: machineBusyMs() };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      const conn = new HttpConnection(server.url);
      while (Date.now() < until && sent < MAX_REQUESTS_PER_PHASE) {
        sent++;
        const { bytes, id } = nextBody();
        const s = performance.now();
        const res = await conn.request(shopifyOrderHead('/webhooks/shopify', shop, bytes, `floor-${id}`), bytes);
        if (res.status === 200) {
          p.ok++;
          p.latencies.push(performance.now() - s);
        } else if (++p.failed <= 3) console.log(`  ${mode}: ${res.status} ${res.body.slice(0, 200)}`);
      }
      conn.close();
    }),
  );
  p.perSecond = p.ok / ((performance.now() - t0) / 1000);
  const per = (ms: number) => (ms / Math.max(1, p.ok)).toFixed(3);
  const used = { server: cpuMs([server.child.pid!]) - before.server, client: cpuMs([process.pid]) - before.client, machine: machineBusyMs() - before.machine };
  p.cpu = `CPU per request: server ${per(used.server)} ms, load client ${per(used.client)} ms, the rest ${per(used.machine - used.server - used.client)} ms`;
  return p;
}

console.log(`bench/ingest floor on ${db.serverKind}; clients ${C}, ${ROUNDS} rounds of pgbench ${SECONDS} s, bare route ${SECONDS} s, signed route ${SECONDS} s`);
await phase('bare', 1);
await phase('signed', 1);
const tps: number[] = [];
const ratios = { bare: [] as number[], signed: [] as number[] };
const rates = { bare: [] as number[], signed: [] as number[] };
const latencies = { bare: [] as number[], signed: [] as number[] };
let failed = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const a = pgbench.run(C, SECONDS);
  tps.push(a);
  const line = [`round ${round}: pgbench ${a.toFixed(0)} tps`];
  for (const mode of ['bare', 'signed'] as const) {
    const p = await phase(mode, SECONDS);
    failed += p.failed;
    rates[mode].push(p.perSecond);
    ratios[mode].push(p.perSecond / a);
    for (const l of p.latencies) latencies[mode].push(l);
    line.push(`${mode} ${p.perSecond.toFixed(0)} req/s (ratio ${(p.perSecond / a).toFixed(2)}; ${p.cpu})`);
  }
  console.log(line.join(' | '));
}
await Promise.all(Object.values(servers).map(({ child }) => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); })));
await pgbench.close();
await db.close();
const fmt = (xs: number[], d = 0) => {
  const s = spread(xs);
  return `min ${s.min.toFixed(d)} / median ${s.median.toFixed(d)} / max ${s.max.toFixed(d)}`;
};
console.log(`pgbench   tpcb-like tps:   ${fmt(tps)}`);
for (const mode of ['bare', 'signed'] as const) {
  latencies[mode].sort((x, y) => x - y);
  console.log(`${mode.padEnd(9)} req/s:           ${fmt(rates[mode])}; ratio ${fmt(ratios[mode], 2)}; p50 ${percentile(latencies[mode], 50).toFixed(1)} ms`);
}
console.log(
  `floor: bare route ratio ${spread(ratios.bare).median.toFixed(2)}, signed route ratio ${spread(ratios.signed).median.toFixed(2)} (req/s ${spread(rates.bare).median.toFixed(0)} / ${spread(rates.signed).median.toFixed(0)}, pgbench tps ${spread(tps).median.toFixed(0)}, clients ${C})`,
);
if (failed > 0) process.exitCode = 1;
