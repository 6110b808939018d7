import type { SecretBox } from '../shared/secret-box.ts';
import type { ShopifyAppConfig } from '../shared/shopify-app-config.ts';
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

/** What handlers need from outside (passed in by the worker, never read from globals). */
export interface OutboxContext {
  box: SecretBox;
  now: () => Date;
  fetch?: typeof fetch;
  /** The Shopify app's key and secret: refreshing a shop's expiring offline token needs them. */
  shopifyApp?: ShopifyAppConfig;
}

export type OutboxHandler = (tx: Tx, item: OutboxItem, ctx: OutboxContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (the item becomes a stall at once). */
export class PermanentFailure extends Error {}

/**
 * A failure whose consequences must outlive the rollback of the handler's own writes: the sync-log
 * row saying why a write-back failed, the channel marked "needs reconnect". `effects` runs in the
 * claiming transaction after the handler's savepoint is rolled back.
 */
export class FailureWithEffects extends Error {
  readonly effects: (tx: Tx) => Promise<void>;
  readonly permanent: boolean;
  constructor(message: string, effects: (tx: Tx) => Promise<void>, permanent = false) {
    super(message);
    this.effects = effects;
    this.permanent = permanent;
  }
}

/** A stalled item as the caller's hook sees it: attempts made and the last error. */
export interface StalledOutboxItem extends OutboxItem {
  error: string;
}

/**
 * Called in the claiming transaction when an item stalls, so the operator hears of it. The stalls
 * area passes its recorder in (db/ knows no area); without a hook the item is only marked stalled.
 */
export type OnOutboxStalled = (tx: Tx, item: StalledOutboxItem) => Promise<void>;

const NO_CONTEXT: OutboxContext = {
  get box(): SecretBox {
    throw new Error('this outbox dispatch was started without a context (no secret box)');
  },
  now: () => new Date(),
};

/** Back-off: 5 s, 20 s, 80 s … capped at one hour. */
export const backoffSeconds = (attempt: number): number => Math.min(3600, 5 * 4 ** Math.max(0, attempt - 1));

/**
 * Claims due items with FOR UPDATE SKIP LOCKED (several workers never take the same row) and runs
 * each handler inside a savepoint of the claiming transaction: success marks the row done in the
 * same commit as the handler's own writes; a failure rolls back only the handler's writes and
 * schedules a retry, and after the last attempt the item is stalled and handed to `onStalled`.
 */
export async function dispatchOutbox(
  sql: Sql,
  handlers: Record<string, OutboxHandler>,
  opts: { batch?: number; context?: OutboxContext; onStalled?: OnOutboxStalled } = {},
): Promise<{ done: number; failed: number; stalled: number }> {
  const result = { done: 0, failed: 0, stalled: 0 };
  await sql.begin(async (tx) => {
    const items = await tx<OutboxItem[]>`
      select tenant_id::text as "tenantId", id::text as id, kind, payload, attempts, max_attempts as "maxAttempts"
      from outbox
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at, outbox.id
      limit ${opts.batch ?? 50}
      for update skip locked`;
    for (const item of items) {
      const handler = handlers[item.kind];
      try {
        if (!handler) throw new PermanentFailure(`no handler for outbox kind ${item.kind}`);
        await tx.savepoint((sp) => handler(sp as unknown as Tx, item, opts.context ?? NO_CONTEXT));
        await tx`update outbox set status = 'done', done_at = now(), attempts = attempts + 1, last_error = null
          where tenant_id = ${item.tenantId} and id = ${item.id}`;
        result.done++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const attempts = item.attempts + 1;
        if (e instanceof FailureWithEffects) {
          await tx.savepoint((sp) => e.effects(sp as unknown as Tx)).catch(() => {});
        }
        if (e instanceof PermanentFailure || (e instanceof FailureWithEffects && e.permanent) || attempts >= item.maxAttempts) {
          await tx`update outbox set status = 'stalled', attempts = ${attempts}, last_error = ${message}
            where tenant_id = ${item.tenantId} and id = ${item.id}`;
          await opts.onStalled?.(tx, { ...item, attempts, error: message });
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
