import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHOPIFY_ORDER_SAMPLE_RAW } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { parseShopifyJson } from './parse-shopify-json.ts';
import { shopifyWebhookHeaders, verifyShopifyHmac } from './verify-shopify-hmac.ts';

const sign = (body: string | Uint8Array, secret: string) => createHmac('sha256', secret).update(body).digest('base64');

describe('verifyShopifyHmac', () => {
  const body = SHOPIFY_ORDER_SAMPLE_RAW;
  const good = sign(body, 'new-secret');

  it.each([
    ['accepts the signature of the exact raw string', body, good, ['new-secret'], true],
    ['accepts the same bytes given as a Uint8Array', new TextEncoder().encode(body), good, ['new-secret'], true],
    ['accepts a signature made with the old secret during rotation', body, sign(body, 'old-secret'), ['new-secret', 'old-secret'], true],
    ['rejects a signature made with another secret', body, sign(body, 'other'), ['new-secret'], false],
    ['rejects a body re-serialised after parsing (bytes changed)', JSON.stringify(JSON.parse(body)), good, ['new-secret'], false],
    ['rejects a missing header', body, null, ['new-secret'], false],
    ['rejects an empty header', body, '', ['new-secret'], false],
    ['rejects an empty body even with its own signature', '', sign('', 'new-secret'), ['new-secret'], false],
    ['rejects a truncated signature without throwing', body, good.slice(0, 10), ['new-secret'], false],
    ['rejects when no secret is configured', body, good, [], false],
  ])('%s', (_name, raw, header, secrets, expected) => {
    expect(verifyShopifyHmac(raw, header, secrets)).toBe(expected);
  });
});

describe('shopifyWebhookHeaders', () => {
  it('reads the classic X-Shopify-* delivery headers', () => {
    const h = new Headers({
      'X-Shopify-Hmac-Sha256': 'abc=',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Shop-Domain': 'demo.myshopify.com',
      'X-Shopify-Webhook-Id': 'w-1',
      'X-Shopify-API-Version': '2025-10',
      'X-Shopify-Triggered-At': '2025-01-01T00:00:00Z',
      'X-Shopify-Event-Id': 'e-1',
    });
    expect(shopifyWebhookHeaders(h)).toEqual({
      hmac: 'abc=',
      topic: 'orders/create',
      shopDomain: 'demo.myshopify.com',
      webhookId: 'w-1',
      apiVersion: '2025-10',
      triggeredAt: '2025-01-01T00:00:00Z',
      eventId: 'e-1',
    });
  });

  it('reads the newer shopify-* headers and reports absent ones as null', () => {
    const h = new Headers({ 'shopify-hmac-sha256': 'x=', 'shopify-topic': 'orders/updated', 'shopify-webhook-id': 'w-2' });
    expect(shopifyWebhookHeaders(h)).toEqual({
      hmac: 'x=',
      topic: 'orders/updated',
      shopDomain: null,
      webhookId: 'w-2',
      apiVersion: null,
      triggeredAt: null,
      eventId: null,
    });
  });
});

describe('parseShopifyJson', () => {
  it('keeps ids beyond 2^53 exact as strings where JSON.parse rounds them', () => {
    const o = parseShopifyJson(SHOPIFY_ORDER_SAMPLE_RAW) as { id: unknown; customer: { id: unknown }; line_items: { product_id: unknown }[] };
    expect((JSON.parse(SHOPIFY_ORDER_SAMPLE_RAW) as { id: number }).id).toBe(820982911946154500);
    expect(o.id).toBe('820982911946154508');
    expect(o.customer.id).toBe('115310627314723954');
    expect(o.line_items[0]!.product_id).toBe('788032119674292922');
  });

  it('leaves safe integers, decimals and strings as JSON.parse gives them', () => {
    expect(parseShopifyJson('{"a":234,"b":1.5,"c":"9007199254740993","d":-12,"e":1e3,"f":[9007199254740993]}')).toEqual({
      a: 234,
      b: 1.5,
      c: '9007199254740993',
      d: -12,
      e: 1000,
      f: ['9007199254740993'],
    });
  });
});
