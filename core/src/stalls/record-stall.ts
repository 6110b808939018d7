import type { Db } from '../db/connect.ts';
import type { OnOutboxStalled } from '../db/outbox.ts';

/**
 * The writers of the `stalls` table: failures the worker gave up on and alerts raised by a flow
 * (tracking). A stall is open once per (kind, subject) — the partial unique index `stalls_open`
 * makes a second open a no-op — until it is resolved.
 */
export interface OpenStall {
  kind: string;
  subjectType: string;
  subjectId: string;
  message: string;
  fix: string;
  details?: Record<string, unknown>;
}

export async function openStall(db: Db, tenantId: string, s: OpenStall): Promise<void> {
  await db`insert into stalls (tenant_id, kind, subject_type, subject_id, message, fix, details)
    values (${tenantId}, ${s.kind}, ${s.subjectType}, ${s.subjectId}, ${s.message}, ${s.fix}, ${s.details ? db.json(s.details as never) : null})
    on conflict do nothing`;
}

export async function resolveStalls(db: Db, tenantId: string, subject: { subjectType: string; subjectId: string }, kinds: string[]): Promise<void> {
  await db`update stalls set resolved_at = now() where tenant_id = ${tenantId} and subject_type = ${subject.subjectType}
    and subject_id = ${subject.subjectId} and kind = any(${kinds}) and resolved_at is null`;
}

/** The outbox's `onStalled` hook: an item the worker gave up on becomes a stall naming the cause. */
export const openOutboxStall: OnOutboxStalled = async (tx, item) => {
  await openStall(tx, item.tenantId, {
    kind: `outbox.${item.kind}`,
    subjectType: 'outbox',
    subjectId: item.id,
    message: `${item.kind} failed after ${item.attempts} attempt(s): ${item.error}`,
    fix: 'Fix the cause shown, then retry the item from the stalls list.',
    details: { payload: item.payload },
  });
};
