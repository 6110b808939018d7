import { signShopifyBody } from '../../core/src/channels/index.ts';
import { receiveShopifyWebhook } from '../../core/src/flows/index.ts';
import { benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';
import { shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * What the report day totals (migration 035) cost the intake: signed Shopify orders/create taken
 * in process (no HTTP, so the core's share is small) by the one-statement intake at C in flight,
 * in alternating phases with the orders triggers on (A) and off (B), ROUNDS of each, so a machine
 * shared with other work loads both alike. The triggers are back on at the end (the database is
 * dropped anyway).
 *
 *   C=16 SECONDS=5 ROUNDS=4 node bench/ingest/day-totals-cost.ts
 */
const C = Number(process.env.C ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 5);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 4));

const db = await benchDatabase(C + 2);
const t = await benchTenant(db, { skus: 100, stockEach: 1_000_000, autoConfirm: true });
const nextBody = shopifyOrderStream({ skus: t.skus, idBase: 8_000_000_000_000_000_000n, customerBase: 700_000_000_000, prefix: 'Cost', customers: 1_000_000 });
const deps = { sql: db.sql, box: db.box, now: () => new Date() };
let seq = 0;

async function phase(): Promise<{ perSecond: number; p50: number }> {
  const until = Date.now() + SECONDS * 1000;
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (Date.now() < until) {
        const { bytes } = nextBody();
        const s = performance.now();
        const r = await receiveShopifyWebhook(
          deps,
          new Headers({ 'x-shopify-hmac-sha256': signShopifyBody(bytes, t.appSecret), 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': t.shopDomain, 'x-shopify-webhook-id': `cost-${seq++}` }),
          bytes,
        );
        if (r.kind !== 'accepted') throw new Error(JSON.stringify(r));
        lat.push(performance.now() - s);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { perSecond: lat.length / ((performance.now() - t0) / 1000), p50: percentile(lat, 50) };
}

const triggers = (on: boolean) => db.sql.unsafe(`alter table orders ${on ? 'enable' : 'disable'} trigger orders_day_totals_insert`);
await phase(); // warm-up: the shop cache, the plans, the connections
const a: number[] = [];
const b: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  await triggers(true);
  const on = await phase();
  await triggers(false);
  const off = await phase();
  a.push(on.perSecond);
  b.push(off.perSecond);
  console.log(`round ${round}: day totals on ${on.perSecond.toFixed(0)} orders/s (p50 ${on.p50.toFixed(1)} ms) | off ${off.perSecond.toFixed(0)} orders/s (p50 ${off.p50.toFixed(1)} ms) | on ÷ off ${(on.perSecond / off.perSecond).toFixed(2)}`);
}
await triggers(true);
await db.close();
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`day-totals-cost: on ÷ off ${(median(a) / median(b)).toFixed(2)} (on ${median(a).toFixed(0)}, off ${median(b).toFixed(0)} orders/s median, C ${C})`);
