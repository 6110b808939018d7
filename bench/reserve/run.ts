import type { ChannelOrder } from '../../core/src/channels/index.ts';
import { getChannel } from '../../core/src/channels/index.ts';
import { ingestChannelOrder, confirmOrder } from '../../core/src/flows/index.ts';
import { benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';

/**
 * 1,000 concurrent confirms over 20 SKUs (50 orders per SKU for 40 units each, so 200 must be
 * refused), each its own transaction with row locks in product order. Prints confirms/s, the
 * ratio to a bare one-row locked update at the same concurrency, and oversold units (must be 0).
 */
const ORDERS = Number(process.env.ORDERS ?? 1000);
const C = Number(process.env.C ?? 32);
const db = await benchDatabase(C + 2);
const t = await benchTenant(db, { skus: 20, stockEach: 40, autoConfirm: false });
const channel = await getChannel(db.sql, t.tenantId, t.channelId);
console.log(`bench/reserve on ${db.serverKind}; ${ORDERS} orders over ${t.skus.length} SKUs, pool ${C}`);

const ids: string[] = [];
await db.sql.begin(async (tx) => {
  for (let i = 0; i < ORDERS; i++) {
    const now = new Date().toISOString();
    const order: ChannelOrder = {
      externalOrderId: String(i + 1), externalNumber: `#${i + 1}`, platformStatus: 'paid', createdAt: now, updatedAt: now, currency: 'RON',
      pricesIncludeTax: true, email: `c${i}@example.com`,
      customer: { externalId: null, email: `c${i}@example.com`, firstName: 'C', lastName: String(i), phone: null, company: null, vatNumber: null },
      billingAddress: null, shippingAddress: null,
      lines: [{ externalLineId: '1', sku: t.skus[i % t.skus.length]!, name: 'x', quantity: 1, unitPrice: '10', discount: '0', total: '10', tax: null, externalProductId: null, externalVariantId: null }],
      shippingLines: [], subtotal: '10', discountTotal: '0', shippingTotal: '0', taxTotal: '0', total: '10',
      paymentMethod: 'card', paymentStatus: 'paid', cancelled: false, note: null, tags: [],
    };
    ids.push((await ingestChannelOrder(tx, channel, order)).orderId!);
  }
});

// Baseline: the same number of single-row locked updates (select … for update + update) at the same concurrency.
await db.sql`create table bench_counter (id int primary key, n int not null)`;
await db.sql`insert into bench_counter select g, 0 from generate_series(1, 20) g`;
let next = 0;
const b0 = performance.now();
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next < ORDERS) {
      const k = 1 + (next++ % 20);
      await db.sql.begin(async (tx) => {
        await tx`select n from bench_counter where id = ${k} for update`;
        await tx`update bench_counter set n = n + 1 where id = ${k}`;
      });
    }
  }),
);
const baselinePerSec = ORDERS / ((performance.now() - b0) / 1000);

const latencies: number[] = [];
let confirmed = 0;
let held = 0;
let failures = 0;
const t0 = performance.now();
await Promise.all(
  ids.map(async (id) => {
    const s = performance.now();
    try {
      const r = await db.sql.begin((tx) => confirmOrder(tx, t.tenantId, id));
      if (r.status === 'confirmed') confirmed++;
      else held++;
    } catch (e) {
      failures++;
      console.error(e);
    }
    latencies.push(performance.now() - s);
  }),
);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const [check] = (await db.sql`select coalesce(sum(greatest(reserved - on_hand, 0)), 0)::int as oversold, sum(reserved)::int as reserved, sum(on_hand)::int as on_hand
  from stock where tenant_id = ${t.tenantId}`) as unknown as [{ oversold: number; reserved: number; on_hand: number }];
const perSec = ORDERS / seconds;
console.log(`baseline  one-row locked update: ${baselinePerSec.toFixed(0)} tx/s`);
console.log(`confirms  ${perSec.toFixed(0)} confirms/s (${confirmed} confirmed, ${held} on hold for stock, ${failures} errors) in ${seconds.toFixed(2)} s`);
console.log(`latency   p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (queued behind the pool)`);
console.log(`ratio     confirms/s ÷ baseline = ${(perSec / baselinePerSec).toFixed(2)}`);
console.log(`stock     reserved ${check.reserved} of ${check.on_hand} on hand; oversold units: ${check.oversold} (must be 0)`);
await db.close();
if (check.oversold !== 0 || failures > 0) process.exit(1);
