import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  // Ids that cross a digit boundary: as text '9' sorts after '10' and '11'.
  const base = 1_000_000_000;
  for (const id of [base - 1, base, base + 1]) {
    await core.sql`insert into sync_log (id, tenant_id, channel_id, direction, kind, topic, outcome)
      overriding system value values (${id}, ${t.tenantId}, ${t.shopify.channelId}, 'inbound', 'webhook', ${`test/${id}`}, 'ok')`;
  }
});

describe('GET /api/v1/sync-log', () => {
  it('lists the newest entry first by numeric id, and pages on with `before` (ids crossing a digit boundary)', async () => {
    const first = await core.api('/api/v1/sync-log?limit=2', { key: t.apiKey });
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: { id: string }) => e.id)).toEqual(['1000000001', '1000000000']);
    const next = await core.api('/api/v1/sync-log?limit=2&before=1000000000', { key: t.apiKey });
    expect(next.body.entries.map((e: { id: string }) => e.id)).toEqual(['999999999']);
  });
});
