import { createServer, type Socket } from 'node:net';
import { signShopifyBody, writeCredentials } from '../../core/src/channels/index.ts';
import * as outbox from '../../core/src/db/index.ts';
import { outboxHandlers } from '../../core/src/flows/index.ts';
import { createApp } from '../../core/src/http/index.ts';
import { openOutboxStall } from '../../core/src/stalls/index.ts';
import { makeShopifyOrderObject, serializeShopifyJson } from '../../test/fakes/shopify/shopify-order-fixtures.ts';
import type { TenantFixture } from '../../test/support/core-harness.ts';
import { insertShippedOrder } from '../../test/writeback/support.ts';
import { benchDatabase, benchTenant } from '../support/bench-db.ts';

/**
 * The probe of issue 15: three write-backs to a WooCommerce store that accepts the connection and
 * never answers, then five new Shopify orders. Prints how long until the five are validated, the
 * longest transaction left idle in Postgres meanwhile, and the attempts counted on the store's
 * items. The dispatcher is driven as the worker's `dispatch-outbox` job drives it, run after run.
 * The same file runs against the dispatcher before this change (no runOutboxDispatcher export: the
 * job's old loop of dispatchOutbox batches). LIMIT_S caps the wait (default 300 s).
 */
const LIMIT_MS = Number(process.env.LIMIT_S ?? 300) * 1000;
const db = await benchDatabase(24);
const sockets = new Set<Socket>();
const dead = createServer((s) => {
  sockets.add(s);
  s.on('error', () => {});
  s.on('close', () => sockets.delete(s));
});
await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
const deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}`;

const t = await benchTenant(db, { skus: 3, stockEach: 1000, autoConfirm: true });
const [woo] = await db.sql<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, default_warehouse_id)
  values (${t.tenantId}, 'woocommerce', 'dead woo', ${deadUrl}, ${t.warehouseId}) returning id::text`;
await writeCredentials(db.sql, db.box, t.tenantId, woo!.id, { consumerKey: 'ck_dead', consumerSecret: 'cs_dead', adminBaseUrl: deadUrl });
const fixture = { tenantId: t.tenantId, warehouseId: t.warehouseId, productIds: Object.fromEntries(t.skus.map((s, i) => [s, t.productIds[i]!])) } as unknown as TenantFixture;
for (let i = 0; i < 3; i++) {
  await insertShippedOrder(db.sql, fixture, { channelId: woo!.id, externalOrderId: `80${i}`, lines: [{ sku: t.skus[0]!, quantity: 1, externalLineId: `l${i}` }], email: null, phone: null });
}

const context = { box: db.box, now: () => new Date() };
let stop = false;
const newDispatcher = (outbox as Record<string, unknown>).runOutboxDispatcher as typeof outbox.runOutboxDispatcher | undefined;
// One worker: its job runs for ~5 s, then again (Bree starts the next run once this one has ended).
const worker = (async () => {
  while (!stop) {
    if (newDispatcher) {
      await newDispatcher(db.sql, outboxHandlers, { concurrency: 16, until: Date.now() + 5000, context, onStalled: openOutboxStall });
    } else {
      const until = Date.now() + 5000;
      while (Date.now() < until && !stop) {
        const r = await outbox.dispatchOutbox(db.sql, outboxHandlers, { batch: 50, context, onStalled: openOutboxStall } as never);
        if (r.done + r.failed + r.stalled === 0) break;
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
})();

// The write-backs have reached the store before the orders come in.
while (sockets.size === 0) await new Promise((r) => setTimeout(r, 50));

const app = createApp({ sql: db.sql, box: db.box, now: () => new Date() });
const template = makeShopifyOrderObject({ cancelled_at: null, cancel_reason: null, financial_status: 'paid' });
const line = (template.line_items as Array<Record<string, unknown>>)[0]!;
const started = performance.now();
for (let n = 0; n < 5; n++) {
  const id = String(7_100_000_000_000_000_000n + BigInt(n));
  const raw = Buffer.from(
    serializeShopifyJson({ ...template, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#P${n}`, line_items: [{ ...line, id: `${id.slice(0, 12)}1`, sku: t.skus[1], quantity: 1, current_quantity: 1 }] }),
  );
  const res = await app.request('/webhooks/shopify', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': signShopifyBody(raw, t.appSecret), 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': t.shopDomain, 'x-shopify-webhook-id': `probe-${id}`, 'x-shopify-api-version': '2025-10' },
    body: raw,
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}
let longestIdleS = 0;
let validatedMs: number | null = null;
while (performance.now() - started < LIMIT_MS) {
  const [idle] = await db.sql<{ s: number | null }[]>`select extract(epoch from max(now() - xact_start))::float as s from pg_stat_activity
    where datname = current_database() and state like 'idle in transaction%'`;
  longestIdleS = Math.max(longestIdleS, idle?.s ?? 0);
  const [v] = await db.sql<{ n: number }[]>`select count(*)::int as n from orders where tenant_id = ${t.tenantId} and channel_id = ${t.channelId} and status = 'confirmed'`;
  if (v!.n === 5) {
    validatedMs = performance.now() - started;
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
const attempts = await db.sql<{ attempts: number; status: string }[]>`select attempts, status from outbox where tenant_id = ${t.tenantId} and kind = 'writeback.woocommerce.shipped' order by id`;
console.log(`dispatcher: ${newDispatcher ? 'leases, per-target limit (after)' : 'one claiming transaction (before)'}`);
console.log(`five Shopify orders validated after: ${validatedMs === null ? `not within ${LIMIT_MS / 1000} s` : `${(validatedMs / 1000).toFixed(2)} s`}`);
console.log(`longest transaction idle in Postgres meanwhile: ${longestIdleS.toFixed(1)} s`);
console.log(`dead store's write-backs (attempts/status) then: ${attempts.map((a) => `${a.attempts}/${a.status}`).join(', ')}`);
stop = true;
for (const s of sockets) s.destroy();
dead.close();
await worker;
await db.close();
process.exit(0);
