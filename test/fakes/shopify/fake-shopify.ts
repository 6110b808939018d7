import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createFulfillmentStore, type FakeFulfillment, type FakeFulfillmentOrder, type FulfillmentOrderSpec } from './fake-shopify-fulfillments.ts';
import { type FakeShopifyOAuth, installOAuthRoutes } from './fake-shopify-oauth.ts';
import { createWebhookStore, type FakeWebhookDelivery, type FakeWebhookStore } from './fake-shopify-webhooks.ts';
import { type CatalogStore, createCatalogStore } from './fake-shopify-catalog.ts';
import { createOrderCancelStore, type OrderCancelStore } from './fake-shopify-order-cancel.ts';
import { createMoneyStore, type MoneyStore } from './fake-shopify-money.ts';
import { createOrderNoteStore, type OrderNoteStore } from './fake-shopify-order-note.ts';

/**
 * A fake Shopify speaking the contract in ../shared/contracts/shopify-woocommerce.md §1–4: the
 * Admin GraphQL endpoint (access-token auth, cost-based leaky bucket, THROTTLED bodies, 429/503
 * with Retry-After) answering the order queries our connector sends, the app's install, OAuth,
 * token exchange and refresh (fake-shopify-oauth.ts), and webhook subscriptions with delivery
 * (fake-shopify-webhooks.ts). It is a wire-level double, not a GraphQL engine: it recognises the documents by
 * their root field and returns the stored nodes as they are. Fulfillment orders, fulfillmentCreate,
 * fulfillmentEventCreate and an order's fulfillments live in fake-shopify-fulfillments.ts.
 */
export type FailureKind = 'throttle' | '429' | '503' | '500' | '401';

export interface FakeShopifyOptions {
  shopDomain: string;
  accessToken: string;
  apiKey?: string;
  apiSecret?: string;
  /** Leaky bucket size (Shopify: 1000 on Standard). */
  bucketSize?: number;
  /** Points restored per second (Shopify Standard: 100). */
  restoreRate?: number;
  /** Largest requested cost accepted for one query (Shopify: 1000). */
  maxQueryCost?: number;
  /** Seconds announced in Retry-After for forced 429/503. */
  retryAfterSeconds?: string;
  now?: () => number;
  /** False: the app is not installed yet; it gets installed through OAuth or the managed install (fake-shopify-oauth.ts). Default true, with `accessToken` live. */
  installed?: boolean;
  /** The scopes a managed install grants (shopify.app.toml's [access_scopes]). */
  scopes?: string;
  /** The app's application_url: where the admin opens the app after an install. */
  appUrl?: string;
}

export interface FakeShopifyRequest {
  query: string;
  variables: Record<string, unknown>;
  accessToken: string | null;
  apiVersion: string;
}

