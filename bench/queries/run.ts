import { createApiKey } from '../../core/src/auth/index.ts';
import { connect, type Sql } from '../../core/src/db/index.ts';
import { createApp } from '../../core/src/http/index.ts';
import { STALL_DETECTORS } from '../../core/src/stalls/index.ts';
import { benchDatabase, benchTenant, percentile } from '../support/bench-db.ts';

/**
 * The read side at scale: ORDERS orders (default 1,000,000) seeded in SQL with their lines,
 * clients, delivery notes, packing lists, shipments, invoices and sync-log rows in the proportions
 * of a shop that has run for years (85% delivered and invoiced), then every list, report and lookup
 * a screen calls, through the API in process (auth, validation, serialisation included), each
 * RUNS times after a warm-up, under PostgreSQL's custom plans and again under forced generic plans
 * (what a prepared statement turns into after five runs). Prints p50/p95 per query and mode; the
 * goal is p95 < 50 ms for every one.
 *
 *   ORDERS=1000000 RUNS=30 node bench/queries/run.ts
 */
const ORDERS = Number(process.env.ORDERS ?? 1_000_000);
const RUNS = Math.max(5, Number(process.env.RUNS ?? 30));
const BATCH = 100_000;

// KEEP_DB=<name>: seed that database once and measure it again on later runs (migrated to the
// current migrations each time, so a new migration's backfill runs on the million orders too).
const db = await benchDatabase(4, { keep: process.env.KEEP_DB });
const sql = db.sql;
const t0 = performance.now();
const t = db.reused ? await seededTenant() : await seed();

async function seededTenant() {
  const [row] = await sql<{ tenantId: string; channelId: string; warehouseId: string }[]>`
    select t.id::text as "tenantId", c.id::text as "channelId", c.default_warehouse_id::text as "warehouseId"
    from tenants t join channels c on c.tenant_id = t.id where t.name = 'bench' order by t.id, c.id limit 1`;
  if (!row) throw new Error(`KEEP_DB=${process.env.KEEP_DB} holds no seeded bench tenant: drop it and run again`);
  const counts = await sql`select (select count(*) from orders)::int as orders, (select count(*) from returns)::int as returns`;
  console.log(`reusing ${process.env.KEEP_DB}: ${JSON.stringify(counts[0])} on ${db.serverKind}`);
  return row;
}

