import { createApiKey, revokeChannelApiKeys } from '../auth/index.ts';
import { type ConnectCodeGrant, findChannelById, findConnectCode, normalizeStoreUrl, spendConnectCode, upsertWooChannel, verifyWooKeys } from '../channels/index.ts';
import type { Deps } from '../shared/deps.ts';
import { DomainError } from '../shared/domain-error.ts';
import { assertPublicUrl } from '../shared/public-host.ts';
import { defaultToSoleWarehouse } from './add-warehouse.ts';
import { requestCatalogSync } from './sync-catalog.ts';

/**
 * Who is connecting: an operator's one-time connect code (granted for this store on the consent
 * page), a tenant API key, or the plugin's own channel key reconnecting the store it already is.
 */
export type WooPairing = { kind: 'connect_code'; code: string } | { kind: 'api_key'; tenantId: string; channelId: string | null };

export interface WooConnectRequest {
  storeUrl: string;
  storeName?: string | undefined;
  consumerKey: string;
  consumerSecret: string;
}

export interface WooConnectResult {
  tenantId: string;
  channelId: string;
  /** The plugin's API key, bound to the channel; shown once. A reconnect revokes the previous one. */
  apiKey: string;
  created: boolean;
  webhookUrl: string;
}


/**
 * The plugin hands over REST keys it created with the admin's consent. The keys are checked with
 * one real call to the store before anything is written; then, in one transaction: the connect code
 * spent, the channel created or reused (same store URL) with the keys sealed and "needs reconnect"
 * cleared, the plugin's channel-bound API key issued (older ones revoked), and the catalog sync queued.
 */
export async function connectWooCommerce(deps: Deps, pairing: WooPairing, request: WooConnectRequest): Promise<WooConnectResult> {
  const storeUrl = normalizeStoreUrl(request.storeUrl);
  let grant: ConnectCodeGrant | null = null;
  let tenantId: string;
  if (pairing.kind === 'connect_code') {
    grant = await findConnectCode(deps.sql, pairing.code, deps.now());
    if (grant.storeUrl.toLowerCase() !== storeUrl.toLowerCase()) {
      throw new DomainError('FORBIDDEN', `This connect code was granted for ${grant.storeUrl}, not ${storeUrl}.`, [
        { path: 'storeUrl', reason: `the code is for ${grant.storeUrl}` },
      ]);
    }
    tenantId = grant.tenantId;
  } else {
    tenantId = pairing.tenantId;
    if (pairing.channelId) {
      const own = await findChannelById(deps.sql, pairing.channelId);
      if (!own || own.tenantId !== tenantId || own.kind !== 'woocommerce' || (own.externalRef ?? '').toLowerCase() !== storeUrl.toLowerCase()) {
        throw new DomainError('FORBIDDEN', `This API key belongs to channel ${pairing.channelId} and may reconnect only that store.`, [
          { path: 'storeUrl', reason: 'not the store of this channel key' },
        ]);
      }
    }
  }

  // The core calls this URL with the store's keys from now on: a public host only (resolved here, before the transaction).
  await assertPublicUrl(storeUrl, 'storeUrl');
  const keys = { storeUrl, consumerKey: request.consumerKey, consumerSecret: request.consumerSecret };
  await verifyWooKeys(keys, deps.fetch);

  const name = request.storeName?.trim() || new URL(storeUrl).host;
  return await deps.sql.begin(async (tx) => {
    if (grant) await spendConnectCode(tx, grant);
    const { channelId, created } = await upsertWooChannel(tx, deps.box, tenantId, { ...keys, name });
    // A new store ships from the workspace's one warehouse unless someone chooses otherwise.
    if (created) await defaultToSoleWarehouse(tx, tenantId, channelId);
    await revokeChannelApiKeys(tx, tenantId, channelId);
    const apiKey = await createApiKey(tx, tenantId, `WooCommerce plugin (${new URL(storeUrl).host})`, { channelId });
    // One catalog sync per connect: a reconnect with new keys pulls the products again.
    await requestCatalogSync(tx, tenantId, channelId, deps.now().toISOString());
    return { tenantId, channelId, apiKey, created, webhookUrl: `/webhooks/woocommerce/${channelId}` };
  });
}
