import type { ChannelCredentials } from './channel-repo.ts';
import type { ChannelOrder } from './channel-order.ts';
import type { StoreChannel } from './store-client-options.ts';

/** One page of orders modified after a cursor; `nextCursor` is opaque and stored in Postgres. */
export interface PulledOrders {
  orders: ChannelOrder[];
  /** Cursor to resume from after this page is durably stored (null: same as before). */
  nextCursor: string | null;
  done: boolean;
}

/** One order line a parcel carries, with the store's id of the line (null: the line is ours only). */
export interface ParcelLine {
  externalLineId: string | null;
  quantity: number;
  label: string;
}

/** A parcel that left with an AWB, as the store should show it. */
export interface ShippedParcel {
  /** The store's order id (orders.external_order_id). */
  orderId: string;
  awb: string;
  /** The courier as the customer knows it (Innoship's carrier, not Innoship). */
  courierName: string;
  trackingUrl: string | null;
  shippedAt: Date;
  lines: ParcelLine[];
  /**
   * Cancelled AWBs of the same parcel: where the store still shows one, it gets this AWB instead
   * (one "tracking updated"), never a second shipment for the same goods.
   */
  replacesAwbs: string[];
  /** Whether the store itself tells the customer (Shopify's shipping confirmation). */
  notifyCustomer: boolean;
  /** The store's status for a shipped order (the channel's status_map_out), null: leave it. */
  storeStatus: string | null;
  /** The note shown to the customer, for a store that posts one (WooCommerce). */
  customerNote: string;
}

/** An AWB cancelled with nothing replacing it: the store must stop showing it. */
export interface CancelledParcel {
  orderId: string;
  awb: string;
  customerNote: string;
}

/** An order Expedio cancelled (or rejected, when its approval was refused), as the store should show it. */
export interface CancelledOrder {
  orderId: string;
  /** The operator's words, kept as the store's staff note. */
  reason: string;
  rejected: boolean;
  notifyCustomer: boolean;
  /** Whether the store should put the units back in its own stock (false where Expedio pushes the stock). */
  restock: boolean;
}

/** One tracking event of a parcel, in Expedio's tracking vocabulary. */
export interface TrackingEvent {
  orderId: string;
  awb: string;
  trackingStatus: string;
  happenedAt: string;
  message: string | null;
}

/** What a write-back did, kept in sync_log; `outcome` is the store's own word (created, already_done…). */
export type PushResult = Record<string, unknown> & { outcome: string };

/**
 * What undoing a hold needs: the store objects the hold put on hold (Shopify's fulfillment orders)
 * and the status the order had before (WooCommerce's). Only what the hold itself changed is undone.
 */
export interface HeldOrder {
  heldIds: string[];
  previousStatus: string | null;
}

/**
 * The store behind a channel. One implementation per platform, made by its `ShopPlatform.connect`
 * from the channel's decrypted credentials. Every method throws `DomainError('NEEDS_RECONNECT')`
 * when the store rejects the credentials (401/403), `DomainError('RATE_LIMITED')` only after its
 * own back-off gave up, and `DomainError('UPSTREAM')` for other failures. Every push reads the
 * store before it writes, so a retry after a lost answer does nothing twice.
 */
export interface ShopConnector {
  /** Orders updated at or after `cursor` (ISO time or the platform's page cursor), oldest first. */
  pullOrders(cursor: string | null, signal?: AbortSignal): Promise<PulledOrders>;
  /** The parcel's tracking on the store order (fulfillment, tracking meta, status, customer note). */
  pushShipped(parcel: ShippedParcel): Promise<PushResult>;
  /** Undoes `pushShipped` for a void AWB. */
  pushShipmentCancelled(parcel: CancelledParcel): Promise<PushResult>;
  /** Adds a tracking event to the parcel's timeline; only stores that have one. */
  pushTrackingEvent?(event: TrackingEvent): Promise<PushResult>;
  /** Moves the store order to `storeStatus`; only stores whose order status follows ours. */
  pushOrderStatus?(orderId: string, storeStatus: string): Promise<PushResult>;
  /** Stops the store from fulfilling the order while Expedio holds it; returns what `releaseHold` needs. */
  pushHold(orderId: string, reason: string, opts?: { outOfStock?: boolean }): Promise<PushResult & { held: HeldOrder }>;
  /** Undoes `pushHold`. */
  releaseHold(orderId: string, held: HeldOrder): Promise<PushResult>;
  /** Cancels the store order (Expedio cancelled or rejected it); only stores whose platform has `orderState`. */
  pushOrderCancelled?(c: CancelledOrder): Promise<PushResult>;
  /** One page of the store's sellable units (variants, simple products), from `cursor` (null: the first page). */
  pullCatalog(cursor: string | null, signal?: AbortSignal): Promise<PulledCatalog>;
  /** The store's stock locations; only stores that keep stock per location. */
  pullLocations?(signal?: AbortSignal): Promise<StoreLocationInfo[]>;
  /** Sets the store's available quantity of one unit (at each mapped location, where the store has locations). */
  pushStock(level: StockLevelPush): Promise<PushResult>;
  /** Gives money back on the order's payment (Shopify refund on its transactions, WooCommerce refund); found, not repeated, on a retry. */
  pushRefund(refund: StoreRefund): Promise<PushResult & { externalId: string }>;
  /** A note to the customer on the store order (Shopify's order note, a WooCommerce customer note), once per `key`. */
  pushCustomerNote?(note: { orderId: string; note: string; key: string }): Promise<PushResult>;
  /** Makes a voucher the customer spends in the store (Shopify gift card, WooCommerce coupon) with our code; found, not repeated, on a retry. */
  pushVoucher(voucher: StoreVoucher): Promise<PushResult & { externalId: string; code: string }>;
}

