import type { Sql, Tx } from './connect.ts';

/**
 * One transaction on a connection of its own, like `sql.begin`, but two round trips shorter: BEGIN
 * goes out with the first statements, and the statement `fn` hands back as `last` goes out with
 * COMMIT. Postgres answers COMMIT with ROLLBACK (and no error) when a statement before it failed,
 * so anything but a COMMIT answer is an error here: a resolved promise always means committed.
 */
export async function pipelinedTransaction<T>(sql: Sql, fn: (tx: Tx) => Promise<{ result: T; last?: (tx: Tx) => Promise<unknown> }>): Promise<T> {
  const conn = await sql.reserve();
  const tx = conn as unknown as Tx;
  let open = false;
  try {
    // Sent before any statement of fn: the connection's queue keeps the order of execution.
    const begun = conn`begin`.execute();
    open = true;
    const [, out] = await Promise.all([begun, fn(tx)]);
    const [, committed] = await Promise.all([out.last ? out.last(tx) : null, conn`commit`]);
    open = false;
    if ((committed as unknown as { command?: string }).command !== 'COMMIT') throw new Error('the transaction was rolled back instead of committed');
    return out.result;
  } catch (e) {
    if (open) await conn`rollback`.catch(() => {});
    throw e;
  } finally {
    conn.release();
  }
}
