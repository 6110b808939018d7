import Bree from 'bree';
import type { JobData } from './job-context.ts';

export interface WorkerOptions extends JobData {
  log?: (line: string) => void;
  outboxInterval?: string;
  syncInterval?: string;
}

/** Starts the schedules; returns a stop function that waits for running jobs to end. */
export async function startWorker(opts: WorkerOptions): Promise<() => Promise<void>> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const bree = new Bree({
    root: new URL('./jobs/', import.meta.url).pathname,
    defaultExtension: 'ts',
    acceptedExtensions: ['.ts'],
    logger: false,
    worker: { workerData: { databaseUrl: opts.databaseUrl, masterKey: opts.masterKey } satisfies JobData },
    jobs: [
      { name: 'dispatch-outbox', interval: opts.outboxInterval ?? '1s' },
      { name: 'sync-channels', interval: opts.syncInterval ?? '1m', timeout: '5s' },
      { name: 'poll-einvoices', interval: '30s' },
      { name: 'track-shipments', interval: '1m' },
      { name: 'sync-tracking-feeds', interval: '1m' },
      { name: 'sync-catalogs', interval: '1h' },
      { name: 'fold-report-totals', interval: '1m' },
      // BNR publishes shortly after 13:00 Bucharest time on banking days; 17:30 catches a late file or a failed run (a re-run writes nothing).
      { name: 'import-fx-rates', cron: '30 13,17 * * *', timezone: 'Europe/Bucharest' },
    ],
    workerMessageHandler: ({ name, message }: { name: string; message: unknown }) => {
      if (message && typeof message === 'object') log(`[worker] ${name}: ${JSON.stringify(message)}`);
    },
    errorHandler: (error: unknown, meta: { name?: string }) => log(`[worker] ${meta?.name ?? 'job'} failed: ${String(error)}`),
  });
  await bree.start();
  return async () => {
    await bree.stop();
  };
}
