import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../../../test/fakes/shopify/fake-shopify.ts';
import { makeShopifyGraphqlTestOrder } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createShopifyAdminClient, parseRetryAfter, throttleWaitMs } from './shopify-admin-client.ts';
import { ORDERS_QUERY } from './shopify-connector.ts';

const shopDomain = 'client-test.myshopify.com';
let fake: FakeShopify;
let waits: number[];
const recordSleep = async (ms: number) => {
  waits.push(ms);
};
const vars = { first: 2, after: null, query: "updated_at:>='1970-01-01T00:00:00Z'", lineItems: 10 };

beforeAll(async () => {
  fake = await startFakeShopify({ shopDomain, accessToken: 'shpat_good', restoreRate: 1000 });
  fake.upsertOrder(makeShopifyGraphqlTestOrder(1, '2025-01-01T00:00:00Z'));
});
afterAll(() => fake.close());
beforeEach(() => {
  waits = [];
  fake.setAvailable(1000);
});

const client = (over: Partial<Parameters<typeof createShopifyAdminClient>[0]> = {}) =>
  createShopifyAdminClient({ shopDomain, accessToken: 'shpat_good', baseUrl: fake.url, sleep: recordSleep, ...over });

describe('createShopifyAdminClient against the fake Shopify', () => {
  it('posts to /admin/api/<version>/graphql.json with the access token and returns data and cost', async () => {
    const res = await client({ apiVersion: '2026-01' }).graphqlWithCost<{ orders: { nodes: unknown[] } }>(ORDERS_QUERY, vars);
    expect(res.data.orders.nodes).toHaveLength(1);
    expect(res.cost?.throttleStatus.maximumAvailable).toBe(1000);
    const last = fake.requests.at(-1)!;
    expect(last.apiVersion).toBe('2026-01');
    expect(last.accessToken).toBe('shpat_good');
    expect(last.variables).toEqual(vars);
  });

  it('turns a rejected token (401) into NEEDS_RECONNECT naming the shop, without retrying', async () => {
    const before = fake.calls;
    const err = await client({ accessToken: 'shpat_revoked' }).graphql(ORDERS_QUERY, vars).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('NEEDS_RECONNECT');
    expect((err as DomainError).message).toContain(`Shopify rejected the access token for ${shopDomain}`);
    expect(fake.calls - before).toBe(1);
  });

  it('waits Retry-After on 429 and 503, then succeeds', async () => {
    fake.failNext('429');
    fake.failNext('503');
    const data = await client().graphql<{ orders: { nodes: unknown[] } }>(ORDERS_QUERY, vars);
    expect(data.orders.nodes).toHaveLength(1);
    expect(waits).toEqual([1000, 1000]);
  });

  it('backs off exponentially on 5xx and gives up as UPSTREAM after maxRetries', async () => {
    fake.failNext('500', 3);
    const err = await client({ maxRetries: 2 }).graphql(ORDERS_QUERY, vars).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('UPSTREAM');
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThanOrEqual(500);
  });

  it('gives up on persistent 429 as RATE_LIMITED', async () => {
    fake.failNext('429', 3);
    const err = await client({ maxRetries: 2 }).graphql(ORDERS_QUERY, vars).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('RATE_LIMITED');
    expect((err as DomainError).message).toContain('3 attempts');
  });

  it('on THROTTLED waits for the bucket to refill by the missing points, really, and then succeeds', async () => {
    fake.setAvailable(0);
    const started = Date.now();
    const data = await client({ sleep: undefined }).graphql<{ orders: { nodes: unknown[] } }>(ORDERS_QUERY, vars);
    expect(data.orders.nodes).toHaveLength(1);
    // requested cost 2 + 2 × (27 + 10 × 11) = 276 points at 1000 points/s ≈ 276 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(fake.calls).toBeGreaterThanOrEqual(2);
  });

  it('gives up on repeated THROTTLED as RATE_LIMITED after maxRetries', async () => {
    fake.failNext('throttle', 2);
    const err = await client({ maxRetries: 1 }).graphql(ORDERS_QUERY, vars).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('RATE_LIMITED');
    expect(waits).toHaveLength(1);
  });

  it('reports other GraphQL errors as UPSTREAM with their messages', async () => {
    const err = await client().graphql('query { shop { name } }', {}).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('UPSTREAM');
    expect((err as DomainError).message).toContain('answers only the orders/order queries');
  });

  it('reports a query over the single-query cost limit as UPSTREAM, not as throttling', async () => {
    const err = await client().graphql(ORDERS_QUERY, { ...vars, first: 50, lineItems: 100 }).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('UPSTREAM');
    expect((err as DomainError).message).toContain('exceeds the single query max cost limit');
  });
});

describe('throttle arithmetic', () => {
  it('waits (requested − available) / restoreRate seconds, from the published THROTTLED sample', () => {
    // fixture shopify-graphql-throttled.json: 752 requested, 666 available, 50/s → 1.72 s
    expect(
      throttleWaitMs({ requestedQueryCost: 752, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 } }),
    ).toBe(1720 + 50);
  });

  it.each([
    ['seconds', '3', 3000],
    ['an HTTP date', 'Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['garbage, falling back to 1 s', 'soon', 1000],
    ['absent, falling back to 1 s', null, 1000],
  ])('parses Retry-After given as %s', (_n, v, ms) => {
    expect(parseRetryAfter(v, Date.parse('2025-01-01T00:00:00Z'))).toBe(ms);
  });
});
