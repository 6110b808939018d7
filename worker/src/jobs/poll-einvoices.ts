import { processEInvoices } from '@expedio/core/invoicing';
import { runJob } from '../job-context.ts';

// Uploads pending e-invoices (after the official-rules gate) and polls ANAF for those in processing,
// within ANAF's limits (counters and claims live in Postgres: safe on several workers at once).
await runJob('poll-einvoices', async (deps) => {
  const r = await processEInvoices(deps, { batch: 100 });
  return Object.values(r).some((n) => n > 0) ? { ...r } : undefined;
});
