import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/** Days after the issue date the stall appears; the legal deadline is the 5th. */
export const DEADLINE_WARNING_DAY = 4;

/**
 * The legal sending deadline (OUG 120/2021 art. 10 (7)): an e-Factura must reach ANAF within 5
 * calendar days counted from the day after the issue date. From day 4 an e-invoice not yet
 * accepted for processing (pending, held, or refused and not resubmitted) is a stall, so a day
 * is left to fix it. Calendar days (Romanian date), not working days: the 2026 working-day
 * rule is not verified, and calendar days are never later than working days.
 */
export async function detectEInvoiceDeadline(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ invoice_id: string; full_number: string; state: string; issue_date: string; day: number; last_day: string; created_at: Date | null }[]>`
    select e.invoice_id::text, i.full_number, e.state, to_char(i.issue_date, 'YYYY-MM-DD') as issue_date,
      ((now() at time zone 'Europe/Bucharest')::date - i.issue_date) as day, to_char(i.issue_date + 5, 'YYYY-MM-DD') as last_day, i.created_at
    from e_invoices e join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and e.state in ('pending','held','nok')
      and (now() at time zone 'Europe/Bucharest')::date - i.issue_date >= ${DEADLINE_WARNING_DAY}
    order by i.issue_date, e.id`;
  return rows.map((e) => ({
    kind: 'einvoice.deadline',
    subjectType: 'invoice',
    subjectId: e.invoice_id,
    message:
      e.day > 5
        ? `e-Factura for invoice ${e.full_number} (issued ${e.issue_date}) missed the legal deadline of ${e.last_day}.`
        : `e-Factura for invoice ${e.full_number} (issued ${e.issue_date}) must reach ANAF by ${e.last_day}; it is still ${e.state}.`,
    why: `The invoice was issued ${e.day} days ago; the law gives 5 days from the day after issue (OUG 120/2021 art. 10 (7)).`,
    fix:
      e.state === 'pending'
        ? 'Check that ANAF is connected (Settings › ANAF) and that the e-invoice worker runs; the e-invoice is uploaded on its next pass.'
        : 'Fix what the e-invoice names (its ANAF errors or the failing rules) and resubmit it today.',
    target: { resource: 'invoice', id: e.invoice_id },
    since: isoOrNull(e.created_at),
  }));
}
