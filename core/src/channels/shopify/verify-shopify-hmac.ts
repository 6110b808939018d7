import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopify signs the exact bytes it sent: base64(HMAC-SHA256(app client secret, raw body)). The body
 * must be verified before it is parsed, and never re-serialised (re-encoding changes the bytes).
 * Several secrets are accepted because during a secret rotation Shopify keeps signing with the old
 * one for up to an hour.
 */
export function verifyShopifyHmac(
  rawBody: string | Uint8Array,
  headerValue: string | null | undefined,
  secrets: string[],
): boolean {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  if (body.length === 0 || !headerValue) return false;
  const received = Buffer.from(headerValue.trim(), 'utf8');
  let ok = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64'), 'utf8');
    // timingSafeEqual throws on different lengths; a wrong length is simply a mismatch.
    if (expected.length === received.length && timingSafeEqual(expected, received)) ok = true;
  }
  return ok;
}

export function signShopifyBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export interface ShopifyWebhookHeaders {
  hmac: string | null;
  topic: string | null;
  shopDomain: string | null;
  webhookId: string | null;
  apiVersion: string | null;
  triggeredAt: string | null;
  eventId: string | null;
}

/**
 * Shopify is moving deliveries from `X-Shopify-*` to `shopify-*` headers (shopify-api 13); both
 * forms are read so the route does not care which one a subscription uses. Headers are
 * case-insensitive, so `Headers.get` covers `x-shopify-…` and `X-Shopify-…` alike.
 */
export function shopifyWebhookHeaders(headers: Pick<Headers, 'get'>): ShopifyWebhookHeaders {
  const read = (name: string): string | null => {
    const v = headers.get(`x-shopify-${name}`) ?? headers.get(`shopify-${name}`);
    return v === null || v === '' ? null : v;
  };
  return {
    hmac: read('hmac-sha256'),
    topic: read('topic'),
    shopDomain: read('shop-domain'),
    webhookId: read('webhook-id'),
    apiVersion: read('api-version'),
    triggeredAt: read('triggered-at'),
    eventId: read('event-id'),
  };
}
