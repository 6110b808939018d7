import type { ChannelKind } from '../../channels/index.ts';
import type { Db } from '../../db/connect.ts';
import { PermanentFailure } from '../../db/outbox.ts';
import { type ChannelNotifications, parseChannelNotifications, whatsappRecipient } from '../../notifications/index.ts';
import { DomainError } from '../../shared/domain-error.ts';

/** A shipment with its order and channel, as every write-back and customer message needs it. */
export interface ShipmentContext {
  tenantId: string;
  shipmentId: string;
  orderId: string;
  packingListId: string | null;
  courier: string;
  service: string;
  awb: string | null;
  trackingUrl: string | null;
  shipmentStatus: string;
  shippedAt: Date;
  externalOrderId: string;
  orderNumber: string;
  email: string | null;
  orderStatus: string;
  shippingAddress: Record<string, string | null> | null;
  billingAddress: Record<string, string | null> | null;
  channelId: string;
  channelKind: ChannelKind;
  channelName: string;
  externalRef: string | null;
  notifications: ChannelNotifications;
  notificationsProblem: string | null;
  statusMapOut: unknown;
  /** Sealed store credentials, read with the shipment; opened only by a handler that calls the store. */
  credentialsEnc: string | null;
}

export async function loadShipment(db: Db, tenantId: string, shipmentId: string): Promise<ShipmentContext | null> {
  if (!/^\d{1,18}$/.test(shipmentId)) return null;
  const [r] = await db<(Omit<ShipmentContext, 'notifications' | 'notificationsProblem'> & { notificationsRaw: unknown })[]>`
    select s.tenant_id::text as "tenantId", s.id::text as "shipmentId", o.id::text as "orderId",
      s.packing_list_id::text as "packingListId", s.courier, s.service, s.awb, s.tracking_url as "trackingUrl",
      s.status as "shipmentStatus", s.created_at as "shippedAt",
      o.external_order_id as "externalOrderId", coalesce(o.external_number, o.external_order_id) as "orderNumber",
      o.email, o.status as "orderStatus", o.shipping_address as "shippingAddress", o.billing_address as "billingAddress",
      c.id::text as "channelId", c.kind as "channelKind", c.name as "channelName", c.external_ref as "externalRef",
      c.notifications as "notificationsRaw", c.status_map_out as "statusMapOut", c.credentials_enc as "credentialsEnc"
    from shipments s
    join orders o on o.tenant_id = s.tenant_id and o.id = s.order_id
    join channels c on c.tenant_id = o.tenant_id and c.id = o.channel_id
    where s.tenant_id = ${tenantId} and s.id = ${shipmentId}`;
  if (!r) return null;
  const { notificationsRaw, ...rest } = r;
  const parsed = parseChannelNotifications(notificationsRaw);
  return { ...rest, notifications: parsed.settings, notificationsProblem: parsed.problem };
}

/** The order lines this shipment carries: its packing list's lines, else (no packing list) the whole order. */
export async function shippedLines(db: Db, c: ShipmentContext) {
  if (c.packingListId) {
    return await db<{ externalLineId: string | null; quantity: number; label: string }[]>`
      select ol.external_line_id as "externalLineId", sum(pl.quantity)::int as quantity, coalesce(ol.sku, ol.name) as label
      from packing_list_lines pl
      join order_lines ol on ol.tenant_id = pl.tenant_id and ol.order_id = ${c.orderId} and ol.line_no = pl.order_line_no
      where pl.tenant_id = ${c.tenantId} and pl.packing_list_id = ${c.packingListId}
      group by ol.line_no, ol.external_line_id, ol.sku, ol.name
      order by ol.line_no`;
  }
  return await db<{ externalLineId: string | null; quantity: number; label: string }[]>`
    select external_line_id as "externalLineId", quantity, coalesce(sku, name) as label
    from order_lines where tenant_id = ${c.tenantId} and order_id = ${c.orderId} and quantity > 0 order by line_no`;
}

export const customerName = (c: ShipmentContext): string | null => {
  const a = c.shippingAddress ?? c.billingAddress;
  return [a?.['firstName'], a?.['lastName']].filter(Boolean).join(' ') || null;
};

export function customerPhone(c: ShipmentContext): string | null {
  for (const a of [c.shippingAddress, c.billingAddress]) {
    const n = whatsappRecipient(a?.['phone'], a?.['countryCode']);
    if (n) return n;
  }
  return null;
}

/** AWBs of the same packing list cancelled before this shipment: the ones it replaces in the store. */
export async function replacedAwbs(db: Db, c: ShipmentContext): Promise<string[]> {
  if (!c.packingListId) return [];
  const rows = await db<{ awb: string }[]>`
    select awb from shipments where tenant_id = ${c.tenantId} and packing_list_id = ${c.packingListId}
      and id <> ${c.shipmentId} and status = 'cancelled' and awb is not null
    order by shipments.id`;
  return rows.map((r) => r.awb);
}

/** The shipment that took a cancelled one's place for the same packing list, if any (newest first). */
async function replacementOf(db: Db, c: ShipmentContext): Promise<{ id: string; awb: string | null; status: string } | null> {
  if (!c.packingListId) return null;
  const [r] = await db<{ id: string; awb: string | null; status: string }[]>`
    select id::text, awb, status from shipments where tenant_id = ${c.tenantId} and packing_list_id = ${c.packingListId}
      and id <> ${c.shipmentId} and status <> 'cancelled'
    order by shipments.id desc limit 1`;
  return r ?? null;
}

/**
 * What a cancelled AWB's write-back should do: nothing when a replacement carries the parcel (its
 * own write-back moves the tracking), wait while the replacement is still being created, else undo.
 */
export async function cancelledAwbPlan(db: Db, c: ShipmentContext): Promise<{ skip: Record<string, unknown> & { outcome: 'skipped' } } | { undo: true }> {
  const r = await replacementOf(db, c);
  if (r?.status === 'creating') throw new DomainError('INVALID_STATE', `AWB ${c.awb} was cancelled and a new AWB for the same parcel is still being created (shipment ${r.id}); waiting for it.`);
  if (r) return { skip: { outcome: 'skipped', reason: `AWB ${c.awb} was replaced by AWB ${r.awb} (shipment ${r.id}), whose write-back moves the tracking`, replacedBy: r.awb } };
  return { undo: true };
}

export const requireAwb = (c: ShipmentContext): string => {
  if (!c.awb) throw new PermanentFailure(`shipment ${c.shipmentId} has no AWB`);
  return c.awb;
};
