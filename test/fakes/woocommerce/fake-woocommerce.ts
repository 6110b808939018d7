import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { wooOAuth1Signature } from '../../../core/src/channels/woocommerce/woo-oauth1.ts';
import { readWooFixture, type WooOrder, wooDate } from './make-woo-order.ts';
import { createWooProductStore, type WooProductStore } from './fake-woo-products.ts';
import { createWooMoneyStore, type WooMoneyStore } from './fake-woo-money.ts';
import { HOOKSHOT_USER_AGENT, isWooDeliverySuccess, phpJsonEncode, wooSignature } from './send-woo-webhook.ts';

/**
 * A WooCommerce store speaking REST v3 as documented in shared/contracts/shopify-woocommerce.md
 * §7–8: Basic and query-string auth (when is_ssl()), OAuth 1.0a one-legged, WP error bodies, X-WP-Total/X-WP-TotalPages/Link paging,
 * webhooks with the unsigned ping and signed deliveries (200–302 success, disabled on the 7th
 * consecutive failure, never retried), plus injectable 401/429/503/500 answers.
 */

export type FailKind = '401' | '429' | '503' | '500';

export interface FakeWooOptions {
  /** The store's first REST key (read_write); `addApiKey` creates more, as the plugin's connect does. */
  consumerKey: string;
  consumerSecret: string;
  /**
   * Serve https with this certificate (test/support/test-tls.ts): a store behind TLS, where
   * is_ssl() is true and the core authenticates with Basic. Implies `isSsl: true`.
   */
  tls?: { key: string; cert: string };
  orders?: WooOrder[];
  /** Simulates a web server that drops the Authorization header (the reason for query-string auth). */
  stripAuthorizationHeader?: boolean;
  /**
   * What WordPress's is_ssl() says. `true` (default, how the tests have always run: as if TLS were
   * terminated in front of the fake): Basic and query-string keys are read, then OAuth 1.0a.
   * `false`: a plain-http store as WooCommerce really treats one — Basic and query-string keys are
   * ignored (the request runs as a guest and gets `woocommerce_rest_cannot_view`), only a correctly
   * signed OAuth 1.0a request authenticates. The fake serves no TLS, so in both modes the signed URL
   * is the fake's own http URL.
   */
  isSsl?: boolean;
  /** Retry-After sent with injected 429/503 (seconds; default 1). */
  retryAfterSeconds?: number;
  /** Deliver order.updated to active webhooks when an order is changed through the API. */
  deliverOnChange?: boolean;
  /** The store's home URL used in `X-WC-Webhook-Source` (default: the fake's own URL). */
  siteUrl?: string;
  now?: () => Date;
}

export interface WooNote {
  id: number;
  author: string;
  date_created: string;
  date_created_gmt: string;
  note: string;
  customer_note: boolean;
  /** Not in the REST output; lets tests see whether the API user flagged it. */
  added_by_user?: boolean;
}

export interface FakeWebhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  resource: string;
  event: string;
  delivery_url: string;
  /** Write-only in the real API; kept here so tests can sign/verify. */
  secret: string;
  failure_count: number;
  date_created_gmt: string;
  date_modified_gmt: string;
}

export interface FakeDelivery {
  webhookId: number;
  kind: 'ping' | 'delivery';
  topic: string | null;
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number | null;
  error: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  auth: 'basic' | 'query' | 'oauth1' | null;
  body: unknown;
}

/** A row of wp_woocommerce_api_keys as WooCommerce checks it (the plain consumer key kept here for lookups). */
export interface FakeApiKey {
  keyId: number;
  userId: number;
  description: string;
  permissions: 'read' | 'write' | 'read_write';
  consumerKey: string;
  consumerSecret: string;
  /** substr( $consumer_key, -7 ), what WooCommerce → Settings → Advanced → REST API lists. */
  truncatedKey: string;
  lastAccess: string | null;
}

