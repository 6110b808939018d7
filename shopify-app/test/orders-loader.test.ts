import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCore, SAMPLE_ORDERS, startFakeCore } from './support/fake-core';
import { installedShopSession, signSessionToken } from './support/session-token';

const SHOP = 'expedio-test.myshopify.com';
const API_KEY = 'test-api-key';
const API_SECRET = 'test-api-secret';

// shopify.server reads its configuration at import time, so the modules are imported after
// the environment is set. No DATABASE_URL: sessions are in memory for this file.
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET;
process.env.SHOPIFY_APP_URL = 'https://shopify-app.expedio.test';
delete process.env.DATABASE_URL;

type IndexRoute = typeof import('../app/routes/app._index');
type Shopify = typeof import('../app/shopify.server');
type LoaderArgs = Parameters<IndexRoute['loader']>[0];

let core: FakeCore;
let route: IndexRoute;
let shopify: Shopify;

function callLoader(request: Request) {
  return route.loader({ request, params: {}, context: {} } as unknown as LoaderArgs);
}

function fetchRequest(token: string, search = '') {
  return new Request(`https://shopify-app.expedio.test/app${search}`, { headers: { Authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  core = await startFakeCore();
  process.env.EXPEDIO_CORE_URL = core.url;
  shopify = await import('../app/shopify.server');
  route = await import('../app/routes/app._index');
  // An installed shop: with its offline session stored, authenticate.admin needs no token
  // exchange (which would go to Shopify over the network).
  await shopify.sessionStorage.storeSession(
    await installedShopSession(SHOP, shopify.SCOPES, { refreshToken: 'shprt_test', refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) }),
  );
});

afterAll(async () => {
  await core?.close();
});

beforeEach(() => {
  core.requests.length = 0;
  core.answer = undefined;
});

describe('Orders page loader', () => {
  it('lists the orders from the core, forwarding the session token of the request', async () => {
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
    const data = await callLoader(fetchRequest(token));

    expect(data.error).toBeNull();
    expect(data.orders.map((o) => o.externalNumber)).toEqual(['#9999', '#10000', '#10001']);
    expect(data.orders[0]).toEqual(SAMPLE_ORDERS[0]);
    expect(data.orders[1]?.awbs).toEqual(SAMPLE_ORDERS[1]!.awbs);
    expect(data.nextCursor).toBe('page-2');
    // The page reads the orders and the stalls (for the stall column), each with the merchant's token.
    const orderCalls = core.requests.filter((r) => r.path === '/api/v1/orders');
    expect(orderCalls).toHaveLength(1);
    expect(orderCalls[0]?.query.get('limit')).toBe('50');
    expect(orderCalls[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(core.requests.find((r) => r.path === '/api/v1/stalls')?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('passes the cursor on for the next page', async () => {
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
    const data = await callLoader(fetchRequest(token, '?cursor=page-2'));

    expect(core.requests.find((r) => r.path === '/api/v1/orders')?.query.get('cursor')).toBe('page-2');
    expect(data.cursor).toBe('page-2');
    expect(data.orders.map((o) => o.externalNumber)).toEqual(['#10002']);
    expect(data.nextCursor).toBeNull();
  });

  it('forwards the id_token of a document load when there is no Authorization header', async () => {
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
    const host = Buffer.from(`admin.shopify.com/store/expedio-test`).toString('base64url');
    const request = new Request(`https://shopify-app.expedio.test/app?embedded=1&shop=${SHOP}&host=${host}&id_token=${token}`);
    const data = await callLoader(request);

    expect(data.orders).toHaveLength(3);
    expect(core.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('throws a 401 Response for a token signed with another secret, without calling the core', async () => {
    const forged = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: 'not-the-app-secret' });
    const thrown = await callLoader(fetchRequest(forged)).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
    expect((thrown as Response).headers.get('X-Shopify-Retry-Invalid-Session-Request')).toBe('1');
    expect(core.requests).toHaveLength(0);
  });

  it.each([
    [401, 'UNAUTHENTICATED', 'The session token is not valid for any connected store.'],
    [500, 'INTERNAL', 'Order listing failed; the database is not reachable.'],
  ])('returns the core’s %i error for the banner instead of failing the page', async (status, code, message) => {
    core.answer = () => ({ status, body: { error: { code, message, details: [] } } });
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
    const data = await callLoader(fetchRequest(token));

    expect(data.orders).toEqual([]);
    expect(data.nextCursor).toBeNull();
    expect(data.error).toEqual({ status, code, message });
  });

  it('names the bad field when the core breaks the response contract', async () => {
    core.answer = () => ({ status: 200, body: { orders: [{ ...SAMPLE_ORDERS[0], total: 199 }], nextCursor: null } });
    const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
    const data = await callLoader(fetchRequest(token));

    expect(data.error?.code).toBe('INVALID_RESPONSE');
    expect(data.error?.message).toBe('The Expedio core sent an unexpected orders list: orders[0].total should be a string.');
  });

  it('reports an unreachable core in the banner', async () => {
    const saved = process.env.EXPEDIO_CORE_URL;
    // A port nobody listens on: the closed fake core's.
    const closed = await startFakeCore();
    await closed.close();
    process.env.EXPEDIO_CORE_URL = closed.url;
    try {
      const token = signSessionToken({ shop: SHOP, apiKey: API_KEY, secret: API_SECRET });
      const data = await callLoader(fetchRequest(token));
      expect(data.error?.code).toBe('UNREACHABLE');
      expect(data.error?.message).toContain(`The Expedio core at ${closed.url} could not be reached`);
    } finally {
      process.env.EXPEDIO_CORE_URL = saved;
    }
  });
});

describe('app/uninstalled webhook', () => {
  it('deletes the shop’s sessions when Shopify’s HMAC is valid', async () => {
    const webhookRoute = await import('../app/routes/webhooks.app.uninstalled');
    const body = JSON.stringify({ id: 1, domain: SHOP });
    const hmac = createHmac('sha256', API_SECRET).update(body).digest('base64');
    const request = new Request('https://shopify-app.expedio.test/webhooks/app/uninstalled', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Hmac-Sha256': hmac,
        'X-Shopify-Topic': 'app/uninstalled',
        'X-Shopify-Shop-Domain': SHOP,
        'X-Shopify-API-Version': '2025-10',
        'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      },
    });
    type ActionArgs = Parameters<typeof webhookRoute.action>[0];
    const response = await webhookRoute.action({ request, params: {}, context: {} } as unknown as ActionArgs);

    expect(response.status).toBe(200);
    expect(await shopify.sessionStorage.findSessionsByShop(SHOP)).toEqual([]);
  });
});
