import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../core/src/db/migrate.ts';
import { acquirePgServer, withDatabase } from './pg-server.ts';

import './provided-context.ts';

/**
 * One migrated template database per run; every test file clones it (CREATE DATABASE … TEMPLATE),
 * so files run in parallel on isolated real databases and the migrations are exercised on an
 * empty database each run.
 */
export default async function setup(project: TestProject) {
  const server = await acquirePgServer();
  const template = `expedio_tpl_${process.pid}_${Date.now()}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${template}`);
  const tpl = postgres(withDatabase(server.adminUrl, template), { max: 1, onnotice: () => {} });
  await migrate(tpl);
  await tpl.end();
  project.provide('pgAdminUrl', server.adminUrl);
  project.provide('pgTemplate', template);
  console.log(`tests run on ${server.kind}`);
  return async () => {
    const leftovers = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`expedio_t%_${process.pid}_%`}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end();
    await server.release();
  };
}
