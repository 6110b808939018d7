import { abortableSleep } from './sleep.ts';

/**
 * The one HTTP retry of the core: Retry-After parsing, the back-off, and a loop with a budget of
 * attempts and time. Each client keeps its own reading of an answer (which statuses retry, what a
 * refusal means); it hands the loop one attempt at a time and says, per answer, "done", or "retry
 * (after the wait the server asked for, if it did) — and if you may not, give up with this error".
 */

export { abortableSleep } from './sleep.ts';

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `nowMs`; null when
 * absent or unreadable. Fractional seconds (some couriers send them) are read too.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // Every HTTP date form starts with the day's name; V8's Date.parse would read "-1" or "1.5x" as dates in 2001.
  if (!/^[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export interface BackoffOptions {
  /** First wait; doubled per attempt. Default 500 ms. */
  baseMs?: number;
  /** Longest wait. Default 30 s. */
  capMs?: number;
  /**
   * Jitter over the upper half of each wait (default true): replicas hitting the same outage
   * should not retry in lockstep.
   */
  jitter?: boolean;
}

/** Exponential back-off for attempt 0, 1, 2…: base × 2^attempt, capped, jittered unless told not to. */
export function exponentialBackoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const cap = Math.min(opts.capMs ?? 30_000, (opts.baseMs ?? 500) * 2 ** attempt);
  if (opts.jitter === false) return cap;
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** 500 ms doubling to 30 s, jittered over the upper half. */
export const jitteredBackoffMs = (attempt: number): number => exponentialBackoffMs(attempt);

/** What one attempt came to: a value, or a failure worth another attempt. */
export type Attempt<T> =
  | { done: true; value: T }
  | {
      done: false;
      /** The wait the server asked for (Retry-After, a refill time); null: our back-off. */
      serverWaitMs: number | null;
      /** The error to throw when no further attempt is allowed. */
      giveUp: () => unknown;
    };

export const done = <T>(value: T): Attempt<T> => ({ done: true, value });
export const retry = (giveUp: () => unknown, serverWaitMs: number | null = null): Attempt<never> => ({ done: false, serverWaitMs, giveUp });

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Our wait before attempt n+1 when the server named none. Default: jitteredBackoffMs. */
  backoff?: (attempt: number) => number;
  /** Longest server-asked wait taken inside one call. Default: no limit. */
  maxServerWaitMs?: number;
  /**
   * A longer server-asked wait is cut to maxServerWaitMs (`clamp`, default) or not taken: the call
   * gives up at once so the caller's scheduler retries later (`give-up`).
   */
  longServerWait?: 'clamp' | 'give-up';
  /**
   * Retry only an answer that named its wait (Retry-After, a bucket refill): a timeout, a transport
   * error or a 5xx gives up at once. For callers whose own scheduler retries (the outbox).
   */
  onlyServerWaits?: boolean;
  /** Total time for the whole call, waits included: a wait that would end past it is not taken. Default: no limit. */
  budgetMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Cuts a wait short (the sleep rejects with the signal's reason). */
  signal?: AbortSignal;
  now?: () => number;
}

/** The wait before the next attempt, or null when the policy says give up now. */
export function nextWaitMs(attempt: number, serverWaitMs: number | null, elapsedMs: number, policy: RetryPolicy): number | null {
  if (attempt + 1 >= policy.maxAttempts) return null;
  if (serverWaitMs === null && policy.onlyServerWaits) return null;
  let wait = serverWaitMs ?? (policy.backoff ?? jitteredBackoffMs)(attempt);
  if (serverWaitMs !== null && policy.maxServerWaitMs !== undefined && wait > policy.maxServerWaitMs) {
    if (policy.longServerWait === 'give-up') return null;
    wait = policy.maxServerWaitMs;
  }
  if (policy.budgetMs !== undefined && elapsedMs + wait > policy.budgetMs) return null;
  return wait;
}

/**
 * Calls `fetchOnce(attempt)` until it is done, waiting between attempts as the policy says; when
 * no further attempt is allowed, throws the last attempt's `giveUp()`. Errors thrown by `fetchOnce`
 * are not retried: an attempt that may be retried says so by returning `retry(...)`.
 */
export async function retrying<T>(fetchOnce: (attempt: number) => Promise<Attempt<T>>, policy: RetryPolicy): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? abortableSleep;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    const a = await fetchOnce(attempt);
    if (a.done) return a.value;
    const wait = nextWaitMs(attempt, a.serverWaitMs, now() - started, policy);
    if (wait === null) throw a.giveUp();
    await sleep(wait, policy.signal);
  }
}
