import type { FulfillmentStore } from './fake-shopify-fulfillments.ts';

/**
 * `orderCancel` of the fake Shopify (Admin GraphQL 2025-10: orderId, reason, refundMethod, restock,
 * notifyCustomer, staffNote; answers a Job and `orderCancelUserErrors`). Shopify runs the
 * cancellation as a job; the fake finishes it before it answers: the order gets its cancelledAt,
 * its fulfillment orders that still had work (open, in progress, on hold) are closed with their holds gone.
 * Refused, as Shopify documents, when the order is cancelled already or has a fulfillment that is
 * not cancelled (the goods left: cancel the fulfillment first).
 */
type Node = Record<string, unknown>;

const REASONS = new Set(['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'STAFF', 'OTHER']);

export interface FakeOrderCancellation {
  orderId: string;
  reason: string;
  restock: boolean;
  notifyCustomer: boolean;
  staffNote: string | null;
  refundMethod: Node | null;
}

export interface OrderCancelStore {
  cancellations: FakeOrderCancellation[];
  route(query: string, variables: Node): { cost: number; run: () => unknown } | null;
}

export function createOrderCancelStore(fulfillment: FulfillmentStore, orders: Map<string, Node>, now: () => number): OrderCancelStore {
  const cancellations: FakeOrderCancellation[] = [];
  let jobSeq = 7_000_000;

  function orderCancel(v: Node): Node {
    const fail = (field: string[] | null, message: string, code: string) => ({ job: null, orderCancelUserErrors: [{ field, message, code }], userErrors: [{ field, message }] });
    const orderId = String(v['orderId'] ?? '');
    if (!orders.has(orderId) && !fulfillment.fulfillmentOrders.has(orderId)) return fail(['orderId'], 'Order does not exist.', 'NOT_FOUND');
    if (typeof v['reason'] !== 'string' || !REASONS.has(v['reason'])) return fail(['reason'], 'Reason is invalid.', 'INVALID');
    if (typeof v['restock'] !== 'boolean') return fail(['restock'], 'Restock is required.', 'INVALID');
    const refundMethod = v['refundMethod'];
    if (!refundMethod || typeof refundMethod !== 'object') return fail(['refundMethod'], 'Refund method is required.', 'INVALID');
    if (fulfillment.cancelledAt.has(orderId)) return fail(['orderId'], 'Order has already been cancelled.', 'ORDER_ALREADY_CANCELLED');
    const live = (fulfillment.fulfillments.get(orderId) ?? []).filter((f) => f.status !== 'CANCELLED');
    if (live.length > 0) return fail(['orderId'], 'Cannot cancel an order that has fulfillments; cancel the fulfillments first.', 'INVALID');
    const at = new Date(now()).toISOString();
    fulfillment.cancelledAt.set(orderId, at);
    for (const fo of fulfillment.fulfillmentOrders.get(orderId) ?? []) {
      if (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS' || fo.status === 'ON_HOLD' || fo.status === 'SCHEDULED') {
        fo.status = 'CLOSED';
        fo.holds = [];
      }
    }
    const node = orders.get(orderId);
    if (node) orders.set(orderId, { ...node, cancelledAt: at, cancelReason: v['reason'], updatedAt: at });
    cancellations.push({
      orderId,
      reason: v['reason'],
      restock: v['restock'],
      notifyCustomer: v['notifyCustomer'] === true,
      staffNote: typeof v['staffNote'] === 'string' ? v['staffNote'] : null,
      refundMethod: refundMethod as Node,
    });
    return { job: { id: `gid://shopify/Job/${jobSeq++}`, done: true }, orderCancelUserErrors: [], userErrors: [] };
  }

  return {
    cancellations,
    route(query, variables) {
      if (!/\borderCancel\s*\(/.test(query)) return null;
      // Variables are read by their argument names: the connector binds each argument to a variable of the same name.
      return { cost: 10, run: () => ({ orderCancel: orderCancel(variables) }) };
    },
  };
}
