import { createHash } from 'node:crypto';
import { createTenant } from '../auth/index.ts';
import {
  type Channel,
  createShopifyAdminClient,
  createShopifyChannel,
  getChannel,
  lockShopifyShop,
  markNeedsReconnect,
  readCredentials,
  refreshShopifyToken,
  registerShopifyWebhooks,
  shopifyWebhookTopics,
  type ShopifyGrant,
  shopifyClientOptions,
  storeShopifyGrant,
  writeSyncLog,
} from '../channels/index.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue, FailureWithEffects, markOutboxDone, type OutboxHandler } from '../db/outbox.ts';
import { isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { requestCatalogSync } from './sync-catalog.ts';
import { STORE_CALL } from './writeback/attempt-writeback.ts';

export const REGISTER_WEBHOOKS_KIND = 'channel.register_webhooks';
export const REFRESH_TOKEN_KIND = 'channel.refresh_shopify_token';
/** How long before its end an expiring offline token is refreshed. */
const REFRESH_AHEAD_MS = 10 * 60_000;

export interface ShopifyInstallResult {
  tenantId: string;
  channelId: string;
  /** The shop was new: its tenant and channel were created now. */
  created: boolean;
  /** The channel was not running before (new, uninstalled, needing reconnection, no token): the catalog sync was queued. */
  connected: boolean;
  channelStatus: Channel['status'];
  /** Where the shop's webhooks are being registered; null when the core has no public URL (EXPEDIO_PUBLIC_URL). */
  webhookUrl: string | null;
}

/**
 * The Shopify app's afterAuth, on the core's side: the shop's tenant and channel (created when the
 * shop is new, reused when it is known), its offline token sealed, the channel active again, and
 * — in the same transaction — the work that follows queued: the shop's webhooks registered to this
 * core and the catalog synced. A repeated call with a renewed token only stores the token.
 */
export async function installShopifyApp(deps: Deps, shopDomain: string, grant: ShopifyGrant): Promise<ShopifyInstallResult> {
  const shop = shopDomain.toLowerCase();
  const webhookUrl = deps.shopifyApp?.publicUrl ? `${deps.shopifyApp.publicUrl}/webhooks/shopify` : null;
  return await deps.sql.begin(async (tx) => {
    let channel = await lockShopifyShop(tx, shop);
    let created = false;
    if (!channel) {
      const tenantId = await createTenant(tx, shop.replace(/\.myshopify\.com$/, ''));
      channel = await getChannel(tx, tenantId, await createShopifyChannel(tx, tenantId, shop));
      created = true;
    }
    const before = await readCredentials(tx, deps.box, channel.tenantId, channel.id);
    const connected = created || channel.status !== 'active' || !before.accessToken;
    await storeShopifyGrant(tx, deps.box, channel, grant, deps.shopifyApp?.adminBaseUrl ? { adminBaseUrl: deps.shopifyApp.adminBaseUrl } : {});
    // One per grant: a retried afterAuth with the same token queues nothing twice.
    const grantKey = keyOf(grant.accessToken);
    if (connected) await requestCatalogSync(tx, channel.tenantId, channel.id, grantKey);
    // With every new token: registering creates only what is missing, so subscriptions Shopify
    // dropped (or a changed EXPEDIO_PUBLIC_URL) are mended by the next token the app hands over.
    if (webhookUrl) {
      await enqueue(tx, channel.tenantId, REGISTER_WEBHOOKS_KIND, { channelId: channel.id, callbackUrl: webhookUrl }, `${REGISTER_WEBHOOKS_KIND}:${channel.id}:${grantKey}`);
    }
    await scheduleRefresh(tx, deps.now(), channel.tenantId, channel.id, grant, grantKey);
    await writeSyncLog(tx, {
      tenantId: channel.tenantId,
      channelId: channel.id,
      direction: 'inbound',
      kind: 'install',
      topic: 'app/installed',
      outcome: 'ok',
      details: { created, connected, scopes: grant.scopes, webhookUrl },
    });
    return { tenantId: channel.tenantId, channelId: channel.id, created, connected, channelStatus: 'active' as const, webhookUrl };
  });
}

const keyOf = (accessToken: string) => createHash('sha256').update(accessToken).digest('hex').slice(0, 16);

/** An expiring token is refreshed by the worker ten minutes before it ends; one job per grant. */
async function scheduleRefresh(tx: Tx, now: Date, tenantId: string, channelId: string, grant: ShopifyGrant, grantKey: string): Promise<void> {
  if (!grant.accessTokenExpiresAt || !grant.refreshToken) return;
  const delaySeconds = Math.max(0, Math.floor((Date.parse(grant.accessTokenExpiresAt) - now.getTime() - REFRESH_AHEAD_MS) / 1000));
  await enqueue(tx, tenantId, REFRESH_TOKEN_KIND, { channelId, grantKey }, `${REFRESH_TOKEN_KIND}:${channelId}:${grantKey}`, { delaySeconds });
}

export const installationOutboxHandlers: Record<string, OutboxHandler> = {
  // Payload { channelId, grantKey }: the expiring offline token of that grant is about to end. A
  // grant since replaced (the app authorised again) has its own job: this one does nothing.
  // A crash after Shopify answered and before the new grant is stored leaves the old refresh token,
  // which Shopify may have retired: the retry then fails as NEEDS_RECONNECT and the merchant opens the app.
  [REFRESH_TOKEN_KIND]: async (db, item, ctx) => {
    const channelId = String(item.payload.channelId);
    const channel = await getChannel(db, item.tenantId, channelId);
    const creds = await readCredentials(db, ctx.box, item.tenantId, channelId);
    if (channel.status !== 'active' || !creds.accessToken || !creds.refreshToken || keyOf(creds.accessToken) !== item.payload.grantKey) return;
    if (!ctx.shopifyApp) throw new Error('the worker has no Shopify app configured (SHOPIFY_API_KEY and SHOPIFY_API_SECRET) to refresh the token with');
    let grant: ShopifyGrant;
    try {
      grant = await refreshShopifyToken({
        shopDomain: channel.externalRef ?? '',
        ...(creds.adminBaseUrl ? { baseUrl: creds.adminBaseUrl } : {}),
        apiKey: ctx.shopifyApp.apiKey,
        apiSecret: ctx.shopifyApp.apiSecret,
        refreshToken: creds.refreshToken,
        now: ctx.now,
        ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      });
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'NEEDS_RECONNECT') throw e;
      // The stall of a channel needing reconnection tells the merchant to open the app, which authorises again.
      throw new FailureWithEffects(e.message, (t) => markNeedsReconnect(t, item.tenantId, channelId, e.message), true);
    }
    await db.begin(async (tx) => {
      await storeShopifyGrant(tx, ctx.box, channel, grant);
      await scheduleRefresh(tx, ctx.now(), item.tenantId, channelId, grant, keyOf(grant.accessToken));
      await writeSyncLog(tx, { tenantId: item.tenantId, channelId, direction: 'outbound', kind: 'install', topic: 'token/refresh', outcome: 'ok', details: { accessTokenExpiresAt: grant.accessTokenExpiresAt } });
      await markOutboxDone(tx, item);
    });
  },
  // Payload { channelId, callbackUrl }: subscribe the shop's topics to this core (only the missing ones).
  // Idempotent: only the topics the shop lacks are subscribed, so a second run adds nothing.
  [REGISTER_WEBHOOKS_KIND]: async (db, item, ctx) => {
    const channelId = String(item.payload.channelId);
    const callbackUrl = String(item.payload.callbackUrl);
    const channel = await getChannel(db, item.tenantId, channelId);
    if (channel.status === 'disconnected') return;
    const creds = await readCredentials(db, ctx.box, item.tenantId, channelId);
    const client = createShopifyAdminClient({ ...shopifyClientOptions(channel, creds, ctx.fetch), maxRetries: STORE_CALL.maxRetries, maxWaitMs: STORE_CALL.maxWaitMs, timeoutMs: STORE_CALL.timeoutMs, onlyServerWaits: true });
    const result = await registerShopifyWebhooks(client, callbackUrl, shopifyWebhookTopics(creds.scopes));
    await writeSyncLog(db, { tenantId: item.tenantId, channelId, direction: 'outbound', kind: 'writeback', topic: 'webhooks/register', outcome: 'ok', details: { callbackUrl, ...result } });
  },
};
