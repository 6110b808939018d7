import { DomainError } from '../../shared/domain-error.ts';
import { pushShopifyReleaseHold } from './push-shopify-hold.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';
import { toGid } from './to-gid.ts';

export { toGid };

/** One order line a packing list ships: the Shopify line item id (numeric or GID) and the units. */
export interface ShippedLine {
  lineItemId: string;
  quantity: number;
  label: string;
}

export interface ShopifyFulfillmentInput {
  /** Shopify order id (numeric, as stored in orders.external_order_id) or GID. */
  orderId: string;
  awb: string;
  company: string;
  trackingUrl: string | null;
  notifyCustomer: boolean;
  lines: ShippedLine[];
  /**
   * AWBs this parcel replaces (cancelled AWBs of the same packing list): a live fulfillment still
   * carrying one gets this AWB as its tracking instead of a second fulfillment being created.
   */
  replacesAwbs?: string[];
}

export interface ShopifyFulfillmentResult {
  outcome: 'created' | 'already_done' | 'tracking_updated';
  fulfillmentIds: string[];
  /** Fulfillments whose tracking moved from a cancelled AWB to this one. */
  retargeted: { fulfillmentId: string; from: string[] }[];
  /** Units the packing list ships that Shopify had no open fulfillment order line for. */
  shortfalls: { lineItemId: string; label: string; missing: number }[];
}


/*
 * Requested cost stays under Shopify's 1000-point single-query ceiling: 5 fulfillment orders ×
 * (50 line items × 2 objects + a few) ≈ 525, plus 50 fulfillments × (1 + 5 tracking infos) ≈ 300.
 */
export const ORDER_FULFILLMENT_STATE_QUERY = `query ExpedioOrderFulfillmentState($id: ID!) {
  order(id: $id) {
    id
    fulfillmentOrders(first: 5) { nodes {
      id status
      assignedLocation { location { id } }
      lineItems(first: 50) { nodes { id remainingQuantity totalQuantity lineItem { id } } }
    } }
    fulfillments(first: 50) { id status trackingInfo(first: 5) { company number url } }
  }
}`;

export const FULFILLMENT_DETAIL_QUERY = `query ExpedioFulfillmentDetail($id: ID!) {
  fulfillment(id: $id) {
    id
    fulfillmentLineItems(first: 100) { nodes { quantity lineItem { id } } }
    events(first: 50) { nodes { id status happenedAt } }
  }
}`;

const FULFILLMENT_CREATE = `mutation ExpedioFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo(first: 5) { company number url } }
    userErrors { field message }
  }
}`;

const TRACKING_INFO_UPDATE = `mutation ExpedioFulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { id status trackingInfo(first: 5) { company number url } }
    userErrors { field message }
  }
}`;

const FULFILLMENT_CANCEL = `mutation ExpedioFulfillmentCancel($id: ID!) {
  fulfillmentCancel(id: $id) {
    fulfillment { id status }
    userErrors { field message }
  }
}`;

type UserErrors = { field: string[] | null; message: string }[];
const whyOf = (errors: UserErrors, fallback: string) => errors.map((e) => `${(e.field ?? []).join('.') || fallback}: ${e.message}`).join('; ');

interface FulfillmentOrderNode {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null } | null;
  lineItems: { nodes: { id: string; remainingQuantity: number; totalQuantity: number; lineItem: { id: string } }[] };
}
export interface FulfillmentSummary {
  id: string;
  status: string;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
}
export interface OrderFulfillmentState {
  order: { id: string; fulfillmentOrders: { nodes: FulfillmentOrderNode[] }; fulfillments: FulfillmentSummary[] } | null;
}
export interface FulfillmentDetail {
  fulfillment: {
    id: string;
    fulfillmentLineItems: { nodes: { quantity: number; lineItem: { id: string } }[] };
    events: { nodes: { id: string; status: string; happenedAt: string }[] };
  } | null;
}

const LIVE_FULFILLMENT = (f: FulfillmentSummary) => !['CANCELLED', 'ERROR', 'FAILURE'].includes(f.status);
const OPEN_FO = new Set(['OPEN', 'IN_PROGRESS']);