export interface FakeWooCommerce {
  url: string;
  /**
   * Inserts a REST key exactly as WC_Auth::create_keys (and the Expedio plugin's connect) does:
   * `ck_`/`cs_` + 40 hex characters, the given permissions. Stands in for the plugin's database write.
   */
  addApiKey(opts: { description: string; permissions: FakeApiKey['permissions']; userId?: number }): FakeApiKey;
  /** WooCommerce → Settings → Advanced → REST API → Revoke. */
  revokeApiKey(keyId: number): void;
  apiKeys: FakeApiKey[];
  close(): Promise<void>;
  orders: Map<number, WooOrder>;
  upsertOrder(order: WooOrder): WooOrder;
  failNext(kind: FailKind, count?: number): void;
  notes: Map<number, WooNote[]>;
  webhooks: FakeWebhook[];
  deliveries: FakeDelivery[];
  requests: RecordedRequest[];
  /** Sends `topic` for one order to every active webhook subscribed to it, as WC_Webhook::deliver does. */
  deliver(topic: string, orderId: number): Promise<FakeDelivery[]>;
  /** Resolves when deliveries started by API changes (`deliverOnChange`) have finished. */
  settled(): Promise<void>;
  /** Products, variations, stock updates and the weight unit (fake-woo-products.ts). */
  catalog: WooProductStore;
  /** Refunds and coupons (fake-woo-money.ts). */
  money: WooMoneyStore;
}

const STATUSES = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
  'trash',
  'checkout-draft',
];
// What `status=any` means for the orders endpoint: everything except trash and WP's own drafts.
const ANY_EXCLUDES = new Set(['trash', 'draft', 'auto-draft']);
const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'];
const TOPIC = /^(?:(coupon|customer|order|product)\.(created|updated|deleted|restored)|action\.(?:woocommerce_|wc_)\w+)$/;

const API = '/wp-json/wc/v3';
const OAUTH_PARAMS = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];

