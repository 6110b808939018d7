import { DomainError } from '../../shared/domain-error.ts';
import { toGid } from './to-gid.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';

/**
 * Expedio's hold on a fulfillment order is the one with this handle: Shopify keeps the handle unique
 * per app and fulfillment order (a second hold with it is refused), so a retry can never hold twice,
 * and a release names exactly our holds, never the merchant's or another app's.
 */
export const EXPEDIO_HOLD_HANDLE = 'expedio';

const HOLD_STATE_QUERY = `query ExpedioOrderHoldState($id: ID!) {
  order(id: $id) {
    id cancelledAt
    fulfillmentOrders(first: 20) { nodes { id status fulfillmentHolds { id handle heldByRequestingApp } } }
    fulfillments(first: 50) { id status }
  }
}`;

const FULFILLMENT_ORDER_HOLD = `mutation ExpedioFulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
    fulfillmentHold { id handle }
    fulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

const FULFILLMENT_ORDER_RELEASE_HOLD = `mutation ExpedioFulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]) {
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
    fulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;

// Arguments bound to variables of the same name (the fake Shopify reads them so, Shopify by binding).
const ORDER_CANCEL = `mutation ExpedioOrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`;

interface HoldState {
  order: {
    id: string;
    cancelledAt: string | null;
    fulfillmentOrders: { nodes: { id: string; status: string; fulfillmentHolds?: { id: string; handle: string; heldByRequestingApp: boolean }[] }[] };
    fulfillments: { id: string; status: string }[];
  } | null;
}

type UserErrors = { field: string[] | null; message: string; code?: string | null }[];
const whyOf = (errors: UserErrors) => errors.map((e) => `${(e.field ?? []).join('.') || 'id'}: ${e.message}`).join('; ') || 'no fulfillment order returned';

/** Shopify's FulfillmentHoldReason for an Expedio hold: short stock has its own, the rest is OTHER with our reason as the note. */
export type ShopifyHoldReason = 'INVENTORY_OUT_OF_STOCK' | 'OTHER';
/** Shopify's OrderCancelReason for an Expedio cancellation: a rejected order was DECLINED. */
export type ShopifyCancelReason = 'DECLINED' | 'INVENTORY' | 'OTHER';

async function holdState(client: ShopifyAdminClient, orderGid: string) {
  const state = await client.graphql<HoldState>(HOLD_STATE_QUERY, { id: orderGid });
  if (!state.order) throw new DomainError('NOT_FOUND', `Shopify ${client.shopDomain} has no order ${orderGid} (deleted, or older than the 60 days the app may read).`);
  return state.order;
}

const ours = (fo: { fulfillmentHolds?: { id: string; handle: string; heldByRequestingApp: boolean }[] }) =>
  (fo.fulfillmentHolds ?? []).filter((h) => h.heldByRequestingApp && h.handle === EXPEDIO_HOLD_HANDLE);

/**
 * Puts Expedio's hold on every fulfillment order that still has work (open, in progress, or held by
 * someone else: when the merchant releases theirs, ours still stops a fulfilment in Shopify).
 * Idempotent: a fulfillment order that carries our hold already is left as it is.
 */
export async function pushShopifyHold(
  client: ShopifyAdminClient,
  input: { orderId: string; reason: string; holdReason?: ShopifyHoldReason },
): Promise<{ outcome: 'held' | 'already_done'; fulfillmentOrderIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const order = await holdState(client, orderGid);
  if (order.cancelledAt) return { outcome: 'already_done', fulfillmentOrderIds: [] };
  const held: string[] = [];
  for (const fo of order.fulfillmentOrders.nodes.filter((f) => ['OPEN', 'IN_PROGRESS', 'ON_HOLD'].includes(f.status) && ours(f).length === 0)) {
    const data = await client.graphql<{ fulfillmentOrderHold: { fulfillmentOrder: { id: string; status: string } | null; userErrors: UserErrors } }>(FULFILLMENT_ORDER_HOLD, {
      id: fo.id,
      fulfillmentHold: { reason: input.holdReason ?? 'OTHER', reasonNotes: input.reason.slice(0, 255), handle: EXPEDIO_HOLD_HANDLE, notifyMerchant: false },
    });
    const r = data.fulfillmentOrderHold;
    // A lost answer to our own earlier hold: the handle is taken, so the hold is there.
    if (r.userErrors.some((e) => e.code === 'DUPLICATE_FULFILLMENT_HOLD_HANDLE')) continue;
    if (r.userErrors.length > 0 || !r.fulfillmentOrder) {
      throw new DomainError('INVALID_STATE', `Shopify refused to hold fulfillment order ${fo.id} of order ${orderGid}: ${whyOf(r.userErrors)}.`);
    }
    held.push(fo.id);
  }
  return { outcome: held.length > 0 ? 'held' : 'already_done', fulfillmentOrderIds: held };
}

/**
 * Releases Expedio's holds (by their ids: Shopify releases every hold when none are named, the
 * merchant's too). A fulfillment order without our hold is skipped, so a retry releases nothing twice.
 */
export async function pushShopifyReleaseHold(client: ShopifyAdminClient, input: { orderId: string }): Promise<{ outcome: 'released' | 'already_done'; fulfillmentOrderIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const order = await holdState(client, orderGid);
  const released: string[] = [];
  for (const fo of order.fulfillmentOrders.nodes.filter((f) => f.status === 'ON_HOLD' && ours(f).length > 0)) {
    const data = await client.graphql<{ fulfillmentOrderReleaseHold: { fulfillmentOrder: { id: string } | null; userErrors: UserErrors } }>(FULFILLMENT_ORDER_RELEASE_HOLD, {
      id: fo.id,
      holdIds: ours(fo).map((h) => h.id),
    });
    const r = data.fulfillmentOrderReleaseHold;
    if (r.userErrors.length > 0 || !r.fulfillmentOrder) {
      throw new DomainError('INVALID_STATE', `Shopify refused to release fulfillment order ${fo.id} of order ${orderGid}: ${whyOf(r.userErrors)}.`);
    }
    released.push(fo.id);
  }
  return { outcome: released.length > 0 ? 'released' : 'already_done', fulfillmentOrderIds: released };
}

/**
 * Cancels the Shopify order, which closes its fulfillment orders (holds included): `orderCancel`,
 * not `fulfillmentOrderCancel`, which only withdraws a request made to a fulfillment service and
 * leaves a replacement fulfillment order open. No refund (refunds are their own write-back) and no
 * restock unless Shopify keeps the stock itself: where Expedio pushes the stock, Shopify's
 * available count is Expedio's to set. Idempotent: an order cancelled already (here or in the
 * admin) is done. Shopify's refusal (a fulfillment still live, a pending payment) is final for
 * this order: VALIDATION, which the outbox turns into a stall instead of retrying.
 */
export async function pushShopifyOrderCancel(
  client: ShopifyAdminClient,
  input: { orderId: string; reason: ShopifyCancelReason; staffNote: string; notifyCustomer: boolean; restock: boolean },
): Promise<{ outcome: 'cancelled' | 'already_done'; jobId: string | null; fulfillmentOrderIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const order = await holdState(client, orderGid);
  const foIds = order.fulfillmentOrders.nodes.map((f) => f.id);
  if (order.cancelledAt) return { outcome: 'already_done', jobId: null, fulfillmentOrderIds: foIds };
  const data = await client.graphql<{ orderCancel: { job: { id: string } | null; orderCancelUserErrors: UserErrors } }>(ORDER_CANCEL, {
    orderId: orderGid,
    reason: input.reason,
    refundMethod: { originalPaymentMethodsRefund: false },
    restock: input.restock,
    notifyCustomer: input.notifyCustomer,
    staffNote: input.staffNote.slice(0, 255),
  });
  const r = data.orderCancel;
  if (r.orderCancelUserErrors.length > 0 || !r.job) {
    const why = whyOf(r.orderCancelUserErrors);
    throw new DomainError('VALIDATION', `Shopify refused to cancel order ${orderGid}: ${why}.`, [{ path: 'orderCancel', reason: why }]);
  }
  return { outcome: 'cancelled', jobId: r.job.id, fulfillmentOrderIds: foIds };
}
