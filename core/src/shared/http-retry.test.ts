import { describe, expect, it } from 'vitest';
import { type Attempt, done, exponentialBackoffMs, jitteredBackoffMs, nextWaitMs, type RetryPolicy, retry, retryAfterMs, retrying } from './http-retry.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('retryAfterMs', () => {
  it.each([
    ['delta-seconds', '3', 3000],
    ['zero', '0', 0],
    ['fractional seconds', '1.5', 1500],
    ['seconds with spaces', ' 2 ', 2000],
    ['an HTTP date', 'Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['an HTTP date in the past', 'Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['garbage', 'soon', null],
    ['a negative number', '-1', null],
    ['empty', '', null],
    ['absent', null, null],
  ] as const)('reads %s', (_name, value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms);
  });
});

describe('exponentialBackoffMs', () => {
  it.each([
    [0, {}, 500],
    [1, {}, 1000],
    [3, {}, 4000],
    [10, {}, 30_000],
    [2, { baseMs: 100 }, 400],
    [4, { baseMs: 1000, capMs: 5000 }, 5000],
  ] as const)('attempt %i with %o waits %i ms without jitter', (attempt, opts, ms) => {
    expect(exponentialBackoffMs(attempt, { ...opts, jitter: false })).toBe(ms);
  });

  it('jitters over the upper half of the wait', () => {
    for (let attempt = 0; attempt < 8; attempt++)
      for (let i = 0; i < 50; i++) {
        const cap = Math.min(30_000, 500 * 2 ** attempt);
        const w = jitteredBackoffMs(attempt);
        expect(w).toBeGreaterThanOrEqual(cap / 2);
        expect(w).toBeLessThanOrEqual(cap);
      }
  });
});

describe('nextWaitMs', () => {
  const fixed = (n: number) => 100 * 2 ** n;
  it.each<[string, number, number | null, number, RetryPolicy, number | null]>([
    ['our back-off when the server named no wait', 0, null, 0, { maxAttempts: 3, backoff: fixed }, 100],
    ['the server wait when it named one', 1, 2500, 0, { maxAttempts: 3, backoff: fixed }, 2500],
    ['give up after the last attempt', 2, null, 0, { maxAttempts: 3, backoff: fixed }, null],
    ['a single attempt never waits', 0, 10, 0, { maxAttempts: 1 }, null],
    ['a long server wait clamped', 0, 90_000, 0, { maxAttempts: 3, maxServerWaitMs: 60_000 }, 60_000],
    ['a long server wait refused', 0, 90_000, 0, { maxAttempts: 3, maxServerWaitMs: 60_000, longServerWait: 'give-up' }, null],
    ['a server wait at the limit taken', 0, 60_000, 0, { maxAttempts: 3, maxServerWaitMs: 60_000, longServerWait: 'give-up' }, 60_000],
    ['the limit does not apply to our back-off', 3, null, 0, { maxAttempts: 5, backoff: fixed, maxServerWaitMs: 500, longServerWait: 'give-up' }, 800],
    ['a wait that fits the time budget', 0, 1000, 8000, { maxAttempts: 3, budgetMs: 9000 }, 1000],
    ['a wait that would end past the time budget', 0, 1001, 8000, { maxAttempts: 3, budgetMs: 9000 }, null],
  ])('%s', (_name, attempt, serverWait, elapsed, policy, expected) => {
    expect(nextWaitMs(attempt, serverWait, elapsed, policy)).toBe(expected);
  });
});

describe('retrying', () => {
  const script = (answers: Attempt<string>[]) => {
    const calls: number[] = [];
    const fetchOnce = async (attempt: number) => {
      calls.push(attempt);
      return answers[attempt] ?? done('late');
    };
    return { calls, fetchOnce };
  };

  it('retries until done, sleeping the waits in order', async () => {
    const waits: number[] = [];
    const s = script([retry(() => new Error('a'), 3000), retry(() => new Error('b')), done('ok')]);
    const v = await retrying(s.fetchOnce, { maxAttempts: 4, backoff: (n) => 10 * (n + 1), sleep: async (ms) => void waits.push(ms) });
    expect(v).toBe('ok');
    expect(s.calls).toEqual([0, 1, 2]);
    expect(waits).toEqual([3000, 20]);
  });

  it("throws the last attempt's error when attempts run out, without a last sleep", async () => {
    const waits: number[] = [];
    const s = script([retry(() => new Error('first')), retry(() => new Error('second'))]);
    await expect(retrying(s.fetchOnce, { maxAttempts: 2, backoff: () => 5, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow('second');
    expect(waits).toEqual([5]);
  });

  it('does not retry what fetchOnce throws', async () => {
    let n = 0;
    const fetchOnce = async (): Promise<Attempt<string>> => {
      n++;
      throw new Error('refused');
    };
    await expect(retrying(fetchOnce, { maxAttempts: 5, sleep: async () => {} })).rejects.toThrow('refused');
    expect(n).toBe(1);
  });

  it('stops when the time budget would be exceeded', async () => {
    let t = 0;
    const s = script([retry(() => new Error('a'), 400), retry(() => new Error('b'), 700)]);
    const sleep = async (ms: number) => {
      t += ms;
    };
    await expect(retrying(s.fetchOnce, { maxAttempts: 10, budgetMs: 1000, now: () => t, sleep })).rejects.toThrow('b');
    expect(s.calls).toEqual([0, 1]);
  });

  it('is cut short by an abort during a wait', async () => {
    const ctl = new AbortController();
    const s = script([retry(() => new Error('a'), 60_000)]);
    const p = retrying(s.fetchOnce, { maxAttempts: 3, signal: ctl.signal });
    setTimeout(() => ctl.abort(new Error('shutting down')), 10);
    await expect(p).rejects.toThrow('shutting down');
  });
});
