import { DomainError } from '../../shared/domain-error.ts';
import type { ChannelOrder } from '../channel-order.ts';
import type { CancelledOrder, CancelledParcel, HeldOrder, PulledOrders, PushResult, ShopConnector, ShippedParcel, ShopPlatform } from '../shop-connector.ts';
import { wooClientOptions } from '../store-client-options.ts';
import { parseStatusMapOut, wooStatusFor } from '../writeback/status-map-out.ts';
import { isIgnoredWooStatus, mapWooOrder, toIsoUtc } from './map-woo-order.ts';
import { pushWooHold, pushWooOrderCancelled, pushWooReleaseHold } from './push-woo-hold.ts';
import { pushWooCoupon, pushWooRefund } from './push-woo-money-back.ts';
import { pushWooCustomerNote } from './push-woo-order-note.ts';
import { pullWooCatalog, pushWooStock } from './woo-catalog.ts';
import { pushWooShipmentCancelled, pushWooShipped, pushWooStatus } from './push-woo-shipment.ts';
import { createWooRestClient, type WooRestClient, type WooRestClientOptions } from './woo-rest-client.ts';

export type WooConnectorOptions = (WooRestClientOptions | { client: WooRestClient }) & {
  /** Where a first sync starts (ISO). Default: the epoch, i.e. every order. */
  initialSince?: string;
  /** Orders per page; WordPress caps it at 100. */
  perPage?: number;
  /**
   * Called for an order that cannot be mapped; the order is skipped and the sync goes on. Without
   * it the page fails with the VALIDATION error, so one malformed order is surfaced, not lost.
   */
  onInvalidOrder?: (externalOrderId: string, error: DomainError) => void;
  /** Products per catalog page (variations of each variable product are fetched with it). */
  catalogPerPage?: number;
};

