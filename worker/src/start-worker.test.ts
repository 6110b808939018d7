import { describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../../test/fakes/shopify/send-shopify-webhook.ts';
import { startCore, TEST_MASTER_KEY } from '../../test/support/core-harness.ts';
import { shopifyOrderBody } from '../../test/support/orders.ts';
import { startWorker } from './start-worker.ts';

describe('worker', () => {
  it('runs the outbox job in a Bree worker thread and confirms an incoming order', async () => {
    const core = await startCore();
    const t = await core.createTenant();
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 2]] });
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    const o = core.sql.options;
    const databaseUrl = `postgres://${o.user}${o.pass ? `:${o.pass}` : ''}@${o.host[0]}:${o.port[0]}/${o.database}`;
    const lines: string[] = [];
    const stop = await startWorker({ databaseUrl, masterKey: TEST_MASTER_KEY, outboxInterval: '300ms', syncInterval: '1h', log: (l) => lines.push(l) });
    try {
      let status = '';
      for (let i = 0; i < 60 && status !== 'confirmed'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await core.sql`select status from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`)[0]!.status;
      }
      expect(status).toBe('confirmed');
      // The job reports after its whole batch, which may end a moment after the order committed.
      for (let i = 0; i < 40 && !/"done":[1-9]/.test(lines.join('\n')); i++) await new Promise((r) => setTimeout(r, 250));
      expect(lines.join('\n')).toMatch(/"done":[1-9]/);
    } finally {
      await stop();
    }
  });
});
