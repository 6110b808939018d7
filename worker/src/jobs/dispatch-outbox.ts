import { runOutboxDispatcher } from '@expedio/core/db';
import { outboxHandlers } from '@expedio/core/flows';
import { openOutboxStall } from '@expedio/core/stalls';
import { runJob } from '../job-context.ts';

// Up to 16 items in flight for ~5 s (a slot freed is filled at once; a hung store holds only its own
// channel's two), then the next run takes over; replicas share the outbox through leases.
await runJob('dispatch-outbox', async ({ sql, box, now, shopifyApp }) => {
  const context = { box, now, ...(shopifyApp ? { shopifyApp } : {}) };
  const total = await runOutboxDispatcher(sql, outboxHandlers, { concurrency: 16, until: Date.now() + 5000, context, onStalled: openOutboxStall });
  return total.done + total.failed + total.stalled > 0 ? { ...total } : undefined;
}, { max: 8 });
