import { createServer } from 'node:net';
import postgres from 'postgres';

export type ThrowawayPostgres = { url: string; stop(): Promise<void> };

/**
 * A scratch database for one test file, on the server the rest of the suite uses
 * (test/support/pg-server.ts: TEST_DATABASE_URL, else the machine's PostgreSQL at 127.0.0.1:5432
 * when it answers, else the repo's embedded PostgreSQL).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  // A URL string keeps this package's typecheck independent of the test workspace's sources.
  const pgServer = new URL('../../../test/support/pg-server.ts', import.meta.url).href;
  const { acquirePgServer, withDatabase } = (await import(pgServer)) as {
    acquirePgServer(): Promise<{ adminUrl: string; release(): Promise<void> }>;
    withDatabase(url: string, database: string): string;
  };
  const server = await acquirePgServer();
  const name = `expedio_shopify_app_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    url: withDatabase(server.adminUrl, name),
    async stop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      await server.release();
    },
  };
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
