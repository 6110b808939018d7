import { type FakeBnr, startFakeBnr } from '../fakes/bnr/fake-bnr.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/src/auth/api-keys.ts';
import { signShopifyBody } from '../../core/src/channels/shopify/verify-shopify-hmac.ts';
import { signWooBody } from '../../core/src/channels/woocommerce/verify-woo-signature.ts';
import { createApp } from '../../core/src/http/app.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { fromSchema } from '../support/fuzz-values.ts';
import { fillPath, walkOpenApi, type WalkedOperation } from '../support/openapi-walk.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';
import { shopSessionToken } from '../support/shop-helpers.ts';

/*
 * Every operation of /openapi.json keeps to its tenant and, for a channel-bound credential (the
 * embedded Shopify app's session token, the WooCommerce plugin's key), to its channel: walked with
 * another tenant's API key on tenant A's real ids, and with one channel's credential on the other
 * channel's orders, delivery notes, pick and packing lists, courier accounts and the channel itself.
 */

let core: CoreHarness;
let app: ReturnType<typeof createApp>;
let a: TenantFixture;
let b: TenantFixture;
let ops: WalkedOperation[];
/** Strings only tenant A's data contains: none may appear in an answer to anyone else. */
let markersOfA: string[];
/** Tenant A's ids per table, and per channel the ids of what belongs to that channel. */
const idsOfA = new Map<string, string[]>();
const byChannel = new Map<string, Map<string, string[]>>();

/** The table an id in this path position points at. */
const TABLE_OF: Record<string, string> = {
  orders: 'orders',
  channels: 'channels',
  clients: 'clients',
  'price-lists': 'price_lists',
  'delivery-notes': 'delivery_notes',
  'pick-lists': 'pick_lists',
  'packing-lists': 'packing_lists',
  'stock-receipts': 'stock_receipts',
  invoices: 'invoices',
  shipments: 'shipments',
  'label-batches': 'label_batches',
  'courier-accounts': 'courier_accounts',
  users: 'users',
  'api-keys': 'api_keys',
  products: 'products',
  warehouses: 'warehouses',
  bins: 'bins',
  variantId: 'products',
  locationId: 'channel_locations',
};

const tableOf = (op: WalkedOperation, param: string) => (param === 'id' ? TABLE_OF[op.path.split('/')[3]!] : TABLE_OF[param]);

async function send(op: WalkedOperation, params: Record<string, string>, bearer: string, body: unknown) {
  const init: RequestInit = { method: op.method, headers: { authorization: `Bearer ${bearer}`, ...(op.body ? { 'content-type': 'application/json' } : {}) } };
  if (op.body) init.body = JSON.stringify(body ?? {});
  const res = await app.request(fillPath(op.path, params), init);
  return { status: res.status, text: await res.text() };
}

/** A few bodies valid by the schema, so the walk reaches the handler's own checks rather than stopping at zod. */
const bodiesFor = (op: WalkedOperation, pool: string[], salt: number): unknown[] =>
  op.body ? fc.sample(fromSchema(op.body.schema, { pool, hostility: 0 }), { seed: 4242 + salt, numRuns: 2 }) : [undefined];

let bnr: FakeBnr;
afterAll(async () => {
  await bnr?.close();
});

