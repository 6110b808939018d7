import { requestPeriodicCatalogSyncs } from '@expedio/core/flows';
import { runJob } from '../job-context.ts';

// Hourly: every connected store's catalog is queued for a sync (the outbox runs it, page by page).
await runJob('sync-catalogs', async (deps) => {
  const queued = await requestPeriodicCatalogSyncs(deps);
  return queued > 0 ? { queued } : undefined;
});
