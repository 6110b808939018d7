import { markNeedsReconnect, openCredentials } from '../channels/channel-repo.ts';
import { shopifyClientOptions, wooClientOptions } from '../channels/store-client-options.ts';
import { createShopifyAdminClient } from '../channels/shopify/shopify-admin-client.ts';
import { writeSyncLog } from '../channels/sync-log.ts';
import { createWooRestClient } from '../channels/woocommerce/woo-rest-client.ts';
import { courierDisplayName } from '../channels/writeback/courier-names.ts';
import { pushShopifyFulfillmentEvent, SHOPIFY_EVENT_FOR } from '../channels/writeback/push-shopify-event.ts';
import { pushShopifyFulfillment, pushShopifyFulfillmentCancel } from '../channels/writeback/push-shopify-fulfillment.ts';
import { pushWooShipmentCancelled, pushWooShipped, pushWooStatus } from '../channels/writeback/push-woo-shipment.ts';
import { parseStatusMapOut, wooStatusFor } from '../channels/writeback/status-map-out.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue, FailureWithEffects, type OutboxHandler, type OutboxItem, PermanentFailure } from '../db/outbox.ts';
import { getInvoicingProfile } from '../invoicing/invoicing-profile.ts';
import { mailSettingsFor, sendMail } from '../notifications/mailer.ts';
import { composeShippedEmail } from '../notifications/notify-shipped-email.ts';
import {
  type ChannelNotifications,
  type CustomerEvent,
  parseChannelNotifications,
  sendsWhatsappAt,
  type TemplateParam,
  whatsappTargetFor,
} from '../notifications/notify-settings.ts';
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
  channelKind: 'shopify' | 'woocommerce' | 'manual';
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
function shopifyClient(ctx: WritebackDeps, c: ShipmentContext) {
  const creds = openCredentials(ctx.box, c.credentialsEnc);
  return createShopifyAdminClient({ ...shopifyClientOptions({ name: c.channelName, externalRef: c.externalRef }, creds, ctx.fetch), maxWaitMs: MAX_IN_CALL_WAIT_MS, maxRetries: 2 });
}

function wooClient(ctx: WritebackDeps, c: ShipmentContext) {
  const creds = openCredentials(ctx.box, c.credentialsEnc);
  return createWooRestClient({ ...wooClientOptions({ name: c.channelName, externalRef: c.externalRef }, creds, ctx.fetch), maxRetryAfterMs: MAX_IN_CALL_WAIT_MS, maxRetries: 2 });
}

const param = (v: string | null | undefined): string => v?.trim() || '-';

