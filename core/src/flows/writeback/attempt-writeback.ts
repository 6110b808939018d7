import { markNeedsReconnect, writeSyncLog } from '../../channels/index.ts';
import type { Sql, Tx } from '../../db/connect.ts';
import { FailureWithEffects, markOutboxDone, type OutboxItem, PermanentFailure } from '../../db/outbox.ts';
import { isDomainError } from '../../shared/domain-error.ts';

/**
 * How outbox work calls a store: one try per claim, 10 s at most per request. A store that does not
 * answer (or fails) costs one slot of its own channel for 10 s; the outbox's back-off, not a loop
 * in the client, tries again. Only a throttle answer naming a wait of up to 2 s (Shopify's bucket
 * refill, a 429's Retry-After) is waited in the call, twice at most: the store said when.
 */
export const STORE_CALL = { maxWaitMs: 2_000, maxRetries: 2, timeoutMs: 10_000, onlyServerWaits: true } as const;

// Codes where a retry cannot help: the store refused the content itself, or the thing is gone.
const PERMANENT = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT']);

export interface AttemptSpec {
  /** Names the failing thing in the stall ("status write-back failing: …"). */
  what: string;
  channelId: string;
  topic: string;
  externalId: string;
  /** Whether a rejected credential means the store channel must be reconnected. */
  storeCredentials: boolean;
}

/**
 * Runs one write-back (no transaction open: `work` calls the store) and records it in sync_log. On
 * success the log row and the item's "done" commit together; a failure is thrown with its effects
 * (the error row, the channel marked needs reconnect), which dispatchOutbox writes with the retry,
 * or with the stall after the last attempt.
 */
export async function attempt<R extends Record<string, unknown> & { outcome: string }>(
  db: Sql,
  item: OutboxItem,
  spec: AttemptSpec,
  work: () => Promise<R>,
  /** What the success writes besides the log row (a money back marked done), in the same transaction. */
  onDone?: (tx: Tx, result: R) => Promise<void>,
): Promise<void> {
  const base = { tenantId: item.tenantId, channelId: spec.channelId, direction: 'outbound' as const, kind: 'writeback' as const, topic: spec.topic, externalId: spec.externalId, deliveryId: item.id };
  let result: R;
  try {
    result = await work();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = `${spec.what} failing: ${reason}`;
    const permanent = e instanceof PermanentFailure || (isDomainError(e) && PERMANENT.has(e.code));
    const attemptNo = item.attempts + 1;
    // Written with the record of this attempt (retry or stall), in the dispatcher's transaction.
    throw new FailureWithEffects(
      message,
      async (after) => {
        if (isDomainError(e) && e.code === 'NEEDS_RECONNECT' && spec.storeCredentials) {
          await markNeedsReconnect(after, item.tenantId, spec.channelId, reason);
        }
        await writeSyncLog(after, { ...base, outcome: 'error', error: message, details: { attempt: attemptNo, maxAttempts: item.maxAttempts, code: isDomainError(e) ? e.code : null } });
      },
      permanent,
    );
  }
  await db.begin(async (tx) => {
    await writeSyncLog(tx, { ...base, outcome: result.outcome === 'skipped' ? 'ignored' : 'ok', details: result });
    await onDone?.(tx, result);
    await markOutboxDone(tx, item);
  });
}
