import { claimWebhookDelivery, findChannelById, readWebhookSecret, touchLastWebhook, writeSyncLog, isIgnoredWooStatus, mapWooDeletedPayload, mapWooOrder, parseWooPing, verifyWooSignature, wooWebhookHeaders } from '../channels/index.ts';
import { findStoreOrder, canTransition } from '../orders/index.ts';
import { accepted, type HeaderReader, rejected, type WebhookOutcome, type WebhookRejection } from '../contracts/webhook.ts';
import type { Tx } from '../db/connect.ts';
import { pipelinedTransaction } from '../db/pipelined-transaction.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { findUnstorableText, jsonMayHoldUnstorableText } from '../shared/storable.ts';
import type { Deps } from '../shared/deps.ts';
import { cancelOrder } from './order-actions.ts';
import { ingestChannelOrder } from './ingest-channel-order.ts';
import { recordWooRefunds } from './receive-store-returns.ts';

const err = (reason: WebhookRejection, message: string, path: string, detail: string) => rejected(reason, message, [{ path, reason: detail }]);

/**
 * A WooCommerce webhook for one channel. WooCommerce never retries a failed delivery and disables
 * the webhook after repeated failures, so bad input is answered 4xx (it would fail again anyway)
 * and the periodic sync is what recovers anything missed.
 */