function templateValues(c: ShipmentContext, params: TemplateParam[]): string[] {
  const values: Record<TemplateParam, string | null> = {
    customer_name: customerName(c),
    order_number: c.orderNumber,
    courier: courierDisplayName(c.courier, c.service),
    awb: c.awb,
    tracking_url: c.trackingUrl,
  };
  return params.map((p) => param(values[p]));
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

  return {
    // Payload { shipmentId, orderId }: the AWB exists, the order is shipping.
    'shipment.created': async (tx, item) => {
      const c = await load(tx, item);
      if (!c) return;
      await logSettingsProblem(tx, c);
      const ids = { shipmentId: c.shipmentId, orderId: c.orderId };
      if (c.channelKind === 'shopify') await enqueue(tx, c.tenantId, 'writeback.shopify.fulfillment', ids, `writeback.shopify.fulfillment:${c.shipmentId}`);
      if (c.channelKind === 'woocommerce') await enqueue(tx, c.tenantId, 'writeback.woocommerce.shipped', ids, `writeback.woocommerce.shipped:${c.shipmentId}`);
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
      if (c.channelKind === 'shopify' && SHOPIFY_EVENT_FOR[status]) {
        await enqueue(
          tx,
          c.tenantId,
          'writeback.shopify.event',
          { shipmentId: c.shipmentId, orderId: c.orderId, status, statusLogId },
          `writeback.shopify.event:${c.shipmentId}:${statusLogId || status}`,
        );
      }
      // The order's own status decides (a partial delivery's first parcel leaves it shipping);
      // shipping itself was written with the shipped write-back.
      if (c.channelKind === 'woocommerce' && c.orderStatus !== 'shipping' && wooStatusFor(c.orderStatus, parseStatusMapOut(c.statusMapOut).map)) {
        await enqueue(
          tx,
          c.tenantId,
          'writeback.woocommerce.status',
          { shipmentId: c.shipmentId, orderId: c.orderId, orderStatus: c.orderStatus },
          `writeback.woocommerce.status:${c.orderId}:${c.orderStatus}`,
        );
      }
      if (status === 'out_for_delivery' || status === 'delivered') await enqueueWhatsapp(tx, c, status);
      // The AWB is void: the store must not keep showing it. Held back for a reissue (see REISSUE_GRACE_SECONDS).
      if (status === 'cancelled' && c.awb) {
        const ids = { shipmentId: c.shipmentId, orderId: c.orderId };
        const delay = { delaySeconds: REISSUE_GRACE_SECONDS };
        if (c.channelKind === 'shopify') await enqueue(tx, c.tenantId, 'writeback.shopify.cancelled', ids, `writeback.shopify.cancelled:${c.shipmentId}`, delay);
        if (c.channelKind === 'woocommerce') await enqueue(tx, c.tenantId, 'writeback.woocommerce.cancelled', ids, `writeback.woocommerce.cancelled:${c.shipmentId}`, delay);
      }
    },

    'writeback.shopify.fulfillment': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'tracking write-back to Shopify', 'fulfillment.create'), async () => {
        const awb = requireAwb(c);
        // Cancelled before its write-back ran: the store never hears of this AWB.
        if (c.shipmentStatus === 'cancelled') return { outcome: 'skipped', reason: `AWB ${awb} was cancelled`, awb };
        const lines = await shippedLines(tx, c);
        const missing = lines.filter((l) => !l.externalLineId);
        if (missing.length) throw new PermanentFailure(`order lines ${missing.map((l) => l.label).join(', ')} have no Shopify line item id`);
        const client = shopifyClient(ctx, c);
        const r = await pushShopifyFulfillment(client, {
          orderId: c.externalOrderId,
          awb,
          company: courierDisplayName(c.courier, c.service),
          trackingUrl: c.trackingUrl,
          notifyCustomer: c.notifications.shopify.notifyCustomer,
          lines: lines.map((l) => ({ lineItemId: l.externalLineId!, quantity: l.quantity, label: l.label })),
          replacesAwbs: await replacedAwbs(tx, c),
        });
        return { ...r, awb, shipmentId: c.shipmentId };
      });
    },

    // Payload { shipmentId, orderId }: the AWB was cancelled (enqueued after REISSUE_GRACE_SECONDS).
    'writeback.shopify.cancelled': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'cancelled AWB write-back to Shopify', 'fulfillment.cancel'), async () => {
        const awb = requireAwb(c);
        const plan = await cancelledAwbPlan(tx, c);
        if ('skip' in plan) return { ...plan.skip, awb };
        const client = shopifyClient(ctx, c);
        const r = await pushShopifyFulfillmentCancel(client, { orderId: c.externalOrderId, awb });
        return { ...r, awb, shipmentId: c.shipmentId };
      });
    },

    'writeback.shopify.event': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      const status = String(item.payload.status ?? '');
      await attempt(tx, item, spec(c, `tracking event (${status}) write-back to Shopify`, 'fulfillment.event'), async () => {
        const awb = requireAwb(c);
        const eventStatus = SHOPIFY_EVENT_FOR[status];
        if (!eventStatus) return { outcome: 'skipped', reason: `no Shopify event for ${status}` };
        const [log] = await tx<{ at: Date; description: string | null }[]>`
          select coalesce(occurred_at, recorded_at) as at, raw_description as description
          from shipment_status_log where tenant_id = ${c.tenantId} and id = ${String(item.payload.statusLogId ?? '0')}
            and shipment_id = ${c.shipmentId}`;
        const client = shopifyClient(ctx, c);
        const r = await pushShopifyFulfillmentEvent(client, {
          orderId: c.externalOrderId,
          awb,
          status: eventStatus,
          // Without a log row the event's time is unknown; the item's creation is the nearest fact.
          happenedAt: (log?.at ?? new Date()).toISOString(),
          message: log?.description ?? null,
        });
        return { ...r, awb, status: eventStatus };
      });
    },

    'writeback.woocommerce.shipped': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'status write-back to WooCommerce', 'order.shipped'), async () => {
        const awb = requireAwb(c);
        if (c.shipmentStatus === 'cancelled') return { outcome: 'skipped', reason: `AWB ${awb} was cancelled`, awb };
        const { map, problem } = parseStatusMapOut(c.statusMapOut);
        const provider = courierDisplayName(c.courier, c.service);
        const replaces = await replacedAwbs(tx, c);
        const link = c.trackingUrl ? `. Urmărire colet: ${c.trackingUrl}` : '';
        const client = wooClient(ctx, c);
        const r = await pushWooShipped(client, {
          orderId: c.externalOrderId,
          awb,
          provider,
          trackingUrl: c.trackingUrl,
          shippedAt: c.shippedAt,
          targetStatus: wooStatusFor('shipping', map),
          note:
            replaces.length > 0
              ? `Coletul are un AWB nou la ${provider}: ${awb} (înlocuiește AWB ${replaces.join(', ')}, anulat)${link}`
              : `Comanda a fost predată curierului ${provider}. AWB: ${awb}${link}`,
          replacesAwbs: replaces,
        });
        return { outcome: 'ok', ...r, awb, ...(problem ? { statusMapProblem: problem } : {}) };
      });
    },

    // Payload { shipmentId, orderId }: the AWB was cancelled (enqueued after REISSUE_GRACE_SECONDS).
    'writeback.woocommerce.cancelled': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'cancelled AWB write-back to WooCommerce', 'order.shipment_cancelled'), async () => {
        const awb = requireAwb(c);
        const plan = await cancelledAwbPlan(tx, c);
        if ('skip' in plan) return { ...plan.skip, awb };
        const client = wooClient(ctx, c);
        const r = await pushWooShipmentCancelled(client, {
          orderId: c.externalOrderId,
          awb,
          note: `Expedierea cu AWB ${awb} (${courierDisplayName(c.courier, c.service)}) a fost anulată. Vă anunțăm când coletul pleacă din nou.`,
        });
        return { outcome: 'ok', ...r, awb };
      });
    },

    'writeback.woocommerce.status': async (tx, item, ctx) => {
      const c = await load(tx, item);
      if (!c) return;
      await attempt(tx, item, spec(c, 'status write-back to WooCommerce', 'order.status'), async () => {
        // The order as it is now: a later change (a return, a cancellation) wins over the event that queued this.
        const target = wooStatusFor(c.orderStatus, parseStatusMapOut(c.statusMapOut).map);
        if (!target || c.orderStatus === 'shipping') return { outcome: 'skipped', reason: `order is ${c.orderStatus}; nothing to write` };
        const client = wooClient(ctx, c);
        const r = await pushWooStatus(client, c.externalOrderId, target);
        return { outcome: r.changed ? 'ok' : 'skipped', from: r.from, to: target, changed: r.changed };
      });
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
        const mail = composeShippedEmail({
          tenantId: c.tenantId,
          shipmentId: c.shipmentId,
          to: c.email,
          customerName: customerName(c),
          orderNumber: c.orderNumber,
          courierName: courierDisplayName(c.courier, c.service),
          awb,
          trackingUrl: c.trackingUrl,
          seller: profile?.legalName ?? c.channelName,
        });
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
          bodyParameters: templateValues(c, target.params),
          callbackData: `expedio:${c.tenantId}:${c.shipmentId}:${event}`,
          ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        });
        return { outcome: 'ok', messageId: sent.messageId, template: target.template, event };
      });
    },
  };
}

/** The table spread into flows/outbox-handlers.ts. */
export const writebackOutboxHandlers: Record<string, OutboxHandler> = createWritebackOutboxHandlers();
