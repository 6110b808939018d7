import { forgetWebhookDeliveries, markChannelDisconnected, recordShopifyScopes, recordComplianceRequest, claimWebhookDelivery, type Channel, findShopifyChannel, getChannel, readCredentials, touchLastWebhook, writeCredentials, mapShopifyWebhookOrder, parseShopifyJson, shopifyIdFromGid, shopifyWebhookHeaders, verifyShopifyHmac, writeSyncLog } from '../channels/index.ts';
import { deleteClients, eraseClients, exportClients, findCustomerClients, forgetChannelCustomerIds } from '../clients/index.ts';
import { channelOrderFacts, clientsWithOrders, deleteChannelOrders, exportCustomerOrders, redactCustomerOrders } from '../orders/index.ts';
import { accepted, type HeaderReader, rejected, type WebhookOutcome } from '../contracts/webhook.ts';
import type { Tx } from '../db/connect.ts';
import { pipelinedTransaction } from '../db/pipelined-transaction.ts';
import { type ErrorDetail, isDomainError } from '../shared/domain-error.ts';
import { findUnstorableText, jsonMayHoldUnstorableText } from '../shared/storable.ts';
import type { Deps } from '../shared/deps.ts';
import { cancelOrder } from './order-actions.ts';
import { ingestChannelOrder } from './ingest-channel-order.ts';
import { intakeInOneStatement } from './intake-in-one-statement.ts';
import { isShopifyReturnTopic, recordShopifyReturnWebhook } from './receive-store-returns.ts';
import { REGISTER_WEBHOOKS_KIND } from './install-shopify-app.ts';
import { enqueue } from '../db/outbox.ts';

const ORDER_TOPICS = new Set(['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled']);

/**
 * A Shopify webhook: verified (HMAC of the raw bytes with the app secret), deduplicated by
 * X-Shopify-Webhook-Id, applied and logged in one transaction, and only then acknowledged — so a
 * 200 always means the order is durably stored, and a redelivery is a no-op.
 */
