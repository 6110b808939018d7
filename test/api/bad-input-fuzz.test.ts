import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signShopifyBody } from '../../core/src/channels/shopify/verify-shopify-hmac.ts';
import { signWooBody } from '../../core/src/channels/woocommerce/verify-woo-signature.ts';
import { createApp } from '../../core/src/http/app.ts';
import { makeShopifyOrderObject, readShopifyFixture, serializeShopifyJson } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { fromSchema, mutations, pathValue } from '../support/fuzz-values.ts';
import { fillPath, walkOpenApi, type WalkedOperation } from '../support/openapi-walk.ts';
import { countWrites, installWriteCounter, recordedIds } from '../support/write-counter.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';

/*
 * Bad input never gets a 5xx, and a rejection changes nothing: every operation of /openapi.json
 * (bodies, queries, paths) and every webhook body, generated from the schemas and from real
 * samples with hostile values put in. Seeded, so a failure is the same on every run; in-process
 * (app.request), so ~3,000 inputs fit in seconds.
 */

const SEED = 15_0009;
const PER_OPERATION = 22;
const PER_WEBHOOK_TOPIC = { shopifyOrders: 90, shopifyOther: 30, woo: 90 };

let core: CoreHarness;
let t: TenantFixture;
let app: ReturnType<typeof createApp>;
let ops: WalkedOperation[];
let pool: string[];
let inputs = 0;
const failures: string[] = [];
const slow = new Map<string, number>();
const refusedWebhooks = { shopify: 0, woo: 0 };
let knownWrites: number | null = null;
/** 502 UPSTREAM of an operation that documents it: a valid request whose store or courier (a closed local port) did not answer. */
let upstreamAnswers = 0;

/** Whether a 4xx names a field (the error body's details) as the API promises. */
function namesField(body: unknown): boolean {
  const d = (body as { error?: { details?: Array<{ path?: unknown }> } } | null)?.error?.details;
  return Array.isArray(d) && d.length > 0 && d.every((x) => typeof x.path === 'string' && x.path !== '');
}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : (JSON.stringify(v) ?? String(v));
  return s.length > 160 ? `${s.slice(0, 160)}…(${s.length})` : s;
};

/** One request: answered 2xx or 4xx naming the field; a 4xx wrote nothing (the sync log aside). */
async function probe(label: string, path: string, init: RequestInit, op?: WalkedOperation): Promise<Response> {
  inputs++;
  // The count after the previous request is the count before this one: nothing else writes meanwhile.
  const before = knownWrites ?? (await countWrites(core.sql));
  const started = performance.now();
  const res = await app.request(path, init);
  slow.set(label, (slow.get(label) ?? 0) + performance.now() - started);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  const code = (body as { error?: { code?: string } } | null)?.error?.code;
  const upstream = res.status === 502 && code === 'UPSTREAM' && op?.statuses.includes(502);
  if (upstream) upstreamAnswers++;
  if (res.status >= 500 && !upstream) failures.push(`${res.status} ${label} ${init.method} ${short(path)} ${short(init.body ?? '')} → ${short(text)}`);
  // A signed Shopify delivery we cannot take is acknowledged 200 with outcome "rejected" (see receive-shopify-webhook.ts).
  const refused = (res.status >= 400 && res.status < 500) || (body as { outcome?: string } | null)?.outcome === 'rejected';
  if (refused && (label === 'shopify' || label === 'woo')) refusedWebhooks[label]++;
  if (refused) {
    if (!namesField(body)) failures.push(`${res.status} without a field: ${label} ${init.method} ${short(path)} ${short(init.body ?? '')} → ${short(text)}`);
    const after = await countWrites(core.sql);
    knownWrites = after;
    // 424: the store's credentials are gone, and marking the channel for reconnection is the point.
    if (res.status === 424) return new Response(text, { status: res.status });
    if (after !== before) failures.push(`${res.status} but ${after - before} row(s) written: ${label} ${init.method} ${short(path)} ${short(init.body ?? '')}`);
  }
  if (!refused) knownWrites = null;
  return new Response(text, { status: res.status });
}

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  app = createApp(core.deps);
  await seedEveryKind();
  ops = await walkOpenApi(app);
  pool = await recordedIds(core.sql, ['api_keys', 'users', 'tenants']);
  await installWriteCounter(core.sql, ['sync_log']);
  // api_keys.last_used_at is written on first use; use the key once before counting.
  await app.request('/api/v1/channels', { headers: { authorization: `Bearer ${t.apiKey}` } });
});

