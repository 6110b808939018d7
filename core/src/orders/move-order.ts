import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import type { ChannelOrder } from '../channels/index.ts';
import { storeOrderFieldsSet } from './store-order-writes.ts';
import { lockOrder, type OrderRow, orderRef } from './order-repo.ts';
import { canTransition, type OrderEvent, type OrderStatus, transition } from './order-status.ts';

/** What a move may set beside the status; a key left out keeps the column as it is. */
export interface OrderMoveFields {
  holdReason?: string | null;
  holdDetails?: Record<string, unknown> | null;
  deliveryType?: 'total' | 'partial';
  /** Kept when null: `coalesce(new, old)`. */
  warehouseId?: string | null;
}

type Locked = Pick<OrderRow, 'tenantId' | 'id' | 'status' | 'externalNumber'>;

function columns(tx: Tx, status: OrderStatus, set: OrderMoveFields): Record<string, unknown> {
  const c: Record<string, unknown> = { status };
  if ('holdReason' in set) c.hold_reason = set.holdReason;
  if ('holdDetails' in set) c.hold_details = set.holdDetails === null || set.holdDetails === undefined ? null : tx.json(set.holdDetails as never);
  if (set.deliveryType) c.delivery_type = set.deliveryType;
  return c;
}

/**
 * The one writer of an order's status: the pure state machine says what follows, this writes it
 * (with the fields the move sets) on a row the caller's transaction has locked. Every status
 * change of an order in the product goes through here or `moveOrder`.
 */
export async function moveLockedOrder(tx: Tx, order: Locked, event: OrderEvent, set: OrderMoveFields = {}): Promise<OrderStatus> {
  const next = transition(order.status, event, orderRef(order));
  await writeStatus(tx, order.tenantId, [order.id], next, set);
  order.status = next;
  return next;
}

async function writeStatus(tx: Tx, tenantId: string, ids: string[], next: OrderStatus, set: OrderMoveFields): Promise<void> {
  const cols = columns(tx, next, set);
  const warehouseId = set.warehouseId ?? null;
  // The status as stored before this write (a caller may have stepped its copy through validate already).
  const rows = await tx<{ id: string; was: OrderStatus }[]>`update orders o set ${tx(cols)}, updated_at = now(),
      warehouse_id = coalesce(${warehouseId}, o.warehouse_id),
      cancelled_at = case when ${next} = 'cancelled' then now() else o.cancelled_at end
    from (select id, status from orders where tenant_id = ${tenantId} and id = any(${ids}::bigint[])) before
    where o.tenant_id = ${tenantId} and o.id = before.id
    returning o.id::text, before.status as was`;
  // The timeline's row is written with the move: the log cannot miss a status or hold one never written.
  if (rows.length > 0) {
    await tx`insert into order_status_log (tenant_id, order_id, status, reason)
      select ${tenantId}, x::bigint, ${next}, ${set.holdReason ?? null} from unnest(${rows.map((r) => r.id)}::text[]) x`;
  }
  for (const r of rows) if (isStoreNews(r.was, next)) await noteStoreStateChanged(tx, tenantId, r.id, next);
}

/** The outbox kind that tells the order's store of a hold, a release or a cancellation (flows/order-writeback-handlers.ts). */
export const ORDER_STORE_STATE_KIND = 'order.store_state';

/**
 * What the store must hear: the order went on hold, left it, or was cancelled. Other moves (picking,
 * packing) are Expedio's own business; shipping has its own write-backs.
 */
export function isStoreNews(from: OrderStatus, next: OrderStatus): boolean {
  if (from === next) return false;
  return next === 'cancelled' || next === 'on_hold' || from === 'on_hold';
}

/**
 * Queued with the move itself, so the store hears of every hold and cancellation that commits, and
 * of nothing that rolled back. The handler reads the order when it runs; one item per move (keyed by
 * the transaction and the status it moved to).
 */
async function noteStoreStateChanged(tx: Tx, tenantId: string, orderId: string, status: OrderStatus): Promise<void> {
  const t = (await tx<{ t: string }[]>`select txid_current()::text as t`)[0]!.t;
  await enqueue(tx, tenantId, ORDER_STORE_STATE_KIND, { orderId, status }, `${ORDER_STORE_STATE_KIND}:${orderId}:${status}:${t}`, { target: null });
}

