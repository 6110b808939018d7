import type { Sql } from '../db/connect.ts';
import { enqueue, type OutboxHandler } from '../db/outbox.ts';
import { findOrderChannelIds } from '../orders/index.ts';
import { isDomainError, DomainError } from '../shared/domain-error.ts';
import { getShipBatch, insertShipBatch, type LabelFormat, lockPendingShipBatchOrder, recordShipBatchOrder, reopenFailedShipBatchOrders, type ShipBatch } from '../shipping/index.ts';
import { listPackingLists } from '../warehouse/index.ts';
import { generateAwb, type ShippingDeps } from './generate-awb.ts';

/*
 * Bulk AWBs (the embedded app's "Create AWBs" on a selection): one outbox item per order, so one
 * courier failing or one order not packed costs only that order, the progress is what the items
 * have done, and "retry failed" queues only the failed orders again. Each order's AWBs come from
 * generateAwb, which returns a packing list's live AWB instead of making a second one: a retry, a
 * redelivered item or a second run over the same orders never books a parcel twice.
 */

export const SHIP_BATCH_ORDER_KIND = 'ship_batch.ship_order';
// A courier that keeps failing for an order: the order is reported failed after this many tries.
const MAX_ATTEMPTS = 3;

const enqueueOrder = (tx: Parameters<typeof enqueue>[0], tenantId: string, batchId: string, orderId: string, attempt: number) =>
  enqueue(tx, tenantId, SHIP_BATCH_ORDER_KIND, { batchId, orderId, attempt }, `ship_batch:${batchId}:${orderId}:${attempt}`, { maxAttempts: MAX_ATTEMPTS });

/** Starts a bulk AWB run over the orders (all of the tenant; unknown ids refused, naming each). */
export async function startShipBatch(sql: Sql, tenantId: string, orderIds: string[], labelFormat: LabelFormat): Promise<ShipBatch> {
  const id = await sql.begin(async (tx) => {
    const unknown: string[] = [];
    for (const orderId of new Set(orderIds)) if ((await findOrderChannelIds(tx, tenantId, [orderId])).length === 0) unknown.push(orderId);
    if (unknown.length) {
      throw new DomainError(
        'VALIDATION',
        `These orders do not exist: ${unknown.join(', ')}.`,
        unknown.map((o) => ({ path: `orderIds[${orderIds.indexOf(o)}]`, reason: `order ${o} does not exist` })),
      );
    }
    const batchId = await insertShipBatch(tx, tenantId, orderIds, labelFormat);
    for (const orderId of new Set(orderIds)) await enqueueOrder(tx, tenantId, batchId, orderId, 1);
    return batchId;
  });
  return getShipBatch(sql, tenantId, id);
}

/** Queues the run's failed orders again (a new attempt each); done orders are not touched. */
export async function retryFailedShipBatch(sql: Sql, tenantId: string, batchId: string): Promise<ShipBatch> {
  await getShipBatch(sql, tenantId, batchId);
  await sql.begin(async (tx) => {
    for (const o of await reopenFailedShipBatchOrders(tx, tenantId, batchId)) await enqueueOrder(tx, tenantId, batchId, o.orderId, o.attempt);
  });
  return getShipBatch(sql, tenantId, batchId);
}

/** One order of a run: an AWB for each of its packing lists ready to deliver (the live one where it has it). */
export const shipBatchOrderHandler: OutboxHandler = async (sql, item, ctx) => {
    const batchId = String(item.payload.batchId);
    const orderId = String(item.payload.orderId);
    const attempt = Number(item.payload.attempt ?? 1);
    const stillPending = await sql.begin((tx) => lockPendingShipBatchOrder(tx, item.tenantId, batchId, orderId, attempt));
    if (!stillPending) return;
    const record = (outcome: Parameters<typeof recordShipBatchOrder>[5]) => sql.begin((tx) => recordShipBatchOrder(tx, item.tenantId, batchId, orderId, attempt, outcome));
    try {
      const lists = await listPackingLists(sql, item.tenantId, { orderId });
      if (lists.length === 0) {
        await record({ status: 'failed', error: `Order ${orderId} has no packing list yet: pick and pack it, then retry.` });
        return;
      }
      const shipmentIds: string[] = [];
      const deps: ShippingDeps = { sql, box: ctx.box, now: ctx.now, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) };
      // generateAwb answers a packing list's live AWB before anything else, so a list shipped
      // already (in transit, delivered) gives its AWB back and is never booked again.
      for (const pl of lists) shipmentIds.push((await generateAwb(deps, item.tenantId, pl.id, {})).shipment.id);
      await record({ status: 'done', shipmentIds });
    } catch (e) {
      // The merchant must fix these (a missing measure, an address the courier refuses): retrying now cannot help.
      const mustFix = isDomainError(e) && e.code !== 'UPSTREAM' && e.code !== 'RATE_LIMITED';
      if (mustFix || item.attempts + 1 >= item.maxAttempts) {
        await record({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
        return;
      }
      throw e;
    }
};
