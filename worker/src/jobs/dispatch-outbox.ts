import { dispatchOutbox } from '@expedio/core/db';
import { outboxHandlers } from '@expedio/core/flows';
import { openOutboxStall } from '@expedio/core/stalls';
import { runJob } from '../job-context.ts';

// Drains due outbox items in batches for at most ~5 s, then lets the next run take over.
await runJob('dispatch-outbox', async ({ sql, box, now, shopifyApp }) => {
  const total = { done: 0, failed: 0, stalled: 0 };
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const r = await dispatchOutbox(sql, outboxHandlers, { batch: 50, context: { box, now, ...(shopifyApp ? { shopifyApp } : {}) }, onStalled: openOutboxStall });
    total.done += r.done;
    total.failed += r.failed;
    total.stalled += r.stalled;
    if (r.done + r.failed + r.stalled === 0) break;
  }
  return total.done + total.failed + total.stalled > 0 ? total : undefined;
});
