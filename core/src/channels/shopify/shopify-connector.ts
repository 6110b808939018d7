import { DomainError, isDomainError } from '../../shared/domain-error.ts';
import type { ChannelOrder } from '../channel-order.ts';
import type { CancelledOrder, CancelledParcel, HeldOrder, PulledOrders, PushResult, ShopConnector, ShippedParcel, ShopPlatform, TrackingEvent } from '../shop-connector.ts';
import { shopifyClientOptions } from '../store-client-options.ts';
import { mapShopifyGraphqlOrder } from './map-shopify-order.ts';
import { pushShopifyFulfillmentEvent, SHOPIFY_EVENT_FOR } from './push-shopify-event.ts';
import { pushShopifyFulfillment, pushShopifyFulfillmentCancel } from './push-shopify-fulfillment.ts';
import { pushShopifyHold, pushShopifyOrderCancel, pushShopifyReleaseHold } from './push-shopify-hold.ts';
import { pushShopifyGiftCard, pushShopifyRefund } from './push-shopify-money-back.ts';
import { pushShopifyOrderNote } from './push-shopify-order-note.ts';
import { createShopifyAdminClient, SHOPIFY_API_VERSION, type ShopifyAdminClientOptions } from './shopify-admin-client.ts';
import { pullShopifyCatalog, pullShopifyLocations, pushShopifyStock } from './shopify-catalog.ts';

export interface ShopifyConnectorOptions extends ShopifyAdminClientOptions {
  /** Where a first sync starts (ISO time); Shopify only serves 60 days without read_all_orders. */
  initialSince?: string;
  /** Orders per page. */
  pageSize?: number;
  /** Line items fetched with each order; longer orders get their remaining lines in follow-up calls. */
  lineItemsPageSize?: number;
  /** Product variants per catalog page. */
  catalogPageSize?: number;
}

/**
 * The cursor stored by the sync job. `since` is the updated_at lower bound of the current sweep,
 * `after` the GraphQL page cursor inside it, `maxSeen` the newest updated_at seen so far in the
 * sweep. When a sweep ends, the next one starts from `maxSeen`: orders updated at that same
 * instant are fetched again, which intake ignores (it is idempotent on updated_at).
 */
interface SyncCursor {
  since: string;
  after: string | null;
  maxSeen: string;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/*
 * Page sizes are small on purpose: Shopify refuses any single query whose *requested* cost exceeds
 * 1000 points, and the requested cost multiplies out (orders × line items × ~11 objects per line).
 * 3 orders × 25 lines (~910 points requested) stays under it; the *actual* cost charged to the
 * bucket is far lower for ordinary orders, so small pages cost round trips, not throughput.
 */
const LINE_ITEM_FIELDS = `
  id sku name quantity currentQuantity
  originalUnitPriceSet { shopMoney { amount currencyCode } }
  discountAllocations { allocatedAmountSet { shopMoney { amount } } }
  taxLines { priceSet { shopMoney { amount } } }
  product { id }
  variant { id }
`;

const ADDRESS_FIELDS = 'firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone';

export const ORDERS_QUERY = `query ExpedioPullOrders($first: Int!, $after: String, $query: String!, $lineItems: Int!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt displayFinancialStatus currencyCode taxesIncluded
      email phone note tags paymentGatewayNames
      customAttributes { key value }
      customer { id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
      billingAddress { ${ADDRESS_FIELDS} }
      shippingAddress { ${ADDRESS_FIELDS} }
      currentSubtotalPriceSet { shopMoney { amount } }
      currentTotalDiscountsSet { shopMoney { amount } }
      currentShippingPriceSet { shopMoney { amount } }
      currentTotalTaxSet { shopMoney { amount } }
      currentTotalPriceSet { shopMoney { amount } }
      shippingLines(first: 5) { nodes { title code isRemoved originalPriceSet { shopMoney { amount } } } }
      lineItems(first: $lineItems) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
    }
  }
}`;

export const ORDER_LINE_ITEMS_QUERY = `query ExpedioOrderLineItems($id: ID!, $after: String, $first: Int!) {
  order(id: $id) {
    lineItems(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }
  }
}`;

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Record<string, unknown>[];
}

interface OrdersPage {
  orders: Connection;
}

