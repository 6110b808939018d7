import { createHmac, randomUUID } from 'node:crypto';

/**
 * An App Bridge session token exactly as Shopify signs it (HS256, key = app secret), with the
 * claims of @shopify/shopify-api's own test helper, so the real authenticate.admin verifies it.
 */
export function signSessionToken(options: { shop: string; apiKey: string; secret: string; ttlSeconds?: number }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };
  const payload = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: '42',
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now - 1,
    iat: now - 1,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(payload)}`;
  const signature = createHmac('sha256', options.secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/**
 * The offline session an installed shop has stored (an hour left on its access token): with it,
 * authenticate.admin needs no token exchange, which would go to Shopify over the network.
 */
export async function installedShopSession(shop: string, scopes: readonly string[], extra: Record<string, unknown> = {}) {
  const { Session } = await import('@shopify/shopify-api');
  return new Session({ id: `offline_${shop}`, shop, state: 'installed', isOnline: false, accessToken: 'shpat_test', scope: scopes.join(','), expires: new Date(Date.now() + 3_600_000), ...extra });
}
