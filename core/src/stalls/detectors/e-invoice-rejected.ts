import type { Db } from '../../db/connect.ts';
import { isoOrNull, STALLS_PER_KIND, type Stall } from '../stall.ts';

/** e-Invoice rejected by ANAF: the latest submission of an invoice is `nok`. */
export async function detectEInvoiceRejected(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; invoice_id: string; full_number: string; errors: unknown; updated_at: Date | null; held: boolean }[]>`
    select e.id::text, e.invoice_id::text, i.full_number, e.errors, i.created_at as updated_at,
      e.submission = 1 and e.upload_attempts = 0 and e.history @> '[{"event":"held_before_upload"}]' as held from e_invoices e
    join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and e.state = 'nok'
      and not exists (select 1 from e_invoices later where later.tenant_id = e.tenant_id and later.invoice_id = e.invoice_id and later.id > e.id)
    order by e.id limit ${STALLS_PER_KIND}`;
  return rows.map((e) => ({
    kind: 'einvoice.rejected',
    subjectType: 'invoice',
    subjectId: e.invoice_id,
    message: e.held ? `e-Factura for invoice ${e.full_number} was held before upload: ANAF would refuse it.` : `e-Factura for invoice ${e.full_number} was rejected by ANAF.`,
    why: Array.isArray(e.errors) ? (e.errors as unknown[]).map(String).join('; ').slice(0, 500) : 'see ANAF errors on the invoice',
    fix: "Check the customer's VAT number and address, fix them, and resubmit the e-invoice.",
    target: { resource: 'invoice', id: e.invoice_id },
    since: isoOrNull(e.updated_at),
  }));
}
