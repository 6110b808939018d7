import { DomainError } from '../../shared/domain-error.ts';
import { ORDER_FULFILLMENT_STATE_QUERY, type OrderFulfillmentState, toGid } from './push-shopify-fulfillment.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';

const FULFILLMENT_ORDER_HOLD = `mutation ExpedioFulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
    fulfillmentOrder { id status }
    userErrors { field message }
  }
}`;

const FULFILLMENT_ORDER_RELEASE_HOLD = `mutation ExpedioFulfillmentOrderReleaseHold($id: ID!) {
  fulfillmentOrderReleaseHold(id: $id) {
    fulfillmentOrder { id status }
    userErrors { field message }
  }
}`;

type UserErrors = { field: string[] | null; message: string }[];
const whyOf = (errors: UserErrors) => errors.map((e) => `${(e.field ?? []).join('.') || 'id'}: ${e.message}`).join('; ') || 'no fulfillment order returned';

async function orderState(client: ShopifyAdminClient, orderGid: string) {
  const state = await client.graphql<OrderFulfillmentState>(ORDER_FULFILLMENT_STATE_QUERY, { id: orderGid });
  if (!state.order) throw new DomainError('NOT_FOUND', `Shopify ${client.shopDomain} has no order ${orderGid}.`);
  return state.order;
}

/**
 * Puts the order's open fulfillment orders on hold, so nobody fulfils it in Shopify while Expedio
 * holds it. Idempotent: a fulfillment order already on hold is left as it is (and not reported as
 * ours to release, since someone else may have held it).
 */
export async function pushShopifyHold(client: ShopifyAdminClient, input: { orderId: string; reason: string }): Promise<{ outcome: 'held' | 'already_done'; fulfillmentOrderIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const order = await orderState(client, orderGid);
  const held: string[] = [];
  for (const fo of order.fulfillmentOrders.nodes.filter((f) => f.status === 'OPEN' || f.status === 'IN_PROGRESS')) {
    const data = await client.graphql<{ fulfillmentOrderHold: { fulfillmentOrder: { id: string; status: string } | null; userErrors: UserErrors } }>(FULFILLMENT_ORDER_HOLD, {
      id: fo.id,
      fulfillmentHold: { reason: 'OTHER', reasonNotes: input.reason.slice(0, 255) },
    });
    const r = data.fulfillmentOrderHold;
    if (r.userErrors.length > 0 || !r.fulfillmentOrder) {
      throw new DomainError('INVALID_STATE', `Shopify refused to hold fulfillment order ${fo.id} of order ${orderGid}: ${whyOf(r.userErrors)}.`);
    }
    held.push(fo.id);
  }
  return { outcome: held.length > 0 ? 'held' : 'already_done', fulfillmentOrderIds: held };
}

/** Releases the holds `pushShopifyHold` placed; one already released (or never held) is skipped. */
export async function pushShopifyReleaseHold(
  client: ShopifyAdminClient,
  input: { orderId: string; fulfillmentOrderIds: string[] },
): Promise<{ outcome: 'released' | 'already_done'; fulfillmentOrderIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const order = await orderState(client, orderGid);
  const mine = new Set(input.fulfillmentOrderIds);
  const released: string[] = [];
  for (const fo of order.fulfillmentOrders.nodes.filter((f) => mine.has(f.id) && f.status === 'ON_HOLD')) {
    const data = await client.graphql<{ fulfillmentOrderReleaseHold: { fulfillmentOrder: { id: string } | null; userErrors: UserErrors } }>(FULFILLMENT_ORDER_RELEASE_HOLD, { id: fo.id });
    const r = data.fulfillmentOrderReleaseHold;
    if (r.userErrors.length > 0 || !r.fulfillmentOrder) {
      throw new DomainError('INVALID_STATE', `Shopify refused to release fulfillment order ${fo.id} of order ${orderGid}: ${whyOf(r.userErrors)}.`);
    }
    released.push(fo.id);
  }
  return { outcome: released.length > 0 ? 'released' : 'already_done', fulfillmentOrderIds: released };
}