/** The order's live fulfillments carrying this AWB: the ones a previous attempt already created. */
export async function fulfillmentsForAwb(client: ShopifyAdminClient, orderGid: string, awb: string) {
  const state = await client.graphql<OrderFulfillmentState>(ORDER_FULFILLMENT_STATE_QUERY, { id: orderGid });
  if (!state.order) {
    throw new DomainError('NOT_FOUND', `Shopify ${client.shopDomain} has no order ${orderGid} (deleted, or older than the 60 days the app may read).`);
  }
  const mine = state.order.fulfillments.filter((f) => LIVE_FULFILLMENT(f) && f.trackingInfo.some((t) => t.number === awb));
  return { order: state.order, mine };
}

/**
 * Creates the Shopify fulfillment for one parcel: only the order lines on its packing list, with
 * the AWB as tracking. Idempotent without any id of ours on Shopify's side: units already covered
 * by a fulfillment carrying this AWB are subtracted first, so a retry after a lost answer
 * creates nothing more. Fulfillment orders at different locations get one fulfillment each
 * (Shopify refuses mixing locations in one call), all with the same tracking.
 */
export async function pushShopifyFulfillment(client: ShopifyAdminClient, input: ShopifyFulfillmentInput): Promise<ShopifyFulfillmentResult> {
  const orderGid = toGid('Order', input.orderId);
  let { order, mine } = await fulfillmentsForAwb(client, orderGid, input.awb);
  // Expedio ships the parcel, so Expedio's own hold (put there while the order was on hold here) is
  // stale: its release may still be queued or retrying. Released by our hold ids only; a merchant's
  // hold stays and the lines it holds are reported below as nothing left to fulfil.
  if (order.fulfillmentOrders.nodes.some((fo) => fo.status === 'ON_HOLD')) {
    const released = await pushShopifyReleaseHold(client, { orderId: orderGid });
    if (released.outcome === 'released') ({ order, mine } = await fulfillmentsForAwb(client, orderGid, input.awb));
  }
  const tracking = { company: input.company, number: input.awb, ...(input.trackingUrl ? { url: input.trackingUrl } : {}) };

  // A reissued AWB: the fulfillment Shopify already has for this parcel gets the new tracking, so
  // its units are not fulfilled twice (which Shopify refuses: nothing left to fulfil).
  const retargeted: ShopifyFulfillmentResult['retargeted'] = [];
  const replaced = new Set(input.replacesAwbs ?? []);
  if (replaced.size > 0) {
    const stale = order.fulfillments.filter((f) => LIVE_FULFILLMENT(f) && !mine.some((m) => m.id === f.id) && f.trackingInfo.some((t) => t.number !== null && replaced.has(t.number)));
    for (const f of stale) {
      const data = await client.graphql<{ fulfillmentTrackingInfoUpdate: { fulfillment: FulfillmentSummary | null; userErrors: UserErrors } }>(TRACKING_INFO_UPDATE, {
        fulfillmentId: f.id,
        trackingInfoInput: tracking,
        notifyCustomer: input.notifyCustomer,
      });
      const r = data.fulfillmentTrackingInfoUpdate;
      if (r.userErrors.length > 0 || !r.fulfillment) {
        const why = whyOf(r.userErrors, 'trackingInfoInput') || 'no fulfillment returned';
        // Retried, not stalled: the likely cause is the fulfillment changing meanwhile (cancelled in
        // Shopify), and the next attempt then sees it gone and fulfils the lines anew.
        throw new DomainError('INVALID_STATE', `Shopify refused to move fulfillment ${f.id} of order ${orderGid} to AWB ${input.awb}: ${why}.`, [{ path: 'trackingInfo', reason: why }]);
      }
      retargeted.push({ fulfillmentId: f.id, from: f.trackingInfo.map((t) => t.number ?? '').filter(Boolean) });
      mine.push({ ...f, trackingInfo: r.fulfillment.trackingInfo });
    }
  }

  const need = new Map<string, { label: string; quantity: number }>();
  for (const l of input.lines) {
    const gid = toGid('LineItem', l.lineItemId);
    const cur = need.get(gid);
    need.set(gid, { label: l.label, quantity: (cur?.quantity ?? 0) + l.quantity });
  }
  for (const f of mine) {
    const detail = await client.graphql<FulfillmentDetail>(FULFILLMENT_DETAIL_QUERY, { id: f.id });
    for (const fl of detail.fulfillment?.fulfillmentLineItems.nodes ?? []) {
      const cur = need.get(fl.lineItem.id);
      if (cur) cur.quantity -= fl.quantity;
    }
  }
  const outstanding = [...need.entries()].filter(([, v]) => v.quantity > 0);
  if (outstanding.length === 0) return { outcome: retargeted.length > 0 ? 'tracking_updated' : 'already_done', fulfillmentIds: mine.map((f) => f.id), retargeted, shortfalls: [] };

  // location → fulfillment order → lines to fulfil
  const plan = new Map<string, Map<string, { id: string; quantity: number }[]>>();
  const shortfalls: ShopifyFulfillmentResult['shortfalls'] = [];
  const remaining = new Map<string, number>();
  for (const fo of order.fulfillmentOrders.nodes) for (const li of fo.lineItems.nodes) remaining.set(li.id, li.remainingQuantity);
  for (const [lineGid, want] of outstanding) {
    let left = want.quantity;
    for (const fo of order.fulfillmentOrders.nodes) {
      if (!OPEN_FO.has(fo.status) || left === 0) continue;
      for (const li of fo.lineItems.nodes) {
        if (li.lineItem.id !== lineGid || left === 0) continue;
        const take = Math.min(left, remaining.get(li.id) ?? 0);
        if (take <= 0) continue;
        remaining.set(li.id, (remaining.get(li.id) ?? 0) - take);
        left -= take;
        const location = fo.assignedLocation?.location?.id ?? 'unknown';
        const byFo = plan.get(location) ?? new Map<string, { id: string; quantity: number }[]>();
        const lines = byFo.get(fo.id) ?? [];
        lines.push({ id: li.id, quantity: take });
        byFo.set(fo.id, lines);
        plan.set(location, byFo);
      }
    }
    if (left > 0) shortfalls.push({ lineItemId: lineGid, label: want.label, missing: left });
  }
  if (plan.size === 0) {
    throw new DomainError(
      'CONFLICT',
      `Shopify order ${orderGid} has nothing left to fulfil for ${shortfalls.map((s) => `${s.label} (${s.missing})`).join(', ')}: it was fulfilled in Shopify already, or its fulfillment order is on hold.`,
    );
  }

  const created: string[] = mine.map((f) => f.id);
  for (const byFo of plan.values()) {
    const data = await client.graphql<{ fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } }>(
      FULFILLMENT_CREATE,
      {
        fulfillment: {
          notifyCustomer: input.notifyCustomer,
          trackingInfo: tracking,
          lineItemsByFulfillmentOrder: [...byFo.entries()].map(([fulfillmentOrderId, lines]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems: lines })),
        },
      },
    );
    const r = data.fulfillmentCreate;
    if (r.userErrors.length > 0 || !r.fulfillment) {
      const why = r.userErrors.map((e) => `${(e.field ?? []).join('.') || 'fulfillment'}: ${e.message}`).join('; ') || 'no fulfillment returned';
      throw new DomainError('VALIDATION', `Shopify refused the fulfillment of order ${orderGid} with AWB ${input.awb}: ${why}.`, [
        { path: 'fulfillment', reason: why },
      ]);
    }
    created.push(r.fulfillment.id);
  }
  return { outcome: 'created', fulfillmentIds: created, retargeted, shortfalls };
}

