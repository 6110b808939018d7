import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WooCommerce signs a webhook delivery with
 * `base64_encode(hash_hmac('sha256', $body, wp_specialchars_decode($secret, ENT_QUOTES), true))`
 * (class-wc-webhook.php `generate_signature`). WordPress may store the secret HTML-escaped, so the
 * key really used is the entity-decoded secret; decoding our copy the same way makes a secret with
 * `&`, `<` or `"` verify whichever form the store kept.
 */
const WP_SPECIALCHARS_DECODE: Record<string, string> = {
  '&amp;': '&',
  '&#038;': '&',
  '&#38;': '&',
  '&#x26;': '&',
  '&#X26;': '&',
  '&lt;': '<',
  '&#060;': '<',
  '&#60;': '<',
  '&gt;': '>',
  '&#062;': '>',
  '&#62;': '>',
  '&quot;': '"',
  '&#034;': '"',
  '&#34;': '"',
  '&#x22;': '"',
  '&#X22;': '"',
  '&#039;': "'",
  '&#39;': "'",
  '&#x27;': "'",
  '&#X27;': "'",
};
const ENTITY = /&(?:amp|lt|gt|quot|#0?38|#x26|#X26|#0?60|#0?62|#0?34|#x22|#X22|#0?39|#x27|#X27);/g;

/** `wp_specialchars_decode($s, ENT_QUOTES)`: one pass (like PHP's strtr), so `&amp;lt;` becomes `&lt;`, not `<`. */
export function wpSpecialcharsDecode(s: string): string {
  return s.replace(ENTITY, (m) => WP_SPECIALCHARS_DECODE[m] ?? m);
}

/** base64(HMAC-SHA256(body, decoded secret)) — what WooCommerce puts in `X-WC-Webhook-Signature`. */
export function signWooBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', wpSpecialcharsDecode(secret)).update(rawBody).digest('base64');
}

/**
 * True when `headerValue` is the signature of the exact bytes received. The body must be the raw
 * request body: WooCommerce signs PHP's `wp_json_encode` output (`\/`, `\uXXXX` escapes), which a
 * JSON.parse/JSON.stringify round trip would not reproduce.
 */
export function verifyWooSignature(
  rawBody: string | Uint8Array,
  headerValue: string | null | undefined,
  secret: string,
): boolean {
  if (!headerValue || !secret) return false;
  const received = Buffer.from(headerValue.trim(), 'base64');
  const expected = createHmac('sha256', wpSpecialcharsDecode(secret)).update(rawBody).digest();
  // timingSafeEqual throws on unequal lengths; a forged header of another length is simply false.
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}

export interface WooWebhookHeaders {
  signature: string | null;
  /** `order.created`, `order.updated`, `order.deleted`, `order.restored`, `action.*`. */
  topic: string | null;
  resource: string | null;
  event: string | null;
  webhookId: string | null;
  /** `wp_hash(id . time)`: unique per delivery, not per event; dedupe on (webhookId, order id, date_modified_gmt) too. */
  deliveryId: string | null;
  /** The store's `home_url('/')`. */
  source: string | null;
}

export function wooWebhookHeaders(headers: Pick<Headers, 'get'>): WooWebhookHeaders {
  const h = (name: string) => {
    const v = headers.get(name);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  return {
    signature: h('x-wc-webhook-signature'),
    topic: h('x-wc-webhook-topic'),
    resource: h('x-wc-webhook-resource'),
    event: h('x-wc-webhook-event'),
    webhookId: h('x-wc-webhook-id'),
    deliveryId: h('x-wc-webhook-delivery-id'),
    source: h('x-wc-webhook-source'),
  };
}

/**
 * Right after a webhook is created WooCommerce POSTs `webhook_id=<id>` form-encoded, unsigned
 * (`deliver_ping`), and counts only HTTP 200 as success. The receiver must recognise it and answer
 * 200 without a signature check; anything else unsigned is still rejected.
 */
export function parseWooPing(contentType: string | null, rawBody: string): { webhookId: string } | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // WordPress sends arrays as application/x-www-form-urlencoded; a JSON body is never a ping.
  if (type !== '' && type !== 'application/x-www-form-urlencoded') return null;
  const body = rawBody.trim();
  if (body.length === 0 || body.length > 64) return null;
  const params = new URLSearchParams(body);
  const keys = [...params.keys()];
  if (keys.length !== 1 || keys[0] !== 'webhook_id') return null;
  const id = params.get('webhook_id') ?? '';
  return /^\d+$/.test(id) ? { webhookId: id } : null;
}
