import { createHash } from 'node:crypto';
import type { ChannelOrder } from '../channels/index.ts';
import type { Tx } from '../db/connect.ts';

/**
 * The order-table side of intake: the row keyed by (channel, external id), its fields as the store
 * reports them, and its lines. The flow in `flows/ingest-channel-order.ts` decides what to do with
 * them; only this area writes `orders` and `order_lines`.
 */

/**
 * Claims the order row for a store order: inserts it as a draft, or finds the existing one. The
 * unique key makes two deliveries of the same new order converge on one row (the second waits on
 * the first's insert and then finds it).
 */
export async function claimStoreOrder(tx: Tx, tenantId: string, channelId: string, order: Pick<ChannelOrder, 'externalOrderId' | 'externalNumber' | 'currency'>): Promise<{ orderId: string; isNew: boolean }> {
  const inserted = await tx<{ id: string }[]>`
    insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, external_updated_at)
    values (${tenantId}, ${channelId}, ${order.externalOrderId}, ${order.externalNumber}, 'draft', ${order.currency}, '-infinity')
    on conflict (tenant_id, channel_id, external_order_id) do nothing
    returning id::text`;
  if (inserted.length > 0) return { orderId: inserted[0]!.id, isNew: true };
  const [row] = await tx<{ id: string }[]>`
    select id::text from orders where tenant_id = ${tenantId} and channel_id = ${channelId} and external_order_id = ${order.externalOrderId}`;
  return { orderId: row!.id, isNew: false };
}

export async function writeStoreOrderFields(tx: Tx, tenantId: string, orderId: string, o: ChannelOrder, clientId: string | null): Promise<void> {
  await tx`update orders set ${storeOrderFieldsSet(tx, o, clientId)} where tenant_id = ${tenantId} and id = ${orderId}`;
}

/** The `set` list of the store's fields (a fragment: a new order's first status is written with it, `setIntakeStatus`). */
export function storeOrderFieldsSet(tx: Tx, o: ChannelOrder, clientId: string | null) {
  return tx`
      external_number = ${o.externalNumber}, client_id = coalesce(${clientId}, client_id), platform_status = ${o.platformStatus},
      payment_method = ${o.paymentMethod}, payment_status = ${o.paymentStatus}, currency = ${o.currency},
      prices_include_tax = ${o.pricesIncludeTax}, subtotal = ${o.subtotal}, discount_total = ${o.discountTotal},
      shipping_total = ${o.shippingTotal}, tax_total = ${o.taxTotal}, total = ${o.total},
      billing_address = ${o.billingAddress ? tx.json(o.billingAddress as never) : null},
      shipping_address = ${o.shippingAddress ? tx.json(o.shippingAddress as never) : null},
      email = ${o.email ?? o.customer.email}, note = ${o.note}, tags = ${o.tags},
      fees = ${o.fees?.length ? tx.json(o.fees as never) : null},
      external_created_at = ${o.createdAt}, external_updated_at = ${o.updatedAt}, channel_content_hash = ${storeOrderContentHash(o)}, updated_at = now()`;
}

/**
 * A new store order's row as the SQL function `orders_insert_store_order` (migration 033) takes it:
 * the same fields `storeOrderFieldsSet` writes, and the same content hash.
 */
export function storeOrderRow(o: ChannelOrder) {
  return {
    externalOrderId: o.externalOrderId,
    externalNumber: o.externalNumber,
    platformStatus: o.platformStatus,
    paymentMethod: o.paymentMethod,
    paymentStatus: o.paymentStatus,
    currency: o.currency,
    pricesIncludeTax: o.pricesIncludeTax,
    subtotal: o.subtotal,
    discountTotal: o.discountTotal,
    shippingTotal: o.shippingTotal,
    taxTotal: o.taxTotal,
    total: o.total,
    billingAddress: o.billingAddress,
    shippingAddress: o.shippingAddress,
    email: o.email ?? o.customer.email,
    note: o.note,
    tags: o.tags,
    fees: o.fees?.length ? o.fees : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    contentHash: storeOrderContentHash(o),
  };
}

/**
 * JSON with keys sorted at every level, so the same order read from a webhook or a pull hashes the
 * same. Written as loops (it runs on every webhook): the same text as
 * `{${keys.sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)}}` with undefined
 * members left out, and an undefined array element as nothing between its commas (the text the
 * stored hashes were made with; core/src/orders/store-order-hash.test.ts holds the two equal).
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? '';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(v[i]);
    }
    return `${out}]`;
  }
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = record[k];
    if (x === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonicalJson(x)}`;
  }
  return `${out}}`;
}

/** sha-256 of everything an update can change: the normalised store order without its `updatedAt`. */
export function storeOrderContentHash(o: ChannelOrder): string {
  const { updatedAt: _time, ...content } = o;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * Whether a store update changes nothing: it is strictly older than the stored one, or of the same
 * time with the same content (a redelivery). WooCommerce's date_modified_gmt has one-second
 * resolution, so a different update in the same second (a cancellation right after an edit) is
 * applied, not dropped. Two different updates of one second that arrive out of order end as the
 * one delivered last; the store's next change or the next pull sets it right.
 */
export async function storeUpdateIsStale(tx: Tx, tenantId: string, orderId: string, stored: Date | null, o: ChannelOrder): Promise<boolean> {
  if (!stored) return false;
  const incoming = Date.parse(o.updatedAt);
  if (stored.getTime() !== incoming) return stored.getTime() > incoming;
  const [row] = await tx<{ hash: string | null }[]>`select channel_content_hash as hash from orders where tenant_id = ${tenantId} and id = ${orderId}`;
  return row?.hash === storeOrderContentHash(o);
}

/** A line as stored: the store's line with the catalog product it matched (null: unknown SKU). */
export interface OrderLineInput {
  externalLineId: string;
  productId: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  unitPrice: string;
  listPrice: string | null;
  discount: string;
  total: string;
  tax: string | null;
  vatRate: string | null;
}

/** Replaces the lines of an order not yet reserved (`fresh`: the row is new, there is nothing to delete). */
export async function replaceOrderLines(tx: Tx, tenantId: string, orderId: string, lines: OrderLineInput[], fresh: boolean): Promise<void> {
  if (!fresh) await tx`delete from order_lines where tenant_id = ${tenantId} and order_id = ${orderId}`;
  if (lines.length === 0) return;
  const rows = lines.map((l, i) => ({
    tenant_id: tenantId,
    order_id: orderId,
    line_no: i + 1,
    external_line_id: l.externalLineId,
    product_id: l.productId,
    sku: l.sku,
    name: l.name,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    list_price: l.listPrice,
    discount: l.discount,
    total: l.total,
    tax: l.tax,
    vat_rate: l.vatRate,
  }));
  await tx`insert into order_lines ${tx(rows)}`;
}

/** Whether the client has any order of the tenant besides this store order (approval of first orders). */
export async function clientHasOtherOrders(tx: Tx, tenantId: string, clientId: string, externalOrderId: string): Promise<boolean> {
  const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`
    select count(*)::int as n from orders where tenant_id = ${tenantId} and client_id = ${clientId}
      and external_order_id <> ${externalOrderId}`;
  return n > 0;
}
