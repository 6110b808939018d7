import { type ChannelKind, markNeedsReconnect, openCredentials } from '../channels/channel-repo.ts';
import type { ShopConnector, ShopPlatform } from '../channels/shop-connector.ts';
import { SHOP_PLATFORMS, shopPlatformFor } from '../channels/shop-platforms.ts';
import { writeSyncLog } from '../channels/sync-log.ts';
import { courierDisplayName } from '../channels/writeback/courier-names.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue, FailureWithEffects, type OutboxHandler, type OutboxItem, PermanentFailure } from '../db/outbox.ts';
import { getInvoicingProfile } from '../invoicing/invoicing-profile.ts';
import { mailSettingsFor, sendMail } from '../notifications/mailer.ts';
import {
  type ChannelNotifications,
  type CustomerEvent,
  parseChannelNotifications,
  sendsWhatsappAt,
  whatsappTargetFor,
} from '../notifications/notify-settings.ts';
import { customerLanguage } from '../notifications/templates/customer-language.ts';
import { composeShippedEmail } from '../notifications/templates/shipped-email.ts';
import { whatsappShipmentParams } from '../notifications/templates/whatsapp-shipment-params.ts';
import { shipmentCancelledCustomerNote } from '../notifications/templates/shipment-cancelled-customer-note.ts';
import { shippedCustomerNote } from '../notifications/templates/shipped-customer-note.ts';
import { sendWhatsappTemplate, whatsappRecipient } from '../notifications/whatsapp-client.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';

/**
 * A shipment's effects outside Expedio: the store's fulfillment/tracking/status, and the customer's
 * e-mail and WhatsApp messages. The AWB and tracking flow enqueues `shipment.created` and
 * `shipment.status_changed` with its state change; here each fans out into one outbox item per
 * target with its own idempotency key, so a store that is down never holds back the e-mail and
 * each target is retried (and stalled) on its own.
 */

export interface WritebackDeps {
  box: SecretBox;
  fetch?: typeof globalThis.fetch;
}

// Write-backs hold the outbox claim transaction while they call out; waiting longer than this
// inside one call is better left to the outbox's own back-off.
const MAX_IN_CALL_WAIT_MS = 10_000;
// Codes where a retry cannot help: the store refused the content itself, or the thing is gone.
const PERMANENT = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT']);

/**
 * A cancelled AWB's store write-back waits this long: an operator who cancels an AWB usually issues
 * the new one within minutes, and the store then gets the new tracking on the same fulfillment (one
 * "tracking updated" message) instead of a cancellation followed by a second shipment.
 */
export const REISSUE_GRACE_SECONDS = 15 * 60;