async function seed() {
const t = await benchTenant(db, { skus: 50, stockEach: 0, autoConfirm: true });

const [series] = await sql<{ id: string }[]>`insert into invoice_series (tenant_id, code) values (${t.tenantId}, 'EXP') returning id::text`;
const [account] = await sql<{ id: string }[]>`
  insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url)
  values (${t.tenantId}, 'sameday', 'Sameday', '\\x00', 'https://api.sameday.ro') returning id::text`;
const clients = Math.ceil(ORDERS / 3);
await sql`
  insert into clients (tenant_id, email, first_name, last_name, kind)
  select ${t.tenantId}, 'c' || g || '@example.com', 'Client' || g, 'Bench', 'person'
  from generate_series(1, ${clients}) g`;
const [clientRow] = await sql<{ firstClient: string }[]>`select min(id)::text as "firstClient" from clients where tenant_id = ${t.tenantId}`;
const firstClient = clientRow!.firstClient;

// Order g is g*30 s after the first: the newest is now. Status by g % 100.
for (let from = 1; from <= ORDERS; from += BATCH) {
  const to = Math.min(ORDERS, from + BATCH - 1);
  await sql.begin(async (tx) => {
    let mark = performance.now();
    const step = (what: string) => {
      if (process.env.SEED_TIMES) console.log(`  ${what} ${(performance.now() - mark).toFixed(0)} ms`);
      mark = performance.now();
    };
    await tx`
      insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, payment_status, currency,
                          subtotal, tax_total, total, shipping_address, billing_address, email, warehouse_id,
                          external_created_at, external_updated_at, created_at, updated_at, hold_reason)
      select ${t.tenantId}, ${t.channelId}, (5000000000000 + g)::text, '#' || g, ${firstClient}::bigint + (g % ${clients}),
             case when g % 100 < 85 then 'delivered' when g % 100 < 88 then 'shipping' when g % 100 < 90 then 'ready'
                  when g % 100 < 92 then 'packed' when g % 100 < 94 then 'picking' when g % 100 < 96 then 'confirmed'
                  when g % 100 < 97 then 'on_hold' when g % 100 < 98 then 'new' else 'cancelled' end,
             'paid', 'RON', 100, 21, 121,
             jsonb_build_object('city', 'Cluj-Napoca', 'county', 'Cluj', 'country', 'RO', 'address1', 'Str. Lungă ' || g),
             jsonb_build_object('city', 'Cluj-Napoca', 'county', 'Cluj', 'country', 'RO', 'address1', 'Str. Lungă ' || g),
             'c' || (g % ${clients}) || '@example.com', ${t.warehouseId},
             ts, ts, ts, ts, case when g % 100 = 96 then 'stock' end
      from generate_series(${from}::int, ${to}::int) g,
           lateral (select now() - make_interval(secs => (${ORDERS}::int - g) * 30) as ts) x`;
    step('orders');
    // Fresh tables have no statistics: without them the joins below become nested loops over seq scans.
    await tx`analyze orders, order_lines, delivery_notes, packing_lists`;
    const range = tx`o.tenant_id = ${t.tenantId} and o.channel_id = ${t.channelId} and o.external_order_id between ${String(5000000000000 + from)} and ${String(5000000000000 + to)}`;
    await tx`
      insert into order_lines (tenant_id, order_id, line_no, external_line_id, product_id, sku, name, quantity, unit_price, total, tax, vat_rate)
      select o.tenant_id, o.id, 1, o.external_order_id || '1', ${t.productIds[0]!}, ${t.skus[0]!}, 'Produs', 1, 100, 100, 21, 21
      from orders o where ${range}`;
    step('lines');
    await tx`
      insert into delivery_notes (tenant_id, order_id, warehouse_id, type, status, blocked, created_at, updated_at)
      select o.tenant_id, o.id, o.warehouse_id, 'total', case when o.status = 'picking' then 'ready_for_packing' else 'packed' end,
             o.status = 'picking' and o.external_order_id like '%00', o.created_at, o.created_at
      from orders o where ${range} and o.status in ('picking', 'packed', 'ready', 'shipping', 'delivered')`;
    step('delivery notes');
    await tx`analyze delivery_notes`;
    await tx`
      insert into packing_lists (tenant_id, delivery_note_id, order_id, type, status, courier, service, created_at, updated_at)
      select d.tenant_id, d.id, d.order_id, 'total',
             case o.status when 'delivered' then 'delivered' when 'shipping' then 'in_transit' else 'ready_to_deliver' end,
             'sameday', '7', o.created_at, o.created_at
      from delivery_notes d join orders o on o.tenant_id = d.tenant_id and o.id = d.order_id
      where ${range} and o.status in ('ready', 'shipping', 'delivered')`;
    step('packing lists');
    await tx`analyze packing_lists`;
    await tx`
      insert into shipments (tenant_id, packing_list_id, order_id, warehouse_id, courier_account_id, courier, service, reference, awb,
                             status, last_event_at, ship_date, delivered_at, cod_amount, cod_currency, cod_status, created_at, updated_at)
      select p.tenant_id, p.id, p.order_id, o.warehouse_id, ${account!.id}, 'sameday', '7', o.external_number, '1SDY' || o.external_order_id,
             case o.status when 'delivered' then 'delivered' else 'in_transit' end, o.created_at + interval '1 day', o.created_at::date,
             case o.status when 'delivered' then o.created_at + interval '2 days' end,
             case when o.external_order_id like '%7' then 121 end, case when o.external_order_id like '%7' then 'RON' end,
             case when o.external_order_id like '%7' then (case o.status when 'delivered' then 'settled' else 'pending' end) end,
             o.created_at, o.created_at
      from packing_lists p join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
      where ${range} and o.status in ('shipping', 'delivered')`;
    step('shipments');
    // Every delivered order is invoiced except one in a thousand (what the "no invoice" stall finds).
    await tx`
      insert into invoices (tenant_id, kind, series_id, series, number, full_number, order_id, channel_id, client_id, source, currency,
                            issue_date, due_date, seller, buyer, line_net_total, tax_exclusive_total, tax_total, tax_inclusive_total,
                            payable_total, created_at)
      select o.tenant_id, 'invoice', ${series!.id}, 'EXP', (o.external_order_id::bigint - 5000000000000), 'EXP' || (o.external_order_id::bigint - 5000000000000),
             o.id, o.channel_id, o.client_id, 'on_shipping', 'RON', o.created_at::date, o.created_at::date + 15,
             '{}'::jsonb, '{}'::jsonb, 100, 100, 21, 121, 121, o.created_at
      from orders o where ${range} and o.status = 'delivered' and o.external_order_id not like '%999'`;
    step('invoices');
    await tx`
      insert into sync_log (tenant_id, channel_id, direction, kind, topic, external_id, delivery_id, outcome, created_at)
      select o.tenant_id, o.channel_id, 'inbound', 'webhook', 'orders/create', o.external_order_id, 'wh-' || o.external_order_id,
             case when o.external_order_id like '%13' then 'duplicate' else 'ok' end, o.created_at
      from orders o where ${range}`;
    step('sync log');
  });
  process.stdout.write(`seeded ${to} orders (${((performance.now() - t0) / 1000).toFixed(0)} s)\r`);
}
// One delivered order in a hundred comes back five days later (a third manual, one in seven of
// those left cancelled): its line with a reason; the physical ones received, restock or quarantine.
await sql.begin(async (tx) => {
  const [bin] = await tx<{ id: string }[]>`select id::text from bins where tenant_id = ${t.tenantId} order by bins.id limit 1`;
  await tx`
    insert into returns (tenant_id, order_id, channel_id, warehouse_id, type, status, created_at, updated_at)
    select o.tenant_id, o.id, o.channel_id, o.warehouse_id,
           case g % 3 when 0 then 'manual' when 1 then 'fully' else 'partially' end,
           case when g % 7 = 0 then 'cancelled' else 'approved' end,
           least(now(), o.created_at + interval '5 days'), least(now(), o.created_at + interval '5 days')
    from orders o, lateral (select (o.external_order_id::bigint - 5000000000000)::int / 100 as g) x
    where o.tenant_id = ${t.tenantId} and o.status = 'delivered' and o.external_order_id like '%00'`;
  await tx`
    insert into return_lines (tenant_id, return_id, line_no, order_line_no, product_id, sku, name, quantity, reason)
    select r.tenant_id, r.id, 1, 1, ${t.productIds[0]!}, ${t.skus[0]!}, 'Produs', 1,
           (array['damaged', 'wrong_size', 'not_as_described', 'changed_mind'])[1 + r.id % 4]
    from returns r where r.tenant_id = ${t.tenantId}`;
  await tx`
    insert into return_receipts (tenant_id, return_id, warehouse_id, status, approved_at, created_at)
    select r.tenant_id, r.id, r.warehouse_id, 'approved', r.created_at, r.created_at
    from returns r where r.tenant_id = ${t.tenantId} and r.type <> 'manual' and r.status <> 'cancelled'`;
  await tx`
    insert into return_receipt_lines (tenant_id, receipt_id, return_line_no, product_id, quantity, destination, bin_id, created_at)
    select c.tenant_id, c.id, 1, ${t.productIds[0]!}, 1, case when c.id % 2 = 0 then 'restock' else 'quarantine' end,
           case when c.id % 2 = 0 then ${bin!.id}::bigint end, c.created_at
    from return_receipts c where c.tenant_id = ${t.tenantId}`;
});
await sql`update invoice_series set next_number = ${ORDERS + 1} where id = ${series!.id}`;
// The steady state of a live database: autovacuum has set the visibility map (index-only scans) and the statistics.
await sql`vacuum analyze`;
const counts = await sql`select
  (select count(*) from orders)::int as orders, (select count(*) from shipments)::int as shipments,
  (select count(*) from invoices)::int as invoices, (select count(*) from delivery_notes)::int as "deliveryNotes",
  (select count(*) from sync_log)::int as "syncLog", (select count(*) from returns)::int as returns`;
console.log(`\nseeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts[0])} on ${db.serverKind}`);
return t;
}

