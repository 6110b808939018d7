import { importBnrRatesForAllTenants } from '@expedio/core/invoicing';
import { runJob } from '../job-context.ts';

// BNR's day of reference rates, fetched once and stored for every tenant with an invoicing profile
// (no other can invoice, and the whole table is a few dozen rows); a re-run writes nothing.
await runJob('import-fx-rates', async ({ sql }) => {
  const r = await importBnrRatesForAllTenants(sql);
  return r.written > 0 ? { ...r } : undefined;
});
