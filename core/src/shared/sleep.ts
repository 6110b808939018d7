/** A wait that an AbortSignal cuts short (rejecting with the signal's reason); back-off loops use it. */
export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Exponential back-off (500 ms doubling, capped at 30 s) with jitter over its upper half: replicas
 * hitting the same outage should not retry in lockstep.
 */
export function jitteredBackoffMs(attempt: number): number {
  const cap = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}
