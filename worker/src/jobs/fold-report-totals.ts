import { foldOrderDayTotals } from '@expedio/core/orders';
import { foldInvoiceDayTotals } from '@expedio/core/invoicing';
import { runJob } from '../job-context.ts';

// The report day totals (migration 035) gain a delta row per statement that changes an order or
// an invoice; folding them keeps a report page a few rows per day. A report is exact folded or not.
await runJob('fold-report-totals', async ({ sql }) => {
  const orders = await foldOrderDayTotals(sql);
  const invoices = await foldInvoiceDayTotals(sql);
  return orders + invoices > 0 ? { orders, invoices } : undefined;
});
