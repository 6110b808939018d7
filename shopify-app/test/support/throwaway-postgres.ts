import { createServer } from 'node:net';
import postgres from 'postgres';

export type ThrowawayPostgres = { url: string; stop(): Promise<void> };

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A scratch database for one test file, on the same server the rest of the suite uses:
 * TEST_DATABASE_URL if set, else the machine's PostgreSQL at 127.0.0.1:5432 when it answers,
 * else the repo's embedded PostgreSQL (test/support/pg-server.ts).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  let adminUrl = process.env.TEST_DATABASE_URL ?? LOCAL;
  let release = async () => {};
  if (!process.env.TEST_DATABASE_URL && !(await answers(LOCAL))) {
    // A path string keeps this package's typecheck independent of the test workspace's sources.
    const pgServer = '../../../test/support/pg-server.ts';
    const { acquirePgServer } = (await import(pgServer)) as {
      acquirePgServer(): Promise<{ adminUrl: string; release(): Promise<void> }>;
    };
    const server = await acquirePgServer();
    adminUrl = server.adminUrl;
    release = server.release;
  }
  const name = `expedio_shopify_app_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      await release();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