export function encodeShopifyCursor(c: SyncCursor): string {
  return JSON.stringify(c);
}

export function decodeShopifyCursor(cursor: string | null, initialSince = EPOCH): SyncCursor {
  if (cursor === null || cursor === '') return { since: initialSince, after: null, maxSeen: initialSince };
  try {
    const c = JSON.parse(cursor) as Partial<SyncCursor>;
    if (typeof c.since === 'string') {
      return { since: c.since, after: c.after ?? null, maxSeen: c.maxSeen ?? c.since };
    }
  } catch {
    // Not JSON: a caller may hand us a plain ISO time to resync from.
  }
  if (!Number.isNaN(Date.parse(cursor))) {
    const since = new Date(cursor).toISOString();
    return { since, after: null, maxSeen: since };
  }
  throw new DomainError('VALIDATION', `Shopify sync cursor is neither a stored cursor nor an ISO time: "${cursor}".`, [
    { path: 'cursor', reason: 'unreadable' },
  ]);
}

export function createShopifyConnector(opts: ShopifyConnectorOptions): ShopConnector {
  const client = createShopifyAdminClient(opts);
  const pageSize = opts.pageSize ?? 3;
  const lineItemsPageSize = opts.lineItemsPageSize ?? 25;

  async function remainingLineItems(orderId: string, after: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const lines: Record<string, unknown>[] = [];
    let cursor: string | null = after;
    while (cursor) {
      const data: { order: { lineItems: Connection } | null } = await client.graphql(
        ORDER_LINE_ITEMS_QUERY,
        { id: orderId, after: cursor, first: 50 },
        signal,
      );
      if (!data.order) break;
      lines.push(...data.order.lineItems.nodes);
      cursor = data.order.lineItems.pageInfo.hasNextPage ? data.order.lineItems.pageInfo.endCursor : null;
    }
    return lines;
  }

  return {
    async pullOrders(cursor: string | null, signal?: AbortSignal): Promise<PulledOrders> {
      const c = decodeShopifyCursor(cursor, opts.initialSince);
      const data = await client.graphql<OrdersPage>(
        ORDERS_QUERY,
        { first: pageSize, after: c.after, query: `updated_at:>='${c.since}'`, lineItems: lineItemsPageSize },
        signal,
      );
      const orders: ChannelOrder[] = [];
      let maxSeen = c.maxSeen;
      for (const node of data.orders.nodes) {
        const lineItems = node['lineItems'] as Connection | undefined;
        if (lineItems?.pageInfo?.hasNextPage && lineItems.pageInfo.endCursor) {
          const more = await remainingLineItems(String(node['id']), lineItems.pageInfo.endCursor, signal);
          node['lineItems'] = { ...lineItems, nodes: [...lineItems.nodes, ...more] };
        }
        let order: ChannelOrder;
        try {
          order = mapShopifyGraphqlOrder(node);
        } catch (e) {
          if (isDomainError(e)) {
            throw new DomainError(e.code, `Shopify order ${String(node['name'] ?? node['id'])} of ${opts.shopDomain}: ${e.message}`, e.details);
          }
          throw e;
        }
        orders.push(order);
        if (Date.parse(order.updatedAt) > Date.parse(maxSeen)) maxSeen = order.updatedAt;
      }
      const { hasNextPage, endCursor } = data.orders.pageInfo;
      if (hasNextPage && endCursor) {
        return { orders, nextCursor: encodeShopifyCursor({ since: c.since, after: endCursor, maxSeen }), done: false };
      }
      return { orders, nextCursor: encodeShopifyCursor({ since: maxSeen, after: null, maxSeen }), done: true };
    },

    // A Shopify fulfillment is made of line items: every line of the parcel needs Shopify's id.
    async pushShipped(p: ShippedParcel): Promise<PushResult> {
      const missing = p.lines.filter((l) => !l.externalLineId);
      if (missing.length) {
        throw new DomainError('VALIDATION', `order lines ${missing.map((l) => l.label).join(', ')} have no Shopify line item id`, [
          { path: 'lines', reason: 'no Shopify line item id' },
        ]);
      }
      const r = await pushShopifyFulfillment(client, {
        orderId: p.orderId,
        awb: p.awb,
        company: p.courierName,
        trackingUrl: p.trackingUrl,
        notifyCustomer: p.notifyCustomer,
        lines: p.lines.map((l) => ({ lineItemId: l.externalLineId!, quantity: l.quantity, label: l.label })),
        replacesAwbs: p.replacesAwbs,
      });
      return { ...r };
    },

    async pushShipmentCancelled(p: CancelledParcel): Promise<PushResult> {
      return { ...(await pushShopifyFulfillmentCancel(client, { orderId: p.orderId, awb: p.awb })) };
    },

    async pushTrackingEvent(e: TrackingEvent): Promise<PushResult> {
      const status = SHOPIFY_EVENT_FOR[e.trackingStatus];
      if (!status) return { outcome: 'skipped', reason: `no Shopify event for ${e.trackingStatus}` };
      const r = await pushShopifyFulfillmentEvent(client, { orderId: e.orderId, awb: e.awb, status, happenedAt: e.happenedAt, message: e.message });
      return { ...r, status };
    },

    async pushHold(orderId: string, reason: string, holdOpts?: { outOfStock?: boolean }) {
      const r = await pushShopifyHold(client, { orderId, reason, holdReason: holdOpts?.outOfStock ? 'INVENTORY_OUT_OF_STOCK' : 'OTHER' });
      return { ...r, held: { heldIds: r.fulfillmentOrderIds, previousStatus: null } };
    },

    // Our holds are found by their handle on Shopify, so `held` (what the hold returned) is not needed.
    async releaseHold(orderId: string, _held: HeldOrder): Promise<PushResult> {
      return { ...(await pushShopifyReleaseHold(client, { orderId })) };
    },

    async pushOrderCancelled(c: CancelledOrder): Promise<PushResult> {
      return {
        ...(await pushShopifyOrderCancel(client, {
          orderId: c.orderId,
          reason: c.rejected ? 'DECLINED' : 'OTHER',
          staffNote: `Expedio: ${c.reason}`,
          notifyCustomer: c.notifyCustomer,
          restock: c.restock,
        })),
      };
    },

    pullCatalog: (cursor, signal) => pullShopifyCatalog(client, cursor, opts.catalogPageSize ?? 50, signal),
    pullLocations: (signal) => pullShopifyLocations(client, signal),
    pushStock: (level) => pushShopifyStock(client, opts.apiVersion ?? SHOPIFY_API_VERSION, level),
    pushRefund: (refund) => pushShopifyRefund(client, opts.apiVersion ?? SHOPIFY_API_VERSION, refund),
    pushVoucher: (voucher) => pushShopifyGiftCard(client, voucher),
    pushCustomerNote: (note) => pushShopifyOrderNote(client, note),
  };
}

