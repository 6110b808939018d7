import type { Db, Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { LabelFormat } from './courier-adapter.ts';

/*
 * Bulk AWBs: a batch of orders, each shipped by its own outbox item (flows/ship-batch.ts). The
 * batch's progress is derived from its orders (done, failed, pending), never stored twice.
 */

export const MAX_SHIP_BATCH = 250;
export const SHIP_BATCH_ORDER_STATUSES = ['pending', 'done', 'failed'] as const;
export type ShipBatchOrderStatus = (typeof SHIP_BATCH_ORDER_STATUSES)[number];

export interface ShipBatchOrder {
  orderId: string;
  status: ShipBatchOrderStatus;
  attempt: number;
  shipmentIds: string[];
  /** The AWB numbers of those shipments, in the same order. */
  awbs: string[];
  error: string | null;
}

export interface ShipBatch {
  id: string;
  labelFormat: LabelFormat;
  status: 'running' | 'done' | 'done_with_failures';
  total: number;
  done: number;
  failed: number;
  orders: ShipBatchOrder[];
  createdAt: string;
}

/** Inserts the batch and one pending row per order (in the merchant's order); the caller queues the work. */
export async function insertShipBatch(tx: Tx, tenantId: string, orderIds: string[], labelFormat: LabelFormat): Promise<string> {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0 || ids.length > MAX_SHIP_BATCH) {
    throw new DomainError('VALIDATION', `A bulk AWB run holds 1 to ${MAX_SHIP_BATCH} orders.`, [{ path: 'orderIds', reason: `1 to ${MAX_SHIP_BATCH} ids` }]);
  }
  const [batch] = await tx<{ id: string }[]>`insert into ship_batches (tenant_id, label_format) values (${tenantId}, ${labelFormat}) returning id::text`;
  await tx`insert into ship_batch_orders (tenant_id, batch_id, order_id, position)
    select ${tenantId}, ${batch!.id}, o.id, o.position from unnest(${ids}::bigint[]) with ordinality as o(id, position)`;
  return batch!.id;
}

export async function getShipBatch(db: Db, tenantId: string, batchId: string): Promise<ShipBatch> {
  const [b] = /^\d{1,18}$/.test(batchId)
    ? await db<{ id: string; label_format: LabelFormat; created_at: Date }[]>`select id::text, label_format, created_at from ship_batches where tenant_id = ${tenantId} and id = ${batchId}`
    : [];
  if (!b) throw new DomainError('NOT_FOUND', `Bulk AWB run ${batchId} does not exist.`, [{ path: 'id', reason: 'unknown bulk AWB run' }]);
  const rows = await db<{ order_id: string; status: ShipBatchOrderStatus; attempt: number; shipment_ids: string[]; awbs: string[]; error: string | null }[]>`
    select b.order_id::text, b.status, b.attempt, b.shipment_ids::text[] as shipment_ids, b.error,
      array(select coalesce(s.awb, '') from unnest(b.shipment_ids) with ordinality as x(id, n)
            join shipments s on s.tenant_id = b.tenant_id and s.id = x.id order by x.n) as awbs
    from ship_batch_orders b
    where b.tenant_id = ${tenantId} and b.batch_id = ${batchId} order by b.position`;
  const orders = rows.map((r) => ({ orderId: r.order_id, status: r.status, attempt: r.attempt, shipmentIds: r.shipment_ids, awbs: r.awbs, error: r.error }));
  const done = orders.filter((o) => o.status === 'done').length;
  const failed = orders.filter((o) => o.status === 'failed').length;
  return {
    id: b.id,
    labelFormat: b.label_format,
    status: done + failed < orders.length ? 'running' : failed > 0 ? 'done_with_failures' : 'done',
    total: orders.length,
    done,
    failed,
    orders,
    createdAt: b.created_at.toISOString(),
  };
}

/** The order's row of the batch, locked, when its attempt is still the pending one the item was queued for. */
export async function lockPendingShipBatchOrder(tx: Tx, tenantId: string, batchId: string, orderId: string, attempt: number): Promise<boolean> {
  const rows = await tx`select 1 from ship_batch_orders where tenant_id = ${tenantId} and batch_id = ${batchId} and order_id = ${orderId}
    and status = 'pending' and attempt = ${attempt} for update`;
  return rows.length > 0;
}

export async function recordShipBatchOrder(
  tx: Tx,
  tenantId: string,
  batchId: string,
  orderId: string,
  attempt: number,
  outcome: { status: 'done'; shipmentIds: string[] } | { status: 'failed'; error: string },
): Promise<void> {
  await tx`update ship_batch_orders set status = ${outcome.status}, updated_at = now(),
      shipment_ids = ${outcome.status === 'done' ? outcome.shipmentIds : []}::bigint[],
      error = ${outcome.status === 'failed' ? outcome.error : null}
    where tenant_id = ${tenantId} and batch_id = ${batchId} and order_id = ${orderId} and status = 'pending' and attempt = ${attempt}`;
}

/** Failed orders back to pending with the next attempt number; returns them (order id, attempt) to queue again. */
export async function reopenFailedShipBatchOrders(tx: Tx, tenantId: string, batchId: string): Promise<Array<{ orderId: string; attempt: number }>> {
  const rows = await tx<{ order_id: string; attempt: number }[]>`update ship_batch_orders set status = 'pending', attempt = attempt + 1, error = null, updated_at = now()
    where tenant_id = ${tenantId} and batch_id = ${batchId} and status = 'failed' returning order_id::text, attempt`;
  return rows.map((r) => ({ orderId: r.order_id, attempt: r.attempt }));
}

/** The AWBs of the orders of a page (live and cancelled, newest first), for the order list's AWB column. */
export async function shipmentsOfOrders(
  db: Db,
  tenantId: string,
  orderIds: string[],
): Promise<Array<{ id: string; orderId: string; courier: string; awb: string | null; trackingUrl: string | null; status: string }>> {
  if (orderIds.length === 0) return [];
  return await db`select id::text, order_id::text as "orderId", courier, awb, tracking_url as "trackingUrl", status from shipments
    where tenant_id = ${tenantId} and order_id = any(${orderIds}::bigint[]) and status not in ('creating', 'cancelled') order by shipments.id desc`;
}
