import { markNeedsReconnect, writeSyncLog } from '../../channels/index.ts';
import type { Tx } from '../../db/connect.ts';
import { FailureWithEffects, type OutboxItem, PermanentFailure } from '../../db/outbox.ts';
import { isDomainError } from '../../shared/domain-error.ts';

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
 * Runs one write-back and records it in sync_log. A failure is thrown with its effects (the error
 * row, the channel marked needs reconnect) so that they survive the rollback of the handler's own
 * writes; dispatchOutbox then schedules the retry, or stalls the item after the last attempt.
 */
export async function attempt(tx: Tx, item: OutboxItem, spec: AttemptSpec, work: () => Promise<Record<string, unknown> & { outcome: string }>): Promise<void> {
  const base = { tenantId: item.tenantId, channelId: spec.channelId, direction: 'outbound' as const, kind: 'writeback' as const, topic: spec.topic, externalId: spec.externalId, deliveryId: item.id };
  let result: Record<string, unknown> & { outcome: string };
  try {
    result = await work();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = `${spec.what} failing: ${reason}`;
    const permanent = e instanceof PermanentFailure || (isDomainError(e) && PERMANENT.has(e.code));
    const attemptNo = item.attempts + 1;
    // The handler's writes roll back with the failure; the log row and the reconnect mark must stay.
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
  await writeSyncLog(tx, { ...base, outcome: result.outcome === 'skipped' ? 'ignored' : 'ok', details: result });
}
