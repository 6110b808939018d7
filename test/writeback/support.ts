import type { Sql } from '../../core/src/db/connect.ts';
import { enqueue } from '../../core/src/db/outbox.ts';
import type { TenantFixture } from '../support/core-harness.ts';

export interface ShipmentFixture {
  orderId: string;
  shipmentId: string;
  packingListId: string;
  awb: string;
  trackingUrl: string;
}

let seq = 0;

/**
 * An order already packed and handed to the courier, as the AWB flow leaves it: order shipping, a
 * packing list (in transit) with the lines this parcel carries, a shipment with AWB and tracking URL.
 * `packed` picks order lines (by index into `lines`) and quantities; default: everything.
 */
export async function insertShippedOrder(
  sql: Sql,
  t: TenantFixture,
  o: {
    channelId: string;
    externalOrderId: string;
    lines: { sku: string; quantity: number; externalLineId: string }[];
    packed?: { line: number; quantity: number }[];
    courier?: 'cargus' | 'sameday' | 'fancourier' | 'innoship' | 'bosta';
    service?: string;
    email?: string | null;
    phone?: string | null;
  },
): Promise<ShipmentFixture> {
  seq++;
  const courier = o.courier ?? 'sameday';
  const awb = `${courier.toUpperCase()}${Date.now() % 1_000_000}${seq}`;
  const trackingUrl = `https://track.example.test/${awb}`;
  const address = { firstName: 'Ana', lastName: 'Pop', phone: o.phone === undefined ? '0722 123 456' : o.phone, countryCode: 'RO', city: 'Cluj-Napoca' };
  return await sql.begin(async (tx) => {
    const [order] = await tx<{ id: string }[]>`
      insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, email, shipping_address, billing_address)
      values (${t.tenantId}, ${o.channelId}, ${o.externalOrderId}, ${`#${o.externalOrderId.slice(-4)}`}, 'shipping', 'RON',
              ${o.email === undefined ? 'ana@example.test' : o.email}, ${tx.json(address)}, ${tx.json(address)})
      returning id::text`;
    const orderId = order!.id;
    for (const [i, l] of o.lines.entries()) {
      await tx`insert into order_lines (tenant_id, order_id, line_no, external_line_id, product_id, sku, name, quantity, unit_price, total)
        values (${t.tenantId}, ${orderId}, ${i + 1}, ${l.externalLineId}, ${t.productIds[l.sku] ?? null}, ${l.sku}, ${`Product ${l.sku}`}, ${l.quantity}, '10.00', ${(10 * l.quantity).toFixed(2)})`;
    }
    const packed = o.packed ?? o.lines.map((l, i) => ({ line: i, quantity: l.quantity }));
    const type = packed.length === o.lines.length && packed.every((p) => p.quantity === o.lines[p.line]!.quantity) ? 'total' : 'partial';
    const [dn] = await tx<{ id: string }[]>`insert into delivery_notes (tenant_id, order_id, warehouse_id, type, status)
      values (${t.tenantId}, ${orderId}, ${t.warehouseId}, ${type}, 'packed') returning id::text`;
    const [pl] = await tx<{ id: string }[]>`insert into packing_lists (tenant_id, delivery_note_id, order_id, type, status, courier, service)
      values (${t.tenantId}, ${dn!.id}, ${orderId}, ${type}, 'in_transit', ${courier}, 'Standard') returning id::text`;
    for (const [i, p] of packed.entries()) {
      const l = o.lines[p.line]!;
      await tx`insert into delivery_note_lines (tenant_id, delivery_note_id, line_no, order_line_no, product_id, sku, name, quantity)
        values (${t.tenantId}, ${dn!.id}, ${i + 1}, ${p.line + 1}, ${t.productIds[l.sku]!}, ${l.sku}, ${`Product ${l.sku}`}, ${p.quantity})`;
      await tx`insert into packing_list_lines (tenant_id, packing_list_id, line_no, delivery_note_line_no, order_line_no, product_id, sku, name, quantity)
        values (${t.tenantId}, ${pl!.id}, ${i + 1}, ${i + 1}, ${p.line + 1}, ${t.productIds[l.sku]!}, ${l.sku}, ${`Product ${l.sku}`}, ${p.quantity})`;
    }
    const [acct] = await tx<{ id: string }[]>`
      insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url)
      values (${t.tenantId}, ${courier}, ${`${courier} ${seq}`}, 'v1.unused', 'http://127.0.0.1:1')
      on conflict do nothing returning id::text`;
    const accountId =
      acct?.id ??
      (await tx<{ id: string }[]>`select id::text from courier_accounts where tenant_id = ${t.tenantId} and courier = ${courier} limit 1`)[0]!.id;
    const [s] = await tx<{ id: string }[]>`
      insert into shipments (tenant_id, packing_list_id, order_id, warehouse_id, courier_account_id, courier, service, reference, awb, tracking_url, status)
      values (${t.tenantId}, ${pl!.id}, ${orderId}, ${t.warehouseId}, ${accountId}, ${courier}, ${o.service ?? 'Standard'}, ${`ref-${awb}`}, ${awb}, ${trackingUrl}, 'created')
      returning id::text`;
    await enqueue(tx, t.tenantId, 'shipment.created', { shipmentId: s!.id, orderId }, `shipment.created:${s!.id}`);
    return { orderId, shipmentId: s!.id, packingListId: pl!.id, awb, trackingUrl };
  });
}

/** A tracking event as the tracking flow records it, with its outbox item in the same transaction. */
export async function recordTrackingEvent(
  sql: Sql,
  tenantId: string,
  s: ShipmentFixture,
  status: string,
  occurredAt: string,
  opts: { orderStatus?: string } = {},
): Promise<string> {
  return await sql.begin(async (tx) => {
    const [log] = await tx<{ id: string }[]>`
      insert into shipment_status_log (tenant_id, shipment_id, status, raw_code, raw_description, occurred_at, source, raw_payload)
      values (${tenantId}, ${s.shipmentId}, ${status}, ${`RAW_${status}`}, ${`Courier says ${status}`}, ${occurredAt}, 'poll', '{}')
      returning id::text`;
    await tx`update shipments set status = ${status}, last_event_at = ${occurredAt} where tenant_id = ${tenantId} and id = ${s.shipmentId}`;
    if (opts.orderStatus) await tx`update orders set status = ${opts.orderStatus} where tenant_id = ${tenantId} and id = ${s.orderId}`;
    await enqueue(
      tx,
      tenantId,
      'shipment.status_changed',
      { shipmentId: s.shipmentId, orderId: s.orderId, status, statusLogId: log!.id },
      `shipment.status_changed:${s.shipmentId}:${log!.id}`,
    );
    return log!.id;
  });
}

/** Makes every pending outbox item due now (the test's stand-in for waiting out the back-off). */
export async function makeOutboxDue(sql: Sql): Promise<void> {
  await sql`update outbox set next_attempt_at = now() where status = 'pending'`;
}

/** Re-runs the named write-back items as a redelivery would (a worker that lost its commit). */
export async function redeliver(sql: Sql, tenantId: string, kinds: string[]): Promise<number> {
  const rows = await sql`update outbox set status = 'pending', next_attempt_at = now(), done_at = null
    where tenant_id = ${tenantId} and kind = any(${kinds}) and status = 'done' returning id`;
  return rows.length;
}
