import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { connect } from '../../core/src/db/connect.ts';
import { syncChannel } from '../../core/src/flows/sync-channel.ts';
import type { Deps } from '../../core/src/shared/deps.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { makeShopifyGraphqlTestOrder } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
let shop: FakeShopify;
let woo: FakeWooCommerce;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  shop = await startFakeShopify({ shopDomain: t.shopify.shopDomain, accessToken: 'shpat_sync', bucketSize: 10_000, restoreRate: 1000 }); // a Plus store's bucket
  woo = await startFakeWooCommerce({ consumerKey: 'ck_test', consumerSecret: 'cs_test' });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId, {
    apiKey: t.shopify.apiKey,
    apiSecret: t.shopify.apiSecret,
    accessToken: 'shpat_sync',
    adminBaseUrl: shop.url,
  });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: 'ck_test', consumerSecret: 'cs_test', adminBaseUrl: woo.url });
});
afterAll(async () => {
  await shop.close();
  await woo.close();
});

/** A second worker: its own connection pool, as a separate process would have. */
function secondWorker(): Deps {
  const sql = connect(core.sql.options.host ? urlOf() : '', { max: 5 });
  afterAll(() => sql.end());
  return { ...core.deps, sql };
}
function urlOf(): string {
  const o = core.sql.options;
  return `postgres://${o.user}${o.pass ? `:${o.pass}` : ''}@${o.host[0]}:${o.port[0]}/${o.database}`;
}

const count = async (channelId: string) =>
  Number((await core.sql`select count(*)::int as n from orders where tenant_id = ${t.tenantId} and channel_id = ${channelId}`)[0]!.n);

describe('periodic and manual sync', () => {
  it('pulls every Shopify order through all pages, resuming from the stored cursor', async () => {
    for (let i = 1; i <= 8; i++) shop.upsertOrder(makeShopifyGraphqlTestOrder(i, `2026-11-20T10:0${i}:00Z`));
    const r = await syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'sync' });
    expect(r.created).toBe(8);
    expect(await count(t.shopify.channelId)).toBe(8);
    shop.upsertOrder(makeShopifyGraphqlTestOrder(9, '2026-11-20T11:00:00Z'));
    const again = await syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'sync' });
    expect(again.created).toBe(1);
    expect(await count(t.shopify.channelId)).toBe(9);
  });

  it('backs off when Shopify throttles and still completes', async () => {
    shop.upsertOrder(makeShopifyGraphqlTestOrder(10, '2026-11-20T12:00:00Z'));
    shop.failNext('throttle', 1);
    shop.failNext('429', 1);
    const r = await syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'manual_sync' });
    expect(r.created).toBe(1);
  });

  it('two workers syncing the same channel at once never create a duplicate order', async () => {
    for (let i = 20; i < 40; i++) shop.upsertOrder(makeShopifyGraphqlTestOrder(i, `2026-11-21T10:${String(i).padStart(2, '0')}:00Z`));
    for (let i = 1; i <= 25; i++) woo.upsertOrder(wooOrder({ id: 5000 + i, lines: [['Bar3', 1]], modified: new Date(Date.UTC(2026, 10, 21, 9, i)) }));
    const other = secondWorker();
    // leaseSeconds 0: the lease lapses at once, so both runs really overlap (the worst case).
    const runs = await Promise.all([
      syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'sync', leaseSeconds: 0 }),
      syncChannel(other, t.tenantId, t.shopify.channelId, { trigger: 'sync', leaseSeconds: 0 }),
      syncChannel(core.deps, t.tenantId, t.woo.channelId, { trigger: 'sync', leaseSeconds: 0 }),
      syncChannel(other, t.tenantId, t.woo.channelId, { trigger: 'sync', leaseSeconds: 0 }),
    ]);
    expect(runs.filter((r) => !r.skipped).length).toBeGreaterThanOrEqual(2);
    expect(await count(t.shopify.channelId)).toBe(30);
    expect(await count(t.woo.channelId)).toBe(25);
    const dupes = await core.sql`select external_order_id from orders where tenant_id = ${t.tenantId} group by channel_id, external_order_id having count(*) > 1`;
    expect(dupes).toHaveLength(0);
  });

  it('with a normal lease, the second worker skips a channel being synced', async () => {
    const other = secondWorker();
    const runs = await Promise.all([
      syncChannel(core.deps, t.tenantId, t.woo.channelId, { trigger: 'sync' }),
      syncChannel(other, t.tenantId, t.woo.channelId, { trigger: 'sync' }),
    ]);
    expect(runs.filter((r) => r.skipped === 'leased').length).toBeLessThanOrEqual(1);
  });

  it('the manual sync endpoint runs a sync and the sync log records it', async () => {
    woo.upsertOrder(wooOrder({ id: 7001, lines: [['Bar3', 1]], modified: new Date('2026-11-22T09:00:00Z') }));
    const res = await core.api(`/api/v1/channels/${t.woo.channelId}/sync`, { method: 'POST', key: t.apiKey });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    const log = await core.api(`/api/v1/sync-log?channelId=${t.woo.channelId}&limit=5`, { key: t.apiKey });
    expect(log.body.entries.find((e: { kind: string }) => e.kind === 'manual_sync')).toMatchObject({ outcome: 'ok', details: expect.objectContaining({ created: 1 }) });
  });

  it('marks the channel "needs reconnect" when the store rejects the credentials, and clears it after a good sync', async () => {
    shop.failNext('401', 5);
    await expect(syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'sync' })).rejects.toThrow(/rejected the access token/);
    const [ch] = await core.sql`select status, status_reason from channels where tenant_id = ${t.tenantId} and id = ${t.shopify.channelId}`;
    expect(ch!.status).toBe('needs_reconnect');
    await syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'manual_sync' }).catch(() => {});
    // the fake answers 401 five times, so more attempts may be needed before it lets the token through
    for (let i = 0; i < 5; i++) {
      const [c] = await core.sql`select status from channels where tenant_id = ${t.tenantId} and id = ${t.shopify.channelId}`;
      if (c!.status === 'active') break;
      await syncChannel(core.deps, t.tenantId, t.shopify.channelId, { trigger: 'manual_sync' }).catch(() => {});
    }
    const [after] = await core.sql`select status from channels where tenant_id = ${t.tenantId} and id = ${t.shopify.channelId}`;
    expect(after!.status).toBe('active');
  });

  it('WooCommerce 401 marks the channel needs reconnect', async () => {
    woo.failNext('401', 1);
    await expect(syncChannel(core.deps, t.tenantId, t.woo.channelId, { trigger: 'sync' })).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
    const [ch] = await core.sql`select status from channels where tenant_id = ${t.tenantId} and id = ${t.woo.channelId}`;
    expect(ch!.status).toBe('needs_reconnect');
  });
});
