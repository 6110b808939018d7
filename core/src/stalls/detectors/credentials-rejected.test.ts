import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addChannel, addTenant } from '../stall-test-data.ts';
import { detectCredentialsRejected } from './credentials-rejected.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectCredentialsRejected', () => {
  it('lists each channel needing a reconnect with the reason and the store-specific fix, and no active one', async () => {
    const t = await addTenant(sql);
    await addChannel(sql, t, { kind: 'shopify', name: 'Active shop' });
    const shop = await addChannel(sql, t, { kind: 'shopify', name: 'Shop', status: 'needs_reconnect', statusReason: 'Shopify answered 401' });
    const woo = await addChannel(sql, t, { kind: 'woocommerce', name: 'Woo', status: 'needs_reconnect' });
    const stalls = await detectCredentialsRejected(sql, t);
    expect(stalls.map((s) => s.subjectId).sort()).toEqual([shop, woo].sort());
    const s = stalls.find((x) => x.subjectId === shop)!;
    expect(s).toMatchObject({
      kind: 'channel.credentials_rejected',
      subjectType: 'channel',
      message: "Shop: the store rejected Expedio's credentials.",
      why: 'Shopify answered 401',
      fix: expect.stringContaining('Shopify admin'),
      target: { resource: 'channel', id: shop },
    });
    const w = stalls.find((x) => x.subjectId === woo)!;
    expect(w.why).toBe('the store answered 401/403');
    expect(w.fix).toContain('WordPress');
  });

  it("does not see another tenant's channels", async () => {
    const t = await addTenant(sql);
    await addChannel(sql, await addTenant(sql, 'other'), { status: 'needs_reconnect' });
    expect(await detectCredentialsRejected(sql, t)).toEqual([]);
  });
});
