import type { Db } from '../../db/connect.ts';
import { isoOrNull, STALLS_PER_KIND, type Stall, type StallTarget } from '../stall.ts';

function whyOf(kind: string): string {
  if (kind.startsWith('outbox.writeback')) return 'status write-back failing after every retry';
  if (kind.startsWith('outbox.')) return 'the worker gave up after every retry';
  return 'see the message';
}

/** The stall's subject as a target; an outbox item has no page of its own. */
const targetOf = (subjectType: string, subjectId: string): StallTarget | null =>
  subjectType === 'shipment' ? { resource: 'shipment', id: subjectId } : subjectType === 'order' ? { resource: 'order', id: subjectId } : null;

/** What the worker gave up on (write-backs, e-mails, courier calls) and tracking alerts: the open rows of `stalls`. */
export async function detectRecordedStalls(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ kind: string; subject_type: string; subject_id: string; message: string; fix: string; opened_at: Date; details: Record<string, unknown> | null }[]>`
    select kind, subject_type, subject_id, message, fix, opened_at, details from (
      select kind, subject_type, subject_id, message, fix, opened_at, details, id,
             row_number() over (partition by kind order by opened_at, stalls.id) as nth
      from stalls where tenant_id = ${tenantId} and resolved_at is null) open
    where nth <= ${STALLS_PER_KIND} order by opened_at, open.id`;
  return rows.map((s) => ({
    kind: s.kind,
    subjectType: s.subject_type,
    subjectId: s.subject_id,
    message: s.message,
    why: whyOf(s.kind),
    fix: s.fix,
    target: targetOf(s.subject_type, s.subject_id),
    since: isoOrNull(s.opened_at),
    ...(s.kind === 'invoice.total_mismatch' ? { storeDifference: storeDifferenceOf(s.details) } : {}),
  }));
}

/** The two totals of an invoice held for a store difference, from the stall's details (the mismatch as computed). */
function storeDifferenceOf(d: Record<string, unknown> | null): Stall['storeDifference'] {
  const text = (k: string) => (typeof d?.[k] === 'string' ? (d[k] as string) : null);
  const storeTotal = text('storeTotal');
  const invoiceTotal = text('invoiceTotal');
  const currency = text('currency');
  return storeTotal && invoiceTotal && currency ? { storeTotal, invoiceTotal, currency } : null;
}
