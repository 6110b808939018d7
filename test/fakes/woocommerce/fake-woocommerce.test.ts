import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWooPing, verifyWooSignature, wooWebhookHeaders } from '../../../core/src/channels/woocommerce/verify-woo-signature.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from './fake-woocommerce.ts';
import { makeWooOrder, readWooFixture } from './make-woo-order.ts';
import { sendWooPing, sendWooWebhook } from './send-woo-webhook.ts';

const KEY = 'ck_fake';
const SECRET = 'cs_fake';
const HOOK_SECRET = `s&cr<t"x`;
const auth = { authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` };

/** A receiver that behaves like the core's webhook endpoint: ping → 200, else verify the signature. */
interface Received {
  headers: Headers;
  body: string;
  verdict: 'ping' | 'valid' | 'forged';
}
const received: Received[] = [];
let answer = 200;
let receiverUrl = '';
let close: () => void;
let woo: FakeWooCommerce;

beforeAll(async () => {
  const app = new Hono();
  app.post('/hooks/woo', async (c) => {
    const body = await c.req.text();
    if (parseWooPing(c.req.header('content-type') ?? null, body)) {
      received.push({ headers: c.req.raw.headers, body, verdict: 'ping' });
      return c.text('ok');
    }
    const h = wooWebhookHeaders(c.req.raw.headers);
    const ok = verifyWooSignature(body, h.signature, HOOK_SECRET);
    received.push({ headers: c.req.raw.headers, body, verdict: ok ? 'valid' : 'forged' });
    return ok ? c.text('ok', answer as 200) : c.text('bad signature', 401);
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/woo`;
  close = () => server.close();
  woo = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET });
});
afterAll(async () => {
  close();
  await woo.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${woo.url}/wp-json/wc/v3${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...init.headers } });