export interface FakeShopify {
  url: string;
  shopDomain: string;
  accessToken: string;
  apiKey: string;
  apiSecret: string;
  /** Order nodes by GID, in the GraphQL shape (see makeShopifyGraphqlOrderNode). */
  orders: Map<string, Record<string, unknown>>;
  upsertOrder(node: Record<string, unknown>): void;
  /** The next `count` GraphQL calls fail this way, before any other check. */
  failNext(kind: FailureKind, count?: number): void;
  /** GraphQL calls received, failed ones included. */
  readonly calls: number;
  requests: FakeShopifyRequest[];
  /** Drains or refills the bucket, e.g. to force a THROTTLED answer. */
  setAvailable(points: number): void;
  readonly available: number;
  /** Fulfillment orders by order GID (contract §3.2). */
  fulfillmentOrders: Map<string, FakeFulfillmentOrder[]>;
  /** Fulfillments created through fulfillmentCreate, by order GID. */
  fulfillments: Map<string, FakeFulfillment[]>;
  /** Gives an order its fulfillment orders, one per spec (location). */
  setFulfillmentOrders(orderGid: string, specs: FulfillmentOrderSpec[]): FakeFulfillmentOrder[];
  /** Install, OAuth and token exchange: the tokens issued, the install state, session tokens of the shop. */
  oauth: FakeShopifyOAuth;
  /** Webhook subscriptions (the app's declared ones and those made through the Admin API) and what was delivered. */
  webhooks: FakeWebhookStore;
  /**
   * An order placed in the shop: its GraphQL node stored (what the sync and write-backs read) and
   * its REST payload delivered as orders/create to every subscription.
   */
  placeOrder(o: { node: Record<string, unknown>; payload: string }): Promise<FakeWebhookDelivery[]>;
  /** The merchant uninstalls the app: app/uninstalled delivered, every token revoked, the shop's subscriptions removed. */
  uninstall(): Promise<FakeWebhookDelivery[]>;
  /** The merchant changes the app's granted scopes: app/scopes_update delivered. */
  updateScopes(current: string[]): Promise<FakeWebhookDelivery[]>;
  /** Products, variants, locations and inventory levels (fake-shopify-catalog.ts). */
  catalog: CatalogStore;
  /** orderCancel calls that cancelled an order (fake-shopify-order-cancel.ts); the order's cancelledAt is in `fulfillmentCancelledAt`. */
  orderCancels: OrderCancelStore;
  /** When each order was cancelled through orderCancel, by order GID. */
  fulfillmentCancelledAt: Map<string, string>;
  /** Order transactions, refunds and gift cards (fake-shopify-money.ts). */
  money: MoneyStore;
  close(): Promise<void>;
  /** Order notes written by orderUpdate (fake-shopify-order-note.ts). */
  orderNotes: OrderNoteStore;
}

type Node = Record<string, unknown>;

const INVALID_TOKEN_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

// Rough per-object weights of the connector's selection, after Shopify's rule (object 1, scalar 0,
// connection = 2 + first × node cost); exact figures are Shopify's secret, the order of magnitude is what matters.
const ORDER_OBJECT_COST = 25;
const LINE_ITEM_COST = 11;

const encodeCursor = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const decodeCursor = (s: string): unknown => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

function numericId(gid: string): bigint {
  const m = /(\d+)$/.exec(gid);
  return m ? BigInt(m[1]!) : 0n;
}

function compareOrders(a: Node, b: Node): number {
  const t = Date.parse(String(a['updatedAt'])) - Date.parse(String(b['updatedAt']));
  if (t !== 0) return t;
  const ia = numericId(String(a['id']));
  const ib = numericId(String(b['id']));
  return ia === ib ? 0 : ia < ib ? -1 : 1;
}

/** `updated_at:>='2024-01-01T00:00:00Z'` (quotes optional; `>` and `>=`). */
function parseUpdatedAtFilter(query: string | undefined): { op: '>' | '>='; at: number } | null {
  if (!query) return null;
  const m = /updated_at:\s*(>=|>)\s*'?"?([^'"\s]+)'?"?/.exec(query);
  if (!m) return null;
  const at = Date.parse(m[2]!);
  return Number.isNaN(at) ? null : { op: m[1] as '>' | '>=', at };
}

function sliceLineItems(node: Node, first: number, after: string | null): Node {
  const all = ((node['lineItems'] as { nodes?: Node[] } | undefined)?.nodes ?? []) as Node[];
  let start = 0;
  if (after) {
    const afterId = decodeCursor(after);
    start = all.findIndex((l) => l['id'] === afterId) + 1;
  }
  const page = all.slice(start, start + first);
  const last = page.at(-1);
  return {
    pageInfo: { hasNextPage: start + first < all.length, endCursor: last ? encodeCursor(last['id']) : null },
    nodes: structuredClone(page),
  };
}

