import type { Db, Tx } from '../db/connect.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { type Channel, findShopifyChannel, readCredentials, writeCredentials } from './channel-repo.ts';

/** What the Shopify app hands over after the shop authorised it (token exchange or OAuth). */
export interface ShopifyGrant {
  accessToken: string;
  scopes: string;
  accessTokenExpiresAt: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
}

/**
 * The shop's channel, with a transaction-scoped lock on the shop domain so two installs of the
 * same new shop (the admin opening the app twice) cannot both create it.
 */
export async function lockShopifyShop(tx: Tx, shopDomain: string): Promise<Channel | null> {
  await tx`select pg_advisory_xact_lock(hashtext(${`shopify-install:${shopDomain.toLowerCase()}`}))`;
  return findShopifyChannel(tx, shopDomain);
}

/** A new Shopify channel for the shop (the myshopify.com domain is how webhooks and session tokens find it). */
export async function createShopifyChannel(tx: Tx, tenantId: string, shopDomain: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref)
    values (${tenantId}, 'shopify', ${shopDomain.replace(/\.myshopify\.com$/i, '')}, ${shopDomain.toLowerCase()}) returning id::text`;
  return row!.id;
}

/**
 * Stores the shop's offline token (sealed with the rest of the credentials; what was stored before
 * besides the token, such as the app secret of an older channel, is kept) and makes the channel
 * active again: a channel that needed reconnecting, or was disconnected by an uninstall, runs again.
 */
export async function storeShopifyGrant(tx: Tx, box: SecretBox, channel: Channel, grant: ShopifyGrant, opts: { adminBaseUrl?: string } = {}): Promise<void> {
  const creds = await readCredentials(tx, box, channel.tenantId, channel.id);
  delete creds.accessTokenExpiresAt;
  delete creds.refreshToken;
  delete creds.refreshTokenExpiresAt;
  await writeCredentials(tx, box, channel.tenantId, channel.id, {
    ...creds,
    accessToken: grant.accessToken,
    scopes: grant.scopes,
    ...(grant.accessTokenExpiresAt ? { accessTokenExpiresAt: grant.accessTokenExpiresAt } : {}),
    ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
    ...(grant.refreshTokenExpiresAt ? { refreshTokenExpiresAt: grant.refreshTokenExpiresAt } : {}),
    ...(opts.adminBaseUrl ? { adminBaseUrl: opts.adminBaseUrl } : {}),
  });
  await tx`update channels set status = 'active', status_reason = null, last_sync_error = null
    where tenant_id = ${channel.tenantId} and id = ${channel.id}`;
}

/** app/scopes_update: the scopes the shop granted now. */
export async function recordShopifyScopes(db: Db, box: SecretBox, channel: Channel, scopes: string): Promise<void> {
  const creds = await readCredentials(db, box, channel.tenantId, channel.id);
  await writeCredentials(db, box, channel.tenantId, channel.id, { ...creds, scopes });
}

/** What the app needs to know of its shop in the core: is it connected, and does it need the merchant to re-authorise. */
export interface ShopifyInstallationState {
  tenantId: string;
  channelId: string;
  status: Channel['status'];
  statusReason: string | null;
  hasAccessToken: boolean;
  scopes: string | null;
  /** The app must run the shop through authorisation again and hand over a new token. */
  needsAuthorization: boolean;
}

export async function shopifyInstallationState(db: Db, box: SecretBox, shopDomain: string): Promise<ShopifyInstallationState | null> {
  const channel = await findShopifyChannel(db, shopDomain);
  if (!channel) return null;
  const creds = await readCredentials(db, box, channel.tenantId, channel.id);
  const hasAccessToken = Boolean(creds.accessToken);
  return {
    tenantId: channel.tenantId,
    channelId: channel.id,
    status: channel.status,
    statusReason: channel.statusReason,
    hasAccessToken,
    scopes: creds.scopes ?? null,
    needsAuthorization: channel.status !== 'active' || !hasAccessToken,
  };
}
