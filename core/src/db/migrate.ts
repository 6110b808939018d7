import { readdir, readFile } from 'node:fs/promises';
import type { Sql } from 'postgres';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * Forward-only migrations, applied in file-name order, each in its own transaction. An advisory
 * lock makes concurrent starters (N core replicas, workers, parallel test files) wait for one
 * another instead of racing on the same DDL.
 */
export async function migrate(sql: Sql): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(727274001)`;
    await tx`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      const text = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
      await tx.unsafe(text);
      await tx`insert into schema_migrations (name) values (${file})`;
      applied.push(file);
    }
  });
  return applied;
}
