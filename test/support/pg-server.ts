import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../core/src/db/embedded-postgres.ts';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when a PostgreSQL server answers at 127.0.0.1:5432 (the machine's PostgreSQL 15). */
export async function localServerAnswers(): Promise<boolean> {
  const sql = postgres(LOCAL_SERVER, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * The Postgres server tests run on: TEST_DATABASE_URL if set, else the machine's server at
 * 127.0.0.1:5432 when it answers, else an embedded PostgreSQL 18 in a temporary folder.
 */
export async function acquirePgServer(): Promise<{ adminUrl: string; kind: string; release(): Promise<void> }> {
  const forced = process.env.TEST_DATABASE_URL;
  if (forced) return { adminUrl: forced, kind: 'TEST_DATABASE_URL', release: async () => {} };
  if (process.env.EXPEDIO_TEST_PG !== 'embedded' && (await localServerAnswers())) {
    return { adminUrl: LOCAL_SERVER, kind: 'local PostgreSQL at 127.0.0.1:5432', release: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'expedio-test-pg-'));
  const server = await startEmbeddedPostgres(dir);
  return {
    adminUrl: server.url,
    kind: 'embedded PostgreSQL',
    release: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