beforeAll(async () => {
  // The walk's bodies can be valid enough to reach BNR (POST /invoicing/fx-rates/import): a fake BNR answers, never the internet.
  bnr = await startFakeBnr();
  process.env.BNR_BASE_URL = bnr.url;
  bnr.days.set('2026-08-28', [{ currency: 'EUR', value: '5.2584' }]);
  core = await startCore();
  app = createApp(core.deps);
  a = await core.createTenant({ name: 'Tenant A scope-secret' });
  b = await core.createTenant({ name: 'Tenant B' });
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${a.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await app.request(`/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    // biome-ignore lint/suspicious/noExplicitAny: seed answers read field by field
    return (await res.json()) as any;
  };
  // Tenant A: an order from each store, each confirmed, on a pick list, packed; a courier account per channel; a client.
  const shop = shopifyOrderBody({ lines: [['A-1', 1]], email: 'buyer-a-scope-secret@example.com' });
  const bytes = Buffer.from(shop.raw, 'utf8');
  await app.request('/webhooks/shopify', {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': signShopifyBody(bytes, a.shopify.apiSecret), 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': a.shopify.shopDomain, 'x-shopify-webhook-id': crypto.randomUUID() },
  });
  const woo = JSON.stringify(wooOrder({ lines: [['A-2', 1]], email: 'woo-a-scope-secret@example.com' }));
  await app.request(`/webhooks/woocommerce/${a.woo.channelId}`, {
    method: 'POST',
    body: woo,
    headers: { 'content-type': 'application/json', 'x-wc-webhook-signature': signWooBody(woo, a.woo.webhookSecret), 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-id': '1', 'x-wc-webhook-delivery-id': crypto.randomUUID() },
  });
  await core.drainOutbox();
  const orders = await core.sql<{ id: string; channel_id: string; status: string }[]>`select id::text, channel_id::text, status from orders where tenant_id = ${a.tenantId} order by id`;
  expect(orders).toHaveLength(2);
  for (const o of orders) {
    if (o.status !== 'confirmed') await call('POST', `/orders/${o.id}/confirm`);
    const pick = await call('POST', '/pick-lists', { orderIds: [o.id] });
    for (const line of pick.lines ?? []) await call('POST', `/pick-lists/${pick.id}/confirm`, { method: 'tick', lineNo: line.lineNo, quantity: line.quantity });
    await call('POST', `/pick-lists/${pick.id}/complete`);
    const notes = await call('GET', `/delivery-notes?orderId=${o.id}`);
    await call('POST', `/delivery-notes/${notes.deliveryNotes[0].id}/packing-lists`);
    await call('POST', '/courier-accounts', { courier: 'sameday', name: `Sameday ${o.channel_id}`, channelId: o.channel_id, credentials: { username: 'u', password: 'p' }, baseUrl: 'http://127.0.0.1:9', settings: { pickupPointId: 1 } });
  }
  await call('POST', '/clients', { name: 'Client A scope-secret SRL', email: 'client-a-scope-secret@example.com' });
  // A login of A's, so /users/{id} routes are walked with a real user id of A, not an id of another table that may be one of B's users.
  await call('POST', '/users', { email: 'user-a-scope-secret@example.com', name: 'User A', role: 'operator' });

  for (const table of Object.values(TABLE_OF)) {
    const rows = await core.sql.unsafe<{ id: string }[]>(`select id::text as id from "${table}" where tenant_id = $1 order by id limit 3`, [a.tenantId]).catch(() => []);
    idsOfA.set(table, rows.map((r) => r.id));
  }
  for (const channelId of [a.shopify.channelId, a.woo.channelId]) {
    const of = async (q: Promise<{ id: string }[]>) => (await q).map((r) => r.id);
    byChannel.set(
      channelId,
      new Map([
        ['channels', [channelId]],
        ['orders', await of(core.sql`select id::text from orders where tenant_id = ${a.tenantId} and channel_id = ${channelId}`)],
        ['delivery_notes', await of(core.sql`select d.id::text from delivery_notes d join orders o on o.tenant_id = d.tenant_id and o.id = d.order_id where d.tenant_id = ${a.tenantId} and o.channel_id = ${channelId}`)],
        ['packing_lists', await of(core.sql`select p.id::text from packing_lists p join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id where p.tenant_id = ${a.tenantId} and o.channel_id = ${channelId}`)],
        ['pick_lists', await of(core.sql`select distinct l.pick_list_id::text as id from pick_list_orders l join orders o on o.tenant_id = l.tenant_id and o.id = l.order_id where l.tenant_id = ${a.tenantId} and o.channel_id = ${channelId}`)],
        ['courier_accounts', await of(core.sql`select id::text from courier_accounts where tenant_id = ${a.tenantId} and channel_id = ${channelId}`)],
      ]),
    );
  }
  markersOfA = ['scope-secret', a.shopify.shopDomain];
  ops = await walkOpenApi(app);
});

describe('scope: every operation of /openapi.json keeps to its tenant and channel', () => {
  it("another tenant's API key gets 404/403 on every id route with tenant A's real ids, and never A's data anywhere", async () => {
    const leaks: string[] = [];
    let withRealId = 0;
    let refusedByScope = 0;
    const pool = [...idsOfA.values()].flat();
    for (const [k, op] of ops.entries()) {
      if (!op.secured) continue;
      const tables = op.pathParams.map((p) => tableOf(op, p.name));
      const ids = op.pathParams.map((p, i) => idsOfA.get(tables[i] ?? '')?.[0] ?? (p.name === 'id' ? pool[0]! : '1'));
      if (op.pathParams.length && op.pathParams.every((_, i) => idsOfA.get(tables[i] ?? '')?.length)) withRealId++;
      const params = Object.fromEntries(op.pathParams.map((p, i) => [p.name, ids[i]!]));
      const statuses: number[] = [];
      for (const body of bodiesFor(op, pool, k)) {
        const r = await send(op, params, b.apiKey, body);
        statuses.push(r.status);
        const leaked = markersOfA.find((m) => r.text.includes(m));
        if (leaked) leaks.push(`${op.method} ${op.path}: ${r.status} shows "${leaked}"`);
        if (op.pathParams.length && r.status < 500 && ![400, 403, 404].includes(r.status)) leaks.push(`${op.method} ${op.path} with A's ids: ${r.status} ${r.text.slice(0, 200)}`);
        if (r.status >= 500) leaks.push(`${op.method} ${op.path}: ${r.status} ${r.text.slice(0, 200)}`);
      }
      if (op.pathParams.length && statuses.some((s) => s === 403 || s === 404)) refusedByScope++;
    }
    console.log(`scope walk (another tenant): ${ops.length} operations, ${ops.filter((o) => o.pathParams.length).length} with ids, ${withRealId} walked with a real id of A, ${refusedByScope} refused 403/404`);
    expect(leaks).toEqual([]);
    expect(withRealId).toBeGreaterThan(50);
    // Tenant A's key revoked by nobody: it still works.
    expect((await app.request('/api/v1/channels', { headers: { authorization: `Bearer ${a.apiKey}` } })).status).toBe(200);
  });

  it("a channel-bound credential (Shopify session token, WooCommerce plugin key) is refused on the other channel's resources", async () => {
    const pluginKey = await createApiKey(core.sql, a.tenantId, 'woo plugin', { channelId: a.woo.channelId });
    const credentials: Array<[string, string, string]> = [
      ['shopify session token', a.shopify.channelId, shopSessionToken(a)],
      ['woocommerce plugin key', a.woo.channelId, pluginKey],
    ];
    const holes: string[] = [];
    let walked = 0;
    const pool = [...idsOfA.values()].flat();
    for (const [who, own, bearer] of credentials) {
      const other = own === a.shopify.channelId ? a.woo.channelId : a.shopify.channelId;
      const theirs = byChannel.get(other)!;
      for (const [k, op] of ops.entries()) {
        if (!op.secured || op.pathParams.length === 0) continue;
        const table = tableOf(op, op.pathParams[0]!.name) ?? '';
        const ids = theirs.get(table);
        if (!ids?.length) continue;
        walked++;
        const params = Object.fromEntries(op.pathParams.map((p, i) => [p.name, i === 0 ? ids[0]! : (idsOfA.get(tableOf(op, p.name) ?? '')?.[0] ?? '1')]));
        for (const body of bodiesFor(op, pool, k)) {
          // A session token expires within a minute: a fresh one for each call.
          const token = who.startsWith('shopify') ? shopSessionToken(a) : bearer;
          const r = await send(op, params, token, body);
          if (r.status < 300 || r.status === 409 || r.status >= 500) holes.push(`${who} on ${op.method} ${fillPath(op.path, params)} (channel ${other}): ${r.status} ${r.text.slice(0, 160)}`);
        }
      }
    }
    console.log(`scope walk (other channel): ${walked} operation × channel pairs`);
    expect(walked).toBeGreaterThan(40);
    expect(holes).toEqual([]);
  });

  it("a channel-bound credential's lists hold only its own channel's documents, and it cannot name another channel's orders in a body", async () => {
    const pluginKey = await createApiKey(core.sql, a.tenantId, 'woo plugin lists', { channelId: a.woo.channelId });
    const lists: Array<[string, string, string]> = [
      ['/delivery-notes?limit=200', 'deliveryNotes', 'delivery_notes'],
      ['/packing-lists', 'packingLists', 'packing_lists'],
      ['/pick-lists', 'pickLists', 'pick_lists'],
    ];
    for (const [who, own] of [['shopify', a.shopify.channelId], ['woo', a.woo.channelId]] as const) {
      const other = own === a.shopify.channelId ? a.woo.channelId : a.shopify.channelId;
      const bearer = () => (who === 'shopify' ? shopSessionToken(a) : pluginKey);
      for (const [path, key, table] of lists) {
        const res = await app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${bearer()}` } });
        expect(res.status, `${who} ${path}`).toBe(200);
        const ids = ((await res.json()) as Record<string, Array<{ id: string }>>)[key]!.map((d) => d.id);
        const mine = byChannel.get(own)!.get(table) ?? [];
        const theirs = (byChannel.get(other)!.get(table) ?? []).filter((id) => !mine.includes(id));
        expect(ids.filter((id) => theirs.includes(id)), `${who} ${path} lists channel ${other}'s`).toEqual([]);
        if (mine.length && table !== 'pick_lists') expect(ids, `${who} ${path} lists its own`).toEqual(expect.arrayContaining(mine.slice(0, 1)));
      }
      const wave = await app.request('/api/v1/pick-lists', {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orderIds: byChannel.get(other)!.get('orders')!.slice(0, 1) }),
      });
      expect(wave.status, `${who} POST /pick-lists with channel ${other}'s order`).toBe(403);
      expect(((await wave.json()) as { error: { details: Array<{ path: string }> } }).error.details[0]!.path).toBe('orderIds');
    }
  });
});