export async function receiveShopifyWebhook(deps: Deps, headers: HeaderReader, raw: Uint8Array): Promise<WebhookOutcome> {
  const h = shopifyWebhookHeaders(headers);
  const base = { direction: 'inbound' as const, kind: 'webhook' as const, topic: h.topic, deliveryId: h.webhookId };
  if (!h.hmac) {
    await writeSyncLog(deps.sql, { ...base, tenantId: null, channelId: null, outcome: 'rejected', error: 'missing X-Shopify-Hmac-Sha256', details: { shop: h.shopDomain } });
    return rejected('unauthenticated', 'The webhook has no X-Shopify-Hmac-Sha256 signature.', [{ path: 'X-Shopify-Hmac-Sha256', reason: 'missing' }]);
  }
  const known = h.shopDomain ? await shopKeys(deps, h.shopDomain) : null;
  const channel = known?.channel ?? null;
  if (!channel) {
    await writeSyncLog(deps.sql, { ...base, tenantId: null, channelId: null, outcome: 'rejected', error: `unknown shop ${h.shopDomain ?? '(none)'}` });
    return rejected('unauthenticated', `No Expedio channel is connected to shop ${h.shopDomain ?? '(missing X-Shopify-Shop-Domain)'}.`, [{ path: 'X-Shopify-Shop-Domain', reason: 'unknown shop' }]);
  }
  if (!verifyShopifyHmac(raw, h.hmac, known!.secrets)) {
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'rejected', error: 'HMAC signature does not match' });
    return rejected('unauthenticated', "The webhook signature does not match this shop's app secret.", [{ path: 'X-Shopify-Hmac-Sha256', reason: 'signature mismatch' }]);
  }
  const missing = (['topic', 'webhookId'] as const).filter((k) => !h[k]);
  if (missing.length > 0) {
    const names = missing.map((k) => (k === 'topic' ? 'X-Shopify-Topic' : 'X-Shopify-Webhook-Id'));
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'rejected', error: `missing ${names.join(', ')}` });
    return rejected('invalid', `The webhook lacks ${names.join(' and ')}.`, names.map((n) => ({ path: n, reason: 'missing' })));
  }

  // A signed delivery we cannot take is kept on record (the sync log, outside any transaction) and
  // acknowledged 200 with outcome "rejected": Shopify retries every non-2xx answer, 4xx included, 8
  // times over 4 hours and may remove a subscription that keeps failing, while the same bytes would
  // fail the same way; the periodic sync fetches the order again from the Admin API.
  const refuse = async (message: string, details: ErrorDetail[]) => {
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'error', error: message, details: { details } });
    return accepted({ outcome: 'rejected', error: { code: 'VALIDATION', message, details } });
  };
  const text = new TextDecoder().decode(raw);
  let payload: unknown;
  try {
    payload = parseShopifyJson(text);
  } catch {
    return refuse('The webhook body is not valid JSON.', [{ path: 'body', reason: 'malformed JSON' }]);
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    return refuse('The webhook body must be a JSON object.', [{ path: 'body', reason: `is ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}` }]);
  }
  const unstorable = jsonMayHoldUnstorableText(text) ? findUnstorableText(payload) : null;
  if (unstorable) return refuse(`Invalid ${unstorable.path}: ${unstorable.reason}.`, [unstorable]);

  if (ORDER_TOPICS.has(h.topic!)) {
    // The common case, a new order or a redelivery, in one statement shared with the webhooks that
    // arrived with it; anything else (or a mapping error, refused below) goes the long way.
    let order: ReturnType<typeof mapShopifyWebhookOrder> | null = null;
    try {
      order = mapShopifyWebhookOrder(payload);
    } catch {}
    const done = order ? await intakeInOneStatement(deps.sql, channel, { deliveryId: h.webhookId!, topic: h.topic! }, order) : null;
    if (done) {
      await touchLastWebhook(deps.sql, channel.tenantId, channel.id);
      return accepted(done.outcome === 'duplicate' ? { outcome: 'duplicate' } : { outcome: 'ok', result: 'created', orderId: done.orderId, status: done.status });
    }
  }

  try {
    // The sync log row is the transaction's last statement: it goes out with the COMMIT.
    const answer = await pipelinedTransaction(deps.sql, async (tx) => {
      // An order is taken in under the channel's settings of now: read together with the claim
      // (pipelined, one round trip), used only when the claim is fresh.
      const [fresh, current] = await Promise.all([
        claimWebhookDelivery(tx, channel.tenantId, channel.id, h.webhookId, h.topic),
        ORDER_TOPICS.has(h.topic!) ? getChannel(tx, channel.tenantId, channel.id) : channel,
      ]);
      if (!fresh) {
        return { result: accepted({ outcome: 'duplicate' }), last: (t: Tx) => writeSyncLog(t, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'duplicate' }) };
      }
      const result = await applyTopic(tx, deps, current, h.topic!, payload);
      const entry = { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: result.outcome, externalId: result.externalId ?? null, details: result.details ?? null };
      return { result: accepted({ outcome: result.outcome, ...(result.details ?? {}) }), last: (t: Tx) => writeSyncLog(t, entry) };
    });
    await touchLastWebhook(deps.sql, channel.tenantId, channel.id);
    return answer;
  } catch (e) {
    if (isDomainError(e) && e.code === 'VALIDATION') return refuse(e.message, e.details);
    // Our fault or the database's: on record, then a 5xx so that Shopify's retry can succeed later.
    await writeSyncLog(deps.sql, { ...base, tenantId: channel.tenantId, channelId: channel.id, outcome: 'error', error: `not applied: ${(e as Error).message}` }).catch(() => {});
    throw e;
  }
}

/**
 * The channel and its app secrets by shop domain, cached for a few seconds per process: every
 * webhook needs them, and a rotation is covered anyway by accepting the previous secret.
 */
