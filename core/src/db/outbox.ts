import type { Db, Sql, Tx } from './connect.ts';

/**
 * Work caused by a state change is inserted here in the same transaction as the change, so it is
 * never lost and never done without its cause. The idempotency key makes a second enqueue of the
 * same work (a redelivered webhook, a retried request) a no-op.
 */
export async function enqueue(
  db: Db,
  tenantId: string,
  kind: string,
  payload: Record<string, unknown>,
  idempotencyKey: string,
  opts: { maxAttempts?: number; delaySeconds?: number } = {},
): Promise<boolean> {
  const rows = await db`
    insert into outbox (tenant_id, kind, payload, idempotency_key, max_attempts, next_attempt_at)
    values (${tenantId}, ${kind}, ${db.json(payload as never)}, ${idempotencyKey}, ${opts.maxAttempts ?? 8},
            now() + make_interval(secs => ${opts.delaySeconds ?? 0}))
    on conflict (tenant_id, idempotency_key) do nothing
    returning id`;
  return rows.length > 0;
}

export interface OutboxItem {
  tenantId: string;
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export type OutboxHandler = (tx: Tx, item: OutboxItem) => Promise<void>;

/** Thrown by a handler when retrying cannot help (the item becomes a stall at once). */
export class PermanentFailure extends Error {}

/** Back-off: 5 s, 20 s, 80 s … capped at one hour. */
export const backoffSeconds = (attempt: number): number => Math.min(3600, 5 * 4 ** Math.max(0, attempt - 1));

/**
 * Claims due items with FOR UPDATE SKIP LOCKED (several workers never take the same row) and runs
 * each handler inside a savepoint of the claiming transaction: success marks the row done in the
 * same commit as the handler's own writes; a failure rolls back only the handler's writes and
 * schedules a retry, and after the last attempt the item is stalled and shown as a stall.
 */
export async function dispatchOutbox(
  sql: Sql,
  handlers: Record<string, OutboxHandler>,
  opts: { batch?: number } = {},
): Promise<{ done: number; failed: number; stalled: number }> {
  const result = { done: 0, failed: 0, stalled: 0 };
  await sql.begin(async (tx) => {
    const items = await tx<OutboxItem[]>`
      select tenant_id::text as "tenantId", id::text as id, kind, payload, attempts, max_attempts as "maxAttempts"
      from outbox
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at, id
      limit ${opts.batch ?? 50}
      for update skip locked`;
    for (const item of items) {
      const handler = handlers[item.kind];
      try {
        if (!handler) throw new PermanentFailure(`no handler for outbox kind ${item.kind}`);
        await tx.savepoint((sp) => handler(sp as unknown as Tx, item));
        await tx`update outbox set status = 'done', done_at = now(), attempts = attempts + 1, last_error = null
          where tenant_id = ${item.tenantId} and id = ${item.id}`;
        result.done++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const attempts = item.attempts + 1;
        if (e instanceof PermanentFailure || attempts >= item.maxAttempts) {
          await tx`update outbox set status = 'stalled', attempts = ${attempts}, last_error = ${message}
            where tenant_id = ${item.tenantId} and id = ${item.id}`;
          await tx`insert into stalls (tenant_id, kind, subject_type, subject_id, message, fix, details)
            values (${item.tenantId}, ${`outbox.${item.kind}`}, 'outbox', ${item.id},
                    ${`${item.kind} failed after ${attempts} attempt(s): ${message}`},
                    'Fix the cause shown, then retry the item from the stalls list.',
                    ${tx.json({ payload: item.payload } as never)})
            on conflict do nothing`;
          result.stalled++;
        } else {
          await tx`update outbox set attempts = ${attempts}, last_error = ${message},
              next_attempt_at = now() + make_interval(secs => ${backoffSeconds(attempts)})
            where tenant_id = ${item.tenantId} and id = ${item.id}`;
          result.failed++;
        }
      }
    }
  });
  return result;
}
