import { DomainError } from '../../shared/domain-error.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';
import { FULFILLMENT_DETAIL_QUERY, type FulfillmentDetail, fulfillmentsForAwb, toGid } from './push-shopify-fulfillment.ts';

export type ShopifyEventStatus = 'CARRIER_PICKED_UP' | 'IN_TRANSIT' | 'OUT_FOR_DELIVERY' | 'ATTEMPTED_DELIVERY' | 'DELIVERED' | 'FAILURE';

/**
 * Our tracking vocabulary → Shopify's FulfillmentEventStatus (contract §3.5). Returned to sender
 * is FAILURE (our mapping); created, cancelled and exception have no timeline event: an exception
 * is often cleared by the next scan, and telling the customer "failure" for it would be wrong.
 */
export const SHOPIFY_EVENT_FOR: Partial<Record<string, ShopifyEventStatus>> = {
  picked_up: 'CARRIER_PICKED_UP',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  failed_attempt: 'ATTEMPTED_DELIVERY',
  delivered: 'DELIVERED',
  returned_to_sender: 'FAILURE',
};

const EVENT_CREATE = `mutation ExpedioFulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status happenedAt }
    userErrors { field message }
  }
}`;

export interface ShopifyEventInput {
  orderId: string;
  awb: string;
  status: ShopifyEventStatus;
  happenedAt: string;
  message?: string | null;
}

/**
 * Adds a tracking event to the fulfillment(s) carrying the AWB. Idempotent: an event with the same
 * status and time already on the fulfillment is not created again. Until the fulfillment itself
 * exists (its own outbox item may still be retrying) this fails with INVALID_STATE, which the
 * outbox retries later.
 */
export async function pushShopifyFulfillmentEvent(
  client: ShopifyAdminClient,
  input: ShopifyEventInput,
): Promise<{ outcome: 'created' | 'already_done'; eventIds: string[]; fulfillmentIds: string[] }> {
  const orderGid = toGid('Order', input.orderId);
  const { mine } = await fulfillmentsForAwb(client, orderGid, input.awb);
  if (mine.length === 0) {
    throw new DomainError('INVALID_STATE', `Shopify order ${orderGid} has no fulfillment with AWB ${input.awb} yet; the tracking event waits for it.`);
  }
  const at = Date.parse(input.happenedAt);
  const eventIds: string[] = [];
  let created = false;
  for (const f of mine) {
    const detail = await client.graphql<FulfillmentDetail>(FULFILLMENT_DETAIL_QUERY, { id: f.id });
    const same = detail.fulfillment?.events.nodes.find((e) => e.status === input.status && Date.parse(e.happenedAt) === at);
    if (same) {
      eventIds.push(same.id);
      continue;
    }
    const data = await client.graphql<{ fulfillmentEventCreate: { fulfillmentEvent: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } }>(
      EVENT_CREATE,
      { fulfillmentEvent: { fulfillmentId: f.id, status: input.status, happenedAt: new Date(at).toISOString(), ...(input.message ? { message: input.message } : {}) } },
    );
    const r = data.fulfillmentEventCreate;
    if (r.userErrors.length > 0 || !r.fulfillmentEvent) {
      const why = r.userErrors.map((e) => `${(e.field ?? []).join('.') || 'fulfillmentEvent'}: ${e.message}`).join('; ') || 'no event returned';
      throw new DomainError('VALIDATION', `Shopify refused the ${input.status} event for AWB ${input.awb}: ${why}.`, [{ path: 'fulfillmentEvent', reason: why }]);
    }
    eventIds.push(r.fulfillmentEvent.id);
    created = true;
  }
  return { outcome: created ? 'created' : 'already_done', eventIds, fulfillmentIds: mine.map((f) => f.id) };
}
