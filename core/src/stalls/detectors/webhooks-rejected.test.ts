import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import { writeSyncLog } from '../../channels/index.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addTenant } from '../stall-test-data.ts';
import { detectWebhooksRejected } from './webhooks-rejected.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

const refused = (tenantId: string, channelId: string, path: string, error = `Invalid ${path}: contains a NUL character (U+0000).`) =>
  writeSyncLog(sql, { tenantId, channelId, direction: 'inbound', kind: 'webhook', topic: 'order.updated', outcome: 'error', error, details: { details: [{ path, reason: 'contains a NUL character (U+0000)' }] } });
const forged = (tenantId: string, channelId: string) =>
  writeSyncLog(sql, { tenantId, channelId, direction: 'inbound', kind: 'webhook', topic: 'order.created', outcome: 'rejected', error: 'X-WC-Webhook-Signature signature mismatch' });

describe('detectWebhooksRejected', () => {
  it('names a channel whose webhooks were refused three times for the same field, with the reason and the fix', async () => {
    const t = await addTenant(sql);
    const woo = await addChannel(sql, t, { kind: 'woocommerce', name: 'Woo' });
    for (let i = 0; i < 3; i++) await refused(t, woo, 'billing.company');
    const [s, ...rest] = await detectWebhooksRejected(sql, t);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      kind: 'channel.webhooks_rejected',
      subjectId: woo,
      message: expect.stringMatching(/^Woo: 3 webhook\(s\) refused in the last 24 hours for billing\.company; last: Invalid billing\.company: contains a NUL/),
      why: expect.stringContaining('NUL character'),
      fix: expect.stringContaining('Correct the named field on the order in WooCommerce'),
      target: { resource: 'channel_sync_log', id: woo },
    });
    expect(s!.since).not.toBeNull();
  });

  it('tells a signature problem apart, and stays quiet below three of a kind or for old rejections', async () => {
    const t = await addTenant(sql);
    const woo = await addChannel(sql, t, { kind: 'woocommerce', name: 'Woo' });
    for (let i = 0; i < 3; i++) await forged(t, woo);
    await refused(t, woo, 'line_items[0].total');
    await refused(t, woo, 'date_modified_gmt');
    await refused(t, woo, 'date_modified_gmt');
    const old = await addChannel(sql, t, { kind: 'shopify', name: 'Old' });
    for (let i = 0; i < 3; i++) await refused(t, old, 'created_at');
    await sql`update sync_log set created_at = now() - interval '25 hours' where channel_id = ${old}`;
    const stalls = await detectWebhooksRejected(sql, t);
    expect(stalls.map((s) => [s.subjectId, s.message.split(';')[0]])).toEqual([[woo, 'Woo: 3 webhook(s) refused in the last 24 hours (signature)']]);
    expect(stalls[0]!.fix).toContain('Connect webhooks');
  });
});
