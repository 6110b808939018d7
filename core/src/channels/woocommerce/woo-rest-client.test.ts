import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWooCommerce, startFakeWooCommerce } from '../../../../test/fakes/woocommerce/fake-woocommerce.ts';
import { makeWooOrder } from '../../../../test/fakes/woocommerce/make-woo-order.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createWooRestClient, type WooRestClientOptions } from './woo-rest-client.ts';

const KEY = 'ck_0123456789abcdef';
const SECRET = 'cs_fedcba9876543210';
let woo: FakeWooCommerce;
let stripped: FakeWooCommerce;
const slept: number[] = [];

beforeAll(async () => {
  woo = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, orders: [makeWooOrder({ id: 727 })], retryAfterSeconds: 2 });
  stripped = await startFakeWooCommerce({
    consumerKey: KEY,
    consumerSecret: SECRET,
    orders: [makeWooOrder({ id: 727 })],
    stripAuthorizationHeader: true,
  });
});
afterAll(async () => {
  await woo.close();
  await stripped.close();
});

function client(over: Partial<WooRestClientOptions> = {}) {
  return createWooRestClient({
    baseUrl: woo.url,
    consumerKey: KEY,
    consumerSecret: SECRET,
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('createWooRestClient', () => {
  it('reads an order with Basic auth and returns status, headers and body', async () => {
    const res = await client().get<{ id: number }>('orders/727');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(727);
    expect(woo.requests.at(-1)).toMatchObject({ path: '/wp-json/wc/v3/orders/727', auth: 'basic' });
  });

  it('turns a 401 into NEEDS_RECONNECT with a sentence naming the store', async () => {
    const e = await failure(client({ consumerSecret: 'cs_wrong' }).get('orders'));
    expect(e.code).toBe('NEEDS_RECONNECT');
    expect(e.message).toContain(new URL(woo.url).host);
    expect(e.message).toContain('woocommerce_rest_authentication_error');
    woo.failNext('401');
    expect((await failure(client().get('orders'))).message).toContain('woocommerce_rest_cannot_view');
  });

  it('sends the keys in the query string in query mode, for hosts that strip Authorization', async () => {
    const basic = await failure(client({ baseUrl: stripped.url }).get('orders/727'));
    expect(basic.code).toBe('NEEDS_RECONNECT');
    const res = await client({ baseUrl: stripped.url, authMode: 'query' }).get<{ id: number }>('orders/727');
    expect(res.body.id).toBe(727);
    const req = stripped.requests.at(-1)!;
    expect(req.auth).toBe('query');
    expect(req.query).toMatchObject({ consumer_key: KEY, consumer_secret: SECRET });
  });

  it('retries a 429 after the Retry-After delay and then succeeds', async () => {
    slept.length = 0;
    woo.failNext('429', 2);
    const res = await client().get<unknown[]>('orders', { per_page: 5 });
    expect(res.status).toBe(200);
    expect(slept).toEqual([2000, 2000]);
  });

  it('gives up on repeated 503s with RATE_LIMITED after maxRetries', async () => {
    slept.length = 0;
    woo.failNext('503', 4);
    const before = woo.requests.length;
    const e = await failure(client({ maxRetries: 3 }).get('orders'));
    expect(e.code).toBe('RATE_LIMITED');
    expect(woo.requests.length - before).toBe(4);
    expect(slept).toHaveLength(3);
  });

  it('does not sleep through a Retry-After longer than it may wait', async () => {
    slept.length = 0;
    woo.failNext('429');
    const e = await failure(client({ maxRetryAfterMs: 1000 }).get('orders'));
    expect(e.code).toBe('RATE_LIMITED');
    expect(slept).toEqual([]);
  });

  it('backs off on 500 for reads and reports UPSTREAM when it persists', async () => {
    woo.failNext('500');
    expect((await client().get('orders/727')).status).toBe(200);
    woo.failNext('500', 3);
    const e = await failure(client({ maxRetries: 2 }).get('orders/727'));
    expect(e.code).toBe('UPSTREAM');
    expect(e.message).toContain('internal_server_error');
  });

  it('never resends a POST after a 500, since WordPress may have done the work', async () => {
    woo.failNext('500');
    const before = woo.requests.length;
    const e = await failure(client().post('orders/727/notes', { note: 'x' }));
    expect(e.code).toBe('UPSTREAM');
    expect(woo.requests.length - before).toBe(1);
    woo.failNext('503');
    expect((await client().post('orders/727/notes', { note: 'AWB 123' })).status).toBe(201);
  });

  it('maps 404 to NOT_FOUND and 400 rest_invalid_param to VALIDATION with the parameter', async () => {
    const missing = await failure(client().get('orders/999999'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('woocommerce_rest_shop_order_invalid_id');
    expect((await failure(client().get('/wp-json/wc/v3/nothing-here'))).message).toContain('rest_no_route');
    const bad = await failure(client().get('orders', { per_page: 500 }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.details[0]).toMatchObject({ path: 'per_page' });
  });

  it('writes with PUT and the JSON body', async () => {
    const res = await client().put<{ status: string }>('orders/727', { status: 'completed' });
    expect(res.body.status).toBe('completed');
    expect(woo.orders.get(727)!.status).toBe('completed');
  });

  it('reports an unreachable store as UPSTREAM', async () => {
    const e = await failure(client({ baseUrl: 'http://127.0.0.1:9', maxRetries: 1 }).get('orders'));
    expect(e.code).toBe('UPSTREAM');
    expect(e.message).toContain('127.0.0.1:9');
  });
});

describe('createWooRestClient on a plain-http store (OAuth 1.0a)', () => {
  let plain: FakeWooCommerce;
  beforeAll(async () => {
    plain = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, orders: [makeWooOrder({ id: 727 })], isSsl: false });
  });
  afterAll(() => plain.close());
  const oauth = (over: Partial<WooRestClientOptions> = {}) => client({ baseUrl: plain.url, authMode: 'oauth1', ...over });

  it('signs reads with query parameters and arrays, and writes', async () => {
    const list = await oauth().get<unknown[]>('orders', { per_page: 5, status: ['processing', 'pending'], modified_after: '2020-01-01T00:00:00' });
    expect(list.status).toBe(200);
    const req = plain.requests.at(-1)!;
    expect(req.auth).toBe('oauth1');
    expect(req.query).toMatchObject({ oauth_consumer_key: KEY, oauth_signature_method: 'HMAC-SHA256', oauth_nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(req.query).not.toHaveProperty('consumer_secret');
    expect((await oauth().put<{ status: string }>('orders/727', { status: 'on-hold' })).body.status).toBe('on-hold');
    expect((await oauth().post('orders/727/notes', { note: 'AWB 1' })).status).toBe(201);
  });

  it('signs every retry afresh, so a resent request is not refused as a reused nonce', async () => {
    plain.failNext('503', 2);
    const before = plain.requests.length;
    expect((await oauth().get('orders/727')).status).toBe(200);
    const nonces = plain.requests.slice(before).map((r) => r.query['oauth_nonce']);
    expect(nonces).toHaveLength(3);
    expect(new Set(nonces).size).toBe(3);
  });

  it('Basic or query keys over plain http: NEEDS_RECONNECT saying http is the problem, not the keys', async () => {
    for (const authMode of ['basic', 'query'] as const) {
      const e = await failure(client({ baseUrl: plain.url, authMode }).get('orders'));
      expect(e.code).toBe('NEEDS_RECONNECT');
      expect(e.message).toContain('woocommerce_rest_cannot_view');
      expect(e.message).toContain('plain http');
      expect(e.message).not.toContain('reconnect the store to issue new keys');
    }
  });

  it('a wrong secret: NEEDS_RECONNECT naming the refused signature and the URL it covered', async () => {
    const e = await failure(oauth({ consumerSecret: 'cs_wrong' }).get('orders'));
    expect(e.code).toBe('NEEDS_RECONNECT');
    expect(e.message).toContain('Invalid signature - provided signature does not match.');
    expect(e.message).toContain(`OAuth 1.0a signature did not match`);
    expect(e.message).toContain(plain.url);
  });

  it('a clock 16 minutes off: NEEDS_RECONNECT naming the clock, since new keys would fail the same way', async () => {
    const e = await failure(oauth({ now: () => new Date(Date.now() - 16 * 60_000) }).get('orders'));
    expect(e.code).toBe('NEEDS_RECONNECT');
    expect(e.message).toContain('Invalid timestamp.');
    expect(e.message).toContain('clock');
    expect(e.message).not.toContain('reconnect the store');
  });

  it('a revoked key still says to reconnect', async () => {
    const e = await failure(oauth({ consumerKey: 'ck_revoked' }).get('orders'));
    expect(e.message).toContain('Consumer key is invalid.');
    expect(e.message).toContain('reconnect the store to issue new keys');
  });
});
