import { DomainError } from '../../shared/domain-error.ts';
import type { ShopifyGrant } from '../shopify-installation.ts';

/**
 * Shopify's refresh of an expiring offline token, as @shopify/shopify-api sends it
 * (lib/auth/oauth/refresh-token.ts): `POST https://<shop>/admin/oauth/access_token` with
 * `{ client_id, client_secret, grant_type: "refresh_token", refresh_token }`; the answer carries
 * the new `access_token`, `scope`, `expires_in` and a new `refresh_token` with `refresh_token_expires_in`.
 * A refused refresh token (400) means the merchant must authorise the app again.
 */
export async function refreshShopifyToken(o: {
  shopDomain: string;
  baseUrl?: string;
  apiKey: string;
  apiSecret: string;
  refreshToken: string;
  now: () => Date;
  fetch?: typeof globalThis.fetch;
}): Promise<ShopifyGrant> {
  const url = `${(o.baseUrl ?? `https://${o.shopDomain}`).replace(/\/+$/, '')}/admin/oauth/access_token`;
  let res: Response;
  try {
    res = await (o.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ client_id: o.apiKey, client_secret: o.apiSecret, grant_type: 'refresh_token', refresh_token: o.refreshToken }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new DomainError('UPSTREAM', `Shopify ${o.shopDomain} could not be reached to refresh the access token: ${(e as Error).message}.`);
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.status === 400 || res.status === 401) {
    throw new DomainError('NEEDS_RECONNECT', `Shopify refused to refresh the access token of ${o.shopDomain} (HTTP ${res.status}${body?.error ? `, ${String(body.error)}` : ''}); the store must be authorised again.`);
  }
  if (!res.ok || !body || typeof body.access_token !== 'string') {
    throw new DomainError('UPSTREAM', `Shopify ${o.shopDomain} answered the token refresh with HTTP ${res.status}.`);
  }
  const at = (seconds: unknown) => (typeof seconds === 'number' ? new Date(o.now().getTime() + seconds * 1000).toISOString() : null);
  return {
    accessToken: body.access_token,
    scopes: typeof body.scope === 'string' ? body.scope : '',
    accessTokenExpiresAt: at(body.expires_in),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    refreshTokenExpiresAt: at(body.refresh_token_expires_in),
  };
}
