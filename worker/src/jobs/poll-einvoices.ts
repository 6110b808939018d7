import { processEInvoices } from '@expedio/core/invoicing';
import { runJob } from '../job-context.ts';

// Uploads pending e-invoices and polls ANAF for those in processing, within ANAF's per-message
// daily limits (the schedule and counters live on the e_invoices rows).
await runJob('poll-einvoices', async (deps) => {
  const r = await processEInvoices(deps, { batch: 100 });
  return Object.values(r).some((n) => n > 0) ? { ...r } : undefined;
});
