import { findShopifyChannel, readCredentials, verifyShopifySessionToken } from '../channels/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { findApiKey } from './api-keys.ts';

export interface Principal {
  tenantId: string;
  via: 'api_key' | 'shopify_session_token';
  /** Set for the embedded Shopify app and the WooCommerce plugin's key: the store's channel, which scopes what it sees. */
  channelId: string | null;
}

const unauthorized = (message: string, reason: string) =>
  new DomainError('UNAUTHORIZED', message, [{ path: 'Authorization', reason }]);

function unverifiedDest(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { dest?: unknown };
    return typeof payload.dest === 'string' ? new URL(payload.dest).hostname : null;
  } catch {
    return null;
  }
}

/**
 * Bearer credentials: an Expedio API key (`exp_…`, looked up by hash) or the embedded Shopify app's
 * session token (a JWT). For the token, `dest` only selects which channel's app secret to check the
 * signature with; nothing in it is trusted before the signature, audience and times are verified.
 */
export async function authenticate(deps: Deps, authorization: string | undefined): Promise<Principal> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw unauthorized('Send an API key or a Shopify session token as "Authorization: Bearer <token>".', 'missing bearer token');
  const token = m[1]!;
  if (token.split('.').length === 3) {
    const shop = unverifiedDest(token);
    const channel = shop ? await findShopifyChannel(deps.sql, shop) : null;
    if (!channel) throw unauthorized('The session token names a shop that no Expedio channel is connected to.', 'unknown shop');
    const creds = await readCredentials(deps.sql, deps.box, channel.tenantId, channel.id);
    // The app's one key (SHOPIFY_API_KEY/SECRET) opens every installed shop; a key stored with the
    // channel (channels connected before the core knew the app, the demo) is tried as well.
    const keys = [
      ...(deps.shopifyApp ? [deps.shopifyApp.apiSecret, ...(deps.shopifyApp.previousApiSecrets ?? [])].map((apiSecret) => ({ apiKey: deps.shopifyApp!.apiKey, apiSecret })) : []),
      ...(creds.apiKey && creds.apiSecret ? [{ apiKey: creds.apiKey, apiSecret: creds.apiSecret }] : []),
    ];
    if (keys.length === 0) throw unauthorized(`Channel ${channel.id} has no Shopify app credentials.`, 'channel not configured');
    const verified = verifyWithAny(token, keys, deps);
    if (verified.shopDomain.toLowerCase() !== (channel.externalRef ?? '').toLowerCase()) throw unauthorized('The session token is for another shop.', 'shop mismatch');
    return { tenantId: channel.tenantId, via: 'shopify_session_token', channelId: channel.id };
  }
  const key = await findApiKey(deps.sql, token);
  if (!key) throw unauthorized('The API key is not valid or was revoked.', 'unknown API key');
  return { tenantId: key.tenantId, via: 'api_key', channelId: key.channelId };
}

function verifyWithAny(token: string, keys: { apiKey: string; apiSecret: string }[], deps: Deps) {
  let lastError: unknown;
  for (const key of keys) {
    try {
      return verifyShopifySessionToken(token, { ...key, now: () => deps.now().getTime() });
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
