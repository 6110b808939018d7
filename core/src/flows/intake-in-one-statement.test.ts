import { describe, expect, it } from 'vitest';
import type { Sql } from '../db/connect.ts';
import { GroupCommit } from './intake-in-one-statement.ts';

/** A stand-in pool that records each statement's batch and answers it when the test says so. */
function fakePool() {
  const statements: { size: number; answer: () => void }[] = [];
  const sql = ((_strings: TemplateStringsArray, ...values: unknown[]) => {
    const batch = values[0] as unknown[];
    return new Promise((resolve) => {
      statements.push({ size: batch.length, answer: () => resolve([{ r: batch.map(() => ({ outcome: 'duplicate' })) }]) });
    });
  }) as unknown as Sql;
  (sql as unknown as { json: (v: unknown) => unknown }).json = (v) => v;
  return { sql, statements };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('sends an order at once when nothing runs; while a statement runs, fewer than four wait for it and then go together', async () => {
    const { sql, statements } = fakePool();
    const g = new GroupCommit(sql, 4);
    const first = g.submit({ n: 1 });
    await turn();
    expect(statements.map((s) => s.size)).toEqual([1]);
    const waiting = [2, 3, 4].map((n) => g.submit({ n }));
    await turn();
    // Three orders while one statement runs: they wait rather than cost a statement each.
    expect(statements.map((s) => s.size)).toEqual([1]);
    statements[0]!.answer();
    expect(await first).toEqual({ outcome: 'duplicate' });
    await turn();
    expect(statements.map((s) => s.size)).toEqual([1, 3]);
    // Four while one runs go out at once, in a statement of their own beside it.
    const four = [5, 6, 7, 8].map((n) => g.submit({ n }));
    await turn();
    expect(statements.map((s) => s.size)).toEqual([1, 3, 4]);
    statements[1]!.answer();
    statements[2]!.answer();
    expect(await Promise.all([...waiting, ...four])).toHaveLength(7);
  });
});
