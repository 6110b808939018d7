import { startWorker } from './start-worker.ts';

// A worker on its own (N of them may run beside N core replicas): DATABASE_URL and EXPEDIO_MASTER_KEY.
const databaseUrl = process.env.DATABASE_URL;
const masterKey = process.env.EXPEDIO_MASTER_KEY;
if (!databaseUrl || !masterKey) {
  console.error('The worker needs DATABASE_URL and EXPEDIO_MASTER_KEY.');
  process.exit(2);
}
const stop = await startWorker({ databaseUrl, masterKey });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));