describe('fake WooCommerce REST', () => {
  it('answers 401 woocommerce_rest_cannot_view without credentials and accepts query-string keys', async () => {
    const anon = await fetch(`${woo.url}/wp-json/wc/v3/orders`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    const q = await fetch(`${woo.url}/wp-json/wc/v3/orders?consumer_key=${KEY}&consumer_secret=${SECRET}`);
    expect(q.status).toBe(200);
  });

  it('answers unknown routes with the rest_no_route fixture body', async () => {
    const res = await api('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(readWooFixture('woocommerce-error-rest-no-route.json'));
  });

  it('pages with X-WP-Total, X-WP-TotalPages and Link, also through ?rest_route=', async () => {
    woo.orders.clear();
    for (let i = 1; i <= 5; i++) woo.upsertOrder(makeWooOrder({ id: i }));
    const res = await api('/orders?per_page=2&page=2&orderby=id&order=asc');
    expect(res.headers.get('x-wp-total')).toBe('5');
    expect(res.headers.get('x-wp-totalpages')).toBe('3');
    const link = res.headers.get('link')!;
    expect(link).toMatch(/page=1[^>]*>; rel="prev"/);
    expect(link).toMatch(/page=3[^>]*>; rel="next"/);
    expect(link).toMatch(/rel="last"/);
    expect(((await res.json()) as { id: number }[]).map((o) => o.id)).toEqual([3, 4]);
    const fallback = await fetch(`${woo.url}/?rest_route=/wc/v3/orders/4`, { headers: auth });
    expect(((await fallback.json()) as { id: number }).id).toBe(4);
  });

  it('updates an order status with PUT, adding the status-change note and a new date_modified_gmt', async () => {
    woo.upsertOrder(makeWooOrder({ id: 9 }));
    const res = await api('/orders/9', { method: 'PUT', body: JSON.stringify({ status: 'completed' }) });
    const body = (await res.json()) as { status: string; date_modified_gmt: string };
    expect(body.status).toBe('completed');
    expect(body.date_modified_gmt > '2017-03-22T19:28:08').toBe(true);
    expect(woo.notes.get(9)!.at(-1)!.note).toBe('Order status changed from Processing to Completed.');
    const bad = await api('/orders/9', { method: 'PUT', body: JSON.stringify({ status: 'teleported' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('rest_invalid_param');
  });

  it('creates and lists order notes in the fixture shape', async () => {
    woo.upsertOrder(makeWooOrder({ id: 10 }));
    const res = await api('/orders/10/notes', { method: 'POST', body: JSON.stringify({ note: 'AWB 123 (Fan Courier)', customer_note: true }) });
    expect(res.status).toBe(201);
    const note = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(note).sort()).toEqual(Object.keys(readWooFixture<object>('woocommerce-order-note.json')).sort());
    expect(note).toMatchObject({ note: 'AWB 123 (Fan Courier)', customer_note: true });
    const list = (await (await api('/orders/10/notes?type=customer')).json()) as unknown[];
    expect(list).toHaveLength(1);
    expect((await api('/orders/10/notes', { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('answers an injected 429 with Retry-After, once', async () => {
    woo.failNext('429');
    const res = await api('/orders');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await api('/orders')).status).toBe(200);
  });
});

describe('fake WooCommerce webhooks', () => {
  it('refuses an invalid topic with woocommerce_rest_webhook_invalid_topic', async () => {
    const res = await api('/webhooks', { method: 'POST', body: JSON.stringify({ topic: 'order.shipped', delivery_url: receiverUrl }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('woocommerce_rest_webhook_invalid_topic');
  });

  it('creates a webhook (201 + Location), pings it unsigned, then delivers signed order.updated bodies', async () => {
    received.length = 0;
    const res = await api('/webhooks', {
      method: 'POST',
      body: JSON.stringify({ name: 'Expedio', topic: 'order.updated', delivery_url: receiverUrl, secret: HOOK_SECRET }),
    });
    expect(res.status).toBe(201);
    const hook = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(`${woo.url}/wp-json/wc/v3/webhooks/${hook['id']}`);
    expect(hook).not.toHaveProperty('secret');
    expect(Object.keys(readWooFixture<object>('woocommerce-webhook.json')).every((k) => k in hook)).toBe(true);
    expect(received.map((r) => [r.verdict, r.body])).toEqual([['ping', `webhook_id=${hook['id']}`]]);
    expect(received[0]!.headers.get('x-wc-webhook-signature')).toBeNull();

    woo.upsertOrder(makeWooOrder({ id: 77, billing: { first_name: 'Ștefan', last_name: 'Pop', email: 'a/b@example.ro' } }));
    const [d] = await woo.deliver('order.updated', 77);
    expect(d!.status).toBe(200);
    const got = received.at(-1)!;
    expect(got.verdict).toBe('valid');
    // PHP's json_encode escapes: the receiver had to verify the raw bytes.
    expect(got.body).toContain('\\u0218tefan');
    expect(got.body).toContain('a\\/b@example.ro');
    expect(wooWebhookHeaders(got.headers)).toMatchObject({ topic: 'order.updated', resource: 'order', event: 'updated', webhookId: String(hook['id']) });
  });

  it('counts failed deliveries, never retries, and disables the webhook on the 7th consecutive failure', async () => {
    const hook = woo.webhooks.find((w) => w.topic === 'order.updated')!;
    answer = 500;
    try {
      for (let i = 1; i <= 7; i++) {
        const [d] = await woo.deliver('order.updated', 77);
        expect(d!.status).toBe(500);
        expect(hook.status).toBe(i < 7 ? 'active' : 'disabled');
      }
      expect(await woo.deliver('order.updated', 77)).toEqual([]);
    } finally {
      answer = 200;
    }
    await api(`/webhooks/${hook.id}`, { method: 'PUT', body: JSON.stringify({ status: 'active' }) });
    expect(hook).toMatchObject({ status: 'active', failure_count: 0 });
  });

  it('with deliverOnChange, an API status change is delivered as order.updated carrying the new state', async () => {
    const store = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, deliverOnChange: true, orders: [makeWooOrder({ id: 88 })] });
    try {
      const call = (path: string, init: RequestInit) =>
        fetch(`${store.url}/wp-json/wc/v3${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json' } });
      await call('/webhooks', { method: 'POST', body: JSON.stringify({ topic: 'order.updated', delivery_url: receiverUrl, secret: HOOK_SECRET }) });
      received.length = 0;
      await call('/orders/88', { method: 'PUT', body: JSON.stringify({ status: 'completed' }) });
      await store.settled();
      expect(received.map((r) => r.verdict)).toEqual(['valid']);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ id: 88, status: 'completed' });
    } finally {
      await store.close();
    }
  });

  it('requires force=true to delete a webhook', async () => {
    const hook = woo.webhooks[0]!;
    expect((await api(`/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(501);
    expect((await api(`/webhooks/${hook.id}?force=true`, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('sendWooWebhook / sendWooPing', () => {
  it('sends the contract header set and a signature the core verifies, even for a secret with & < "', async () => {
    received.length = 0;
    const res = await sendWooWebhook({ url: receiverUrl, topic: 'order.created', body: makeWooOrder({ id: 5 }), secret: HOOK_SECRET, webhookId: 42, deliveryId: 'd-1' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.requestHeaders).sort()).toEqual(
      ['content-type', 'user-agent', 'x-wc-webhook-delivery-id', 'x-wc-webhook-event', 'x-wc-webhook-id', 'x-wc-webhook-resource', 'x-wc-webhook-signature', 'x-wc-webhook-source', 'x-wc-webhook-topic'].sort(),
    );
    expect(received.at(-1)!.verdict).toBe('valid');
    const forged = await sendWooWebhook({ url: receiverUrl, topic: 'order.deleted', body: '{"id":5}', secret: 'wrong', webhookId: 42 });
    expect(forged.status).toBe(401);
    expect((await sendWooPing({ url: receiverUrl, webhookId: 42 })).status).toBe(200);
  });
});
