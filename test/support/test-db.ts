import postgres from 'postgres';
import { inject } from 'vitest';
import { connect, type Sql } from '../../core/src/db/connect.ts';
import { onFileTeardown } from './file-teardown.ts';
import { withDatabase } from './pg-server.ts';
import './provided-context.ts';

let counter = 0;

/** A fresh, migrated, real database for this test file; dropped after the file's tests. */
export async function testDatabase(opts: { max?: number } = {}): Promise<{ sql: Sql; url: string }> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const pid = template.split('_')[2];
  const name = `expedio_test_${process.pid}${counter++}_${pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // CREATE DATABASE … TEMPLATE needs the template free of sessions; parallel files may clone at once.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      break;
    } catch (e) {
      if (attempt > 50 || !String((e as Error).message).includes('being accessed by other users')) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = withDatabase(adminUrl, name);
  const sql = connect(url, { max: opts.max ?? 10 });
  // Dropped when the file's tests are over (an afterAll called in a beforeAll never runs).
  onFileTeardown(async () => {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { sql, url };
}