const apiKey = await sql.begin((tx) => createApiKey(tx, t.tenantId, 'bench'));
const [deep] = await sql<{ createdAt: Date; id: string }[]>`
  select created_at as "createdAt", id::text from orders where tenant_id = ${t.tenantId} order by created_at desc, id desc offset ${Math.floor(ORDERS * 0.9)} limit 1`;
const deepCursor = Buffer.from(JSON.stringify({ createdAt: deep!.createdAt.toISOString(), id: deep!.id })).toString('base64url');
const [deepLog] = await sql<{ id: string }[]>`select id::text from sync_log where tenant_id = ${t.tenantId} order by sync_log.id offset ${Math.floor(ORDERS * 0.1)} limit 1`;
const someOrder = String(5000000000000 + Math.floor(ORDERS / 2));
// The second page of AWBs in transit (keyset on created_at, id): the cursor the first page of 100 answers.
const transitFirst = await createApp({ sql, box: db.box, now: () => new Date() }).request('/api/v1/reports/awbs-in-transit?limit=100', { headers: { authorization: `Bearer ${apiKey}` } });
const transitCursor = ((await transitFirst.json()) as { nextCursor: string }).nextCursor;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const queries: Array<[string, string]> = [
  ['orders, first page', '/api/v1/orders?limit=50'],
  ['orders, page at 90% depth', `/api/v1/orders?limit=50&cursor=${deepCursor}`],
  ['orders, status tab on hold', '/api/v1/orders?limit=50&status=on_hold'],
  ['orders, status delivered deep', `/api/v1/orders?limit=50&status=delivered&cursor=${deepCursor}`],
  ['orders, by channel', `/api/v1/orders?limit=50&channelId=${t.channelId}`],
  ['orders, externalOrderId lookup', `/api/v1/orders?externalOrderId=${someOrder}`],
  ['order detail', `/api/v1/orders/${deep!.id}`],
  ['sync log, newest', '/api/v1/sync-log?limit=100'],
  ['sync log, by channel', `/api/v1/sync-log?limit=100&channelId=${t.channelId}`],
  ['sync log, duplicates only', '/api/v1/sync-log?limit=100&outcome=duplicate'],
  ['sync log, rejected (none)', '/api/v1/sync-log?limit=100&outcome=rejected'],
  ['sync log, deep page', `/api/v1/sync-log?limit=100&before=${deepLog!.id}`],
  ['stalls', '/api/v1/stalls'],
  ['report: stock movements', '/api/v1/reports/stock-movements?limit=100'],
  ['report: blocked delivery notes', '/api/v1/reports/blocked-delivery-notes'],
  ['report: AWBs in transit', '/api/v1/reports/awbs-in-transit?limit=500'],
  ['report: courier audit log', '/api/v1/reports/courier-audit-log?limit=100'],
  ['report: outstanding COD', '/api/v1/reports/outstanding-cod'],
  ['report: invoices per channel, last 30 days', `/api/v1/invoices?from=${day(-30)}&to=${day(0)}`],
  ['e-invoices', '/api/v1/e-invoices'],
  ['shipments', '/api/v1/shipments?limit=50'],
  ['delivery notes', '/api/v1/delivery-notes?limit=50'],
  ['packing lists', '/api/v1/packing-lists?limit=50'],
  ['clients', '/api/v1/clients?limit=50'],
  ['report: orders per channel, 7-day page', `/api/v1/reports/orders-per-channel?from=${day(-30)}&to=${day(0)}`],
  ['report: orders per channel, deep page', `/api/v1/reports/orders-per-channel?from=${day(-340)}&to=${day(0)}&cursor=${day(-300)}`],
  ['report: orders per channel, status delivered', `/api/v1/reports/orders-per-channel?from=${day(-30)}&to=${day(0)}&status=delivered&channelId=${t.channelId}`],
  ['report: orders per channel, CSV', `/api/v1/reports/orders-per-channel?from=${day(-30)}&to=${day(0)}&format=csv`],
  ['report: invoices per channel, 7-day page', `/api/v1/reports/invoices-per-channel?from=${day(-30)}&to=${day(0)}`],
  ['report: invoices per channel, deep page', `/api/v1/reports/invoices-per-channel?from=${day(-340)}&to=${day(0)}&cursor=${day(-300)}`],
  ['report: invoices per channel, RON, CSV', `/api/v1/reports/invoices-per-channel?from=${day(-30)}&to=${day(0)}&currency=RON&format=csv`],
  ['report: sync audit, newest', '/api/v1/reports/sync-audit?limit=100'],
  ['report: sync audit, deep page', `/api/v1/reports/sync-audit?limit=100&cursor=${deepLog!.id}`],
  ['report: sync audit, rejected (none)', '/api/v1/reports/sync-audit?limit=100&outcome=rejected'],
  ['report: sync audit, CSV', '/api/v1/reports/sync-audit?limit=500&format=csv'],
  ['report: AWBs in transit, page 2', `/api/v1/reports/awbs-in-transit?limit=100&cursor=${transitCursor}`],
  ['report: AWBs in transit, CSV', '/api/v1/reports/awbs-in-transit?limit=500&format=csv'],
  ['report: courier audit log, CSV', '/api/v1/reports/courier-audit-log?limit=500&format=csv'],
  ['report: stock movements, CSV', '/api/v1/reports/stock-movements?limit=500&format=csv'],
  ['report: blocked delivery notes, CSV', '/api/v1/reports/blocked-delivery-notes?format=csv'],
  ['report: returns, 7-day page', `/api/v1/reports/returns?from=${day(-30)}&to=${day(0)}`],
  ['report: returns, deep page', `/api/v1/reports/returns?from=${day(-340)}&to=${day(0)}&cursor=${day(-300)}`],
  ['report: returns, by channel, CSV', `/api/v1/reports/returns?from=${day(-30)}&to=${day(0)}&channelId=${t.channelId}&format=csv`],
];