export async function startFakeShopify(options: FakeShopifyOptions): Promise<FakeShopify> {
  const apiKey = options.apiKey ?? 'test-api-key';
  const apiSecret = options.apiSecret ?? 'test-api-secret';
  const bucketSize = options.bucketSize ?? 1000;
  const restoreRate = options.restoreRate ?? 100;
  const maxQueryCost = options.maxQueryCost ?? 1000;
  const retryAfter = options.retryAfterSeconds ?? '1';
  const now = options.now ?? Date.now;

  const orders = new Map<string, Node>();
  const fulfillmentStore = createFulfillmentStore(now);
  const catalogStore = createCatalogStore();
  const orderCancelStore = createOrderCancelStore(fulfillmentStore, orders, now);
  const moneyStore = createMoneyStore(orders);
  const orderNoteStore = createOrderNoteStore((gid) => orders.has(gid) || fulfillmentStore.fulfillmentOrders.has(gid));
  const failures: FailureKind[] = [];
  const requests: FakeShopifyRequest[] = [];
  let calls = 0;
  let available = bucketSize;
  let lastRefill = now();

  const refill = () => {
    const t = now();
    available = Math.min(bucketSize, available + ((t - lastRefill) / 1000) * restoreRate);
    lastRefill = t;
  };
  const throttleStatus = () => ({ maximumAvailable: bucketSize, currentlyAvailable: Math.floor(available), restoreRate });

  const app = new Hono();
  const oauth = installOAuthRoutes(app, {
    shopDomain: options.shopDomain,
    apiKey,
    apiSecret,
    scopes: options.scopes ?? 'read_orders,write_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders',
    appUrl: options.appUrl ?? null,
    now,
    preinstalled: options.installed ?? true,
    fixedAccessToken: options.accessToken,
  });
  const webhooks = createWebhookStore({ shopDomain: options.shopDomain, apiSecret });

  app.post('/admin/api/:version/graphql.json', async (c) => {
    calls++;
    const token = c.req.header('X-Shopify-Access-Token') ?? null;
    let body: { query?: unknown; variables?: unknown };
    try {
      body = await c.req.json();
    } catch {
      body = {};
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    requests.push({ query, variables, accessToken: token, apiVersion: c.req.param('version') });

    const forced = failures.shift();
    if (forced === '401') return c.json(INVALID_TOKEN_BODY, 401);
    if (forced === '429') return c.json({ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, 429, { 'Retry-After': retryAfter });
    if (forced === '503') return c.text('Service Unavailable', 503, { 'Retry-After': retryAfter });
    if (forced === '500') return c.json({ errors: 'Internal Server Error' }, 500);

    if (!oauth.isLiveToken(token)) return c.json(INVALID_TOKEN_BODY, 401);
    if (!query) return c.json({ errors: [{ message: 'No query string was present' }] }, 400);

    const fulfillmentRoute = moneyStore.route(query, variables, c.req.param('version')) ?? catalogStore.route(query, variables, c.req.param('version')) ?? fulfillmentStore.route(query, variables) ?? webhooks.route(query, variables) ?? orderCancelStore.route(query, variables) ?? orderNoteStore.route(query, variables);
    if (fulfillmentRoute && 'errors' in fulfillmentRoute && fulfillmentRoute.errors) return c.json({ errors: fulfillmentRoute.errors });
    if (fulfillmentRoute) {
      refill();
      if (forced === 'throttle' || fulfillmentRoute.cost > available) {
        return c.json({
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
          extensions: { cost: { requestedQueryCost: fulfillmentRoute.cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
        });
      }
      available -= fulfillmentRoute.cost;
      return c.json({
        data: fulfillmentRoute.run(),
        extensions: { cost: { requestedQueryCost: fulfillmentRoute.cost, actualQueryCost: fulfillmentRoute.cost, throttleStatus: throttleStatus() } },
      });
    }

    const isOrders = /\borders\s*\(/.test(query);
    const isOrder = !isOrders && /\border\s*\(/.test(query);
    if (!isOrders && !isOrder) {
      return c.json({ errors: [{ message: 'The fake Shopify answers only the orders/order queries', extensions: { code: 'FAKE_UNSUPPORTED' } }] });
    }

    const linesFirst = Number(variables['lineItems'] ?? variables['first'] ?? 50);
    const ordersFirst = Number(variables['first'] ?? 50);
    const perOrder = ORDER_OBJECT_COST + 2 + linesFirst * LINE_ITEM_COST;
    const requested = isOrders ? 2 + ordersFirst * perOrder : 1 + 2 + linesFirst * LINE_ITEM_COST;

    refill();
    if (requested > maxQueryCost) {
      return c.json({
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxQueryCost}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: maxQueryCost },
          },
        ],
      });
    }
    if (forced === 'throttle' || requested > available) {
      return c.json({
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }
    available -= requested;

    let data: unknown;
    let actual: number;
    if (isOrders) {
      const filter = parseUpdatedAtFilter(variables['query'] as string | undefined);
      const after = typeof variables['after'] === 'string' ? (decodeCursor(variables['after']) as { updatedAt: string; id: string }) : null;
      const sorted = [...orders.values()]
        .filter((o) => {
          if (!filter) return true;
          const t = Date.parse(String(o['updatedAt']));
          return filter.op === '>=' ? t >= filter.at : t > filter.at;
        })
        .sort(compareOrders);
      // The cursor is the sort key of the last node, not an offset, so an order updated while a
      // client pages moves behind the cursor and is met again later, as on Shopify.
      const rest = after ? sorted.filter((o) => compareOrders(o, after as unknown as Node) > 0) : sorted;
      const page = rest.slice(0, ordersFirst);
      const last = page.at(-1);
      const nodes = page.map((o) => ({ ...structuredClone(o), lineItems: sliceLineItems(o, linesFirst, null) }));
      data = {
        orders: {
          pageInfo: {
            hasNextPage: rest.length > page.length,
            endCursor: last ? encodeCursor({ updatedAt: last['updatedAt'], id: last['id'] }) : null,
          },
          nodes,
        },
      };
      actual = 2 + nodes.reduce((sum, n) => sum + ORDER_OBJECT_COST + 2 + (n.lineItems.nodes as Node[]).length * LINE_ITEM_COST, 0);
    } else {
      const o = orders.get(String(variables['id']));
      const lineItems = o ? sliceLineItems(o, linesFirst, (variables['after'] as string | null) ?? null) : null;
      data = { order: o ? { lineItems } : null };
      actual = 3 + (lineItems ? (lineItems.nodes as Node[]).length * LINE_ITEM_COST : 0);
    }
    // Shopify charges the requested cost up front and refunds the difference once it knows the actual one.
    available = Math.min(bucketSize, available + (requested - actual));
    return c.json({ data, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() } } });
  });

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once('listening', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    shopDomain: options.shopDomain,
    accessToken: options.accessToken,
    apiKey,
    apiSecret,
    orders,
    upsertOrder(node) {
      orders.set(String(node['id']), structuredClone(node));
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    get calls() {
      return calls;
    },
    requests,
    fulfillmentOrders: fulfillmentStore.fulfillmentOrders,
    fulfillments: fulfillmentStore.fulfillments,
    setFulfillmentOrders: (orderGid, specs) => fulfillmentStore.setFulfillmentOrders(orderGid, specs),
    oauth,
    webhooks,
    async placeOrder({ node, payload }) {
      orders.set(String(node['id']), structuredClone(node));
      return await webhooks.deliver('orders/create', payload);
    },
    async uninstall() {
      oauth.installed = false;
      const sent = await webhooks.deliver('app/uninstalled', { id: 548380009, name: options.shopDomain.replace(/\.myshopify\.com$/, ''), domain: options.shopDomain, myshopify_domain: options.shopDomain });
      oauth.revokeAll();
      webhooks.dropShopSubscriptions();
      return sent;
    },
    async updateScopes(current) {
      const previous = oauth.grantedScopes.split(',').filter(Boolean);
      oauth.grantedScopes = current.join(',');
      return await webhooks.deliver('app/scopes_update', { id: 548380009, previous, current, updated_at: new Date(now()).toISOString() });
    },
    catalog: catalogStore,
    orderCancels: orderCancelStore,
    fulfillmentCancelledAt: fulfillmentStore.cancelledAt,
    money: moneyStore,
    orderNotes: orderNoteStore,
    setAvailable(points) {
      refill();
      available = Math.max(0, Math.min(bucketSize, points));
    },
    get available() {
      refill();
      return available;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
