import { shipmentStatusEvent } from '../shipping/index.ts';
import { openCredentials, SHOP_PLATFORMS, shopPlatformFor, writeSyncLog, courierDisplayName } from '../channels/index.ts';
import type { ShopConnector, ShopPlatform } from '../channels/index.ts';
import type { Db, Tx } from '../db/connect.ts';
import { enqueue, inOneTransaction, type OutboxHandler, type OutboxItem, PermanentFailure } from '../db/outbox.ts';
import { getInvoicingProfile } from '../invoicing/index.ts';
import { mailSettingsFor, tenantMailSettings, sendMail, type CustomerEvent, sendsWhatsappAt, whatsappTargetFor, customerLanguage, shipmentCancelledCustomerNote, shippedCustomerNote, composeShippedEmail, whatsappShipmentParams, sendWhatsappTemplate } from '../notifications/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { orderStoreSequence } from './order-writeback-handlers.ts';
import { type AttemptSpec, attempt, STORE_CALL } from './writeback/attempt-writeback.ts';
import { cancelledAwbPlan, customerName, customerPhone, loadShipment, replacedAwbs, requireAwb, type ShipmentContext, shippedLines } from './writeback/shipment-context.ts';

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


/**
 * A cancelled AWB's store write-back waits this long: an operator who cancels an AWB usually issues
 * the new one within minutes, and the store then gets the new tracking on the same fulfillment (one
 * "tracking updated" message) instead of a cancellation followed by a second shipment.
 */
export const REISSUE_GRACE_SECONDS = 15 * 60;

function connectStore(ctx: WritebackDeps, platform: ShopPlatform, c: ShipmentContext): ShopConnector {
  return platform.connect({
    channel: { name: c.channelName, externalRef: c.externalRef },
    credentials: openCredentials(ctx.box, c.credentialsEnc),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    inCallRetry: STORE_CALL,
  });
}

/** The worker's handler table for write-backs; credentials are opened with the context's secret box. */
// A store's write-backs share its channel's slots: a store that hangs holds back only itself.
const channelTarget = (c: ShipmentContext): string => `channel:${c.channelId}`;

