import { spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { withDatabase } from '../../test/support/pg-server.ts';

/**
 * pgbench itself (the client from Debian's postgresql-client), on its own scratch database of the
 * same server the load runs on: the baseline every throughput benchmark divides by.
 */
export interface PgbenchDb {
  /** One timed run of `pgbench -b tpcb-like` at `clients` for `seconds`; its tps without connection time. */
  run(clients: number, seconds: number): number;
  close(): Promise<void>;
}

export function pgbenchBinary(): string {
  const found = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error('pgbench is not installed: on Debian, `apt-get install postgresql-client` (the benchmarks divide by its tps)');
  }
  return 'pgbench';
}

export async function pgbenchDatabase(adminUrl: string, scale: number): Promise<PgbenchDb> {
  const bin = pgbenchBinary();
  const name = `expedio_pgbench_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const init = spawnSync(bin, ['-i', '-q', '-s', String(scale), url], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  return {
    run(clients, seconds) {
      // -n: no vacuum between runs (the other load shares the server); -j 2: this machine's cores.
      const r = spawnSync(bin, ['-b', 'tpcb-like', '-n', '-c', String(clients), '-j', '2', '-T', String(seconds), url], { encoding: 'utf8' });
      const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
      if (r.status !== 0 || !m) throw new Error(`pgbench run failed: ${r.stderr || r.stdout}`);
      return Number(m[1]);
    },
    async close() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** min / median / max of a few rounds. */
export function spread(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length === 0 ? 0 : s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0] ?? 0, median, max: s.at(-1) ?? 0 };
}