// QUERIES=<regex> measures only the queries whose name matches (the seed is the same).
const only = process.env.QUERIES ? new RegExp(process.env.QUERIES) : null;
if (only) queries.splice(0, queries.length, ...queries.filter(([name]) => only.test(name)));

async function measure(mode: 'custom' | 'generic') {
  await sql.unsafe(`alter database ${new URL(db.url).pathname.slice(1)} set plan_cache_mode = force_${mode}_plan`);
  const pool: Sql = connect(db.url, { max: 2 });
  const app = createApp({ sql: pool, box: db.box, now: () => new Date() });
  const rows: Array<{ name: string; p50: number; p95: number; status: number; blocks: number }> = [];
  // The work a call costs, whatever the load on the machine: PostgreSQL's 8 KiB buffers (hit or
  // read) for this database per call. A backend publishes its counters at the end of a
  // transaction at most once a second: after a pause, one query on each pooled connection.
  const buffers = async () => {
    await new Promise((r) => setTimeout(r, 1100));
    await Promise.all([pool`select pg_sleep(0.05)`, pool`select pg_sleep(0.05)`]);
    const [b] = await sql<{ n: string }[]>`select (blks_hit + blks_read)::text as n from pg_stat_database where datname = current_database()`;
    return Number(b!.n);
  };
  let mark = await buffers();
  for (const [name, path] of queries) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < RUNS + 5; i++) {
      const s = performance.now();
      const res = await app.request(path, { headers: { authorization: `Bearer ${apiKey}` } });
      await res.arrayBuffer();
      status = res.status;
      if (i >= 5) times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const now = await buffers();
    rows.push({ name, p50: percentile(times, 50), p95: percentile(times, 95), status, blocks: (now - mark) / (RUNS + 5) });
    mark = now;
  }
  // The stalls view is the sum of its detectors: each one's time, so the slow one is named.
  for (const detect of STALL_DETECTORS) {
    const times: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 10) + 2; i++) {
      const s = performance.now();
      await detect(pool, t.tenantId, {});
      if (i >= 2) times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const now = await buffers();
    rows.push({ name: `  stall detector ${detect.name.replace(/^detect/, '')}`, p50: percentile(times, 50), p95: percentile(times, 95), status: 200, blocks: (now - mark) / (Math.min(RUNS, 10) + 2) });
    mark = now;
  }
  await pool.end({ timeout: 5 });
  return rows;
}

