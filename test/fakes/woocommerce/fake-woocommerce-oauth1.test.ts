import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWooRequest } from '../../../core/src/channels/woocommerce/woo-oauth1.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from './fake-woocommerce.ts';
import { makeWooOrder } from './make-woo-order.ts';

// The fake as a plain-http WooCommerce store (is_ssl() false): only OAuth 1.0a authenticates.
const KEY = 'ck_plainhttp';
const SECRET = 'cs_plainhttp';
let woo: FakeWooCommerce;
let seq = 0;

beforeAll(async () => {
  woo = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, isSsl: false, orders: [makeWooOrder({ id: 31 })] });
});
afterAll(() => woo.close());

const seconds = () => Math.floor(Date.now() / 1000);
function signed(path: string, over: { secret?: string; timestamp?: number; nonce?: string; method?: string } = {}): URL {
  return signWooRequest(over.method ?? 'GET', new URL(`${woo.url}/wp-json/wc/v3/${path}`), {
    consumerKey: KEY,
    consumerSecret: over.secret ?? SECRET,
    timestamp: over.timestamp ?? seconds(),
    nonce: over.nonce ?? `nonce${++seq}${Date.now()}`,
  });
}
async function answer(res: Response) {
  return { status: res.status, body: await res.json() };
}
const refused = (message: string) => ({ status: 401, body: { code: 'woocommerce_rest_authentication_error', message, data: { status: 401 } } });

describe('fake WooCommerce over plain http (isSsl: false)', () => {
  it('ignores Basic and query-string keys: the request runs as a guest and gets woocommerce_rest_cannot_view', async () => {
    const guest = { status: 401, body: { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } } };
    const basic = await fetch(`${woo.url}/wp-json/wc/v3/orders`, { headers: { authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` } });
    expect(await answer(basic)).toEqual(guest);
    expect(await answer(await fetch(`${woo.url}/wp-json/wc/v3/orders?consumer_key=${KEY}&consumer_secret=${SECRET}`))).toEqual(guest);
    expect(woo.requests.slice(-2).map((r) => r.auth)).toEqual(['basic', 'query']);
  });

  it('accepts a correctly signed request, with query parameters, arrays and through ?rest_route=', async () => {
    const read = await fetch(signed('orders/31'));
    expect(read.status).toBe(200);
    expect(woo.requests.at(-1)!.auth).toBe('oauth1');
    const list = signed('orders');
    list.searchParams.append('status[]', 'processing');
    list.searchParams.append('status[]', 'pending');
    list.searchParams.set('modified_after', '2020-01-01T00:00:00');
    const resigned = signWooRequest('GET', list, { consumerKey: KEY, consumerSecret: SECRET, timestamp: seconds(), nonce: `list${Date.now()}` });
    const res = await fetch(resigned);
    expect(res.status).toBe(200);
    expect(res.headers.get('link') ?? '').not.toContain('oauth_');
    const fallback = signWooRequest('GET', new URL(`${woo.url}/?rest_route=/wc/v3/orders/31`), {
      consumerKey: KEY,
      consumerSecret: SECRET,
      timestamp: seconds(),
      nonce: `fallback${Date.now()}`,
    });
    expect((await fetch(fallback)).status).toBe(200);
    const put = await fetch(signed('orders/31', { method: 'PUT' }), { method: 'PUT', body: JSON.stringify({ status: 'completed' }), headers: { 'content-type': 'application/json' } });
    expect(put.status).toBe(200);
    expect(woo.orders.get(31)!.status).toBe('completed');
  });

  it('refuses a wrong secret, a signature for another method, a stale or future timestamp and a reused nonce', async () => {
    expect(await answer(await fetch(signed('orders', { secret: 'cs_wrong' })))).toEqual(refused('Invalid signature - provided signature does not match.'));
    expect(await answer(await fetch(signed('orders/31', { method: 'PUT' })))).toEqual(refused('Invalid signature - provided signature does not match.'));
    expect(await answer(await fetch(signed('orders', { timestamp: seconds() - 16 * 60 })))).toEqual(refused('Invalid timestamp.'));
    expect(await answer(await fetch(signed('orders', { timestamp: seconds() + 16 * 60 })))).toEqual(refused('Invalid timestamp.'));
    const once = signed('orders', { nonce: 'replayed-nonce' });
    expect((await fetch(once)).status).toBe(200);
    expect(await answer(await fetch(once))).toEqual(refused('Invalid nonce - nonce has already been used.'));
  });

  it('refuses an unknown key, an unsupported signature method and a request missing some oauth parameters', async () => {
    const other = signWooRequest('GET', new URL(`${woo.url}/wp-json/wc/v3/orders`), { consumerKey: 'ck_other', consumerSecret: SECRET, timestamp: seconds(), nonce: 'k1' });
    expect(await answer(await fetch(other))).toEqual(refused('Consumer key is invalid.'));
    const plaintext = signed('orders');
    plaintext.searchParams.set('oauth_signature_method', 'PLAINTEXT');
    expect(await answer(await fetch(plaintext))).toEqual(refused('Invalid signature - signature method is invalid.'));
    const partial = signed('orders');
    partial.searchParams.delete('oauth_nonce');
    partial.searchParams.delete('oauth_timestamp');
    expect(await answer(await fetch(partial))).toEqual({
      status: 401,
      body: { code: 'woocommerce_rest_authentication_missing_parameter', message: 'Missing OAuth parameters oauth_timestamp, oauth_nonce', data: { status: 401 } },
    });
  });
});

describe('fake WooCommerce as if behind TLS (default)', () => {
  it('keeps Basic and also accepts OAuth 1.0a, as WooCommerce tries it after Basic', async () => {
    const store = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, orders: [makeWooOrder({ id: 32 })] });
    try {
      const basic = await fetch(`${store.url}/wp-json/wc/v3/orders/32`, { headers: { authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` } });
      expect(basic.status).toBe(200);
      const oauth = signWooRequest('GET', new URL(`${store.url}/wp-json/wc/v3/orders/32`), { consumerKey: KEY, consumerSecret: SECRET, timestamp: seconds(), nonce: 'tls1' });
      expect((await fetch(oauth)).status).toBe(200);
    } finally {
      await store.close();
    }
  });
});