export function createWritebackOutboxHandlers(): Record<string, OutboxHandler> {
  const spec = (c: ShipmentContext, what: string, topic: string, storeCredentials = true): AttemptSpec => ({
    what,
    channelId: c.channelId,
    topic,
    externalId: c.externalOrderId,
    storeCredentials,
  });

  async function load(db: Db, item: OutboxItem): Promise<ShipmentContext | null> {
    return await loadShipment(db, item.tenantId, String(item.payload.shipmentId ?? ''));
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
    // One at a time per tenant: a customer reads "out for delivery" before "delivered".
    await enqueue(tx, c.tenantId, 'notify.whatsapp', { shipmentId: c.shipmentId, orderId: c.orderId, event }, `notify.whatsapp:${c.shipmentId}:${event}`, { target: `whatsapp:${c.tenantId}`, inFlight: 1 });
  }

  // One handler per write-back, the same for every store: the platform names its outbox kind and
  // topic, its connector does the store's part.
  const shipped = (p: ShopPlatform): OutboxHandler => async (db, item, ctx) => {
    const c = await load(db, item);
    if (!c) return;
    await attempt(db, item, spec(c, p.shipped.what, p.shipped.topic), async () => {
      const awb = requireAwb(c);
      // Cancelled before its write-back ran: the store never hears of this AWB.
      if (c.shipmentStatus === 'cancelled') return { outcome: 'skipped', reason: `AWB ${awb} was cancelled`, awb };
      const lines = await shippedLines(db, c);
      const replacesAwbs = await replacedAwbs(db, c);
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
  const shipmentCancelled = (p: ShopPlatform): OutboxHandler => async (db, item, ctx) => {
    const c = await load(db, item);
    if (!c) return;
    await attempt(db, item, spec(c, p.shipmentCancelled.what, p.shipmentCancelled.topic), async () => {
      const awb = requireAwb(c);
      const plan = await cancelledAwbPlan(db, c);
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
  const trackingEvent = (p: ShopPlatform, kind: NonNullable<ShopPlatform['trackingEvent']>): OutboxHandler => async (db, item, ctx) => {
    const c = await load(db, item);
    if (!c) return;
    const status = String(item.payload.status ?? '');
    await attempt(db, item, spec(c, kind.what(status), kind.topic), async () => {
      const awb = requireAwb(c);
      if (!kind.storeEventFor(status)) return { outcome: 'skipped', reason: `no ${p.name} event for ${status}` };
      const log = await shipmentStatusEvent(db, c.tenantId, c.shipmentId, String(item.payload.statusLogId ?? '0'));
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

  const orderStatus = (p: ShopPlatform, kind: NonNullable<ShopPlatform['orderStatus']>): OutboxHandler => async (db, item, ctx) => {
    const c = await load(db, item);
    if (!c) return;
    await attempt(db, item, spec(c, kind.what, kind.topic), async () => {
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
    'shipment.created': inOneTransaction(async (tx, item) => {
      const c = await load(tx, item);
      if (!c) return;
      await logSettingsProblem(tx, c);
      const ids = { shipmentId: c.shipmentId, orderId: c.orderId };
      const store = shopPlatformFor(c.channelKind);
      // In the order's sequence: after a hold or release of it queued before, never racing them.
      if (store) {
        await enqueue(tx, c.tenantId, store.shipped.outboxKind, ids, `${store.shipped.outboxKind}:${c.shipmentId}`, { target: channelTarget(c), sequence: orderStoreSequence(c.orderId) });
      }
      if (c.notifications.email.shipped && c.email) await enqueue(tx, c.tenantId, 'notify.email.shipped', ids, `notify.email.shipped:${c.shipmentId}`, { target: `smtp:${c.tenantId}` });
      await enqueueWhatsapp(tx, c, 'shipped');
    }),

    // Payload { shipmentId, orderId, status, statusLogId }: one tracking event was recorded.
    'shipment.status_changed': inOneTransaction(async (tx, item) => {
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
          // A shipment's events reach the store in the courier's order (each waits for the one before;
          // the first retries until the fulfillment it belongs to exists).
          { target: channelTarget(c), sequence: `shipment-events:${c.shipmentId}` },
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
          { target: channelTarget(c) },
        );
      }
      if (status === 'out_for_delivery' || status === 'delivered') await enqueueWhatsapp(tx, c, status);
      // The AWB is void: the store must not keep showing it. Held back for a reissue (see REISSUE_GRACE_SECONDS).
      if (status === 'cancelled' && c.awb && store) {
        const kind = store.shipmentCancelled.outboxKind;
        await enqueue(tx, c.tenantId, kind, { shipmentId: c.shipmentId, orderId: c.orderId }, `${kind}:${c.shipmentId}`, { delaySeconds: REISSUE_GRACE_SECONDS, target: channelTarget(c) });
      }
    }),

    'notify.email.shipped': async (db, item, ctx) => {
      const c = await load(db, item);
      if (!c) return;
      await attempt(db, item, spec(c, 'shipped e-mail to the customer', 'notify.email.shipped', false), async () => {
        const awb = requireAwb(c);
        if (!c.email) return { outcome: 'skipped', reason: 'order has no customer e-mail' };
        const profile = await getInvoicingProfile(db, c.tenantId);
        const settings =
          (await tenantMailSettings(db, (sealed) => ctx.box.open(sealed), c.tenantId, c.notifications.email.from ?? profile?.mailFrom)) ??
          mailSettingsFor({
            smtpUrl: profile?.smtpUrlSealed ? ctx.box.open(profile.smtpUrlSealed) : null,
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
        const replyTo = c.notifications.email.replyTo;
        try {
          const sent = await sendMail(settings, replyTo ? { ...mail, replyTo } : mail);
          return { outcome: 'ok', messageId: sent.messageId, to: c.email, awb };
        } catch (e) {
          throw new DomainError('UPSTREAM', `the SMTP server refused the message: ${(e as Error).message}`);
        }
      });
    },

    // Payload { shipmentId, orderId, event: shipped | out_for_delivery | delivered }.
    'notify.whatsapp': async (db, item, ctx) => {
      const c = await load(db, item);
      if (!c) return;
      const event = String(item.payload.event ?? '') as CustomerEvent;
      await attempt(db, item, spec(c, `WhatsApp ${event} message to the customer`, `notify.whatsapp.${event}`, false), async () => {
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
          timeoutMs: STORE_CALL.timeoutMs,
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