const SHOP_CACHE_MS = 5000;
const shopCache = new Map<string, { at: number; channel: Channel; secrets: string[] }>();
async function shopKeys(deps: Deps, shopDomain: string): Promise<{ channel: Channel; secrets: string[] } | null> {
  const key = shopDomain.toLowerCase();
  const hit = shopCache.get(key);
  if (hit && Date.now() - hit.at < SHOP_CACHE_MS) return hit;
  const channel = await findShopifyChannel(deps.sql, key);
  if (!channel) return null;
  const creds = await readCredentials(deps.sql, deps.box, channel.tenantId, channel.id);
  // The app's one secret signs every installed shop's webhooks; a secret stored with the channel
  // (channels connected before the core knew the app, the demo) is accepted as well.
  const app = deps.shopifyApp;
  const secrets = [app?.apiSecret, ...(app?.previousApiSecrets ?? []), creds.apiSecret, ...(creds.previousApiSecrets ?? [])];
  const entry = { at: Date.now(), channel, secrets: [...new Set(secrets.filter((s): s is string => !!s))] };
  if (shopCache.size > 10_000) shopCache.clear();
  shopCache.set(key, entry);
  return entry;
}

interface TopicResult {
  outcome: 'ok' | 'stale' | 'ignored';
  externalId?: string;
  details?: Record<string, unknown>;
}

async function applyTopic(tx: Tx, deps: Deps, channel: Channel, topic: string, payload: unknown): Promise<TopicResult> {
  if (ORDER_TOPICS.has(topic)) {
    const order = mapShopifyWebhookOrder(payload);
    // The cached row finds the shop and its secrets; the order is taken in under the settings of now
    // (a merchant who just turned approval on must not see the next order skip it): `channel` is
    // the row read in this transaction.
    const r = await ingestChannelOrder(tx, channel, order);
    return {
      outcome: r.outcome === 'stale' ? 'stale' : r.outcome === 'ignored' ? 'ignored' : 'ok',
      externalId: order.externalOrderId,
      details: { result: r.outcome, orderId: r.orderId, status: r.status },
    };
  }
  const p = (payload ?? {}) as Record<string, unknown>;
  // returns/request, approve, decline, cancel, close, reopen: a store return request the operator takes in.
  if (isShopifyReturnTopic(topic)) return await recordShopifyReturnWebhook(tx, channel, topic, payload);
  switch (topic) {
    case 'app/uninstalled': {
      // The access token is dead; the app secret is kept because shop/redact (48 h later) must still verify.
      const creds = await readCredentials(tx, deps.box, channel.tenantId, channel.id);
      delete creds.accessToken;
      await writeCredentials(tx, deps.box, channel.tenantId, channel.id, creds);
      await markChannelDisconnected(tx, channel.tenantId, channel.id, 'the app was uninstalled from the shop');
      return { outcome: 'ok', details: { channelStatus: 'disconnected' } };
    }
    case 'app/scopes_update': {
      // { id, previous: [...], current: [...], updated_at }: what the merchant granted now.
      const current = Array.isArray(p.current) ? p.current.map(String) : null;
      if (!current) return { outcome: 'ignored', details: { reason: 'app/scopes_update without a current list' } };
      await recordShopifyScopes(tx, deps.box, channel, current.join(','));
      // Scopes granted now may open topics (read_returns: the Return API's): subscribe what is missing.
      if (deps.shopifyApp?.publicUrl) {
        const key = [...current].sort().join(',');
        await enqueue(tx, channel.tenantId, REGISTER_WEBHOOKS_KIND, { channelId: channel.id, callbackUrl: `${deps.shopifyApp.publicUrl}/webhooks/shopify` }, `${REGISTER_WEBHOOKS_KIND}:${channel.id}:scopes:${key}`);
      }
      return { outcome: 'ok', details: { scopes: current } };
    }
    case 'customers/data_request':
      return { outcome: 'ok', details: await exportCustomerData(tx, channel, p) };
    case 'customers/redact':
      return { outcome: 'ok', details: await redactCustomer(tx, channel, p) };
    case 'shop/redact':
      return { outcome: 'ok', details: await redactShop(tx, deps, channel, p) };
    default:
      return { outcome: 'ignored', details: { reason: `topic ${topic} is not one Expedio acts on` } };
  }
}

