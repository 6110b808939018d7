import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { syncChannel } from '../../core/src/flows/sync-channel.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';
import { insertShippedOrder, recordTrackingEvent } from '../writeback/support.ts';

// A WooCommerce store on plain http:// as WooCommerce really treats one (is_ssl() false): Basic and
// query-string keys are ignored, so sync and write-back work only because the channel signs OAuth 1.0a.
let core: CoreHarness;
let woo: FakeWooCommerce;

beforeAll(async () => {
  core = await startCore();
  woo = await startFakeWooCommerce({ consumerKey: 'ck_http', consumerSecret: 'cs_http', isSsl: false });
});
afterAll(() => woo.close());

async function tenantWithStore(consumerSecret: string): Promise<TenantFixture> {
  const t = await core.createTenant();
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: 'ck_http', consumerSecret, adminBaseUrl: woo.url });
  return t;
}

describe('a WooCommerce channel on a plain-http store (OAuth 1.0a)', () => {
  it('syncs orders and writes the shipment and the delivered status back, every request signed', async () => {
    expect(woo.url).toMatch(/^http:\/\//);
    const t = await tenantWithStore('cs_http');
    const before = woo.requests.length;
    for (let i = 1; i <= 3; i++) woo.upsertOrder(wooOrder({ id: 8100 + i, lines: [['Bar3', 1]], modified: new Date(Date.UTC(2026, 10, 23, 9, i)) }));
    const run = await syncChannel(core.deps, t.tenantId, t.woo.channelId, { trigger: 'sync' });
    expect(run.created).toBe(3);
    const [ch] = await core.sql`select status from channels where id = ${t.woo.channelId}`;
    expect(ch!.status).toBe('active');

    // The write-back helpers record their own shipped order (as the AWB flow leaves it) for a store order not synced above.
    const order = woo.upsertOrder(wooOrder({ id: 8150, status: 'processing', modified: new Date('2026-11-22T09:00:00Z') }));
    const s = await insertShippedOrder(core.sql, t, { channelId: t.woo.channelId, externalOrderId: String(order.id), courier: 'cargus', lines: [{ sku: 'A-1', quantity: 1, externalLineId: '900' }] });
    await core.drainOutbox();
    const stored = woo.orders.get(order.id)!;
    expect(stored.meta_data.find((m) => m.key === '_wc_shipment_tracking_items')?.value).toEqual([expect.objectContaining({ tracking_number: s.awb })]);
    expect((woo.notes.get(order.id) ?? []).filter((n) => n.customer_note && n.note.includes(s.awb))).toHaveLength(1);
    await recordTrackingEvent(core.sql, t.tenantId, s, 'delivered', '2026-11-24T12:00:00Z', { orderStatus: 'delivered' });
    await core.drainOutbox();
    expect(woo.orders.get(order.id)!.status).toBe('completed');

    const made = woo.requests.slice(before);
    expect(made.length).toBeGreaterThanOrEqual(4);
    expect(made.every((r) => r.auth === 'oauth1')).toBe(true);
    expect(new Set(made.map((r) => r.query['oauth_nonce'])).size).toBe(made.length);
  });

  it('a wrong secret: NEEDS_RECONNECT, and the channel’s reason names the refused signature, not just "reconnect"', async () => {
    const t = await tenantWithStore('cs_not_the_secret');
    woo.upsertOrder(wooOrder({ id: 8200, modified: new Date('2026-11-25T09:00:00Z') }));
    await expect(syncChannel(core.deps, t.tenantId, t.woo.channelId, { trigger: 'sync' })).rejects.toMatchObject({
      code: 'NEEDS_RECONNECT',
      message: expect.stringContaining('Invalid signature - provided signature does not match.'),
    });
    const [ch] = await core.sql<{ status: string; status_reason: string }[]>`select status, status_reason from channels where id = ${t.woo.channelId}`;
    expect(ch!.status).toBe('needs_reconnect');
    expect(ch!.status_reason).toContain('OAuth 1.0a signature did not match');
    expect(ch!.status_reason).toContain(`WordPress's home URL is not ${woo.url}`);
    const stalls = await core.api('/api/v1/stalls', { key: t.apiKey });
    const stall = stalls.body.stalls.find((x: { kind: string }) => x.kind === 'channel.credentials_rejected');
    expect(stall.why).toContain('OAuth 1.0a signature did not match');
  });
});
