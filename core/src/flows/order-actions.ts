import { getChannel } from '../channels/index.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import type { Shortage } from '../inventory/index.ts';
import { holdLockedOrder, moveLockedOrder, setApprovalStatus, orderLines, lockOrder, type OrderRow, orderRef, type OrderStatus, transition } from '../orders/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import { reserveStockStep, undoOrder } from './order-steps.ts';
import { runStep, startFlow } from './steps.ts';

export interface ConfirmResult {
  orderId: string;
  status: OrderStatus;
  deliveryType: 'total' | 'partial';
  missing: Array<Shortage & { sku: string | null }>;
}

/**
 * Validates an order and reserves its stock: client check, product check, then stock per line
 * against what is available (on hand − reserved) in the channel's default warehouse. Short stock
 * puts the order on hold listing the missing quantities; from there the operator re-runs this
 * after a restock, chooses `partial` (reserve what is there, the rest waits as backorder) or
 * cancels. Runs in the caller's transaction, with the order row locked.
 */
export async function confirmOrder(tx: Tx, tenantId: string, orderId: string, opts: { partial?: boolean } = {}): Promise<ConfirmResult> {
  const order = await lockOrder(tx, tenantId, orderId);
  const ref = orderRef(order);
  if (order.approvalStatus === 'pending') {
    throw new DomainError('INVALID_STATE', `${ref} awaits approval; approve it before confirming.`, [
      { path: 'approvalStatus', reason: 'pending' },
    ]);
  }
  if (order.approvalStatus === 'rejected') {
    throw new DomainError('INVALID_STATE', `${ref} was rejected; it cannot be confirmed.`, [{ path: 'approvalStatus', reason: 'rejected' }]);
  }
  if (opts.partial && order.status !== 'on_hold') {
    throw new DomainError('INVALID_STATE', `${ref} is ${order.status}; partial delivery is chosen for an order on hold for stock.`, [
      { path: 'partial', reason: `not allowed from ${order.status}` },
    ]);
  }
  transition(order.status, 'validate', ref);

  const lines = await orderLines(tx, tenantId, orderId);
  const problems: string[] = [];
  if (!order.clientId) problems.push('no client is linked to the order');
  const unknown = lines.filter((l) => !l.product_id).map((l) => l.sku ?? l.name);
  if (unknown.length > 0) problems.push(`unknown SKU ${unknown.join(', ')}`);
  if (lines.length === 0) problems.push('the order has no lines to ship');
  const channel = await getChannel(tx, tenantId, order.channelId);
  const warehouseId = order.warehouseId ?? channel.defaultWarehouseId;
  if (!warehouseId) problems.push(`channel ${channel.name} has no default warehouse`);
  if (problems.length > 0) {
    await holdLockedOrder(tx, order, problems.join('; '), { problems });
    return { orderId, status: 'on_hold', deliveryType: order.deliveryType, missing: [] };
  }

  const needs = lines
    .filter((l) => l.quantity > l.quantity_reserved)
    .map((l) => ({ lineNo: l.line_no, productId: l.product_id!, quantity: l.quantity - l.quantity_reserved }));
  const run = startFlow(tenantId, 'order.confirm', { type: 'order', id: orderId });
  const { shortages } = await runStep(tx, run, reserveStockStep, {
    tenantId,
    orderId,
    warehouseId: warehouseId!,
    needs,
    mode: opts.partial ? 'partial' : 'all_or_nothing',
  });
  const missing = shortages.map((s) => ({ ...s, sku: lines.find((l) => l.line_no === s.lineNo)?.sku ?? null }));

  if (missing.length > 0 && !opts.partial) {
    const list = missing.map((m) => `${m.sku}: ${m.missing} missing (${m.needed} needed, ${m.available} available)`).join('; ');
    await holdLockedOrder(tx, order, `insufficient stock: ${list}`, { missing }, warehouseId!);
    return { orderId, status: 'on_hold', deliveryType: order.deliveryType, missing };
  }
  const deliveryType = missing.length > 0 || order.deliveryType === 'partial' ? 'partial' : 'total';
  // validate then confirm: both moves checked by the state machine, one write.
  order.status = transition(order.status, 'validate', ref);
  const status = await moveLockedOrder(tx, order, 'confirm', {
    deliveryType,
    warehouseId: warehouseId!,
    holdReason: null,
    holdDetails: missing.length > 0 ? { backorder: missing } : null,
  });
  if (channel.autoCreateDeliveryNote) {
    // Same transaction as the confirm: the delivery note can neither be lost nor made for an order
    // that did not get confirmed. Keyed by this confirm (its recorded run, else this transaction's
    // start), so a re-confirm after a hold enqueues again (the handler itself only creates what no
    // note covers yet).
    const key = run.id ? `run${run.id}` : (await tx<{ t: string }[]>`select (extract(epoch from now()) * 1000000)::bigint::text as t`)[0]!.t;
    await enqueue(tx, tenantId, 'delivery_note.create', { orderId }, `delivery_note.create:${orderId}:${key}`);
  }
  return { orderId, status, deliveryType, missing };
}

/** Manual hold by the operator; reservations are kept so the goods stay put. */
export async function holdOrder(tx: Tx, tenantId: string, orderId: string, reason: string) {
  const order = await lockOrder(tx, tenantId, orderId);
  const status = await moveLockedOrder(tx, order, 'hold', { holdReason: reason, holdDetails: { manual: true } });
  return { orderId, status };
}

/** Cancel releases every reservation; the movement rows name the order. */
export async function cancelOrder(tx: Tx, tenantId: string, orderId: string, reason: string) {
  const order = await lockOrder(tx, tenantId, orderId);
  transition(order.status, 'cancel', orderRef(order)); // refused before any stock moves
  const released = await undoOrder(tx, tenantId, orderId, `cancelled: ${reason}`);
  const status = await moveLockedOrder(tx, order, 'cancel', { holdReason: null, holdDetails: { cancelReason: reason } });
  return { orderId, status, releasedUnits: released };
}

export async function approveOrder(tx: Tx, tenantId: string, orderId: string) {
  const order = await lockOrder(tx, tenantId, orderId);
  requirePendingApproval(order);
  await setApprovalStatus(tx, tenantId, orderId, 'approved');
  const channel = await getChannel(tx, tenantId, order.channelId);
  if (channel.autoConfirm && order.status === 'new') {
    await enqueue(tx, tenantId, 'order.validate', { orderId }, `order.validate:${orderId}:approved`);
  }
  return { orderId, status: order.status, approvalStatus: 'approved' as const };
}

/** A rejected order is cancelled: nothing of it is fulfilled. */
export async function rejectOrder(tx: Tx, tenantId: string, orderId: string, reason: string) {
  const order = await lockOrder(tx, tenantId, orderId);
  requirePendingApproval(order);
  await setApprovalStatus(tx, tenantId, orderId, 'rejected');
  const cancelled = await cancelOrder(tx, tenantId, orderId, `rejected: ${reason}`);
  return { ...cancelled, approvalStatus: 'rejected' as const };
}

function requirePendingApproval(order: OrderRow) {
  if (order.approvalStatus !== 'pending') {
    throw new DomainError(
      'INVALID_STATE',
      `${orderRef(order)} is not awaiting approval (approval: ${order.approvalStatus ?? 'not required'}).`,
      [{ path: 'approvalStatus', reason: String(order.approvalStatus ?? 'none') }],
    );
  }
}