const custom = await measure('custom');
const generic = await measure('generic');
console.log(`\n${'query'.padEnd(44)} ${'custom p50/p95 ms'.padStart(18)} ${'generic p50/p95 ms'.padStart(19)} ${'buffers/call c/g'.padStart(17)}`);
let worst = 0;
for (let i = 0; i < custom.length; i++) {
  const c = custom[i]!;
  const g = generic[i]!;
  worst = Math.max(worst, c.p95, g.p95);
  const bad = c.status !== 200 || g.status !== 200 ? ` (HTTP ${c.status}/${g.status})` : '';
  const flag = Math.max(c.p95, g.p95) >= 50 ? '  OVER 50 ms' : '';
  console.log(`${c.name.padEnd(44)} ${`${c.p50.toFixed(1)} / ${c.p95.toFixed(1)}`.padStart(18)} ${`${g.p50.toFixed(1)} / ${g.p95.toFixed(1)}`.padStart(19)} ${`${c.blocks.toFixed(0)} / ${g.blocks.toFixed(0)}`.padStart(17)}${bad}${flag}`);
}
await db.close();
const maxBlocks = Math.max(...custom.map((c) => c.blocks), ...generic.map((g) => g.blocks));
console.log(`queries: worst p95 ${worst.toFixed(1)} ms, at most ${maxBlocks.toFixed(0)} buffers a call, over ${queries.length} queries and ${STALL_DETECTORS.length} stall detectors at ${ORDERS} orders (goal < 50 ms)`);
