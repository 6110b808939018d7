import { createHash } from 'node:crypto';
import type { WooRestClient } from './woo-rest-client.ts';
import { shouldChangeWooStatus } from '../writeback/status-map-out.ts';

export const TRACKING_META_KEY = '_wc_shipment_tracking_items';

/**
 * One entry of `_wc_shipment_tracking_items` as the WooCommerce Shipment Tracking extension writes
 * it (contract §9.5), for a courier not in its provider list: the custom provider and link.
 */
export interface WooTrackingItem {
  tracking_provider: string;
  custom_tracking_provider: string;
  custom_tracking_link: string;
  tracking_number: string;
  /** Unix seconds, as the extension stores it (a string after wc_clean). */
  date_shipped: string;
  tracking_id: string;
}

interface WooOrderLite {
  id: number;
  status: string;
  meta_data?: { id?: number; key: string; value: unknown }[];
}

interface WooNoteLite {
  id: number;
  note: string;
  customer_note: boolean;
}

export function wooTrackingItem(awb: string, provider: string, link: string | null, shippedAt: Date): WooTrackingItem {
  return {
    tracking_provider: '',
    custom_tracking_provider: provider,
    custom_tracking_link: link ?? '',
    tracking_number: awb,
    date_shipped: String(Math.floor(shippedAt.getTime() / 1000)),
    // The extension uses md5(uniqid()); ours is derived from the AWB so a retry writes the same item.
    tracking_id: createHash('md5').update(`expedio:${awb}`).digest('hex'),
  };
}

export interface WooShippedInput {
  orderId: string;
  awb: string;
  provider: string;
  trackingUrl: string | null;
  shippedAt: Date;
  /** The mapped status for a shipped order; null leaves the store's status alone. */
  targetStatus: string | null;
  note: string;
  /** Cancelled AWBs this parcel replaces: their tracking items are taken out of the list. */
  replacesAwbs?: string[];
}

export interface WooShippedResult {
  trackingWritten: boolean;
  /** Tracking numbers taken out (cancelled AWBs this one replaces). */
  trackingRemoved: string[];
  statusChangedTo: string | null;
  noteId: number | null;
  notePosted: boolean;
}

/**
 * Writes the shipment to the WooCommerce order: tracking in the extension's meta shape (merged into
 * the existing list, never replacing other parcels' entries), the mapped status, and a customer
 * note with the AWB and link (the store e-mails it). Every step reads before it writes, so a retry
 * after a timeout adds no second tracking entry and no second note.
 */
export async function pushWooShipped(client: WooRestClient, input: WooShippedInput): Promise<WooShippedResult> {
  const { body: order } = await client.get<WooOrderLite>(`orders/${input.orderId}`);
  const current = order.meta_data?.find((m) => m.key === TRACKING_META_KEY)?.value;
  const all = Array.isArray(current) ? (current as WooTrackingItem[]) : [];
  const replaced = new Set(input.replacesAwbs ?? []);
  const items = all.filter((i) => !(i && typeof i === 'object' && replaced.has(i.tracking_number)));
  const removed = all.filter((i) => !items.includes(i)).map((i) => i.tracking_number);
  const hasTracking = items.some((i) => i && typeof i === 'object' && i.tracking_number === input.awb);
  const changeStatus = shouldChangeWooStatus(order.status, input.targetStatus);
  const patch: Record<string, unknown> = {};
  if (!hasTracking || removed.length > 0) {
    patch['meta_data'] = [{ key: TRACKING_META_KEY, value: hasTracking ? items : [...items, wooTrackingItem(input.awb, input.provider, input.trackingUrl, input.shippedAt)] }];
  }
  // Tracking first (same request, applied before the status save): the Completed e-mail shows it.
  if (changeStatus) patch['status'] = input.targetStatus;
  if (Object.keys(patch).length > 0) await client.put(`orders/${input.orderId}`, patch);

  const { body: notes } = await client.get<WooNoteLite[]>(`orders/${input.orderId}/notes`, { type: 'customer' });
  const existing = (notes ?? []).find((n) => n.note.includes(input.awb));
  if (existing) {
    return { trackingWritten: !hasTracking, trackingRemoved: removed, statusChangedTo: changeStatus ? input.targetStatus : null, noteId: existing.id, notePosted: false };
  }
  const { body: note } = await client.post<WooNoteLite>(`orders/${input.orderId}/notes`, { note: input.note, customer_note: true });
  return { trackingWritten: !hasTracking, trackingRemoved: removed, statusChangedTo: changeStatus ? input.targetStatus : null, noteId: note?.id ?? null, notePosted: true };
}

/**
 * An AWB cancelled with no replacement: its tracking item leaves `_wc_shipment_tracking_items` and
 * the customer gets a note saying so. Read before write, so a retry changes nothing more.
 */
export async function pushWooShipmentCancelled(client: WooRestClient, input: { orderId: string; awb: string; note: string }): Promise<{ trackingRemoved: boolean; notePosted: boolean; noteId: number | null }> {
  const { body: order } = await client.get<WooOrderLite>(`orders/${input.orderId}`);
  const current = order.meta_data?.find((m) => m.key === TRACKING_META_KEY)?.value;
  const items = Array.isArray(current) ? (current as WooTrackingItem[]) : [];
  const kept = items.filter((i) => !(i && typeof i === 'object' && i.tracking_number === input.awb));
  if (kept.length !== items.length) await client.put(`orders/${input.orderId}`, { meta_data: [{ key: TRACKING_META_KEY, value: kept }] });
  const { body: notes } = await client.get<WooNoteLite[]>(`orders/${input.orderId}/notes`, { type: 'customer' });
  const existing = (notes ?? []).find((n) => n.note === input.note);
  if (existing) return { trackingRemoved: kept.length !== items.length, notePosted: false, noteId: existing.id };
  const { body: note } = await client.post<WooNoteLite>(`orders/${input.orderId}/notes`, { note: input.note, customer_note: true });
  return { trackingRemoved: kept.length !== items.length, notePosted: true, noteId: note?.id ?? null };
}

/** Moves the WooCommerce order to `target` unless it is there already or in a final status. */
export async function pushWooStatus(client: WooRestClient, orderId: string, target: string): Promise<{ from: string; changed: boolean }> {
  const { body: order } = await client.get<WooOrderLite>(`orders/${orderId}`);
  if (!shouldChangeWooStatus(order.status, target)) return { from: order.status, changed: false };
  await client.put(`orders/${orderId}`, { status: target });
  return { from: order.status, changed: true };
}
