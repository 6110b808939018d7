import { dueChannels, syncChannel } from '@expedio/core/flows';
import { runJob } from '../job-context.ts';

// The fallback for missed webhooks: every channel whose interval has passed is pulled once.
await runJob('sync-channels', async (deps) => {
  const runs: Record<string, unknown> = {};
  for (const { tenantId, channelId } of await dueChannels(deps)) {
    try {
      runs[channelId] = await syncChannel(deps, tenantId, channelId, { trigger: 'sync' });
    } catch (e) {
      runs[channelId] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return Object.keys(runs).length > 0 ? runs : undefined;
});
