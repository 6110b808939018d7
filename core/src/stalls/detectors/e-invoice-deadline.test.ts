import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addInvoice, addTenant } from '../stall-test-data.ts';
import { detectEInvoiceDeadline } from './e-invoice-deadline.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

/** An invoice issued `daysAgo` Romanian days ago whose e-invoice is in `state`. */
async function eInvoice(tenantId: string, daysAgo: number, state: string) {
  const inv = await addInvoice(sql, tenantId, null);
  await sql`update invoices set issue_date = (now() at time zone 'Europe/Bucharest')::date - ${daysAgo}::int where id = ${inv.id}`;
  await sql`insert into e_invoices (tenant_id, invoice_id, standard, state, xml) values (${tenantId}, ${inv.id}, 'UBL', ${state}, '<Invoice/>')`;
  return inv;
}

describe('detectEInvoiceDeadline (5 calendar days from the day after issue)', () => {
  it('is silent up to day 3, and on day 4 names the invoice and the last legal day', async () => {
    const t = await addTenant(sql);
    await eInvoice(t, 3, 'pending');
    const day4 = await eInvoice(t, 4, 'pending');
    const stalls = await detectEInvoiceDeadline(sql, t);
    expect(stalls).toHaveLength(1);
    const [lastDay] = await sql<{ d: string }[]>`select to_char((now() at time zone 'Europe/Bucharest')::date + 1, 'YYYY-MM-DD') as d`;
    expect(stalls[0]).toMatchObject({ kind: 'einvoice.deadline', subjectId: day4.id, target: { resource: 'invoice', id: day4.id } });
    expect(stalls[0]!.message).toContain(`must reach ANAF by ${lastDay!.d}; it is still pending`);
  });

  it('watches held and refused e-invoices too, says when the deadline is missed, and ignores sent ones', async () => {
    const t = await addTenant(sql);
    const held = await eInvoice(t, 4, 'held');
    const late = await eInvoice(t, 6, 'nok');
    await eInvoice(t, 6, 'in_processing');
    await eInvoice(t, 9, 'ok');
    const stalls = await detectEInvoiceDeadline(sql, t);
    expect(stalls.map((s) => s.subjectId).sort()).toEqual([held.id, late.id].sort());
    expect(stalls.find((s) => s.subjectId === late.id)!.message).toContain('missed the legal deadline');
  });
});
