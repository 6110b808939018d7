import { randomBytes } from 'node:crypto';
import { signWooBody } from '../../../core/src/channels/woocommerce/verify-woo-signature.ts';

export const HOOKSHOT_USER_AGENT = 'WooCommerce/9.9.5 Hookshot (WordPress/6.8.2)';

export type WooOrderTopic = 'order.created' | 'order.updated' | 'order.deleted' | 'order.restored';

export interface SendWooWebhookInput {
  url: string;
  topic: WooOrderTopic;
  /** An object is encoded like PHP's `wp_json_encode`; a string is sent byte for byte (to test raw-body handling). */
  body: unknown;
  secret: string;
  webhookId: number | string;
  deliveryId?: string;
  /** The store's `home_url('/')`. */
  source?: string;
  /** Override the computed signature (forgery tests). */
  signature?: string;
  fetch?: typeof globalThis.fetch;
}

export interface WooDeliveryResult {
  status: number;
  body: string;
  headers: Headers;
  rawBody: string;
  requestHeaders: Record<string, string>;
}

/**
 * PHP's `json_encode` without flags, which `wp_json_encode` uses: `/` is escaped as `\/` and every
 * non-ASCII character as `\uXXXX`. Signing this (not JSON.stringify's output) catches a receiver
 * that re-serialises the body before checking the signature.
 */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** base64(HMAC-SHA256(body, wp_specialchars_decode(secret))) — class-wc-webhook.php `generate_signature`. */
export const wooSignature = (rawBody: string, secret: string): string => signWooBody(rawBody, secret);

/** One delivery exactly as `WC_Webhook::deliver` sends it (contract 8.3). */
export async function sendWooWebhook(input: SendWooWebhookInput): Promise<WooDeliveryResult> {
  const rawBody = typeof input.body === 'string' ? input.body.trim() : phpJsonEncode(input.body);
  const [resource, event] = input.topic.split('.') as [string, string];
  const requestHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': HOOKSHOT_USER_AGENT,
    'x-wc-webhook-source': input.source ?? 'https://shop.example/',
    'x-wc-webhook-topic': input.topic,
    'x-wc-webhook-resource': resource,
    'x-wc-webhook-event': event,
    'x-wc-webhook-signature': input.signature ?? wooSignature(rawBody, input.secret),
    'x-wc-webhook-id': String(input.webhookId),
    // wp_hash(id . time): an opaque hex hash, new for every delivery.
    'x-wc-webhook-delivery-id': input.deliveryId ?? randomBytes(16).toString('hex'),
  };
  const res = await (input.fetch ?? fetch)(input.url, {
    method: 'POST',
    headers: requestHeaders,
    body: rawBody,
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text(), headers: res.headers, rawBody, requestHeaders };
}

/** The ping WooCommerce sends right after a webhook is created: form-encoded, unsigned (contract 8.2). */
export async function sendWooPing(input: {
  url: string;
  webhookId: number | string;
  fetch?: typeof globalThis.fetch;
}): Promise<{ status: number; body: string }> {
  const res = await (input.fetch ?? fetch)(input.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': HOOKSHOT_USER_AGENT },
    body: `webhook_id=${encodeURIComponent(String(input.webhookId))}`,
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text() };
}

/** WooCommerce counts 200–302 as delivered (`log_delivery`: `>= 200 && < 303`). */
export function isWooDeliverySuccess(status: number): boolean {
  return status >= 200 && status < 303;
}
