import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { enqueue } from '../../db/outbox.ts';
import { addTenant } from '../stall-test-data.ts';
import { detectInvoicingProfileMissing } from './invoicing-profile-missing.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

describe('detectInvoicingProfileMissing', () => {
  it('says how many invoices wait for the profile and how to fix it, and goes quiet once a profile exists', async () => {
    const t = await addTenant(sql);
    expect(await detectInvoicingProfileMissing(sql, t)).toEqual([]);
    await enqueue(sql, t, 'invoice.issue', { orderId: '41', trigger: 'on_shipping' }, `invoice.issue:41`);
    await enqueue(sql, t, 'invoice.issue', { orderId: '42', trigger: 'on_paid' }, `invoice.issue:42`);
    const [s, ...rest] = await detectInvoicingProfileMissing(sql, t);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      kind: 'invoice.profile_missing',
      subjectType: 'tenant',
      subjectId: t,
      message: '2 invoices wait for the invoicing profile (orders 41, 42).',
      why: 'no invoicing profile: the seller name, CUI and address printed on invoices are not set',
      target: null,
    });
    expect(s!.fix).toContain('PUT /api/v1/invoicing/profile');
    expect(s!.since).not.toBeNull();
    // Another tenant's queue is not this tenant's stall.
    expect(await detectInvoicingProfileMissing(sql, await addTenant(sql))).toEqual([]);
    await sql`insert into invoicing_profiles (tenant_id, legal_name, cui, street, city, county_code) values (${t}, 'X SRL', '13548146', 'Str. A 1', 'Cluj-Napoca', 'CJ')`;
    expect(await detectInvoicingProfileMissing(sql, t)).toEqual([]);
  });
});
