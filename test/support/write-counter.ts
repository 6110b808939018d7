import type { Sql } from '../../core/src/db/connect.ts';

/*
 * "A rejection changes nothing", checked per request and cheaply: a row trigger on every table of
 * the test database counts committed row writes in one counter row. The counter is updated in the
 * writer's transaction, so a write that is rolled back is not counted; a full-table checksum per
 * request would cost more than the requests themselves.
 */

/** Installs the counter on every public table but `except` (e.g. sync_log, where rejections are recorded on purpose). */
export async function installWriteCounter(sql: Sql, except: string[] = []): Promise<void> {
  await sql`create table if not exists test_write_counter (n bigint not null)`;
  await sql`insert into test_write_counter select 0 where not exists (select 1 from test_write_counter)`;
  await sql.unsafe(`create or replace function test_count_write() returns trigger language plpgsql as $$
    begin update test_write_counter set n = n + 1; return null; end $$`);
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'test_write_counter' and not (table_name = any(${except}))`;
  for (const { name } of tables) {
    await sql.unsafe(`create or replace trigger test_count_write after insert or update or delete on "${name}" for each row execute function test_count_write()`);
  }
}

/** Row writes committed since the counter was installed. */
export async function countWrites(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select n::text from test_write_counter`;
  return Number(row!.n);
}

/** Ids of rows in every table with an `id` column (a few each), for path parameters that point at something real. */
export async function recordedIds(sql: Sql, except: string[] = []): Promise<string[]> {
  const tables = await sql<{ name: string }[]>`
    select c.table_name as name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.column_name = 'id' and c.data_type in ('bigint', 'integer') and not (c.table_name = any(${except}))`;
  const ids = new Set<string>();
  for (const { name } of tables) {
    for (const r of await sql.unsafe<{ id: string }[]>(`select id::text as id from "${name}" order by id limit 4`)) ids.add(r.id);
  }
  return [...ids];
}
