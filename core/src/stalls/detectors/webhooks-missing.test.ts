import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import { writeSyncLog } from '../../channels/index.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addTenant } from '../stall-test-data.ts';
import { detectWebhooksMissing } from './webhooks-missing.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

const synced = (tenantId: string, channelId: string, created: number) =>
  writeSyncLog(sql, { tenantId, channelId, direction: 'inbound', kind: 'sync', outcome: 'ok', details: { created } });

describe('detectWebhooksMissing', () => {
  it('names a channel whose new orders came only through the sync since its last webhook', async () => {
    const t = await addTenant(sql);
    const woo = await addChannel(sql, t, { kind: 'woocommerce', name: 'Woo' });
    await synced(t, woo, 2);
    await synced(t, woo, 1);
    const [s, ...rest] = await detectWebhooksMissing(sql, t);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      kind: 'channel.webhooks_missing',
      subjectId: woo,
      message: 'Woo: 3 new order(s) came only through the periodic sync; no webhook was ever received.',
      why: expect.stringContaining('WP-Cron'),
      fix: expect.stringContaining('Connect webhooks'),
      target: { resource: 'channel_sync_log', id: woo },
      since: null,
    });
  });

  it('is quiet when a webhook came after the sync, or the sync created nothing', async () => {
    const t = await addTenant(sql);
    const later = await addChannel(sql, t, { kind: 'shopify', name: 'Later' });
    await synced(t, later, 4);
    await sql`update channels set last_webhook_at = now() + interval '1 second' where id = ${later}`;
    const nothing = await addChannel(sql, t, { kind: 'shopify', name: 'Nothing' });
    await synced(t, nothing, 0);
    expect(await detectWebhooksMissing(sql, t)).toEqual([]);
  });

  it('says since when the last webhook came, with the Shopify fix', async () => {
    const t = await addTenant(sql);
    const at = new Date(Date.now() - 3_600_000);
    const shop = await addChannel(sql, t, { kind: 'shopify', name: 'Shop', lastWebhookAt: at });
    await synced(t, shop, 1);
    const [s] = await detectWebhooksMissing(sql, t);
    expect(s!.message).toContain(`no webhook since ${at.toISOString()}`);
    expect(s!.fix).toContain('EXPEDIO_PUBLIC_URL');
    expect(s!.fix).toContain('reinstall the app from the Shopify admin');
    expect(s!.since).toBe(at.toISOString());
  });
});
