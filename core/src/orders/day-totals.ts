import type { Db } from '../db/connect.ts';

/**
 * Folds the order day totals' deltas (migration 035: one row per key and statement that changed
 * an order) into one row per tenant, day, channel, status and currency. Safe to run anywhere, any
 * number of times at once: it replaces exactly the rows its snapshot sees by their sums.
 * Returns how many rows it replaced.
 */
export async function foldOrderDayTotals(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`select orders_fold_day_totals() as n`;
  return row?.n ?? 0;
}
