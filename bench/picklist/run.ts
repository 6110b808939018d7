/**
 * Wave pick list benchmark: 1,000 confirmed orders / 5,000 lines, one pick list for all of them
 * built through the warehouse domain function, against a plain SELECT of the same lines (joined to
 * their reservations and bins, in pick order) measured in the same run on the same database.
 * Goal: the pick list in < 300 ms. Run: pnpm exec node bench/picklist/run.ts
 */
import { createPickList } from '../../core/src/warehouse/index.ts';
import { benchDatabase } from '../support/bench-db.ts';

const ORDERS = 1000;
const LINES_PER_ORDER = 5;
const PRODUCTS = 200;
const BINS = 40;
const RUNS = 7;

class Rollback extends Error {}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const db = await benchDatabase(4);
const { sql } = db;
try {
  const [{ id: tenantId }] = (await sql`insert into tenants (name) values ('bench') returning id::text`) as unknown as [{ id: string }];
  const [{ id: warehouseId }] = (await sql`insert into warehouses (tenant_id, code, name) values (${tenantId}, 'W1', 'Main') returning id::text`) as unknown as [{ id: string }];
  // Bulk seed in SQL: bins, products (each in one bin), stock, orders, lines, reservations, delivery notes.
  await sql.begin(async (tx) => {
    await tx`insert into bins (tenant_id, warehouse_id, code, pick_sequence)
      select ${tenantId}, ${warehouseId}, 'B-' || lpad(g::text, 3, '0'), (${BINS} - g) * 10 from generate_series(1, ${BINS}) g`;
    await tx`insert into products (tenant_id, sku, barcode, name)
      select ${tenantId}, 'SKU-' || g, '590' || lpad(g::text, 10, '0'), 'Product ' || g from generate_series(1, ${PRODUCTS}) g`;
    await tx`create temporary table product_bin on commit drop as
      select p.id as product_id, b.id as bin_id from
        (select id, row_number() over (order by id) as n from products where tenant_id = ${tenantId}) p
        join (select id, row_number() over (order by id) as n from bins where tenant_id = ${tenantId}) b on b.n = 1 + (p.n % ${BINS})`;
    const [channel] = await tx`insert into channels (tenant_id, kind, name, default_warehouse_id) values (${tenantId}, 'manual', 'Bench', ${warehouseId}) returning id`;
    await tx`insert into orders (tenant_id, channel_id, external_order_id, status, currency, warehouse_id)
      select ${tenantId}, ${channel!.id}, 'B' || g, 'confirmed', 'RON', ${warehouseId} from generate_series(1, ${ORDERS}) g`;
    await tx`insert into order_lines (tenant_id, order_id, line_no, product_id, sku, name, quantity, unit_price, total, quantity_reserved)
      select ${tenantId}, o.id, l, p.id, p.sku, p.name, q, 10, 10 * q, q
      from orders o cross join generate_series(1, ${LINES_PER_ORDER}) l
      cross join lateral (select 1 + ((o.id * 7 + l * 13) % 3) as q) qq
      join products p on p.tenant_id = o.tenant_id and p.sku = 'SKU-' || (1 + ((o.id * 31 + l * 17) % ${PRODUCTS}))
      where o.tenant_id = ${tenantId}`;
    await tx`insert into stock_reservations (tenant_id, order_id, line_no, warehouse_id, bin_id, product_id, quantity)
      select ol.tenant_id, ol.order_id, ol.line_no, ${warehouseId}, pb.bin_id, ol.product_id, ol.quantity
      from order_lines ol join product_bin pb on pb.product_id = ol.product_id where ol.tenant_id = ${tenantId}`;
    await tx`insert into stock (tenant_id, warehouse_id, product_id, bin_id, on_hand, reserved)
      select ${tenantId}, ${warehouseId}, pb.product_id, pb.bin_id, coalesce(r.q, 0) + 50, coalesce(r.q, 0)
      from product_bin pb left join (select product_id, sum(quantity)::int as q from stock_reservations where tenant_id = ${tenantId} group by 1) r
        on r.product_id = pb.product_id`;
    await tx`insert into delivery_notes (tenant_id, order_id, warehouse_id, type) select tenant_id, id, ${warehouseId}, 'total' from orders where tenant_id = ${tenantId}`;
    await tx`insert into delivery_note_lines (tenant_id, delivery_note_id, line_no, order_line_no, product_id, sku, name, quantity)
      select ol.tenant_id, dn.id, ol.line_no, ol.line_no, ol.product_id, ol.sku, ol.name, ol.quantity
      from order_lines ol join delivery_notes dn on dn.tenant_id = ol.tenant_id and dn.order_id = ol.order_id where ol.tenant_id = ${tenantId}`;
  });
  await sql`analyze`;
  const orderIds = (await sql<{ id: string }[]>`select id::text from orders where tenant_id = ${tenantId} order by id`).map((r) => r.id);
  const [{ n: lineCount }] = (await sql`select count(*)::int as n from order_lines where tenant_id = ${tenantId}`) as unknown as [{ n: number }];

  // Each run builds the whole wave and rolls back, so every run starts from the same state.
  const build: number[] = [];
  let pickLines = 0;
  for (let i = 0; i < RUNS; i++) {
    try {
      await sql.begin(async (tx) => {
        const t0 = performance.now();
        const pl = await createPickList(tx, tenantId, { orderIds });
        build.push(performance.now() - t0);
        pickLines = pl.lines.length;
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
  }
  const select: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await sql`select ol.order_id, ol.line_no, ol.product_id, ol.quantity, r.bin_id, b.code, b.pick_sequence, r.quantity as reserved
      from order_lines ol
      join stock_reservations r on r.tenant_id = ol.tenant_id and r.order_id = ol.order_id and r.line_no = ol.line_no
      join bins b on b.tenant_id = r.tenant_id and b.id = r.bin_id
      where ol.tenant_id = ${tenantId} and ol.order_id = any(${orderIds}::bigint[])
      order by b.pick_sequence, ol.product_id, ol.order_id`;
    select.push(performance.now() - t0);
  }
  const b = median(build);
  const s = median(select);
  console.log(`picklist bench on ${db.serverKind}: ${ORDERS} orders, ${lineCount} order lines → ${pickLines} pick list lines (${BINS} bins, ${PRODUCTS} products)`);
  console.log(`  wave pick list (createPickList, median of ${RUNS}): ${b.toFixed(1)} ms   [runs: ${build.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  plain SELECT of the same lines (median of ${RUNS}): ${s.toFixed(1)} ms   [runs: ${select.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  ratio pick list / SELECT: ${(b / s).toFixed(1)}×   goal < 300 ms: ${b < 300 ? 'met' : 'NOT met'}`);
} finally {
  await db.close();
}