/** Something of every kind for the ids to point at: orders from each store, one taken to a packing list, another on a pick list, a client. */
async function seedEveryKind() {
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${t.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await app.request(`/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    // biome-ignore lint/suspicious/noExplicitAny: seed answers read field by field
    return (await res.json()) as any;
  };
  for (const lines of [[['A-1', 1]], [['A-2', 2]], [['A-3', 1]]] as Array<Array<[string, number]>>) {
    await app.request('/webhooks/shopify', shopifyInit('orders/create', shopifyOrderBody({ lines }).raw));
  }
  await app.request(`/webhooks/woocommerce/${t.woo.channelId}`, wooInit('order.created', JSON.stringify(wooOrder({ lines: [['Bar3', 1]] }))));
  await core.drainOutbox();
  const orders = await core.sql<{ id: string; status: string }[]>`select id::text, status from orders where tenant_id = ${t.tenantId} order by id`;
  for (const o of orders) if (o.status !== 'confirmed') await call('POST', `/orders/${o.id}/confirm`);
  const first = orders[0]!.id;
  const pick = await call('POST', '/pick-lists', { orderIds: [first] });
  for (const line of pick.lines ?? []) await call('POST', `/pick-lists/${pick.id}/confirm`, { method: 'tick', lineNo: line.lineNo, quantity: line.quantity });
  await call('POST', `/pick-lists/${pick.id}/complete`);
  const notes = await call('GET', `/delivery-notes?orderId=${first}`);
  const pack = await call('POST', `/delivery-notes/${notes.deliveryNotes[0].id}/packing-lists`);
  await call('PATCH', `/packing-lists/${pack.id}`, { parcels: [{ weightKg: 1, lengthCm: 30, widthCm: 20, heightCm: 10 }] });
  await call('POST', '/pick-lists', { orderIds: [orders[1]!.id] });
  await call('POST', '/clients', { name: 'Client SRL', email: 'client@example.com' });
  const kinds = await core.sql<{ n: number }[]>`select (select count(*) from packing_lists where tenant_id = ${t.tenantId})::int as n`;
  expect(kinds[0]!.n).toBe(1);
}

function shopifyInit(topic: string, raw: string): RequestInit {
  const bytes = Buffer.from(raw, 'utf8');
  return {
    method: 'POST',
    body: bytes,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyBody(bytes, t.shopify.apiSecret),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': t.shopify.shopDomain,
      'x-shopify-webhook-id': crypto.randomUUID(),
      'x-shopify-api-version': '2025-10',
    },
  };
}

function wooInit(topic: string, raw: string): RequestInit {
  return {
    method: 'POST',
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-signature': signWooBody(raw, t.woo.webhookSecret),
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-id': '7',
      'x-wc-webhook-delivery-id': crypto.randomUUID(),
    },
  };
}

const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, salt: number) => fc.sample(arb, { seed: SEED + salt, numRuns });

describe('bad input: 0 5xx, the field named, nothing written', () => {
  it('the write counter sees a committed row write, and not a rolled-back one', async () => {
    const before = await countWrites(core.sql);
    await core.sql.begin(async (tx) => {
      await tx`update tenants set name = name where id = ${t.tenantId}`;
      await tx`select 1`;
    });
    expect(await countWrites(core.sql)).toBe(before + 1);
    await core.sql.begin(async (tx) => {
      await tx`update tenants set name = name where id = ${t.tenantId}`;
      throw new Error('roll back');
    }).catch(() => {});
    expect(await countWrites(core.sql)).toBe(before + 1);
  });

  it('the inputs that got a 500 before: each refused naming its field', async () => {
    failures.length = 0;
    // A new order each (a known id with an older updated_at would be answered "stale" before any write).
    let n = 0;
    const order = (over: Record<string, unknown>) => {
      const id = String(7_700_000_000_000 + n++);
      return serializeShopifyJson(makeShopifyOrderObject({ id, admin_graphql_api_id: `gid://shopify/Order/${id}`, updated_at: '2026-11-21T10:00:00Z', cancelled_at: null, financial_status: 'paid', ...over }));
    };
    const named = async (res: Response) => ((await res.json()) as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path);
    for (const [over, field] of [
      [{ created_at: '0000-01-01T00:00:00Z' }, 'created_at'],
      [{ updated_at: '+275760-09-13T00:00:00.000Z' }, 'updated_at'],
      [{ current_total_price: '1000000000000' }, 'current_total_price'],
      [{ note: 'a\u0000b' }, 'note'],
    ] as const) {
      const res = await probe('shopify', '/webhooks/shopify', shopifyInit('orders/create', order(over)));
      expect(res.status).toBe(200);
      expect(await named(res)).toContain(field);
    }
    const woo = await probe('woo', `/webhooks/woocommerce/${t.woo.channelId}`, wooInit('order.updated', 'null'));
    expect([woo.status, await named(woo)]).toEqual([400, ['body']]);
    const [pack] = await core.sql<{ id: string }[]>`select id::text from packing_lists where tenant_id = ${t.tenantId}`;
    const patch = await probe('api', `/api/v1/packing-lists/${pack!.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ courier: 'fan\u0000courier' }) });
    expect([patch.status, await named(patch)]).toEqual([400, ['courier']]);
    const day = await probe('api', '/api/v1/invoices?from=9834-52-36&to=1233-18-75', { method: 'GET', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(day.status).toBe(400);
    expect(await named(day)).toContain('query.to');
    expect(failures).toEqual([]);
  });

  it('every webhook body: Shopify orders/*, app/*, compliance; WooCommerce order.*', async () => {
    failures.length = 0;
    const order = makeShopifyOrderObject({ cancelled_at: null, financial_status: 'paid' });
    const shopifyOrderBodies = sample(mutations(order), PER_WEBHOOK_TOPIC.shopifyOrders, 1);
    const topics = ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled'];
    for (const [i, body] of shopifyOrderBodies.entries()) {
      await probe('shopify', '/webhooks/shopify', shopifyInit(topics[i % topics.length]!, serializeShopifyJson(body)));
    }
    const others: Array<[string, unknown]> = [
      ['customers/data_request', JSON.parse(readShopifyFixture('shopify-customers-data-request.json'))],
      ['customers/redact', JSON.parse(readShopifyFixture('shopify-customers-redact.json'))],
      ['app/scopes_update', { id: 1, previous: ['read_orders'], current: ['read_orders', 'write_fulfillments'], updated_at: '2026-11-20T10:00:00Z' }],
      ['app/uninstalled', { id: 1, name: 'Shop', domain: t.shopify.shopDomain }],
      ['shop/redact', JSON.parse(readShopifyFixture('shopify-shop-redact.json'))],
    ];
    for (const [k, [topic, base]] of others.entries()) {
      for (const body of sample(mutations(base), PER_WEBHOOK_TOPIC.shopifyOther, 10 + k)) {
        await probe('shopify', '/webhooks/shopify', shopifyInit(topic, serializeShopifyJson(body)));
      }
    }
    const wooTopics = ['order.created', 'order.updated', 'order.deleted', 'order.restored'];
    const wooBodies = sample(mutations(wooOrder({ lines: [['A-2', 1]] })), PER_WEBHOOK_TOPIC.woo, 2);
    for (const [i, body] of wooBodies.entries()) {
      await probe('woo', `/webhooks/woocommerce/${t.woo.channelId}`, wooInit(wooTopics[i % wooTopics.length]!, JSON.stringify(body)));
    }
    for (const raw of ['null', '[]', '"x"', '1', '{}', 'true']) {
      for (const topic of wooTopics) await probe('woo', `/webhooks/woocommerce/${t.woo.channelId}`, wooInit(topic, raw));
      for (const topic of [...topics, 'customers/redact', 'shop/redact', 'app/scopes_update']) await probe('shopify', '/webhooks/shopify', shopifyInit(topic, raw));
    }
    expect(failures).toEqual([]);

    // Every refusal is on the sync log (written outside the transaction that rolled back), readable
    // through GET /sync-log, and the repeated ones are a stall with the reason and the fix.
    expect(refusedWebhooks.shopify).toBeGreaterThan(50);
    expect(refusedWebhooks.woo).toBeGreaterThan(50);
    const logged = async (channelId: string) =>
      (await core.sql<{ n: number }[]>`select count(*)::int as n from sync_log where channel_id = ${channelId} and kind = 'webhook' and outcome in ('error', 'rejected')`)[0]!.n;
    expect(await logged(t.shopify.channelId)).toBe(refusedWebhooks.shopify);
    expect(await logged(t.woo.channelId)).toBe(refusedWebhooks.woo);
    const auth = { headers: { authorization: `Bearer ${t.apiKey}` } };
    const log = (await (await app.request(`/api/v1/sync-log?channelId=${t.woo.channelId}&outcome=error&limit=5`, auth)).json()) as { entries: Array<{ error: string }> };
    expect(log.entries).toHaveLength(5);
    expect(log.entries[0]!.error).toMatch(/\S/);
    const stalls = (await (await app.request('/api/v1/stalls?kind=channel.webhooks_rejected', auth)).json()) as { stalls: Array<{ subjectId: string; why: string; fix: string }> };
    expect(new Set(stalls.stalls.map((x) => x.subjectId))).toEqual(new Set([t.shopify.channelId, t.woo.channelId]));
    for (const x of stalls.stalls) expect(x.fix.length).toBeGreaterThan(20);
  });

  it('every operation of /openapi.json: bodies, queries and path parameters', async () => {
    failures.length = 0;
    expect(ops.length).toBeGreaterThan(100);
    const auth = { authorization: `Bearer ${t.apiKey}` };
    for (const [k, op] of ops.entries()) {
      // Our own key must survive the walk: its id is left out of the ids DELETE /api-keys/{id} is given.
      const ids = op.path.startsWith('/api/v1/api-keys') ? ['999999999'] : pool;
      const pathArb = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, pathValue(ids)])));
      const queryArb = fc.record(
        Object.fromEntries(op.queryParams.map((p) => [p.name, fromSchema(p.schema, { pool: ids, hostility: 3 })])),
        { requiredKeys: op.queryParams.filter((p) => p.required).map((p) => p.name) },
      );
      // A valid body, a valid body with one to three nodes made hostile (so the hostile value reaches
      // the deep checks), a body hostile anywhere, or no object at all.
      const valid = op.body ? fromSchema(op.body.schema, { pool: ids, hostility: 0 }) : fc.constant(undefined);
      const bodyArb = op.body
        ? fc.oneof(
            { weight: 3, arbitrary: valid },
            { weight: 4, arbitrary: valid.chain((b) => mutations(b)) },
            { weight: 2, arbitrary: fromSchema(op.body.schema, { pool: ids, hostility: 2 }) },
            { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], [{}], 'text', 1e12) },
          )
        : fc.constant(undefined);
      // A user's password costs a scrypt per input: fewer of those.
      const runs = op.path.startsWith('/api/v1/users') && op.method !== 'GET' ? PER_OPERATION / 2 : PER_OPERATION;
      for (const [params, query, body] of sample(fc.tuple(pathArb, queryArb, bodyArb), runs, 100 + k)) {
        const qs = new URLSearchParams(
          Object.entries(query as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)]),
        ).toString();
        const path = fillPath(op.path, params as Record<string, string>) + (qs ? `?${qs}` : '');
        const init: RequestInit = { method: op.method, headers: op.body ? { ...auth, 'content-type': 'application/json' } : auth };
        if (op.body && body !== undefined) init.body = JSON.stringify(body);
        await probe(`${op.method} ${op.path}`, path, init, op);
      }
    }
    expect(failures).toEqual([]);
  });

  it('ran at least 3,000 generated inputs', () => {
    console.log(`bad-input fuzz: ${inputs} inputs over ${ops.length} operations and the webhooks; ${upstreamAnswers} documented 502 UPSTREAM`);
    if (process.env.FUZZ_TIMES) console.log([...slow].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${Math.round(ms)} ms ${k}`).join('\n'));
    expect(inputs).toBeGreaterThanOrEqual(3000);
  });
});
