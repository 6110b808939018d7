import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/support/test-db.ts';
import type { Sql } from '../../db/connect.ts';
import { addInvoice, addTenant } from '../stall-test-data.ts';
import { detectEInvoiceRejected } from './e-invoice-rejected.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase());
});

const submit = (tenantId: string, invoiceId: string, state: string, errors: unknown = null) =>
  sql`insert into e_invoices (tenant_id, invoice_id, standard, state, xml, errors)
      values (${tenantId}, ${invoiceId}, 'UBL', ${state}, '<Invoice/>', ${errors === null ? null : sql.json(errors as never)})`;

describe('detectEInvoiceRejected', () => {
  it("lists an invoice whose e-Factura ANAF rejected, with ANAF's errors", async () => {
    const t = await addTenant(sql);
    const rejected = await addInvoice(sql, t, null);
    await submit(t, rejected.id, 'nok', ['E1: bad VAT number', 'E2: no county']);
    await submit(t, (await addInvoice(sql, t, null)).id, 'ok');
    const stalls = await detectEInvoiceRejected(sql, t);
    expect(stalls).toEqual([
      expect.objectContaining({
        kind: 'einvoice.rejected',
        subjectType: 'invoice',
        subjectId: rejected.id,
        message: `e-Factura for invoice ${rejected.fullNumber} was rejected by ANAF.`,
        why: 'E1: bad VAT number; E2: no county',
        target: { resource: 'invoice', id: rejected.id },
      }),
    ]);
  });

  it('says where to look when ANAF gave no error list', async () => {
    const t = await addTenant(sql);
    await submit(t, (await addInvoice(sql, t, null)).id, 'nok');
    const [s] = await detectEInvoiceRejected(sql, t);
    expect(s!.why).toBe('see ANAF errors on the invoice');
  });
});