export async function startFakeWooCommerce(options: FakeWooOptions): Promise<FakeWooCommerce> {
  const now = options.now ?? (() => new Date());
  const orders = new Map<number, WooOrder>();
  for (const o of options.orders ?? []) orders.set(o.id, structuredClone(o));
  const notes = new Map<number, WooNote[]>();
  const webhooks: FakeWebhook[] = [];
  const deliveries: FakeDelivery[] = [];
  const requests: RecordedRequest[] = [];
  const failures: FailKind[] = [];
  const pending = new Set<Promise<unknown>>();
  // wp_woocommerce_api_keys.nonces: timestamp → nonce, as check_oauth_timestamp_and_nonce keeps them.
  const usedNonces = new Map<number, string>();
  // The URL a request arrived with, before the rest_route rewrite: the OAuth signature covers it.
  const arrivedAs = new WeakMap<Request, string>();
  let nextNoteId = 1000;
  let nextWebhookId = 1;
  let nextKeyId = 1;
  const apiKeys: FakeApiKey[] = [];
  const addApiKey = (k: Omit<FakeApiKey, 'keyId' | 'truncatedKey' | 'lastAccess' | 'userId'> & { userId?: number }): FakeApiKey => {
    const row: FakeApiKey = { keyId: nextKeyId++, userId: k.userId ?? 1, truncatedKey: k.consumerKey.slice(-7), lastAccess: null, ...k };
    apiKeys.push(row);
    return row;
  };
  addApiKey({ description: 'Test key', permissions: 'read_write', consumerKey: options.consumerKey, consumerSecret: options.consumerSecret });
  const keyFor = (consumerKey: string | null) => apiKeys.find((k) => k.consumerKey === consumerKey) ?? null;
  let baseUrl = '';

  const wpError = (c: Context, status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    c.json({ code, message, data: { status, ...extra } }, status as 400);

  const app = new Hono();

  // WordPress's fallback route form `/?rest_route=/wc/v3/orders` (sites without pretty permalinks).
  const rewriteRestRoute = (req: Request): Request => {
    const url = new URL(req.url);
    const route = url.searchParams.get('rest_route');
    if (url.pathname !== '/' || !route) return req;
    url.searchParams.delete('rest_route');
    url.pathname = `/wp-json${route}`;
    const rewritten = new Request(url, req);
    arrivedAs.set(rewritten, req.url);
    return rewritten;
  };

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length > 1 || key.endsWith('[]') ? all : all[0]!;
    }
    const text = c.req.method === 'GET' ? '' : await c.req.raw.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the raw text (form bodies, garbage) for the assertion
    }
    const hasBasic = !options.stripAuthorizationHeader && /^basic /i.test(c.req.header('authorization') ?? '');
    const hasOAuth = OAUTH_PARAMS.some((p) => url.searchParams.has(p));
    const auth = hasBasic ? 'basic' : url.searchParams.has('consumer_key') ? 'query' : hasOAuth ? 'oauth1' : null;
    requests.push({ method: c.req.method, path: url.pathname, query, auth, body });

    const fail = failures.shift();
    if (fail === '429' || fail === '503') {
      // Hosts and WAFs answer these before WordPress runs, with their own (non-WP) bodies.
      return c.text(fail === '429' ? 'Too Many Requests' : 'Service Temporarily Unavailable', Number(fail) as 429, {
        'retry-after': String(options.retryAfterSeconds ?? 1),
      });
    }
    if (fail === '500') {
      return wpError(c, 500, 'internal_server_error', '<p>There has been a critical error on this website.</p>');
    }
    if (fail === '401') {
      return wpError(c, 401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    }

    if (url.pathname.startsWith(`${API}/`) || url.pathname === API) {
      const denied = authenticate(c, url, hasBasic);
      if (denied) return denied;
    }
    await next();
  });

  /**
   * WC_REST_Authentication::authenticate: when is_ssl(), Basic first, then consumer_key/consumer_secret
   * in the query string; without them (and always over plain http) OAuth 1.0a.
   */
  function authenticate(c: Context, url: URL, hasBasic: boolean): Response | null {
    const isSsl = options.tls ? true : (options.isSsl ?? true);
    if (!isSsl || (!hasBasic && !url.searchParams.has('consumer_key'))) return authenticateOAuth(c, url);
    let key: string | null = null;
    let secret: string | null = null;
    if (hasBasic) {
      const decoded = Buffer.from((c.req.header('authorization') ?? '').slice(6).trim(), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      key = i >= 0 ? decoded.slice(0, i) : decoded;
      secret = i >= 0 ? decoded.slice(i + 1) : '';
    } else if (url.searchParams.has('consumer_key')) {
      key = url.searchParams.get('consumer_key');
      secret = url.searchParams.get('consumer_secret') ?? '';
    }
    if (key === null) {
      // No credentials reach WooCommerce: the request runs as a guest and the permission check fails.
      const verb = c.req.method === 'GET' ? 'list resources' : 'create resources';
      return wpError(c, 401, 'woocommerce_rest_cannot_view', `Sorry, you cannot ${verb}.`);
    }
    const row = keyFor(key);
    if (!row) {
      return wpError(c, 401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    }
    if (secret !== row.consumerSecret) {
      return wpError(c, 401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    }
    return checkPermissions(c, row);
  }

  /** WC_REST_Authentication::check_permissions: a read key may only read, a write key only write. */
  function checkPermissions(c: Context, row: FakeApiKey): Response | null {
    const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (reading && row.permissions === 'write') {
      return wpError(c, 401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
    }
    if (!reading && row.permissions === 'read') {
      return wpError(c, 401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
    }
    row.lastAccess = wooDate(now());
    return null;
  }

  /** perform_oauth_authentication: parameters, consumer key, signature, then timestamp and nonce. */
  function authenticateOAuth(c: Context, url: URL): Response | null {
    const q = url.searchParams;
    const missing = OAUTH_PARAMS.filter((p) => !q.get(p));
    if (missing.length === OAUTH_PARAMS.length) {
      // No OAuth parameters (Basic or query keys over http included): a guest, refused by the permission check.
      const verb = c.req.method === 'GET' ? 'list resources' : 'create resources';
      return wpError(c, 401, 'woocommerce_rest_cannot_view', `Sorry, you cannot ${verb}.`);
    }
    if (missing.length) {
      const label = missing.length === 1 ? 'Missing OAuth parameter' : 'Missing OAuth parameters';
      return wpError(c, 401, 'woocommerce_rest_authentication_missing_parameter', `${label} ${missing.join(', ')}`);
    }
    const authError = (message: string) => wpError(c, 401, 'woocommerce_rest_authentication_error', message);
    const row = keyFor(q.get('oauth_consumer_key'));
    if (!row) return authError('Consumer key is invalid.');
    // The base URL is WordPress's home URL plus the request path: the URL as it arrived, query left out.
    const arrived = new URL(arrivedAs.get(c.req.raw) ?? c.req.url);
    const signedUrl = new URL(`${arrived.pathname}${arrived.search}`, baseUrl);
    const method = q.get('oauth_signature_method');
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return authError('Invalid signature - signature method is invalid.');
    const expected = wooOAuth1Signature(c.req.method, signedUrl, row.consumerSecret).signature;
    // $_GET turns an unencoded + into a space; WooCommerce puts it back before comparing.
    const given = rawUrlDecode(q.get('oauth_signature')!.replaceAll(' ', '+'));
    if (!safeEqual(expected, given)) return authError('Invalid signature - provided signature does not match.');
    const timestamp = Number(q.get('oauth_timestamp'));
    const nowSeconds = Math.floor(now().getTime() / 1000);
    const window = 15 * 60;
    if (!Number.isFinite(timestamp) || timestamp < nowSeconds - window || timestamp > nowSeconds + window) return authError('Invalid timestamp.');
    const nonce = q.get('oauth_nonce')!;
    if ([...usedNonces.values()].includes(nonce)) return authError('Invalid nonce - nonce has already been used.');
    usedNonces.set(timestamp, nonce);
    for (const t of usedNonces.keys()) if (t < nowSeconds - window) usedNonces.delete(t);
    return checkPermissions(c, row);
  }

  // ---- orders ----

  app.get(`${API}/orders`, (c) => {
    const q = new URL(c.req.url).searchParams;
    const params: Record<string, string> = {};
    const perPage = intParam(q.get('per_page'), 10);
    const page = intParam(q.get('page'), 1);
    if (perPage === null || perPage < 1 || perPage > 100) params['per_page'] = 'per_page must be between 1 (inclusive) and 100 (inclusive)';
    if (page === null || page < 1) params['page'] = 'page must be greater than or equal to 1';
    const orderby = q.get('orderby') ?? 'date';
    if (!ORDERBY.includes(orderby)) params['orderby'] = `orderby is not one of ${ORDERBY.join(', ')}.`;
    const order = q.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') params['order'] = 'order is not one of asc and desc.';
    const gmt = q.get('dates_are_gmt') === 'true' || q.get('dates_are_gmt') === '1';
    const bounds: [string, string, (o: WooOrder) => string, number][] = [
      ['modified_after', 'modified', (o) => (gmt ? o.date_modified_gmt : o.date_modified), 1],
      ['modified_before', 'modified', (o) => (gmt ? o.date_modified_gmt : o.date_modified), -1],
      ['after', 'created', (o) => (gmt ? o.date_created_gmt : o.date_created), 1],
      ['before', 'created', (o) => (gmt ? o.date_created_gmt : o.date_created), -1],
    ];
    const filters: ((o: WooOrder) => boolean)[] = [];
    for (const [name, , field, dir] of bounds) {
      const v = q.get(name);
      if (v === null) continue;
      const t = parseWpDate(v);
      if (t === null) {
        params[name] = `Invalid date.`;
        continue;
      }
      // Strict comparisons, like the date_query 'after'/'before' WooCommerce builds.
      filters.push((o) => {
        const ot = parseWpDate(field(o));
        return ot !== null && (dir > 0 ? ot > t : ot < t);
      });
    }
    const statuses = listParam(q, 'status');
    for (const s of statuses) if (s !== 'any' && !STATUSES.includes(s)) params['status'] = `status[0] is not one of any, ${STATUSES.join(', ')}.`;
    if (Object.keys(params).length > 0) {
      return wpError(c, 400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });
    }
    const include = listParam(q, 'include').map(Number);
    const wanted = statuses.length === 0 || statuses.includes('any') ? null : new Set(statuses);
    let list = [...orders.values()].filter(
      (o) => (wanted ? wanted.has(o.status) : !ANY_EXCLUDES.has(o.status)) && filters.every((f) => f(o)),
    );
    if (include.length) list = list.filter((o) => include.includes(o.id));
    const key = (o: WooOrder): number =>
      orderby === 'modified'
        ? (parseWpDate(o.date_modified_gmt) ?? 0)
        : orderby === 'date'
          ? (parseWpDate(o.date_created_gmt) ?? 0)
          : orderby === 'include'
            ? include.indexOf(o.id)
            : o.id;
    list.sort((a, b) => (key(a) - key(b) || a.id - b.id) * (order === 'asc' ? 1 : -1));

    const total = list.length;
    const totalPages = Math.ceil(total / perPage!);
    const slice = list.slice((page! - 1) * perPage!, page! * perPage!);
    const headers: Record<string, string> = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) };
    const link = (p: number, rel: string) => {
      const u = new URL(`${baseUrl}${API}/orders`);
      for (const [k, v] of q) if (k !== 'consumer_key' && k !== 'consumer_secret' && !k.startsWith('oauth_')) u.searchParams.append(k, v);
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page! > 1 && totalPages > 0) links.push(link(Math.min(page! - 1, totalPages), 'prev'));
    if (page! < totalPages) links.push(link(page! + 1, 'next'));
    if (totalPages > 1) links.push(link(totalPages, 'last'));
    if (links.length) headers['link'] = links.join(', ');
    return c.json(slice.map(withLinks), 200, headers);
  });

  app.get(`${API}/orders/:id{[0-9]+}`, (c) => {
    const o = orders.get(Number(c.req.param('id')));
    if (!o) return wpError(c, 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    return c.json(withLinks(o));
  });

  // WordPress routes EDITABLE as POST, PUT and PATCH.
  const updateOrder = async (c: Context) => {
    const id = Number(c.req.param('id'));
    const o = orders.get(id);
    if (!o) return wpError(c, 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    const body = await jsonBody(c);
    if (body === undefined) return wpError(c, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
    const patch = body as Record<string, unknown>;
    if (patch['status'] !== undefined && (typeof patch['status'] !== 'string' || !STATUSES.includes(patch['status']))) {
      return wpError(c, 400, 'rest_invalid_param', 'Invalid parameter(s): status', {
        params: { status: `status is not one of ${STATUSES.join(', ')}.` },
      });
    }
    const t = now();
    const previous = o.status;
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'meta_data' && Array.isArray(v)) {
        for (const m of v as { key: string; value: unknown }[]) {
          const existing = o.meta_data.find((x) => x.key === m.key);
          if (existing) existing.value = m.value;
          else o.meta_data.push({ id: nextNoteId++, key: m.key, value: m.value });
        }
      } else if ((k === 'billing' || k === 'shipping') && v && typeof v === 'object') {
        o[k] = { ...(o[k] as object), ...(v as object) };
      } else if (k === 'set_paid') {
        if (v === true) {
          o.status = 'processing';
          o['date_paid_gmt'] = wooDate(t);
          o['date_paid'] = wooDate(t);
        }
      } else if (k !== 'id') {
        o[k] = v;
      }
    }
    if (o.status !== previous) {
      if (o.status === 'completed') {
        o['date_completed_gmt'] = wooDate(t);
        o['date_completed'] = wooDate(t);
      }
      addNote(id, `Order status changed from ${label(previous)} to ${label(o.status)}.`, false, false, t);
    }
    o.date_modified_gmt = wooDate(t);
    o.date_modified = wooDate(t);
    if (options.deliverOnChange) track(deliver('order.updated', id));
    return c.json(withLinks(o));
  };
  app.put(`${API}/orders/:id{[0-9]+}`, updateOrder);
  app.post(`${API}/orders/:id{[0-9]+}`, updateOrder);
  app.patch(`${API}/orders/:id{[0-9]+}`, updateOrder);

  app.get(`${API}/orders/:id{[0-9]+}/notes`, (c) => {
    const id = Number(c.req.param('id'));
    if (!orders.has(id)) return wpError(c, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
    const type = c.req.query('type') ?? 'any';
    const list = (notes.get(id) ?? [])
      .filter((n) => type === 'any' || (type === 'customer' ? n.customer_note : !n.customer_note))
      .slice()
      .reverse();
    return c.json(list.map((n) => noteOut(id, n)));
  });

  app.post(`${API}/orders/:id{[0-9]+}/notes`, async (c) => {
    const id = Number(c.req.param('id'));
    if (!orders.has(id)) return wpError(c, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
    const body = (await jsonBody(c)) as Record<string, unknown> | undefined;
    if (!body || typeof body['note'] !== 'string' || body['note'] === '') {
      return wpError(c, 400, 'rest_missing_callback_param', 'Missing parameter(s): note', { params: ['note'] });
    }
    const n = addNote(id, body['note'], body['customer_note'] === true, body['added_by_user'] === true, now());
    return c.json(noteOut(id, n), 201, { location: `${baseUrl}${API}/orders/${id}/notes/${n.id}` });
  });

  // ---- webhooks ----

  app.post(`${API}/webhooks`, async (c) => {
    const body = (await jsonBody(c)) as Record<string, unknown> | undefined;
    if (!body) return wpError(c, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
    const missing = ['topic', 'delivery_url'].filter((k) => typeof body[k] !== 'string' || body[k] === '');
    if (missing.length) {
      return wpError(c, 400, 'rest_missing_callback_param', `Missing parameter(s): ${missing.join(', ')}`, { params: missing });
    }
    const topic = String(body['topic']);
    if (!TOPIC.test(topic)) return wpError(c, 400, 'woocommerce_rest_webhook_invalid_topic', 'Webhook topic is invalid.');
    const deliveryUrl = String(body['delivery_url']);
    if (!/^https?:\/\//i.test(deliveryUrl)) {
      return wpError(
        c,
        400,
        'woocommerce_rest_webhook_invalid_delivery_url',
        'Webhook delivery URL must be a valid URL starting with http:// or https://.',
      );
    }
    const t = wooDate(now());
    const [resource, event] = topic.startsWith('action.') ? ['action', topic.slice(7)] : topic.split('.');
    const status = body['status'] === 'paused' || body['status'] === 'disabled' ? body['status'] : 'active';
    const hook: FakeWebhook = {
      id: nextWebhookId++,
      name: typeof body['name'] === 'string' ? body['name'] : `Webhook created on ${t}`,
      status,
      topic,
      resource: resource!,
      event: event!,
      delivery_url: deliveryUrl,
      // REST generates wp_generate_password(50, true, true) when no secret is given.
      secret: typeof body['secret'] === 'string' && body['secret'] !== '' ? body['secret'] : randomBytes(36).toString('base64').slice(0, 50),
      failure_count: 0,
      date_created_gmt: t,
      date_modified_gmt: t,
    };
    webhooks.push(hook);
    // The ping's outcome never fails the create call (webhooks-v1 controller `create_item`).
    await ping(hook);
    return c.json(webhookOut(hook), 201, { location: `${baseUrl}${API}/webhooks/${hook.id}` });
  });

  app.get(`${API}/webhooks`, (c) => {
    const status = c.req.query('status') ?? 'all';
    const list = webhooks.filter((w) => status === 'all' || w.status === status);
    return c.json(list.map(webhookOut), 200, { 'x-wp-total': String(list.length), 'x-wp-totalpages': '1' });
  });

  app.get(`${API}/webhooks/:id{[0-9]+}`, (c) => {
    const w = webhooks.find((x) => x.id === Number(c.req.param('id')));
    if (!w) return wpError(c, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    return c.json(webhookOut(w));
  });

  app.put(`${API}/webhooks/:id{[0-9]+}`, async (c) => {
    const w = webhooks.find((x) => x.id === Number(c.req.param('id')));
    if (!w) return wpError(c, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    const body = ((await jsonBody(c)) ?? {}) as Record<string, unknown>;
    if (body['status'] === 'active' || body['status'] === 'paused' || body['status'] === 'disabled') {
      w.status = body['status'];
      // Re-activating resets the failure counter, as WC_Webhook::set_status does for 'active'.
      if (w.status === 'active') w.failure_count = 0;
    }
    if (typeof body['delivery_url'] === 'string') w.delivery_url = body['delivery_url'];
    if (typeof body['secret'] === 'string') w.secret = body['secret'];
    w.date_modified_gmt = wooDate(now());
    return c.json(webhookOut(w));
  });

  app.delete(`${API}/webhooks/:id{[0-9]+}`, (c) => {
    const i = webhooks.findIndex((x) => x.id === Number(c.req.param('id')));
    if (i < 0) return wpError(c, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    if (c.req.query('force') !== 'true' && c.req.query('force') !== '1') {
      return wpError(c, 501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    }
    const [w] = webhooks.splice(i, 1);
    return c.json(webhookOut(w!));
  });

  const catalog = createWooProductStore(now);
  catalog.mount(app, wpError, () => baseUrl);
  const money = createWooMoneyStore(now);
  money.mount(app, wpError, orders, (id) => options.deliverOnChange && track(deliver('order.updated', id)));

  app.notFound((c) => c.json(readWooFixture('woocommerce-error-rest-no-route.json'), 404));

  // ---- helpers bound to this store ----

  function addNote(orderId: number, text: string, customerNote: boolean, byUser: boolean, at: Date): WooNote {
    const n: WooNote = {
      id: nextNoteId++,
      author: byUser ? 'admin' : 'system',
      date_created: wooDate(at),
      date_created_gmt: wooDate(at),
      note: text,
      customer_note: customerNote,
      added_by_user: byUser,
    };
    const list = notes.get(orderId) ?? [];
    list.push(n);
    notes.set(orderId, list);
    return n;
  }

  function noteOut(orderId: number, n: WooNote) {
    const { added_by_user: _hidden, ...rest } = n;
    return {
      ...rest,
      _links: {
        self: [{ href: `${baseUrl}${API}/orders/${orderId}/notes/${n.id}` }],
        collection: [{ href: `${baseUrl}${API}/orders/${orderId}/notes` }],
        up: [{ href: `${baseUrl}${API}/orders/${orderId}` }],
      },
    };
  }

  function withLinks(o: WooOrder): WooOrder {
    return {
      ...o,
      _links: {
        self: [{ href: `${baseUrl}${API}/orders/${o.id}` }],
        collection: [{ href: `${baseUrl}${API}/orders` }],
      },
    };
  }

  function webhookOut(w: FakeWebhook) {
    const { secret: _writeOnly, failure_count: _internal, ...rest } = w;
    return {
      ...rest,
      hooks: [],
      date_created: w.date_created_gmt,
      date_modified: w.date_modified_gmt,
      _links: {
        self: [{ href: `${baseUrl}${API}/webhooks/${w.id}` }],
        collection: [{ href: `${baseUrl}${API}/webhooks` }],
      },
    };
  }

  async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; error: string | null }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return { status: res.status, error: null };
    } catch (err) {
      return { status: null, error: (err as Error).message };
    }
  }

  async function ping(w: FakeWebhook): Promise<void> {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': HOOKSHOT_USER_AGENT };
    const body = `webhook_id=${w.id}`;
    const r = await post(w.delivery_url, headers, body);
    deliveries.push({ webhookId: w.id, kind: 'ping', topic: null, url: w.delivery_url, headers, body, ...r });
  }

  async function deliver(topic: string, orderId: number): Promise<FakeDelivery[]> {
    const out: FakeDelivery[] = [];
    const order = orders.get(orderId);
    for (const w of webhooks.filter((x) => x.status === 'active' && x.topic === topic)) {
      // Payload is built at delivery time (current state), `{ id }` for deletions: WC_Webhook::build_payload.
      const payload = topic.endsWith('.deleted') || !order ? { id: orderId } : withLinks(order);
      const body = phpJsonEncode(payload);
      const [resource, event] = topic.split('.');
      const headers = {
        'content-type': 'application/json',
        'user-agent': HOOKSHOT_USER_AGENT,
        'x-wc-webhook-source': options.siteUrl ?? `${baseUrl}/`,
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-resource': resource!,
        'x-wc-webhook-event': event!,
        'x-wc-webhook-signature': wooSignature(body, w.secret),
        'x-wc-webhook-id': String(w.id),
        'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
      };
      const r = await post(w.delivery_url, headers, body);
      if (r.status !== null && isWooDeliverySuccess(r.status)) {
        w.failure_count = 0;
      } else if (w.failure_count > 5) {
        // failed_delivery(): disabled when a failure happens with more than 5 already counted (the 7th).
        w.status = 'disabled';
      } else {
        w.failure_count++;
      }
      const d: FakeDelivery = { webhookId: w.id, kind: 'delivery', topic, url: w.delivery_url, headers, body, ...r };
      deliveries.push(d);
      out.push(d);
    }
    return out;
  }

  function track(p: Promise<unknown>): void {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  const fetchHandler = (req: Request) => app.fetch(rewriteRestRoute(req));
  const server = options.tls
    ? serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0, createServer: createHttpsServer, serverOptions: { key: options.tls.key, cert: options.tls.cert } })
    : serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    addApiKey: (k) =>
      addApiKey({ ...k, consumerKey: `ck_${randomBytes(20).toString('hex')}`, consumerSecret: `cs_${randomBytes(20).toString('hex')}` }),
    revokeApiKey(keyId) {
      const i = apiKeys.findIndex((k) => k.keyId === keyId);
      if (i >= 0) apiKeys.splice(i, 1);
    },
    apiKeys,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
    orders,
    upsertOrder(order) {
      const copy = structuredClone(order);
      orders.set(copy.id, copy);
      return copy;
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    notes,
    webhooks,
    deliveries,
    requests,
    deliver,
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    catalog,
    money,
  };
}

/** PHP's rawurldecode: never throws on a stray %. */
function rawUrlDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function intParam(v: string | null, dflt: number): number | null {
  if (v === null) return dflt;
  return /^\d+$/.test(v) ? Number(v) : null;
}

/** WP array args arrive as `status[]=a&status[]=b`, `status=a,b` or `status=a`. */
function listParam(q: URLSearchParams, name: string): string[] {
  const values = [...q.getAll(name), ...q.getAll(`${name}[]`)];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** rest_parse_date: RFC 3339 with optional zone; zone-less values are taken as UTC here. */
function parseWpDate(v: string): number | null {
  const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:?\d\d)?)?$/i.exec(v.trim());
  if (!m) return null;
  const t = Date.parse(m[2] ? v.trim() : `${v.trim()}Z`);
  return Number.isNaN(t) ? null : t;
}

function label(status: string): string {
  const names: Record<string, string> = {
    pending: 'Pending payment',
    processing: 'Processing',
    'on-hold': 'On hold',
    completed: 'Completed',
    cancelled: 'Cancelled',
    refunded: 'Refunded',
    failed: 'Failed',
  };
  return names[status] ?? status;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
