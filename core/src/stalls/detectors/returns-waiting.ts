import type { Db } from '../../db/connect.ts';
import { isoOrNull, STALLS_PER_KIND, type Stall, type StallOptions } from '../stall.ts';

/** Received goods with no money back after this many days: the customer is waiting for a credit note or a refund. */
export const RETURN_MONEY_BACK_DAYS = 7;
/** Quarantined units undecided after this many days: neither sellable nor written off. */
export const QUARANTINE_DAYS = 30;

/** Returns received (or approved) long ago and still not settled. */
export async function detectReturnMoneyBackMissing(db: Db, tenantId: string, opts: StallOptions): Promise<Stall[]> {
  const days = opts.returnMoneyBackDays ?? RETURN_MONEY_BACK_DAYS;
  const rows = await db<{ id: string; order_id: string; status: string; since: Date }[]>`
    select id::text, order_id::text, status, coalesce(received_at, approved_at) as since from returns
    where tenant_id = ${tenantId} and status in ('receiving','received','approved','settling')
      and coalesce(received_at, approved_at) < now() - make_interval(days => ${days})
    order by coalesce(received_at, approved_at), returns.id limit ${STALLS_PER_KIND}`;
  return rows.map((r) => ({
    kind: 'return.money_back_missing',
    subjectType: 'return',
    subjectId: r.id,
    message: `Return ${r.id} of order ${r.order_id} is ${r.status} and the customer has had no credit note or refund for over ${days} days.`,
    why: r.status === 'settling' ? 'the store has not confirmed the voucher or refund' : r.status === 'approved' ? 'no money back was chosen' : 'the receipt is not approved',
    fix: r.status === 'approved' ? 'Choose the money back (credit note, voucher or refund) on the return.' : r.status === 'settling' ? 'Check the store, or choose a credit note instead.' : 'Approve the return receipt, then choose the money back.',
    target: { resource: 'order', id: r.order_id },
    since: isoOrNull(r.since),
  }));
}

/** Quarantine records still held after the grace. */
export async function detectQuarantineAging(db: Db, tenantId: string, opts: StallOptions): Promise<Stall[]> {
  const days = opts.quarantineDays ?? QUARANTINE_DAYS;
  const rows = await db<{ id: string; return_id: string; quantity: number; created_at: Date }[]>`
    select id::text, return_id::text, quantity, created_at from quarantine_records
    where tenant_id = ${tenantId} and status = 'held' and created_at < now() - make_interval(days => ${days})
    order by created_at, quarantine_records.id limit ${STALLS_PER_KIND}`;
  return rows.map((q) => ({
    kind: 'return.quarantine_aging',
    subjectType: 'quarantine_record',
    subjectId: q.id,
    message: `${q.quantity} unit(s) of return ${q.return_id} have been in quarantine for over ${days} days.`,
    why: 'quarantined goods are neither sellable nor written off',
    fix: 'Release them to a bin (they become available) or scrap them with the reason.',
    target: null,
    since: isoOrNull(q.created_at),
  }));
}
