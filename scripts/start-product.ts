import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hasAnyTenant, resolveSetupCode } from '../core/src/auth/index.ts';
import { connect, startEmbeddedPostgres, migrate } from '../core/src/db/index.ts';
import { seedDemo } from '../core/src/demo/index.ts';
import { createApp, serveApp } from '../core/src/http/index.ts';
import { sealPlainSmtpUrls } from '../core/src/invoicing/index.ts';
import { createSecretBox, generateMasterKey, installOutboundGuard, shopifyAppConfigFromEnv } from '../core/src/shared/index.ts';
import { startWorker } from '../worker/src/start-worker.ts';

/**
 * The product on one machine: Postgres (DATABASE_URL, else an embedded one under .data/),
 * migrations, the demo tenant, the core HTTP server and the worker. Ctrl-C stops all of it.
 */
const dataDir = resolve(process.env.EXPEDIO_DATA_DIR ?? '.data');
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const keyFile = resolve(dataDir, 'master.key');
const masterKey = process.env.EXPEDIO_MASTER_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : generateMasterKey());
if (!process.env.EXPEDIO_MASTER_KEY && !existsSync(keyFile)) writeFileSync(keyFile, masterKey, { mode: 0o600 });

let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres(dataDir, Number(process.env.EMBEDDED_PG_PORT ?? 54329));
  databaseUrl = embedded.url;
}
// Tenant-set URLs are checked when saved; every fetch connects to public addresses only (core/src/shared/outbound-guard.ts).
installOutboundGuard();
const sql = connect(databaseUrl);
const applied = await migrate(sql);
const box = createSecretBox(masterKey);
await sealPlainSmtpUrls(sql, box); // rows written in clear before migration 022: SQL has no master key
const coreUrl = `http://${host}:${port}`;

// The server listens at once (so a port clash shows early) but /healthz says 503 'starting'
// until the worker runs and the demo credentials file is written.
let ready = false;
// SHOPIFY_API_KEY / SHOPIFY_API_SECRET: the app every installed shop runs (EXPEDIO_PUBLIC_URL: where Shopify reaches this core).
// First-run setup of an install without the demo: accepted only with this code while no tenant exists.
const setup = resolveSetupCode();
const app = createApp({ sql, box, now: () => new Date(), shopifyApp: shopifyAppConfigFromEnv() }, { ready: () => ready, setupCode: setup.code });
const server = await serveApp(app, { host, port });
const stopWorker = await startWorker({ databaseUrl, masterKey });

if (process.env.EXPEDIO_SEED_DEMO !== '0') {
  const demo = await seedDemo(sql, box, coreUrl);
  writeFileSync(resolve(dataDir, 'demo-credentials.json'), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}

const needsSetup = !(await hasAnyTenant(sql));
ready = true;
console.log(`Expedio is running.
  Postgres       ${embedded ? `embedded, data in ${resolve(dataDir, 'pg')}` : 'DATABASE_URL'}${applied.length ? ` (applied ${applied.join(', ')})` : ''}
  Core API       ${coreUrl}/api/v1/orders
  OpenAPI        ${coreUrl}/openapi.json
  Health         ${coreUrl}/healthz  (200 once ready)
  Webhooks       ${coreUrl}/webhooks/shopify  and  ${coreUrl}/webhooks/woocommerce/<channelId>
  ${
    needsSetup
      ? // The one secret ever printed: the one-time setup code, useless once a tenant exists.
        `First-run setup ${coreUrl}/setup  (or POST ${coreUrl}/api/v1/setup)\n  Setup code     ${setup.fromEnv ? '(from EXPEDIO_SETUP_CODE)' : setup.code}`
      : `Demo logins    ${resolve(dataDir, 'demo-credentials.json')}`
  }
Press Ctrl-C to stop.`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Expedio…');
  await server.close();
  await stopWorker();
  await sql.end({ timeout: 5 });
  if (embedded) await embedded.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
