import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { phpJsonEncode, wooSignature } from '../../../../test/fakes/woocommerce/send-woo-webhook.ts';
import { parseWooPing, verifyWooSignature, wooWebhookHeaders, wpSpecialcharsDecode } from './verify-woo-signature.ts';

const body = phpJsonEncode({ id: 727, status: 'processing', note: 'Ștefan / Cluj' });

describe('verifyWooSignature', () => {
  it('accepts base64 HMAC-SHA256 of the raw body with the secret', () => {
    const sig = wooSignature(body, 's3cret');
    expect(verifyWooSignature(body, sig, 's3cret')).toBe(true);
    expect(verifyWooSignature(new TextEncoder().encode(body), sig, 's3cret')).toBe(true);
  });

  it('uses the HTML-entity-decoded secret, as wp_specialchars_decode(ENT_QUOTES) does', () => {
    const raw = `a&b<c>"d'e`;
    // WooCommerce signs with the decoded secret whether WordPress stored it escaped or not.
    const sigFromStore = createHmac('sha256', raw).update(body).digest('base64');
    expect(verifyWooSignature(body, sigFromStore, raw)).toBe(true);
    expect(verifyWooSignature(body, sigFromStore, 'a&amp;b&lt;c&gt;&quot;d&#039;e')).toBe(true);
    expect(wpSpecialcharsDecode('a&amp;b&#038;c&#x27;d&amp;lt;')).toBe("a&b&c'd&lt;");
  });

  it('rejects a forged, truncated, missing or re-serialised signature', () => {
    const sig = wooSignature(body, 's3cret');
    expect(verifyWooSignature(body, wooSignature(body, 'other'), 's3cret')).toBe(false);
    expect(verifyWooSignature(body, sig.slice(0, 20), 's3cret')).toBe(false);
    expect(verifyWooSignature(body, null, 's3cret')).toBe(false);
    expect(verifyWooSignature(body, '', 's3cret')).toBe(false);
    expect(verifyWooSignature(body, sig, '')).toBe(false);
    // JSON.stringify(JSON.parse(body)) drops PHP's \/ and \u escapes: the signature no longer matches.
    expect(verifyWooSignature(JSON.stringify(JSON.parse(body)), sig, 's3cret')).toBe(false);
  });
});

describe('wooWebhookHeaders', () => {
  it('reads the X-WC-Webhook-* set case-insensitively', () => {
    const h = new Headers({
      'X-WC-Webhook-Signature': 'c2ln',
      'X-WC-Webhook-Topic': 'order.updated',
      'X-WC-Webhook-Resource': 'order',
      'X-WC-Webhook-Event': 'updated',
      'X-WC-Webhook-ID': '42',
      'X-WC-Webhook-Delivery-ID': 'abc',
      'X-WC-Webhook-Source': 'https://shop.example/',
    });
    expect(wooWebhookHeaders(h)).toEqual({
      signature: 'c2ln',
      topic: 'order.updated',
      resource: 'order',
      event: 'updated',
      webhookId: '42',
      deliveryId: 'abc',
      source: 'https://shop.example/',
    });
    expect(wooWebhookHeaders(new Headers()).topic).toBeNull();
  });
});

describe('parseWooPing', () => {
  it('recognises the unsigned form-encoded webhook_id ping', () => {
    expect(parseWooPing('application/x-www-form-urlencoded', 'webhook_id=17')).toEqual({ webhookId: '17' });
    expect(parseWooPing('application/x-www-form-urlencoded; charset=UTF-8', 'webhook_id=17\n')).toEqual({ webhookId: '17' });
    expect(parseWooPing(null, 'webhook_id=3')).toEqual({ webhookId: '3' });
  });

  it('does not take JSON, extra fields or non-numeric ids for a ping', () => {
    expect(parseWooPing('application/json', 'webhook_id=17')).toBeNull();
    expect(parseWooPing('application/x-www-form-urlencoded', 'webhook_id=17&x=1')).toBeNull();
    expect(parseWooPing('application/x-www-form-urlencoded', 'webhook_id=abc')).toBeNull();
    expect(parseWooPing('application/json', '{"webhook_id":17}')).toBeNull();
    expect(parseWooPing(null, '')).toBeNull();
  });
});
