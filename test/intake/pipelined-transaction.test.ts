import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import { pipelinedTransaction } from '../../core/src/db/pipelined-transaction.ts';
import { testDatabase } from '../support/test-db.ts';

let sql: Sql;
beforeAll(async () => {
  ({ sql } = await testDatabase({ max: 2 }));
  await sql`create table pipelined_probe (x int primary key)`;
});
const stored = async () => (await sql<{ x: number }[]>`select x from pipelined_probe order by x`).map((r) => r.x);

describe('a transaction with BEGIN and COMMIT pipelined', () => {
  it('commits what it wrote, the last statement included, and resolves with the result', async () => {
    const r = await pipelinedTransaction(sql, async (tx) => {
      await tx`insert into pipelined_probe values (1)`;
      return { result: 'done', last: (t) => t`insert into pipelined_probe values (2)` };
    });
    expect(r).toBe('done');
    expect(await stored()).toEqual([1, 2]);
  });

  it('rejects and keeps nothing when the statement sent with the COMMIT fails', async () => {
    await expect(
      pipelinedTransaction(sql, async (tx) => {
        await tx`insert into pipelined_probe values (3)`;
        return { result: 'done', last: (t) => t`insert into pipelined_probe values (1)` };
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await stored()).toEqual([1, 2]);
  });

  it('rejects when a failed statement made Postgres answer the COMMIT with ROLLBACK, even if its error was swallowed', async () => {
    await expect(
      pipelinedTransaction(sql, async (tx) => {
        await tx`insert into pipelined_probe values (4)`;
        await tx`insert into pipelined_probe values (1)`.catch(() => {});
        return { result: 'done' };
      }),
    ).rejects.toThrow(/rolled back instead of committed/);
    expect(await stored()).toEqual([1, 2]);
    // The connection went back to the pool usable, outside any transaction.
    expect((await sql`select 1 as one`)[0]!.one).toBe(1);
  });
});
