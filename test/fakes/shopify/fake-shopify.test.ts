import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapShopifyWebhookOrder } from '../../../core/src/channels/shopify/map-shopify-order.ts';
import { parseShopifyJson } from '../../../core/src/channels/shopify/parse-shopify-json.ts';
import { signShopifySessionToken } from '../../../core/src/channels/shopify/verify-session-token.ts';
import { shopifyWebhookHeaders, verifyShopifyHmac } from '../../../core/src/channels/shopify/verify-shopify-hmac.ts';
import { type FakeShopify, startFakeShopify } from './fake-shopify.ts';
import { shopifyQueryHmac } from './fake-shopify-oauth.ts';
import { sendShopifyWebhook } from './send-shopify-webhook.ts';
import { makeShopifyOrderPayload, SHOPIFY_ORDER_SAMPLE_RAW } from './shopify-order-fixtures.ts';

const shopDomain = 'fake-test.myshopify.com';
let fake: FakeShopify;

beforeAll(async () => {
  fake = await startFakeShopify({ shopDomain, accessToken: 'shpat_x', apiKey: 'key', apiSecret: 'secret' });
});
afterAll(() => fake.close());

const sessionToken = (over: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return signShopifySessionToken(
    { iss: `https://${shopDomain}/admin`, dest: `https://${shopDomain}`, aud: 'key', sub: '1', exp: now + 60, nbf: now, iat: now, jti: 'j', sid: 's', ...over },
    'secret',
  );
};

const exchange = (subject: string) =>
  fetch(`${fake.url}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_id: 'key',
      client_secret: 'secret',
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
      expiring: '1',
    }),
  });

const graphql = (token: string) =>
  fetch(`${fake.url}/admin/api/2025-10/graphql.json`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token }, body: '{"query":"{ orders(first:1){nodes{id}} }"}' });

describe('fake Shopify token exchange', () => {
  it('exchanges a valid session token for the offline access token with refresh data', async () => {
    const res = await exchange(sessionToken());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ access_token: expect.stringMatching(/^shpat_/), scope: expect.any(String), expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/), refresh_token_expires_in: 7776000 });
    // The token issued is the one the Admin API accepts now.
    expect((await graphql(body.access_token)).status).toBe(200);
  });

  it('refreshes an expired offline token once: the new one works, the old refresh token is spent', async () => {
    const first = await (await exchange(sessionToken())).json();
    fake.oauth.expireAccessTokens();
    expect((await graphql(first.access_token)).status).toBe(401);
    const refresh = () =>
      fetch(`${fake.url}/admin/oauth/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: 'key', client_secret: 'secret', grant_type: 'refresh_token', refresh_token: first.refresh_token }),
      });
    const res = await refresh();
    expect(res.status).toBe(200);
    const next = await res.json();
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect((await graphql(next.access_token)).status).toBe(200);
    expect((await refresh()).status).toBe(400);
  });

  it('runs the authorization code grant: authorize redirects back with a code and Shopify’s query HMAC, the code buys one token', async () => {
    const authorize = new URL(`${fake.url}/admin/oauth/authorize`);
    authorize.search = new URLSearchParams({ client_id: 'key', scope: 'read_orders', redirect_uri: 'https://app.example.test/auth/callback', state: 'nonce-1', 'grant_options[]': '' }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('https://app.example.test/auth/callback');
    expect(back.searchParams.get('state')).toBe('nonce-1');
    expect(back.searchParams.get('shop')).toBe(shopDomain);
    expect(back.searchParams.get('hmac')).toBe(shopifyQueryHmac(back.searchParams, 'secret'));
    const token = (code: string | null) =>
      fetch(`${fake.url}/admin/oauth/access_token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_id: 'key', client_secret: 'secret', code, expiring: '0' }) });
    const granted = await token(back.searchParams.get('code'));
    expect(granted.status).toBe(200);
    const body = await granted.json();
    expect(body).toEqual({ access_token: expect.stringMatching(/^shpat_/), scope: 'read_orders' });
    expect((await token(back.searchParams.get('code'))).status).toBe(400);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await fetch(`${fake.url}/admin/oauth/access_token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_id: 'key', client_secret: 'nope', code: 'x' }) });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
  });

  it.each([
    ['an expired session token', () => sessionToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a token for another shop', () => sessionToken({ dest: 'https://other.myshopify.com' })],
    ['garbage', () => 'not-a-jwt'],
  ])('answers 400 to %s', async (_n, token) => {
    expect((await exchange(token())).status).toBe(400);
  });

  it('answers 401 with Shopify’s body to a GraphQL call without a valid access token', async () => {
    const res = await fetch(`${fake.url}/admin/api/2025-10/graphql.json`, { method: 'POST', body: '{"query":"{ orders(first:1){nodes{id}} }"}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  });
});

describe('sendShopifyWebhook', () => {
  let received: { raw: string; headers: Headers }[] = [];
  let receiverUrl = '';
  let close: () => void = () => {};

  beforeAll(async () => {
    const app = new Hono().post('/webhooks', async (c) => {
      received.push({ raw: await c.req.text(), headers: c.req.raw.headers });
      return c.body(null, 200);
    });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
    close = () => server.close();
  });
  afterAll(() => close());

  it.each(['x-shopify', 'shopify'] as const)('signs the exact bytes it sends (%s headers), big ids intact', async (headerStyle) => {
    received = [];
    const res = await sendShopifyWebhook({
      url: receiverUrl,
      topic: 'orders/create',
      shopDomain,
      body: SHOPIFY_ORDER_SAMPLE_RAW,
      secret: 'whsec',
      webhookId: 'delivery-1',
      headerStyle,
    });
    expect(res.status).toBe(200);
    const { raw, headers } = received[0]!;
    expect(raw).toBe(SHOPIFY_ORDER_SAMPLE_RAW);
    const h = shopifyWebhookHeaders(headers);
    expect(h).toMatchObject({ topic: 'orders/create', shopDomain, webhookId: 'delivery-1', apiVersion: '2025-10' });
    expect(headers.has(headerStyle === 'x-shopify' ? 'x-shopify-topic' : 'shopify-topic')).toBe(true);
    expect(verifyShopifyHmac(raw, h.hmac, ['whsec'])).toBe(true);
  });

  it('serialises an object body with REST ids as bare JSON numbers', async () => {
    received = [];
    const body = parseShopifyJson(makeShopifyOrderPayload({ financial_status: 'paid' })) as Record<string, unknown>;
    await sendShopifyWebhook({ url: receiverUrl, topic: 'orders/paid', shopDomain, body, secret: 'whsec' });
    const { raw, headers } = received[0]!;
    expect(raw).toContain('"id":820982911946154508');
    expect(raw).toContain('"product_id":788032119674292922');
    expect(verifyShopifyHmac(raw, shopifyWebhookHeaders(headers).hmac, ['whsec'])).toBe(true);
    expect(mapShopifyWebhookOrder(parseShopifyJson(raw))).toMatchObject({ externalOrderId: '820982911946154508', platformStatus: 'cancelled', paymentStatus: 'paid' });
  });
});