/** Shopify's numeric ids (or their GIDs) of a compliance payload; anything else is refused naming its place. */
const ids = (xs: unknown, path: string): string[] => (Array.isArray(xs) ? xs.map((x, i) => shopifyIdFromGid(String(x), `${path}.${i}`, 'Order')) : []);
const customerIdOf = (p: Record<string, unknown>): string => {
  const id = (p.customer as { id?: unknown } | undefined)?.id;
  return id === undefined || id === null || id === '' ? '' : shopifyIdFromGid(String(id), 'customer.id', 'Customer');
};

function customerClientIds(tx: Tx, channel: Channel, p: Record<string, unknown>): Promise<string[]> {
  const customer = (p.customer ?? {}) as { id?: unknown; email?: unknown };
  return findCustomerClients(tx, channel.tenantId, channel.id, {
    email: typeof customer.email === 'string' ? customer.email : '',
    externalCustomerId: customerIdOf(p),
  });
}

/** customers/data_request: the merchant must hand the customer their data; we assemble it. */
async function exportCustomerData(tx: Tx, channel: Channel, p: Record<string, unknown>) {
  const clientIds = await customerClientIds(tx, channel, p);
  const { clients, addresses } = await exportClients(tx, channel.tenantId, clientIds);
  const orders = await exportCustomerOrders(tx, channel.tenantId, channel.id, clientIds, ids(p.orders_requested, 'orders_requested'));
  const complianceRequestId = await recordComplianceRequest(tx, channel.tenantId, channel.id, 'customers/data_request', p, { clients, addresses, orders });
  return { complianceRequestId, clients: clients.length, orders: orders.length };
}

/** customers/redact: erase the customer's personal data; orders stay as anonymous accounting records. */
async function redactCustomer(tx: Tx, channel: Channel, p: Record<string, unknown>) {
  const clientIds = await customerClientIds(tx, channel, p);
  const orders = await redactCustomerOrders(tx, channel.tenantId, channel.id, clientIds, ids(p.orders_to_redact, 'orders_to_redact'));
  await eraseClients(tx, channel.tenantId, clientIds);
  await recordComplianceRequest(
    tx,
    channel.tenantId,
    channel.id,
    'customers/redact',
    { customerId: customerIdOf(p), ordersToRedact: ids(p.orders_to_redact, 'orders_to_redact') },
    { clients: clientIds.length, orders },
  );
  return { clientsErased: clientIds.length, ordersRedacted: orders };
}

/** shop/redact: 48 h after uninstall the shop's data must go: its orders, their clients, its credentials. */
async function redactShop(tx: Tx, deps: Deps, channel: Channel, p: Record<string, unknown>) {
  const { clientIds, reservingOrderIds } = await channelOrderFacts(tx, channel.tenantId, channel.id);
  // Reserved stock must be given back before the orders vanish.
  for (const id of reservingOrderIds) await cancelOrder(tx, channel.tenantId, id, 'shop data erased (shop/redact)');
  const orders = await deleteChannelOrders(tx, channel.tenantId, channel.id);
  // Clients that now have no order on any channel belong only to this shop.
  const stillUsed = await clientsWithOrders(tx, channel.tenantId, clientIds);
  const clients = await deleteClients(tx, channel.tenantId, clientIds.filter((c) => !stillUsed.has(c)));
  await forgetChannelCustomerIds(tx, channel.tenantId, channel.id);
  await forgetWebhookDeliveries(tx, channel.tenantId, channel.id);
  const creds = await readCredentials(tx, deps.box, channel.tenantId, channel.id);
  await writeCredentials(tx, deps.box, channel.tenantId, channel.id, { apiKey: creds.apiKey, apiSecret: creds.apiSecret });
  await markChannelDisconnected(tx, channel.tenantId, channel.id, "shop data erased on Shopify's shop/redact", { forgetCursor: true });
  await recordComplianceRequest(tx, channel.tenantId, channel.id, 'shop/redact', p, { orders, clients });
  return { ordersDeleted: orders, clientsDeleted: clients };
}