export async function receiveWooWebhook(
  deps: Deps,
  channelId: string,
  headers: HeaderReader,
  raw: Uint8Array,
): Promise<WebhookOutcome> {
  const h = wooWebhookHeaders(headers);
  const base = { direction: 'inbound' as const, kind: 'webhook' as const, topic: h.topic, deliveryId: h.deliveryId };
  const channel = await findChannelById(deps.sql, channelId);
  if (channel?.kind !== 'woocommerce') {
    await writeSyncLog(deps.sql, { ...base, tenantId: null, channelId: null, outcome: 'rejected', error: `unknown WooCommerce channel ${channelId}` });
    return err('not_found', `WooCommerce channel ${channelId} does not exist.`, 'channelId', 'unknown channel');
  }
  const text = new TextDecoder().decode(raw);
  const ping = parseWooPing(headers.get('content-type'), text);
  if (ping && !h.signature) {
    // WooCommerce pings a new webhook unsigned and counts only a 200 as success.
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'ignored', details: { ping: ping.webhookId } });
    return accepted({ outcome: 'ping' });
  }
  const secret = await readWebhookSecret(deps.sql, deps.box, channel.tenantId, channel.id);
  if (!h.signature || !secret || !verifyWooSignature(raw, h.signature, secret)) {
    const reason = !h.signature ? 'missing' : !secret ? 'no webhook secret registered for this channel' : 'signature mismatch';
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'rejected', error: `X-WC-Webhook-Signature ${reason}` });
    return err('unauthenticated', `The webhook signature is ${reason === 'missing' ? 'missing' : 'not valid'} (${reason}).`, 'X-WC-Webhook-Signature', reason);
  }
  const log = (outcome: 'ok' | 'duplicate' | 'stale' | 'ignored' | 'error', extra: { externalId?: string | null; error?: string; details?: Record<string, unknown> } = {}) => ({
    ...base,
    tenantId: channel.tenantId,
    channelId: channel.id,
    outcome,
    ...extra,
  });
  if (!(headers.get('content-type') ?? '').toLowerCase().includes('json')) {
    await writeSyncLog(deps.sql, log('error', { error: `content type ${headers.get('content-type')} is not JSON` }));
    return err('invalid', 'The webhook body must be JSON (Content-Type: application/json).', 'Content-Type', 'not JSON');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    await writeSyncLog(deps.sql, log('error', { error: 'body is not valid JSON' }));
    return err('invalid', 'The webhook body is not valid JSON.', 'body', 'malformed JSON');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    const what = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
    await writeSyncLog(deps.sql, log('error', { error: `body is ${what}, not a JSON object` }));
    return err('invalid', 'The webhook body must be a JSON object.', 'body', `is ${what}`);
  }
  const unstorable = jsonMayHoldUnstorableText(text) ? findUnstorableText(payload) : null;
  if (unstorable) {
    const message = `Invalid ${unstorable.path}: ${unstorable.reason}.`;
    await writeSyncLog(deps.sql, log('error', { error: message, details: { details: [unstorable] } }));
    return rejected('invalid', message, [unstorable]);
  }
  if (!h.topic) {
    await writeSyncLog(deps.sql, log('error', { error: 'missing X-WC-Webhook-Topic' }));
    return err('invalid', 'The webhook lacks X-WC-Webhook-Topic.', 'X-WC-Webhook-Topic', 'missing');
  }

  try {
    // The sync log row is the transaction's last statement: it goes out with the COMMIT.
    const answer = await pipelinedTransaction(deps.sql, async (tx) => {
      // The delivery id is WooCommerce's hash of webhook id and time; a resend of the same delivery repeats it.
      const deliveryKey = h.deliveryId ?? `${h.webhookId}:${text.length}:${h.signature}`;
      if (!(await claimWebhookDelivery(tx, channel.tenantId, channel.id, deliveryKey, h.topic))) {
        return { result: accepted({ outcome: 'duplicate' }), last: (t: Tx) => writeSyncLog(t, log('duplicate')) };
      }
      if (h.topic === 'order.deleted') {
        const { externalOrderId } = mapWooDeletedPayload(payload);
        const o = await findStoreOrder(tx, channel.tenantId, channel.id, externalOrderId);
        if (o && canTransition(o.status as never, 'cancel')) {
          await cancelOrder(tx, channel.tenantId, o.id, 'order deleted in WooCommerce');
          return { result: accepted({ outcome: 'ok', orderId: o.id, status: 'cancelled' }), last: (t: Tx) => writeSyncLog(t, log('ok', { externalId: externalOrderId, details: { orderId: o.id, status: 'cancelled' } })) };
        }
        return { result: accepted({ outcome: 'ignored' }), last: (t: Tx) => writeSyncLog(t, log('ignored', { externalId: externalOrderId, details: { reason: o ? `order is ${o.status}` : 'order not known' } })) };
      }
      if (h.topic !== 'order.created' && h.topic !== 'order.updated') {
        return { result: accepted({ outcome: 'ignored' }), last: (t: Tx) => writeSyncLog(t, log('ignored', { details: { reason: `topic ${h.topic} is not one Expedio acts on` } })) };
      }
      // A refund made in wp-admin arrives as order.updated (woocommerce_order_refunded): a store return request, whatever the status.
      await recordWooRefunds(tx, channel, payload);
      const status = (payload as { status?: unknown }).status;
      if (typeof status === 'string' && isIgnoredWooStatus(status)) {
        return { result: accepted({ outcome: 'ignored' }), last: (t: Tx) => writeSyncLog(t, log('ignored', { externalId: String((payload as { id?: unknown }).id ?? ''), details: { reason: `status ${status}` } })) };
      }
      const order = mapWooOrder(payload);
      const r = await ingestChannelOrder(tx, channel, order);
      const outcome = r.outcome === 'stale' ? 'stale' : 'ok';
      return { result: accepted({ outcome, result: r.outcome, orderId: r.orderId, status: r.status }), last: (t: Tx) => writeSyncLog(t, log(outcome, { externalId: order.externalOrderId, details: { result: r.outcome, orderId: r.orderId, status: r.status } })) };
    });
    await touchLastWebhook(deps.sql, channel.tenantId, channel.id);
    return answer;
  } catch (e) {
    if (!isDomainError(e) || e.code !== 'VALIDATION') {
      // Not the input's fault: on record all the same (the transaction's own log row rolled back).
      await writeSyncLog(deps.sql, log('error', { error: `not applied: ${(e as Error).message}` })).catch(() => {});
      throw e;
    }
    await writeSyncLog(deps.sql, log('error', { error: e.message, details: { details: e.details } }));
    return rejected('invalid', e.message, e.details);
  }
}
