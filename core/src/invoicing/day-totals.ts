import type { Db } from '../db/connect.ts';

/**
 * Folds the invoice day totals' deltas (migration 035) into one row per tenant, day, channel,
 * currency and kind; as foldOrderDayTotals, safe to run concurrently and repeatedly.
 */
export async function foldInvoiceDayTotals(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`select invoicing_fold_day_totals() as n`;
  return row?.n ?? 0;
}
