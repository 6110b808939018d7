import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { ORDER_STATUS_CODES, type OrderStatus, PAID_STATUS_CODE } from './order-status.ts';

export interface OrderRow {
  tenantId: string;
  id: string;
  channelId: string;
  externalOrderId: string;
  externalNumber: string | null;
  clientId: string | null;
  status: OrderStatus;
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  deliveryType: 'total' | 'partial';
  holdReason: string | null;
  holdDetails: unknown;
  platformStatus: string | null;
  paymentMethod: string | null;
  paymentStatus: string;
  currency: string;
  /** The store's amounts include tax (else tax is added on top of them). */
  pricesIncludeTax: boolean;
  subtotal: string;
  discountTotal: string;
  shippingTotal: string;
  /** Fees the store charged outside the lines and shipping (ChannelOrder.fees); [] when none. */
  fees: OrderFee[];
  taxTotal: string;
  total: string;
  email: string | null;
  warehouseId: string | null;
  externalUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderFee {
  name: string;
  amount: string;
  tax: string | null;
}

export const ORDER_COLUMNS = `o.tenant_id::text as "tenantId", o.id::text as id, o.channel_id::text as "channelId",
  o.external_order_id as "externalOrderId", o.external_number as "externalNumber", o.client_id::text as "clientId",
  o.status, o.approval_status as "approvalStatus", o.delivery_type as "deliveryType", o.hold_reason as "holdReason",
  o.hold_details as "holdDetails", o.platform_status as "platformStatus", o.payment_method as "paymentMethod",
  o.payment_status as "paymentStatus", o.currency, o.prices_include_tax as "pricesIncludeTax", o.subtotal::text, o.discount_total::text as "discountTotal",
  o.shipping_total::text as "shippingTotal", coalesce(o.fees, '[]'::jsonb) as fees, o.tax_total::text as "taxTotal", o.total::text, o.email,
  o.warehouse_id::text as "warehouseId", o.external_updated_at as "externalUpdatedAt", o.created_at as "createdAt",
  o.updated_at as "updatedAt"`;

export function orderRef(o: Pick<OrderRow, 'id' | 'externalNumber'>): string {
  return `Order ${o.id}${o.externalNumber ? ` (${o.externalNumber})` : ''}`;
}

export async function lockOrder(db: Db, tenantId: string, orderId: string): Promise<OrderRow> {
  if (!/^\d{1,18}$/.test(orderId)) throw new DomainError('NOT_FOUND', `Order ${orderId} does not exist.`, [{ path: 'id', reason: 'unknown order' }]);
  const [row] = await db.unsafe(`select ${ORDER_COLUMNS} from orders o where o.tenant_id = $1 and o.id = $2 for update`, [tenantId, orderId]);
  if (!row) throw new DomainError('NOT_FOUND', `Order ${orderId} does not exist.`, [{ path: 'id', reason: 'unknown order' }]);
  return row as unknown as OrderRow;
}

/** The API's view of an order: status with its CRM code, payment shown beside it. */
export function orderSummary(o: OrderRow & { clientName?: string | null }) {
  return {
    id: o.id,
    channelId: o.channelId,
    externalOrderId: o.externalOrderId,
    externalNumber: o.externalNumber,
    status: o.status,
    statusCode: ORDER_STATUS_CODES[o.status],
    paid: o.paymentStatus === 'paid',
    paidStatusCode: o.paymentStatus === 'paid' ? PAID_STATUS_CODE : null,
    approvalStatus: o.approvalStatus,
    deliveryType: o.deliveryType,
    paymentStatus: o.paymentStatus,
    paymentMethod: o.paymentMethod,
    holdReason: o.holdReason,
    total: o.total,
    currency: o.currency,
    clientName: o.clientName ?? null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
export type OrderSummary = ReturnType<typeof orderSummary>;

export interface OrderFilters {
  status?: OrderStatus;
  channelId?: string;
  externalOrderId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Any of these statuses (a tab of the embedded app: "to ship" is packed or ready). */
  statuses?: OrderStatus[];
  /** The store's number (#1001 or 1001) or the store's order id. */
  search?: string;
  limit: number;
  cursor?: { createdAt: string; id: string };
}

/** Keyset pagination on (created_at, id) descending: stable under concurrent inserts. */
export async function listOrders(db: Db, tenantId: string, f: OrderFilters) {
  const params: unknown[] = [tenantId];
  const where = presentFilters(params, {
    'o.status = ?': f.status,
    'o.status = any(?::text[])': f.statuses,
    'o.channel_id = ?::bigint': f.channelId,
    'o.external_order_id = ?': f.externalOrderId,
    'o.created_at >= ?::timestamptz': f.createdFrom,
    'o.created_at < ?::timestamptz': f.createdTo,
  });
  // The search box: the store's number with or without its '#', or the store's order id.
  const search = f.search
    ? ` and (o.external_number = any($${params.push([f.search, f.search.startsWith('#') ? f.search.slice(1) : `#${f.search}`])}::text[]) or o.external_order_id = $${params.push(f.search)})`
    : '';
  const after = f.cursor ? ` and (o.created_at, o.id) < ($${params.push(f.cursor.createdAt)}::timestamptz, $${params.push(f.cursor.id)}::bigint)` : '';
  const rows = await db.unsafe(
    `select ${ORDER_COLUMNS}, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as "clientName", c.company as "clientCompany"
     from orders o left join clients c on c.tenant_id = o.tenant_id and c.id = o.client_id
     where o.tenant_id = $1${where}${search}${after}
     order by o.created_at desc, o.id desc
     limit ${literalLimit(f.limit + 1)}`,
    params as never[],
  );
  const page = rows.slice(0, f.limit) as unknown as Array<OrderRow & { clientName: string | null; clientCompany: string | null }>;
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > f.limit && last
      ? Buffer.from(JSON.stringify({ createdAt: last.createdAt.toISOString(), id: last.id })).toString('base64url')
      : null;
  return { orders: page.map((o) => orderSummary({ ...o, clientName: o.clientName ?? o.clientCompany })), nextCursor };
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { createdAt?: unknown; id?: unknown };
    if (typeof v.createdAt === 'string' && !Number.isNaN(Date.parse(v.createdAt)) && typeof v.id === 'string' && /^\d+$/.test(v.id)) {
      return { createdAt: v.createdAt, id: v.id };
    }
  } catch {}
  throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
}

export async function getOrderDetail(db: Db, tenantId: string, orderId: string) {
  if (!/^\d{1,18}$/.test(orderId)) throw new DomainError('NOT_FOUND', `Order ${orderId} does not exist.`, [{ path: 'id', reason: 'unknown order' }]);
  const [o] = await db.unsafe(
    `select ${ORDER_COLUMNS}, o.billing_address as "billingAddress", o.shipping_address as "shippingAddress", o.note, o.tags,
            nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as "clientName",
            case when c.id is null then null else json_build_object('id', c.id::text, 'email', c.email, 'firstName', c.first_name,
              'lastName', c.last_name, 'company', c.company, 'vatNumber', c.vat_number, 'phone', c.phone) end as client
     from orders o left join clients c on c.tenant_id = o.tenant_id and c.id = o.client_id
     where o.tenant_id = $1 and o.id = $2`,
    [tenantId, orderId],
  );
  if (!o) throw new DomainError('NOT_FOUND', `Order ${orderId} does not exist.`, [{ path: 'id', reason: 'unknown order' }]);
  const lines = await db`
    select line_no as "lineNo", external_line_id as "externalLineId", product_id::text as "productId", sku, name, quantity,
           unit_price::text as "unitPrice", list_price::text as "listPrice", discount::text, total::text, tax::text,
           vat_rate::text as "vatRate", quantity_reserved as "quantityReserved"
    from order_lines where tenant_id = ${tenantId} and order_id = ${orderId} order by line_no`;
  const row = o as unknown as OrderRow & Record<string, unknown>;
  return {
    ...orderSummary(row as unknown as OrderRow & { clientName: string | null }),
    holdDetails: row.holdDetails,
    platformStatus: row.platformStatus,
    subtotal: row.subtotal,
    discountTotal: row.discountTotal,
    shippingTotal: row.shippingTotal,
    fees: row.fees,
    taxTotal: row.taxTotal,
    email: row.email,
    billingAddress: row.billingAddress,
    shippingAddress: row.shippingAddress,
    note: row.note,
    tags: row.tags,
    client: row.client,
    warehouseId: row.warehouseId,
    lines: lines.map((l) => ({ ...l, unreserved: Math.max(0, Number(l.quantity) - Number(l.quantityReserved)) })),
  };
}