interface ShipmentContext {
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

async function loadShipment(tx: Tx, tenantId: string, shipmentId: string): Promise<ShipmentContext | null> {
  if (!/^\d{1,18}$/.test(shipmentId)) return null;
  const [r] = await tx<(Omit<ShipmentContext, 'notifications' | 'notificationsProblem'> & { notificationsRaw: unknown })[]>`
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
async function shippedLines(tx: Tx, c: ShipmentContext) {
  if (c.packingListId) {
    return await tx<{ externalLineId: string | null; quantity: number; label: string }[]>`
      select ol.external_line_id as "externalLineId", sum(pl.quantity)::int as quantity, coalesce(ol.sku, ol.name) as label
      from packing_list_lines pl
      join order_lines ol on ol.tenant_id = pl.tenant_id and ol.order_id = ${c.orderId} and ol.line_no = pl.order_line_no
      where pl.tenant_id = ${c.tenantId} and pl.packing_list_id = ${c.packingListId}
      group by ol.line_no, ol.external_line_id, ol.sku, ol.name
      order by ol.line_no`;
  }
  return await tx<{ externalLineId: string | null; quantity: number; label: string }[]>`
    select external_line_id as "externalLineId", quantity, coalesce(sku, name) as label
    from order_lines where tenant_id = ${c.tenantId} and order_id = ${c.orderId} and quantity > 0 order by line_no`;
}

const customerName = (c: ShipmentContext): string | null => {
  const a = c.shippingAddress ?? c.billingAddress;
  return [a?.['firstName'], a?.['lastName']].filter(Boolean).join(' ') || null;
};

function customerPhone(c: ShipmentContext): string | null {
  for (const a of [c.shippingAddress, c.billingAddress]) {
    const n = whatsappRecipient(a?.['phone'], a?.['countryCode']);
    if (n) return n;
  }
  return null;
}

/** AWBs of the same packing list cancelled before this shipment: the ones it replaces in the store. */
async function replacedAwbs(tx: Tx, c: ShipmentContext): Promise<string[]> {
  if (!c.packingListId) return [];
  const rows = await tx<{ awb: string }[]>`
    select awb from shipments where tenant_id = ${c.tenantId} and packing_list_id = ${c.packingListId}
      and id <> ${c.shipmentId} and status = 'cancelled' and awb is not null
    order by id`;
  return rows.map((r) => r.awb);
}

/** The shipment that took a cancelled one's place for the same packing list, if any (newest first). */
async function replacementOf(tx: Tx, c: ShipmentContext): Promise<{ id: string; awb: string | null; status: string } | null> {
  if (!c.packingListId) return null;
  const [r] = await tx<{ id: string; awb: string | null; status: string }[]>`
    select id::text, awb, status from shipments where tenant_id = ${c.tenantId} and packing_list_id = ${c.packingListId}
      and id <> ${c.shipmentId} and status <> 'cancelled'
    order by id desc limit 1`;
  return r ?? null;
}

/**
 * What a cancelled AWB's write-back should do: nothing when a replacement carries the parcel (its
 * own write-back moves the tracking), wait while the replacement is still being created, else undo.
 */
async function cancelledAwbPlan(tx: Tx, c: ShipmentContext): Promise<{ skip: Record<string, unknown> & { outcome: 'skipped' } } | { undo: true }> {
  const r = await replacementOf(tx, c);
  if (r?.status === 'creating') throw new DomainError('INVALID_STATE', `AWB ${c.awb} was cancelled and a new AWB for the same parcel is still being created (shipment ${r.id}); waiting for it.`);
  if (r) return { skip: { outcome: 'skipped', reason: `AWB ${c.awb} was replaced by AWB ${r.awb} (shipment ${r.id}), whose write-back moves the tracking`, replacedBy: r.awb } };
  return { undo: true };
}

const requireAwb = (c: ShipmentContext): string => {
  if (!c.awb) throw new PermanentFailure(`shipment ${c.shipmentId} has no AWB`);
  return c.awb;
};

interface AttemptSpec {
  /** Names the failing thing in the stall ("status write-back failing: …"). */
  what: string;
  channelId: string;
  topic: string;
  externalId: string;
  /** Whether a rejected credential means the store channel must be reconnected. */
  storeCredentials: boolean;
}

/**
 * Runs one write-back and records it in sync_log. A failure is thrown with its effects (the error
 * row, the channel marked needs reconnect) so that they survive the rollback of the handler's own
 * writes; dispatchOutbox then schedules the retry, or stalls the item after the last attempt.
 */
async function attempt(tx: Tx, item: OutboxItem, spec: AttemptSpec, work: () => Promise<Record<string, unknown> & { outcome: string }>): Promise<void> {
  const base = { tenantId: item.tenantId, channelId: spec.channelId, direction: 'outbound' as const, kind: 'writeback' as const, topic: spec.topic, externalId: spec.externalId, deliveryId: item.id };
  let result: Record<string, unknown> & { outcome: string };
  try {
    result = await work();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = `${spec.what} failing: ${reason}`;
    const permanent = e instanceof PermanentFailure || (isDomainError(e) && PERMANENT.has(e.code));
    const attemptNo = item.attempts + 1;
    // The handler's writes roll back with the failure; the log row and the reconnect mark must stay.
    throw new FailureWithEffects(
      message,
      async (after) => {
        if (isDomainError(e) && e.code === 'NEEDS_RECONNECT' && spec.storeCredentials) {
          await markNeedsReconnect(after, item.tenantId, spec.channelId, reason);
        }
        await writeSyncLog(after, { ...base, outcome: 'error', error: message, details: { attempt: attemptNo, maxAttempts: item.maxAttempts, code: isDomainError(e) ? e.code : null } });
      },
      permanent,
    );
  }
  await writeSyncLog(tx, { ...base, outcome: result.outcome === 'skipped' ? 'ignored' : 'ok', details: result });
}

// A short in-call retry only: the outbox's own back-off handles longer outages without holding the
// claim transaction open.
function connectStore(ctx: WritebackDeps, platform: ShopPlatform, c: ShipmentContext): ShopConnector {
  return platform.connect({
    channel: { name: c.channelName, externalRef: c.externalRef },
    credentials: openCredentials(ctx.box, c.credentialsEnc),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    inCallRetry: { maxWaitMs: MAX_IN_CALL_WAIT_MS, maxRetries: 2 },
  });
}

/** The worker's handler table for write-backs; credentials are opened with the context's secret box. */
export function createWritebackOutboxHandlers(): Record<string, OutboxHandler> {
  const spec = (c: ShipmentContext, what: string, topic: string, storeCredentials = true): AttemptSpec => ({
    what,
    channelId: c.channelId,
    topic,
    externalId: c.externalOrderId,
    storeCredentials,
  });

  async function load(tx: Tx, item: OutboxItem): Promise<ShipmentContext | null> {
    return await loadShipment(tx, item.tenantId, String(item.payload.shipmentId ?? ''));
  }

  async function logSettingsProblem(tx: Tx, c: ShipmentContext): Promise<void> {
    if (!c.notificationsProblem) return;
    await writeSyncLog(tx, {
      tenantId: c.tenantId,
      channelId: c.channelId,
      direction: 'outbound',
      kind: 'writeback',
      topic: 'notifications.settings',
      externalId: c.externalOrderId,
      outcome: 'error',
      error: `channel notification settings are invalid and were ignored: ${c.notificationsProblem}`,
    });
  }

  async function enqueueWhatsapp(tx: Tx, c: ShipmentContext, event: CustomerEvent): Promise<void> {
    if (!sendsWhatsappAt(c.notifications, event)) return;
    if (!customerPhone(c)) {
      await writeSyncLog(tx, {
        tenantId: c.tenantId,
        channelId: c.channelId,
        direction: 'outbound',
        kind: 'writeback',
        topic: 'notify.whatsapp',
        externalId: c.externalOrderId,
        outcome: 'ignored',
        error: `order ${c.orderNumber} has no phone number that can be written internationally; no WhatsApp message at ${event}`,
      });
      return;
    }
    await enqueue(tx, c.tenantId, 'notify.whatsapp', { shipmentId: c.shipmentId, orderId: c.orderId, event }, `notify.whatsapp:${c.shipmentId}:${event}`);
  }

  // One handler per write-back, the same for every store: the platform names its outbox kind and
  // topic, its connector does the store's part.
  const shipped = (p: ShopPlatform): OutboxHandler => async (tx, item, ctx) => {
    const c = await load(tx, item);
    if (!c) return;
    await attempt(tx, item, spec(c, p.shipped.what, p.shipped.topic), async () => {
      const awb = requireAwb(c);
      // Cancelled before its write-back ran: the store never hears of this AWB.
      if (c.shipmentStatus === 'cancelled') return { outcome: 'skipped', reason: `AWB ${awb} was cancelled`, awb };
      const lines = await shippedLines(tx, c);
      const replacesAwbs = await replacedAwbs(tx, c);
      const courierName = courierDisplayName(c.courier, c.service);
      const mapped = p.orderStatus?.storeStatusFor('shipping', c.statusMapOut);
      const r = await connectStore(ctx, p, c).pushShipped({
        orderId: c.externalOrderId,
        awb,
        courierName,
        trackingUrl: c.trackingUrl,
        shippedAt: c.shippedAt,
        lines,
        replacesAwbs,
        notifyCustomer: c.notifications.shopify.notifyCustomer,
        storeStatus: mapped?.status ?? null,
        customerNote: shippedCustomerNote(customerLanguage(c.notifications), { courierName, awb, trackingUrl: c.trackingUrl, replacesAwbs }),
      });
      return { ...r, awb, shipmentId: c.shipmentId, ...(mapped?.problem ? { statusMapProblem: mapped.problem } : {}) };
    });
  };

  // Payload { shipmentId, orderId }: the AWB was cancelled (enqueued after REISSUE_GRACE_SECONDS).
  const shipmentCancelled = (p: ShopPlatform): OutboxHandler => async (tx, item, ctx) => {
    const c = await load(tx, item);
    if (!c) return;
    await attempt(tx, item, spec(c, p.shipmentCancelled.what, p.shipmentCancelled.topic), async () => {
      const awb = requireAwb(c);
      const plan = await cancelledAwbPlan(tx, c);
      if ('skip' in plan) return { ...plan.skip, awb };
      const r = await connectStore(ctx, p, c).pushShipmentCancelled({
        orderId: c.externalOrderId,
        awb,
        customerNote: shipmentCancelledCustomerNote(customerLanguage(c.notifications), { courierName: courierDisplayName(c.courier, c.service), awb }),
      });
      return { ...r, awb, shipmentId: c.shipmentId };
    });
  };

  // Payload { shipmentId, orderId, status, statusLogId }.
  const trackingEvent = (p: ShopPlatform, kind: NonNullable<ShopPlatform['trackingEvent']>): OutboxHandler => async (tx, item, ctx) => {
    const c = await load(tx, item);
    if (!c) return;
    const status = String(item.payload.status ?? '');
    await attempt(tx, item, spec(c, kind.what(status), kind.topic), async () => {
      const awb = requireAwb(c);
      if (!kind.storeEventFor(status)) return { outcome: 'skipped', reason: `no ${p.name} event for ${status}` };
      const [log] = await tx<{ at: Date; description: string | null }[]>`
        select coalesce(occurred_at, recorded_at) as at, raw_description as description
        from shipment_status_log where tenant_id = ${c.tenantId} and id = ${String(item.payload.statusLogId ?? '0')}
          and shipment_id = ${c.shipmentId}`;
      const connector = connectStore(ctx, p, c);
      if (!connector.pushTrackingEvent) throw new PermanentFailure(`${p.name} takes no tracking events`);
      const r = await connector.pushTrackingEvent({
        orderId: c.externalOrderId,
        awb,
        trackingStatus: status,
        // Without a log row the event's time is unknown; the item's creation is the nearest fact.
        happenedAt: (log?.at ?? new Date()).toISOString(),
        message: log?.description ?? null,
      });
      return { ...r, awb };
    });
  };

  const orderStatus = (p: ShopPlatform, kind: NonNullable<ShopPlatform['orderStatus']>): OutboxHandler => async (tx, item, ctx) => {
    const c = await load(tx, item);
    if (!c) return;
    await attempt(tx, item, spec(c, kind.what, kind.topic), async () => {
      // The order as it is now: a later change (a return, a cancellation) wins over the event that queued this.
      const target = kind.storeStatusFor(c.orderStatus, c.statusMapOut).status;
      if (!target || c.orderStatus === 'shipping') return { outcome: 'skipped', reason: `order is ${c.orderStatus}; nothing to write` };
      const connector = connectStore(ctx, p, c);
      if (!connector.pushOrderStatus) throw new PermanentFailure(`${p.name} takes no order status`);
      return await connector.pushOrderStatus(c.externalOrderId, target);
    });
  };

  const handlers: Record<string, OutboxHandler> = {
    // Payload { shipmentId, orderId }: the AWB exists, the order is shipping.
    'shipment.created': async (tx, item) => {
      const c = await load(tx, item);
      if (!c) return;
      await logSettingsProblem(tx, c);
      const ids = { shipmentId: c.shipmentId, orderId: c.orderId };
      const store = shopPlatformFor(c.channelKind);
      if (store) await enqueue(tx, c.tenantId, store.shipped.outboxKind, ids, `${store.shipped.outboxKind}:${c.shipmentId}`);
      if (c.notifications.email.shipped && c.email) await enqueue(tx, c.tenantId, 'notify.email.shipped', ids, `notify.email.shipped:${c.shipmentId}`);
      await enqueueWhatsapp(tx, c, 'shipped');
    },

    // Payload { shipmentId, orderId, status, statusLogId }: one tracking event was recorded.
    'shipment.status_changed': async (tx, item) => {
      const c = await load(tx, item);
      if (!c) return;
      await logSettingsProblem(tx, c);
      const status = String(item.payload.status ?? '');
      const statusLogId = String(item.payload.statusLogId ?? '');
      const store = shopPlatformFor(c.channelKind);
      const event = store?.trackingEvent;
      if (event?.storeEventFor(status)) {
        await enqueue(
          tx,
          c.tenantId,
          event.outboxKind,
          { shipmentId: c.shipmentId, orderId: c.orderId, status, statusLogId },
          `${event.outboxKind}:${c.shipmentId}:${statusLogId || status}`,
        );
      }
      // The order's own status decides (a partial delivery's first parcel leaves it shipping);
      // shipping itself was written with the shipped write-back.
      const orderStatusKind = store?.orderStatus;
      if (orderStatusKind && c.orderStatus !== 'shipping' && orderStatusKind.storeStatusFor(c.orderStatus, c.statusMapOut).status) {
        await enqueue(
          tx,
          c.tenantId,
          orderStatusKind.outboxKind,
          { shipmentId: c.shipmentId, orderId: c.orderId, orderStatus: c.orderStatus },
          `${orderStatusKind.outboxKind}:${c.orderId}:${c.orderStatus}`,
        );
      }
      if (status === 'out_for_delivery' || status === 'delivered') await enqueueWhatsapp(tx, c, status);
      // The AWB is void: the store must not keep showing it. Held back for a reissue (see REISSUE_GRACE_SECONDS).
      if (status === 'cancelled' && c.awb && store) {
        const kind = store.shipmentCancelled.outboxKind;
        await enqueue(tx, c.tenantId, kind, { shipmentId: c.shipmentId, orderId: c.orderId }, `${kind}:${c.shipmentId}`, { delaySeconds: REISSUE_GRACE_SECONDS });
      }
    },

    'notify.email.shipped': async (tx, item) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'shipped e-mail to the customer', 'notify.email.shipped', false), async () => {
        const awb = requireAwb(c);
        if (!c.email) return { outcome: 'skipped', reason: 'order has no customer e-mail' };
        const profile = await getInvoicingProfile(tx, c.tenantId);
        const settings = mailSettingsFor({
          smtpUrl: profile?.smtpUrl ?? null,
          mailFrom: c.notifications.email.from ?? profile?.mailFrom ?? profile?.email ?? null,
        });
        if (!settings) throw new PermanentFailure('no SMTP server configured (tenant mail settings smtp_url or EXPEDIO_SMTP_URL)');
        const mail = composeShippedEmail(
          {
            tenantId: c.tenantId,
            shipmentId: c.shipmentId,
            to: c.email,
            customerName: customerName(c),
            orderNumber: c.orderNumber,
            courierName: courierDisplayName(c.courier, c.service),
            awb,
            trackingUrl: c.trackingUrl,
            seller: profile?.legalName ?? c.channelName,
          },
          customerLanguage(c.notifications),
        );
        try {
          const sent = await sendMail(settings, mail);
          return { outcome: 'ok', messageId: sent.messageId, to: c.email, awb };
        } catch (e) {
          throw new DomainError('UPSTREAM', `the SMTP server refused the message: ${(e as Error).message}`);
        }
      });
    },

    // Payload { shipmentId, orderId, event: shipped | out_for_delivery | delivered }.
    'notify.whatsapp': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      const event = String(item.payload.event ?? '') as CustomerEvent;
      await attempt(tx, item, spec(c, `WhatsApp ${event} message to the customer`, `notify.whatsapp.${event}`, false), async () => {
        const target = whatsappTargetFor(c.notifications, event, ctx.box);
        if (!target) return { outcome: 'skipped', reason: `WhatsApp is not enabled for ${event} on this channel` };
        const to = customerPhone(c);
        if (!to) return { outcome: 'skipped', reason: 'order has no phone number that can be written internationally' };
        const sent = await sendWhatsappTemplate({
          ...target,
          to,
          bodyParameters: whatsappShipmentParams(target.params, {
            customerName: customerName(c),
            orderNumber: c.orderNumber,
            courierName: courierDisplayName(c.courier, c.service),
            awb: c.awb,
            trackingUrl: c.trackingUrl,
          }),
          callbackData: `expedio:${c.tenantId}:${c.shipmentId}:${event}`,
          ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        });
        return { outcome: 'ok', messageId: sent.messageId, template: target.template, event };
      });
    },
  };

  for (const p of SHOP_PLATFORMS) {
    handlers[p.shipped.outboxKind] = shipped(p);
    handlers[p.shipmentCancelled.outboxKind] = shipmentCancelled(p);
    if (p.trackingEvent) handlers[p.trackingEvent.outboxKind] = trackingEvent(p, p.trackingEvent);
    if (p.orderStatus) handlers[p.orderStatus.outboxKind] = orderStatus(p, p.orderStatus);
  }
  return handlers;
}

/** The table spread into flows/outbox-handlers.ts. */
export const writebackOutboxHandlers: Record<string, OutboxHandler> = createWritebackOutboxHandlers();
