import { beforeAll, describe, expect, it } from 'vitest';
import { markNeedsReconnect } from '../../core/src/channels/channel-repo.ts';
import { writeSyncLog } from '../../core/src/channels/sync-log.ts';
import { enqueue, dispatchOutbox } from '../../core/src/db/outbox.ts';
import { openOutboxStall } from '../../core/src/stalls/record-stall.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
const stalls = async (kind?: string) => (await core.api(`/api/v1/stalls${kind ? `?kind=${kind}` : ''}`, { key: t.apiKey })).body.stalls as Array<Record<string, string>>;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ stock: { 'A-1': 1 } });
});

describe('stalls: where the flow is stuck, found by Expedio', () => {
  it('starts with nothing stuck', async () => {
    expect(await stalls()).toEqual([]);
  });

  it('lists rejected store credentials with the reason and the fix', async () => {
    await markNeedsReconnect(core.sql, t.tenantId, t.woo.channelId, 'WooCommerce store woo.example.test rejected the API keys (401)');
    const [s] = await stalls('channel.credentials_rejected');
    expect(s).toMatchObject({ subjectId: t.woo.channelId, why: expect.stringContaining('401'), fix: expect.stringContaining('Reconnect') });
  });

  it('notices orders arriving only through the periodic sync (webhooks missing)', async () => {
    await writeSyncLog(core.sql, { tenantId: t.tenantId, channelId: t.shopify.channelId, direction: 'inbound', kind: 'sync', outcome: 'ok', details: { created: 3 } });
    const [s] = await stalls('channel.webhooks_missing');
    expect(s).toMatchObject({ subjectId: t.shopify.channelId, message: expect.stringContaining('3 new order(s) came only through the periodic sync') });
    // a webhook arriving afterwards clears it
    const { raw } = shopifyOrderBody({ lines: [['A-2', 1]] });
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    expect(await stalls('channel.webhooks_missing')).toEqual([]);
  });

  it('lists an order held for short stock and one held for an unknown SKU, each with its fix', async () => {
    for (const lines of [[['A-1', 5]], [['NOPE-9', 1]]] as Array<Array<[string, number]>>) {
      const { raw } = shopifyOrderBody({ lines });
      await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    }
    await core.drainOutbox();
    const held = await stalls('order');
    expect(held.map((s) => s.kind).sort()).toEqual(expect.arrayContaining(['order.short_stock', 'order.unknown_sku']));
    expect(held.find((s) => s.kind === 'order.unknown_sku')!.fix).toContain('SKU');
  });

  it('shows work the worker gave up on, naming the cause', async () => {
    await enqueue(core.sql, t.tenantId, 'writeback.test', {}, 'gave-up', { maxAttempts: 1 });
    await dispatchOutbox(core.sql, { 'writeback.test': async () => { throw new Error('WooCommerce rejected the API key'); } }, { onStalled: openOutboxStall });
    const [s] = await stalls('outbox');
    expect(s!.message).toContain('WooCommerce rejected the API key');
  });

  it('refuses a bad filter with the field named', async () => {
    const res = await core.api('/api/v1/stalls?partialParcelHours=0', { key: t.apiKey });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('query.partialParcelHours');
  });
});
