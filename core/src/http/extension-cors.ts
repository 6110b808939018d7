import { cors } from 'hono/cors';

/** Where Shopify serves admin UI extensions from: their fetches to the core come from this origin. */
export const DEFAULT_EXTENSION_ORIGINS = ['https://extensions.shopifycdn.com'] as const;

/**
 * EXPEDIO_EXTENSION_ORIGINS: the origins allowed to call /api from a browser (comma-separated), else
 * Shopify's extension CDN. Each must be a bare origin (scheme, host, port): a path or a wildcard would
 * let any page on a shared host drive the API with a merchant's token, so it is refused at start-up.
 */
export function extensionOriginsFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  const raw = env.EXPEDIO_EXTENSION_ORIGINS?.trim();
  if (!raw) return [...DEFAULT_EXTENSION_ORIGINS];
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      let url: URL | null = null;
      try {
        url = new URL(o);
      } catch {}
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
        throw new Error(`EXPEDIO_EXTENSION_ORIGINS must list origins like https://extensions.shopifycdn.com, not "${o}".`);
      }
      return url.origin;
    });
}

/**
 * CORS for the admin UI extensions, which run in Shopify's sandbox on another origin and call the
 * core with the session token in the Authorization header (no cookies: credentials stay off). The
 * preflight is answered here, before the bearer check, which a preflight never carries.
 */
export function extensionCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept'],
    exposeHeaders: ['Content-Disposition', 'X-Label-Source', 'X-Shopify-Retry-Invalid-Session-Request'],
    maxAge: 600,
  });
}
