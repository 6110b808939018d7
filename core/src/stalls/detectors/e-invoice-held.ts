import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/**
 * e-Invoice held, never sent: the pre-upload gate found the XML failing the official CIUS-RO
 * rules or the UBL XSD (the rule ids are the why), or ANAF's status answers kept failing.
 */
export async function detectEInvoiceHeld(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ invoice_id: string; full_number: string; held_reason: string | null; held_rules: string[] | null; errors: unknown; held_at: Date | null }[]>`
    select e.invoice_id::text, i.full_number, e.held_reason, e.held_rules, e.errors, e.held_at from e_invoices e
    join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and e.state = 'held'
    order by e.held_at, e.id`;
  return rows.map((e) => {
    const rules = Array.isArray(e.held_rules) && e.held_rules.length ? e.held_rules : null;
    return {
      kind: rules ? 'einvoice.held_by_rules' : 'einvoice.held',
      subjectType: 'invoice',
      subjectId: e.invoice_id,
      message: rules
        ? `e-Factura for invoice ${e.full_number} was not sent: it fails the official rules ${rules.join(', ')}.`
        : `e-Factura for invoice ${e.full_number} is stuck at ANAF: ${e.held_reason ?? 'status queries failed'}.`,
      why: rules && Array.isArray(e.errors) ? (e.errors as unknown[]).map(String).join('; ').slice(0, 500) : (e.held_reason ?? 'see the e-invoice'),
      fix: rules
        ? "Correct the data the rules name (customer's identifier, address, county or sector, product names), then resubmit the e-invoice; until then nothing is sent to ANAF."
        : 'Check the upload in ANAF SPV (the upload index is on the e-invoice); when it is not there, resubmit the e-invoice.',
      target: { resource: 'invoice', id: e.invoice_id },
      since: isoOrNull(e.held_at),
    };
  });
}