/**
 * The AWB was cancelled and no other replaces it: every live fulfillment carrying it is cancelled
 * (fulfillmentCancel), so its units are open to fulfil again in Shopify. Idempotent: a cancelled
 * fulfillment is no longer live, so a retry finds nothing to do.
 */
export async function pushShopifyFulfillmentCancel(client: ShopifyAdminClient, input: { orderId: string; awb: string }): Promise<{ outcome: 'cancelled' | 'already_done'; fulfillmentIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const { mine } = await fulfillmentsForAwb(client, orderGid, input.awb);
  for (const f of mine) {
    const data = await client.graphql<{ fulfillmentCancel: { fulfillment: { id: string; status: string } | null; userErrors: UserErrors } }>(FULFILLMENT_CANCEL, { id: f.id });
    const r = data.fulfillmentCancel;
    if (r.userErrors.length > 0 || !r.fulfillment) {
      const why = whyOf(r.userErrors, 'id') || 'no fulfillment returned';
      throw new DomainError('VALIDATION', `Shopify refused to cancel fulfillment ${f.id} (AWB ${input.awb}) of order ${orderGid}: ${why}.`, [{ path: 'fulfillment', reason: why }]);
    }
  }
  return { outcome: mine.length > 0 ? 'cancelled' : 'already_done', fulfillmentIds: mine.map((f) => f.id) };
}
