import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '@expedio/core/db';
import type { Deps } from '@expedio/core/shared';
import { createSecretBox, installOutboundGuard, shopifyAppConfigFromEnv } from '@expedio/core/shared';

export interface JobData {
  databaseUrl: string;
  masterKey: string;
}

/**
 * Each Bree job is a worker thread with its own small pool: the job opens it, does one bounded
 * batch of work, closes it and tells Bree it is done. Jobs hold no state between runs; their
 * cursors and leases live in Postgres, so any number of workers can run side by side.
 */
export async function runJob(name: string, work: (deps: Deps) => Promise<Record<string, unknown> | undefined>, opts: { max?: number } = {}): Promise<void> {
  const data = workerData as JobData;
  // The thread's own fetch: the jobs make the calls out (stores, couriers, ANAF), to public addresses only.
  installOutboundGuard();
  const sql = connect(data.databaseUrl, { max: opts.max ?? 2 });
  const shopifyApp = shopifyAppConfigFromEnv();
  const deps: Deps = { sql, box: createSecretBox(data.masterKey), now: () => new Date(), ...(shopifyApp ? { shopifyApp } : {}) };
  try {
    const report = await work(deps);
    if (report && Object.keys(report).length > 0) parentPort?.postMessage({ job: name, report });
  } catch (e) {
    parentPort?.postMessage({ job: name, error: e instanceof Error ? e.message : String(e) });
  } finally {
    await sql.end({ timeout: 5 });
    parentPort?.postMessage('done');
  }
}
