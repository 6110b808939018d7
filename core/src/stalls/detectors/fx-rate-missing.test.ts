import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { enqueue } from '../../db/outbox.ts';
import { addChannel, addOrder, addTenant } from '../stall-test-data.ts';
import { detectFxRateMissing } from './fx-rate-missing.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectFxRateMissing', () => {
  it('says per currency how many invoices wait for a rate and how to fix it; a lei order or a known rate is no stall', async () => {
    const t = await addTenant(sql);
    const ch = await addChannel(sql, t);
    const [usd1, usd2, eur, ron] = [await addOrder(sql, t, ch), await addOrder(sql, t, ch), await addOrder(sql, t, ch), await addOrder(sql, t, ch)];
    await sql`update orders set currency = 'USD' where tenant_id = ${t} and id in (${usd1!}, ${usd2!})`;
    await sql`update orders set currency = 'EUR' where tenant_id = ${t} and id = ${eur!}`;
    expect(await detectFxRateMissing(sql, t)).toEqual([]);
    for (const id of [usd1, usd2, eur, ron]) await enqueue(sql, t, 'invoice.issue', { orderId: id, trigger: 'on_shipping' }, `invoice.issue:${id}`);
    // EUR has a rate (yesterday's is good for today); USD has only one for a later day, which does not count.
    await sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${t}, 'EUR', current_date - 1, 4.97), (${t}, 'USD', current_date + 3, 4.6)`;

    const stalls = await detectFxRateMissing(sql, t);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toMatchObject({
      kind: 'invoice.fx_rate_missing',
      subjectType: 'tenant',
      subjectId: t,
      message: `2 invoices in USD wait for an exchange rate (orders ${usd1}, ${usd2}).`,
      target: null,
    });
    expect(stalls[0]!.fix).toContain('PUT /api/v1/invoicing/fx-rates');
    expect(stalls[0]!.since).not.toBeNull();
    // Another tenant's queue is not this tenant's stall; the day's rate clears it.
    expect(await detectFxRateMissing(sql, await addTenant(sql))).toEqual([]);
    await sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${t}, 'USD', current_date, 4.6)`;
    expect(await detectFxRateMissing(sql, t)).toEqual([]);
  });
});
