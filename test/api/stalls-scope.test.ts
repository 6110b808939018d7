import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/src/auth/api-keys.ts';
import { openStall } from '../../core/src/stalls/index.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

/*
 * GET /api/v1/stalls for a channel-bound credential (the Shopify app's session token, the
 * WooCommerce plugin's key): its own channel's stalls and the tenant-wide ones, never another
 * channel's, whatever the stall is about (an order, a channel, an outbox item naming an order).
 */
let core: CoreHarness;
let t: TenantFixture;
let wooKey = '';
let shopifyKey = '';

async function order(channelId: string, externalId: string): Promise<string> {
  const [o] = await core.sql<{ id: string }[]>`insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, external_updated_at)
    values (${t.tenantId}, ${channelId}, ${externalId}, ${externalId}, 'new', 'RON', now()) returning id::text`;
  return o!.id;
}

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  wooKey = await createApiKey(core.sql, t.tenantId, 'woo plugin', { channelId: t.woo.channelId });
  shopifyKey = await createApiKey(core.sql, t.tenantId, 'shopify app', { channelId: t.shopify.channelId });
  const shopifyOrder = await order(t.shopify.channelId, 'S-1');
  const wooOrder = await order(t.woo.channelId, 'W-1');
  const [item] = await core.sql<{ id: string }[]>`insert into outbox (tenant_id, kind, payload, idempotency_key)
    values (${t.tenantId}, 'order.writeback', ${core.sql.json({ orderId: wooOrder })}, 'stalls-scope-1') returning id::text`;
  const stall = (kind: string, subjectType: string, subjectId: string) => openStall(core.sql, t.tenantId, { kind, subjectType, subjectId, message: `${kind} ${subjectId}`, fix: 'fix it' });
  await stall('invoice.total_mismatch', 'order', shopifyOrder);
  await stall('invoice.total_mismatch', 'order', wooOrder);
  await stall('channel.sync_failing', 'channel', t.woo.channelId);
  await stall('outbox.order.writeback', 'outbox', item!.id);
  await stall('einvoice.reconnect', 'anaf_connection', t.tenantId);
});

const stallsWith = async (key: string) =>
  ((await core.api('/api/v1/stalls', { key })).body.stalls as Array<{ kind: string; subjectType: string }>).map((s) => `${s.kind}/${s.subjectType}`).sort();

describe('stalls for a channel-bound credential', () => {
  it("the tenant's key sees every stall; each channel's credential its own channel's and the tenant-wide ones", async () => {
    expect(await stallsWith(t.apiKey)).toEqual(
      expect.arrayContaining(['channel.sync_failing/channel', 'einvoice.reconnect/anaf_connection', 'invoice.total_mismatch/order', 'outbox.order.writeback/outbox']),
    );
    expect((await stallsWith(t.apiKey)).filter((s) => s === 'invoice.total_mismatch/order')).toHaveLength(2);
    expect(await stallsWith(wooKey)).toEqual(['channel.sync_failing/channel', 'einvoice.reconnect/anaf_connection', 'invoice.total_mismatch/order', 'outbox.order.writeback/outbox']);
    expect(await stallsWith(shopifyKey)).toEqual(['einvoice.reconnect/anaf_connection', 'invoice.total_mismatch/order']);
  });
});