/** Shopify's write-backs: a fulfillment per parcel (cancelled with its AWB) and its tracking timeline. */
export const shopifyPlatform: ShopPlatform = {
  kind: 'shopify',
  name: 'Shopify',
  shipped: { outboxKind: 'writeback.shopify.fulfillment', topic: 'fulfillment.create', what: 'tracking write-back to Shopify' },
  shipmentCancelled: { outboxKind: 'writeback.shopify.cancelled', topic: 'fulfillment.cancel', what: 'cancelled AWB write-back to Shopify' },
  stockByLocation: true,
  orderState: { outboxKind: 'writeback.shopify.order_state', topic: 'fulfillment_order.hold_cancel', what: 'hold/cancel write-back to Shopify' },
  trackingEvent: {
    outboxKind: 'writeback.shopify.event',
    topic: 'fulfillment.event',
    what: (trackingStatus) => `tracking event (${trackingStatus}) write-back to Shopify`,
    storeEventFor: (trackingStatus) => SHOPIFY_EVENT_FOR[trackingStatus] ?? null,
  },
  connect: ({ channel, credentials, fetch, inCallRetry }) =>
    createShopifyConnector({
      ...shopifyClientOptions(channel, credentials, fetch),
      ...(inCallRetry ? { maxWaitMs: inCallRetry.maxWaitMs, maxRetries: inCallRetry.maxRetries } : {}),
      ...(inCallRetry?.timeoutMs ? { timeoutMs: inCallRetry.timeoutMs } : {}),
      ...(inCallRetry?.onlyServerWaits ? { onlyServerWaits: true } : {}),
    }),
};
