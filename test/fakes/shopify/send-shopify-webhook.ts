import { randomUUID } from 'node:crypto';
import { signShopifyBody } from '../../../core/src/channels/shopify/verify-shopify-hmac.ts';
import { serializeShopifyJson } from './shopify-order-fixtures.ts';

export interface SendShopifyWebhookOptions {
  url: string;
  topic: string;
  shopDomain: string;
  /** Raw JSON text is sent byte-for-byte; objects are serialised with REST ids as bare numbers. */
  body: string | Record<string, unknown>;
  secret: string;
  /** Reuse one id to simulate Shopify's retry of the same delivery. */
  webhookId?: string;
  apiVersion?: string;
  /** `x-shopify`: classic HTTPS delivery; `shopify`: the newer header names without the X- prefix. */
  headerStyle?: 'x-shopify' | 'shopify';
  triggeredAt?: string;
  eventId?: string;
  /** Replaces the computed signature, to test rejection. */
  hmacOverride?: string;
  fetch?: typeof globalThis.fetch;
}

/** Delivers one webhook the way Shopify does: HMAC over the exact bytes sent, delivery headers set. */
export async function sendShopifyWebhook(o: SendShopifyWebhookOptions): Promise<Response> {
  const raw = typeof o.body === 'string' ? o.body : serializeShopifyJson(o.body);
  const bytes = Buffer.from(raw, 'utf8');
  const prefix = (o.headerStyle ?? 'x-shopify') === 'x-shopify' ? 'X-Shopify-' : 'shopify-';
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Shopify-Captain-Hook',
    [`${prefix}Hmac-Sha256`]: o.hmacOverride ?? signShopifyBody(bytes, o.secret),
    [`${prefix}Topic`]: o.topic,
    [`${prefix}Shop-Domain`]: o.shopDomain,
    [`${prefix}API-Version`]: o.apiVersion ?? '2025-10',
    [`${prefix}Webhook-Id`]: o.webhookId ?? randomUUID(),
    [`${prefix}Triggered-At`]: o.triggeredAt ?? new Date().toISOString(),
    [`${prefix}Event-Id`]: o.eventId ?? randomUUID(),
  };
  return (o.fetch ?? globalThis.fetch)(o.url, { method: 'POST', headers, body: bytes });
}
