import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { isDomainError } from '../../shared/domain-error.ts';
import { requestStoreMoneyBack, STORE_MONEY_BACK_KIND, type StoreMoneyBackRequest, storeMoneyBacksFor } from './store-money-backs.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

async function shop(kind: 'shopify' | 'woocommerce' | 'manual' = 'shopify') {
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values ('money') returning id::text`;
  const [c] = await sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${t!.id}, ${kind}, 'Shop') returning id::text`;
  return { tenantId: t!.id, channelId: c!.id };
}

const request = (ids: { tenantId: string; channelId: string }, over: Partial<StoreMoneyBackRequest> = {}): StoreMoneyBackRequest => ({
  ...ids,
  orderId: '77',
  kind: 'refund',
  source: { kind: 'return', id: '5' },
  amount: '49.90',
  currency: 'RON',
  lines: [{ externalLineId: 'gid://shopify/LineItem/1', quantity: 1, restock: false }],
  customerEmail: 'ana@example.ro',
  note: 'Return R-5',
  idempotencyKey: 'return:5:refund',
  ...over,
});

describe('requestStoreMoneyBack', () => {
  it('writes the request pending and queues the store call with it, once per idempotency key', async () => {
    const ids = await shop();
    const first = await sql.begin((tx) => requestStoreMoneyBack(tx, request(ids)));
    const again = await sql.begin((tx) => requestStoreMoneyBack(tx, request(ids)));
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ state: 'pending', amount: '49.90', kind: 'refund', externalId: null, voucherCode: null, lines: [{ externalLineId: 'gid://shopify/LineItem/1', quantity: 1, restock: false }] });
    const items = await sql`select kind, payload, max_attempts from outbox where tenant_id = ${ids.tenantId}`;
    expect(items).toEqual([{ kind: STORE_MONEY_BACK_KIND, payload: { channelId: ids.channelId, moneyBackId: first.id }, max_attempts: 6 }]);
    const listed = await storeMoneyBacksFor(sql, ids.tenantId, { kind: 'return', id: '5' });
    expect(listed.map((m) => [m.id, m.state, m.source])).toEqual([[first.id, 'pending', { kind: 'return', id: '5' }]]);
    expect(await storeMoneyBacksFor(sql, ids.tenantId, { kind: 'return', id: '6' })).toEqual([]);
  });

  it('rolls back with the caller: no row and no outbox item without the change that caused them', async () => {
    const ids = await shop();
    await sql.begin(async (tx) => {
      await requestStoreMoneyBack(tx, request(ids));
      throw new Error('the return approval failed');
    }).catch(() => {});
    expect(await sql`select 1 from store_money_backs where tenant_id = ${ids.tenantId}`).toHaveLength(0);
    expect(await sql`select 1 from outbox where tenant_id = ${ids.tenantId}`).toHaveLength(0);
  });

  it.each([
    ['amount', { amount: '0' }],
    ['amount', { amount: '12.345' }],
    ['currency', { currency: 'lei' }],
    ['customerEmail', { kind: 'voucher' as const, customerEmail: null }],
    ['lines.0', { lines: [{ quantity: 1, restock: false as const }] }],
    ['lines.0.quantity', { lines: [{ lineNo: 1, quantity: 0, restock: false as const }] }],
  ])('refuses a bad %s, naming it, and writes nothing', async (field, over) => {
    const ids = await shop();
    const e = await sql.begin((tx) => requestStoreMoneyBack(tx, request(ids, over as Partial<StoreMoneyBackRequest>))).catch((x: unknown) => x);
    expect(isDomainError(e) && e.code).toBe('VALIDATION');
    expect(isDomainError(e) ? e.details.map((d) => d.path) : []).toContain(field);
    expect(await sql`select 1 from store_money_backs where tenant_id = ${ids.tenantId}`).toHaveLength(0);
  });

  it('refuses a manual channel and a key reused for another return', async () => {
    const manual = await shop('manual');
    const e1 = await sql.begin((tx) => requestStoreMoneyBack(tx, request(manual))).catch((x: unknown) => x);
    expect(isDomainError(e1) && e1.details[0]?.path).toBe('channelId');
    const ids = await shop('woocommerce');
    await sql.begin((tx) => requestStoreMoneyBack(tx, request(ids)));
    const e2 = await sql.begin((tx) => requestStoreMoneyBack(tx, request(ids, { source: { kind: 'return', id: '9' } }))).catch((x: unknown) => x);
    expect(isDomainError(e2) && e2.code).toBe('CONFLICT');
  });
});
