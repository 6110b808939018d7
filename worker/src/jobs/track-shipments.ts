import { pollShipments } from '@expedio/core/flows';
import { runJob } from '../job-context.ts';

// Polls shipments due for tracking (a lease per row in Postgres, so several workers split them),
// in batches within each courier's limits, for at most ~20 s per run.
await runJob('track-shipments', async (deps) => {
  const total = { claimed: 0, polled: 0, newEvents: 0, statusChanges: 0, unknownCodes: 0, failures: 0 };
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const r = await pollShipments(deps, { limit: 400 });
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    if (r.claimed === 0) break;
  }
  return total.claimed > 0 ? total : undefined;
});
