import { hasAnyTenant, resolveSetupCode } from './auth/index.ts';
import { connect } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { createApp, serveApp } from './http/index.ts';
import { sealPlainSmtpUrls } from './invoicing/index.ts';
import { installOutboundGuard } from './shared/outbound-guard.ts';
import { createSecretBox } from './shared/secret-box.ts';
import { shopifyAppConfigFromEnv } from './shared/shopify-app-config.ts';

// The core HTTP server on its own, one of N replicas beside N workers (`worker/src/main.ts`) on one
// Postgres: DATABASE_URL and EXPEDIO_MASTER_KEY. `npm start` runs the whole product in one process.
const databaseUrl = process.env.DATABASE_URL;
const masterKey = process.env.EXPEDIO_MASTER_KEY;
if (!databaseUrl || !masterKey) {
  console.error('The core needs DATABASE_URL and EXPEDIO_MASTER_KEY (npm start runs everything with an embedded Postgres).');
  process.exit(2);
}
// Tenant-set URLs are checked when saved; every fetch connects to public addresses only (shared/outbound-guard.ts).
installOutboundGuard();
const sql = connect(databaseUrl);
await migrate(sql); // forward-only and locked, so replicas starting together apply each migration once
const box = createSecretBox(masterKey);
await sealPlainSmtpUrls(sql, box); // rows written in clear before migration 022: SQL has no master key
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
// A generated setup code is this replica's alone: with several replicas set EXPEDIO_SETUP_CODE.
const setup = resolveSetupCode();
const server = await serveApp(createApp({ sql, box, now: () => new Date(), shopifyApp: shopifyAppConfigFromEnv() }, { setupCode: setup.code }), { host, port });
console.log(`Expedio core listening on ${server.url}`);
if (!(await hasAnyTenant(sql))) console.log(`First-run setup at ${server.url}/setup with the setup code ${setup.fromEnv ? 'from EXPEDIO_SETUP_CODE' : setup.code}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.close().then(() => sql.end({ timeout: 5 })).then(() => process.exit(0)));
