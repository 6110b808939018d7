import { verifyShopifySessionToken } from '../channels/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { ShopifyAppConfig } from '../shared/shopify-app-config.ts';

const unauthorized = (message: string, reason: string) => new DomainError('UNAUTHORIZED', message, [{ path: 'Authorization', reason }]);

/**
 * A session token of the Shopify app itself (App Bridge's, or one the app's server signs the same
 * way for its own calls: HS256 with the app secret, `aud` = the app's client id, `dest` = the shop),
 * verified with the app's one key, so it speaks for a shop the core may not know yet. Returns the
 * shop domain it was issued for.
 */
export function authenticateShopifyApp(app: ShopifyAppConfig | undefined, authorization: string | undefined, now: () => Date): { shopDomain: string } {
  if (!app) throw unauthorized('This core has no Shopify app configured (SHOPIFY_API_KEY and SHOPIFY_API_SECRET).', 'no Shopify app configured');
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m || m[1]!.split('.').length !== 3) throw unauthorized('Send the Shopify app session token as "Authorization: Bearer <token>".', 'missing session token');
  let lastError: unknown;
  for (const apiSecret of [app.apiSecret, ...(app.previousApiSecrets ?? [])]) {
    try {
      const verified = verifyShopifySessionToken(m[1]!, { apiKey: app.apiKey, apiSecret, now: () => now().getTime() });
      return { shopDomain: verified.shopDomain.toLowerCase() };
    } catch (e) {
      lastError = e;
    }
  }
  const reason = lastError instanceof Error ? lastError.message : 'session token rejected';
  throw unauthorized(reason, 'invalid session token');
}