/** The opaque cursor stored by the worker. `since` is an ISO UTC time; `page` is 1-based. */
interface WooCursor {
  since: string;
  page: number;
  /** Newest `date_modified_gmt` seen so far in this pass (including skipped drafts). */
  maxSeen?: string | null;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Periodic reconciliation against `GET /orders?modified_after=…` — the safety net for WooCommerce
 * webhooks, which are never retried and get disabled after repeated failures. One call = one page.
 * A pass pages through one fixed `since`; when it ends the next pass starts from the newest
 * `date_modified_gmt` seen. Known limit of offset paging: an order modified while a pass is under
 * way moves to the end of the list and shifts the rest by one, so one order may be missed until
 * its next change or webhook.
 */
export function createWooConnector(options: WooConnectorOptions): ShopConnector {
  const client = 'client' in options ? options.client : createWooRestClient(options);
  const perPage = Math.min(100, Math.max(1, options.perPage ?? 100));
  const initialSince = options.initialSince ? requireIso(options.initialSince, 'initialSince') : EPOCH;

  return {
    async pullOrders(cursor: string | null, signal?: AbortSignal): Promise<PulledOrders> {
      const c = parseCursor(cursor, initialSince);
      const res = await client.get<unknown>(
        '/wp-json/wc/v3/orders',
        {
          // WC's modified_after is strictly "after" at one-second precision: start one second early so
          // an order saved in the same second as the last one seen is not skipped (intake is idempotent).
          modified_after: wooDate(new Date(Math.max(0, Date.parse(c.since) - 1000))),
          dates_are_gmt: true,
          orderby: 'modified',
          order: 'asc',
          per_page: perPage,
          page: c.page,
        },
        signal ? { signal } : undefined,
      );
      if (!Array.isArray(res.body)) {
        throw new DomainError('UPSTREAM', `WooCommerce store ${client.storeName} returned a non-list for GET /orders.`);
      }

      let maxSeen = c.maxSeen ?? null;
      const orders: ChannelOrder[] = [];
      for (const raw of res.body as unknown[]) {
        const modified = readModified(raw);
        if (modified && (!maxSeen || modified > maxSeen)) maxSeen = modified;
        const status = raw && typeof raw === 'object' ? (raw as { status?: unknown }).status : undefined;
        if (typeof status === 'string' && isIgnoredWooStatus(status)) continue;
        try {
          orders.push(mapWooOrder(raw));
        } catch (err) {
          if (!(err instanceof DomainError) || !options.onInvalidOrder) throw err;
          options.onInvalidOrder(String((raw as { id?: unknown })?.id ?? '?'), err);
        }
      }

      const totalPages = headerInt(res.headers.get('x-wp-totalpages'));
      // Without the header (some caching proxies drop it) a short page is the last one.
      const done = totalPages !== null ? c.page >= totalPages : res.body.length < perPage;
      const next: WooCursor = done
        ? { since: maxSeen && maxSeen > c.since ? maxSeen : c.since, page: 1 }
        : { since: c.since, page: c.page + 1, maxSeen };
      return { orders, nextCursor: JSON.stringify(next), done };
    },

    // WooCommerce has no fulfillment: the tracking lives in the Shipment Tracking extension's order
    // meta, and the customer hears of it through a customer note (which the store e-mails).
    async pushShipped(p: ShippedParcel): Promise<PushResult> {
      const r = await pushWooShipped(client, {
        orderId: p.orderId,
        awb: p.awb,
        provider: p.courierName,
        trackingUrl: p.trackingUrl,
        shippedAt: p.shippedAt,
        targetStatus: p.storeStatus,
        note: p.customerNote,
        replacesAwbs: p.replacesAwbs,
      });
      return { outcome: 'ok', ...r };
    },

    async pushShipmentCancelled(p: CancelledParcel): Promise<PushResult> {
      return { outcome: 'ok', ...(await pushWooShipmentCancelled(client, { orderId: p.orderId, awb: p.awb, note: p.customerNote })) };
    },

    async pushOrderStatus(orderId: string, storeStatus: string): Promise<PushResult> {
      const r = await pushWooStatus(client, orderId, storeStatus);
      return { outcome: r.changed ? 'ok' : 'skipped', from: r.from, to: storeStatus, changed: r.changed };
    },

    // WooCommerce has no hold of its own besides the order status; the reason stays in Expedio.
    async pushHold(orderId: string) {
      const r = await pushWooHold(client, orderId);
      return { outcome: r.outcome, from: r.from, held: { heldIds: [], previousStatus: r.previousStatus } };
    },

    async releaseHold(orderId: string, held: HeldOrder): Promise<PushResult> {
      return { ...(await pushWooReleaseHold(client, orderId, held.previousStatus)) };
    },

    async pushOrderCancelled(c: CancelledOrder): Promise<PushResult> {
      return { ...(await pushWooOrderCancelled(client, c)) };
    },

    pullCatalog: (cursor, signal) => pullWooCatalog(client, cursor, Math.min(100, options.catalogPerPage ?? 50), signal),
    pushStock: (level) => pushWooStock(client, level),
    pushRefund: (refund) => pushWooRefund(client, refund),
    pushVoucher: (voucher) => pushWooCoupon(client, voucher),
    pushCustomerNote: (note) => pushWooCustomerNote(client, note),
  };
}

/** WooCommerce's write-backs: tracking meta and a customer note per parcel, and the order status. */
export const wooPlatform: ShopPlatform = {
  kind: 'woocommerce',
  name: 'WooCommerce',
  shipped: { outboxKind: 'writeback.woocommerce.shipped', topic: 'order.shipped', what: 'status write-back to WooCommerce' },
  shipmentCancelled: { outboxKind: 'writeback.woocommerce.cancelled', topic: 'order.shipment_cancelled', what: 'cancelled AWB write-back to WooCommerce' },
  // Holds, releases and cancellations (flows/order-writeback-handlers.ts): the order status on-hold, back, cancelled.
  orderState: { outboxKind: 'writeback.woocommerce.order_state', topic: 'order.hold_cancel', what: 'hold/cancel write-back to WooCommerce' },
  orderStatus: {
    outboxKind: 'writeback.woocommerce.status',
    topic: 'order.status',
    what: 'status write-back to WooCommerce',
    storeStatusFor: (orderStatus, statusMapOut) => {
      const { map, problem } = parseStatusMapOut(statusMapOut);
      return { status: wooStatusFor(orderStatus, map), problem };
    },
  },
  connect: ({ channel, credentials, fetch, inCallRetry }) =>
    createWooConnector({
      ...wooClientOptions(channel, credentials, fetch),
      ...(inCallRetry ? { maxRetryAfterMs: inCallRetry.maxWaitMs, maxRetries: inCallRetry.maxRetries } : {}),
      ...(inCallRetry?.timeoutMs ? { timeoutMs: inCallRetry.timeoutMs } : {}),
      ...(inCallRetry?.onlyServerWaits ? { onlyServerWaits: true } : {}),
    }),
};

function parseCursor(cursor: string | null, initialSince: string): WooCursor {
  if (cursor === null || cursor.trim() === '') return { since: initialSince, page: 1, maxSeen: null };
  const trimmed = cursor.trim();
  // The interface also allows a bare ISO time (e.g. a cursor set by an operator to re-sync from a date).
  if (!trimmed.startsWith('{')) return { since: requireIso(trimmed, 'cursor'), page: 1, maxSeen: null };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    throw new DomainError('VALIDATION', `WooCommerce sync cursor is not valid JSON: ${trimmed.slice(0, 80)}.`, [
      { path: 'cursor', reason: 'not JSON' },
    ]);
  }
  const v = value as Partial<WooCursor>;
  const page = typeof v.page === 'number' && Number.isInteger(v.page) && v.page >= 1 ? v.page : 1;
  const since = typeof v.since === 'string' ? requireIso(v.since, 'cursor.since') : initialSince;
  const maxSeen = typeof v.maxSeen === 'string' ? requireIso(v.maxSeen, 'cursor.maxSeen') : null;
  return { since, page, maxSeen };
}

function requireIso(value: string, path: string): string {
  const iso = toIsoUtc(value);
  if (!iso) throw new DomainError('VALIDATION', `${path} "${value}" is not a date-time.`, [{ path, reason: 'not a date-time' }]);
  return iso;
}

function readModified(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object') return null;
  const v = (raw as { date_modified_gmt?: unknown }).date_modified_gmt;
  return typeof v === 'string' ? toIsoUtc(v) : null;
}

/** WooCommerce's own date format (no zone; `dates_are_gmt=true` says it is UTC). */
function wooDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}

function headerInt(v: string | null): number | null {
  if (v === null || !/^\d+$/.test(v.trim())) return null;
  return Number(v.trim());
}