/** A refund as the store is asked for it; amounts are decimal strings in the order's currency. */
export interface StoreRefund {
  /** The store's order id (orders.external_order_id). */
  orderId: string;
  amount: string;
  currency: string;
  /** Lines refunded, by the store's line id; never restocked by the store (the return receipt restocks). */
  lines: Array<{ externalLineId: string; quantity: number }>;
  /** Shipping refunded with it; null: none. */
  shipping: string | null;
  note: string;
  /** Ours, unique per money back; travels with the refund so a retry finds the refund it made. */
  idempotencyKey: string;
}

/** A voucher (gift card, coupon) worth `amount`, with the code Expedio chose (so a retry finds it). */
export interface StoreVoucher {
  orderId: string;
  amount: string;
  currency: string;
  code: string;
  customerEmail: string | null;
  note: string;
  idempotencyKey: string;
}

/** A store's sellable unit as the catalog sync reads it; weight in kilograms (decimal string). */
export interface StoreCatalogItem {
  externalVariantId: string;
  externalProductId: string;
  inventoryItemId: string | null;
  sku: string | null;
  barcode: string | null;
  title: string;
  price: string | null;
  weightKg: string | null;
  tracksStock: boolean;
}

export interface PulledCatalog {
  items: StoreCatalogItem[];
  /** Where the next page starts; opaque. */
  nextCursor: string | null;
  done: boolean;
}

export interface StoreLocationInfo {
  externalLocationId: string;
  name: string;
  active: boolean;
}

/** What one stock push sets: Expedio's available stock, in total and per mapped store location. */
export interface StockLevelPush {
  externalVariantId: string;
  externalProductId: string;
  inventoryItemId: string | null;
  sku: string;
  available: number;
  locations: Array<{ externalLocationId: string; available: number }>;
  /** Same for a retry of the same push (Shopify's @idempotent key). */
  idempotencyKey: string;
}

/** One kind of write-back to a store: its outbox kind, its sync-log topic, and how a failure names it. */
export interface WritebackKind {
  outboxKind: string;
  topic: string;
  /** "tracking write-back to Shopify": the stall says "… failing: <why>". */
  what: string;
}

export interface ShopConnection {
  channel: StoreChannel;
  credentials: ChannelCredentials;
  fetch?: typeof globalThis.fetch;
  /**
   * Work from the outbox tries once with a short timeout (`timeoutMs` per request), waiting in the
   * call only where the store named a short wait (`onlyServerWaits`: throttling): outages are the
   * outbox's back-off, and a store that hangs holds one slot of its own channel, no more.
   */
  inCallRetry?: { maxWaitMs: number; maxRetries: number; timeoutMs?: number; onlyServerWaits?: boolean };
}

/**
 * What Expedio knows of a platform before it has credentials: which write-backs it takes and when.
 * `trackingEvent` and `orderStatus` are optional parts: a store without a parcel timeline or
 * without a status that follows ours has none, and its connector has no such method.
 */
export interface ShopPlatform {
  kind: 'shopify' | 'woocommerce';
  /** The platform as the operator knows it, for log lines. */
  name: string;
  shipped: WritebackKind;
  shipmentCancelled: WritebackKind;
  trackingEvent?: Omit<WritebackKind, 'what'> & {
    what(trackingStatus: string): string;
    /** The store's event for a tracking status, or null when its timeline shows none. */
    storeEventFor(trackingStatus: string): string | null;
  };
  orderStatus?: WritebackKind & {
    /** The store status an Expedio order status maps to on this channel, and why the map was ignored. */
    storeStatusFor(orderStatus: string, statusMapOut: unknown): { status: string | null; problem: string | null };
  };
  /**
   * The order's hold and cancellation on the store: one write-back that makes the store order match
   * the Expedio order as it is when it runs (on hold → held, cancelled → cancelled, else released).
   * A platform without it hears nothing of holds and cancellations.
   */
  orderState?: WritebackKind;
  connect(connection: ShopConnection): ShopConnector;
  /** Whether the store keeps stock per location (Shopify) or one stock per unit (WooCommerce). */
  stockByLocation?: boolean;
}
