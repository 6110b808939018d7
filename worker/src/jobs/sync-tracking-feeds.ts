import { syncStatusFeeds } from '@expedio/core/flows';
import { runJob } from '../job-context.ts';

// Reads couriers' status feeds (Sameday status-sync) from each account's cursor in Postgres; the
// cursor's lease lets several workers run this side by side without reading one feed twice.
await runJob('sync-tracking-feeds', async (deps) => {
  const r = await syncStatusFeeds(deps);
  return r.pages > 0 || r.failures > 0 ? { ...r } : undefined;
});