/** Locks the order, then moves it. `ifAllowed`: an order the state machine does not let move stays put (null). */
export async function moveOrder(
  tx: Tx,
  tenantId: string,
  orderId: string,
  event: OrderEvent,
  opts: { ifAllowed?: boolean; set?: OrderMoveFields } = {},
): Promise<OrderStatus | null> {
  const order = await lockOrder(tx, tenantId, orderId);
  if (opts.ifAllowed && !canTransition(order.status, event)) return null;
  return moveLockedOrder(tx, order, event, opts.set);
}

/**
 * Moves every order of a list that the state machine lets move (a pick list's orders when picking
 * starts or ends); the others — already further on, e.g. a remainder note's order — stay put. Rows
 * are locked in id order so two lists sharing orders queue instead of deadlocking.
 */
export async function moveOrdersWherePossible(tx: Tx, tenantId: string, orderIds: string[], event: OrderEvent): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const rows = await tx<{ id: string; status: OrderStatus }[]>`
    select id::text, status from orders where tenant_id = ${tenantId} and id = any(${orderIds}::bigint[]) order by orders.id for update`;
  const move = rows.filter((o) => canTransition(o.status, event));
  for (const status of new Set(move.map((o) => o.status))) {
    await writeStatus(
      tx,
      tenantId,
      move.filter((o) => o.status === status).map((o) => o.id),
      transition(status, event),
      {},
    );
  }
  return move.map((o) => o.id);
}

/**
 * Puts an order on hold with the reason, or — when it is on hold already — replaces the reason
 * (a re-validation that finds stock still short). Not allowed from a status past picking.
 */
export async function holdLockedOrder(tx: Tx, order: Locked, reason: string, details: Record<string, unknown>, warehouseId?: string | null): Promise<OrderStatus> {
  const set: OrderMoveFields = { holdReason: reason, holdDetails: details, warehouseId: warehouseId ?? null };
  if (order.status === 'on_hold') {
    await writeStatus(tx, order.tenantId, [order.id], 'on_hold', set);
    return 'on_hold';
  }
  return moveLockedOrder(tx, order, 'hold', set);
}

/**
 * The first status of an order row this transaction has just created from a store order: the
 * store's status mapped by the channel (new, on hold, cancelled, or still a draft). Not a move of
 * the state machine: the row had no status before.
 */
export async function setIntakeStatus(
  tx: Tx,
  tenantId: string,
  orderId: string,
  status: OrderStatus,
  opts: { approvalStatus?: string | null; holdReason?: string; holdDetails?: Record<string, unknown> } = {},
  /** The store's fields written in the same statement (one write of the new row instead of two). */
  store?: { order: ChannelOrder; clientId: string | null },
): Promise<void> {
  await tx`with intake as (
      update orders set ${store ? tx`${storeOrderFieldsSet(tx, store.order, store.clientId)},` : tx``} status = ${status}, approval_status = ${opts.approvalStatus ?? null},
        hold_reason = coalesce(${opts.holdReason ?? null}, hold_reason),
        hold_details = coalesce(${opts.holdDetails ? tx.json(opts.holdDetails as never) : null}, hold_details),
        cancelled_at = case when ${status} = 'cancelled' then now() else cancelled_at end
      where tenant_id = ${tenantId} and id = ${orderId}
      returning id)
    insert into order_status_log (tenant_id, order_id, status, reason)
    select ${tenantId}, intake.id, ${status}, ${opts.holdReason ?? null} from intake`;
  // A store order that arrives on hold in Expedio (unknown SKU, no client) is held in the store too.
  if (status === 'on_hold') await noteStoreStateChanged(tx, tenantId, orderId, status);
}

/**
 * A short pick puts the order on hold where the state machine allows it; where it does not (the
 * order is further on), the order keeps its status and the reason is recorded all the same.
 */
export async function holdOrderIfPossible(tx: Tx, tenantId: string, orderId: string, reason: string, details: Record<string, unknown>): Promise<OrderStatus> {
  const order = await lockOrder(tx, tenantId, orderId);
  const set: OrderMoveFields = { holdReason: reason, holdDetails: details };
  if (canTransition(order.status, 'hold')) return moveLockedOrder(tx, order, 'hold', set);
  await writeStatus(tx, tenantId, [orderId], order.status, set);
  return order.status;
}
