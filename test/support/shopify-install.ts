import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCredentials } from '../../core/src/channels/channel-repo.ts';
import type { ShopifyAppConfig } from '../../core/src/shared/shopify-app-config.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { type CoreHarness, startCore } from './core-harness.ts';
import { testDatabase } from './test-db.ts';
import { onFileTeardown } from './file-teardown.ts';

/*
 * The Shopify app installed the way a merchant installs it, over HTTP, on an empty core:
 *
 *   login form → POST shop → Shopify's install page (the fake) → the admin opens the app embedded
 *   with a session token → authenticate.admin exchanges it for an expiring offline token at the
 *   fake → afterAuth → POST /api/v1/installations/shopify on the core (tenant + channel created,
 *   token sealed) → the core's outbox registers the shop's webhooks at the fake.
 *
 * The app is the real build (react-router build) served by react-router-serve in a child process,
 * its sessions in Postgres; the only test-side change inside it is shopify-app-preload.ts, which
 * sends the library's https://<shop>.myshopify.com / admin.shopify.com calls to the fake's port.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appDir = join(root, 'shopify-app');
// Inside the app's folder so the server bundle resolves the app's packages; not build/, which the
// app's browser test builds and serves (a build empties its folder first). One folder per test
// process: the files using this run in parallel forks, and one's build would empty the folder
// another's server is reading.
const buildDir = join(appDir, `node_modules/.expedio-install-build-${process.pid}`);
let liveServers = 0;

/** The app's key and secret in these tests; the core, the app and the fake Shopify share them as in production. */
export const TEST_SHOPIFY_APP = { apiKey: 'expedio-test-app-key', apiSecret: 'shpss_expedio_test_app_secret' } as const;

// Shopify's library answers 410 to bots, and isbot counts Node's fetch as one; the admin frame is a browser.
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export interface ShopifyAppServer {
  url: string;
  log(): string;
  close(): Promise<void>;
}

export interface ShopifyInstallEnv {
  /** A core with an empty database (no demo, no tenant), knowing the app's key and secret; its public URL is its own. */
  core: CoreHarness;
  /** The fake Shopify: the shop, not yet having the app. */
  shopify: FakeShopify;
  app: ShopifyAppServer;
  /** The app's own database (its shopify_sessions table). */
  appDatabaseUrl: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
}

export interface ShopifyInstallResult {
  tenantId: string;
  channelId: string;
  shop: string;
  /** The offline access token the core holds (sealed), as the fake Shopify issued it. */
  accessToken: string;
  refreshToken: string | null;
  apiKey: string;
  apiSecret: string;
  /** The app page the merchant landed on after the install: status and HTML. */
  landing: { status: number; html: string };
}

let built: Promise<void> | undefined;
/** Builds the app once per test process. */
function buildApp(): Promise<void> {
  built ??= new Promise<void>((resolvePromise, reject) => {
    try {
      removeBuildsOfEndedProcesses();
      mkdirSync(buildDir, { recursive: true });
      execFileSync(process.execPath, [join(appDir, 'node_modules/@react-router/dev/bin.js'), 'build'], {
        cwd: appDir,
        stdio: 'pipe',
        env: { ...process.env, EXPEDIO_APP_BUILD_DIR: buildDir },
      });
      resolvePromise();
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      reject(new Error(`react-router build failed: ${err.stderr?.toString() ?? err.message}`));
    }
  });
  return built;
}

/** The build folders of test processes that ended without removing theirs (a killed run). */
function removeBuildsOfEndedProcesses() {
  for (const name of readdirSync(join(appDir, 'node_modules'))) {
    const pid = Number(/^\.expedio-install-build-(\d+)$/.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(appDir, 'node_modules', name), { recursive: true, force: true });
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/** The built app served by react-router-serve, as production runs it (NODE_ENV=production, sessions in Postgres). */
export async function startShopifyAppServer(o: { coreUrl: string; shopifyUrl: string; databaseUrl: string; apiKey: string; apiSecret: string }): Promise<ShopifyAppServer> {
  await buildApp();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', join(root, 'test/support/shopify-app-preload.ts'), join(appDir, 'node_modules/@react-router/serve/bin.js'), join(buildDir, 'server/index.js')], {
    cwd: appDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: o.databaseUrl,
      SHOPIFY_API_KEY: o.apiKey,
      SHOPIFY_API_SECRET: o.apiSecret,
      SHOPIFY_APP_URL: url,
      EXPEDIO_CORE_URL: o.coreUrl,
      EXPEDIO_TEST_SHOPIFY_URL: o.shopifyUrl,
    },
    // stdin a pipe from this process: the preload ends the server when it closes (this process gone).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (log += c));
  child.stderr?.on('data', (c: Buffer) => (log += c));
  liveServers++;
  // The last server of the process gone, its build goes too (a later server builds again).
  child.once('exit', () => {
    if (--liveServers > 0) return;
    built = undefined;
    rmSync(buildDir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Shopify app server exited:\n${log}`);
    if (await fetch(url).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`The Shopify app server did not start in 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => log,
    close: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        // react-router-serve holds its session pool open; a server still there after 3 s is killed.
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(hard);
          res();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The subscriptions shopify.app.toml declares, as Shopify applies them to every shop of the app:
 * relative URIs against the app's URL, the core's placeholder host against the core's URL.
 */
export function appTomlSubscriptions(appUrl: string, coreUrl: string): { topic: string; uri: string }[] {
  const toml = readFileSync(join(appDir, 'shopify.app.toml'), 'utf8');
  const out: { topic: string; uri: string }[] = [];
  for (const block of toml.split('[[webhooks.subscriptions]]').slice(1)) {
    const body = block.split(/\n\s*\[(?!\[)/)[0]!;
    const topics = /(?:^|\n)\s*(?:topics|compliance_topics)\s*=\s*\[([^\]]*)\]/.exec(body)?.[1];
    const uri = /(?:^|\n)\s*uri\s*=\s*"([^"]+)"/.exec(body)?.[1];
    if (!topics || !uri) continue;
    const target = uri.startsWith('/') ? `${appUrl}${uri}` : uri.replace(/^https:\/\/core\.expedio\.example/, coreUrl);
    for (const t of topics.matchAll(/"([^"]+)"/g)) out.push({ topic: t[1]!, uri: target });
  }
  return out;
}

/**
 * An empty core (EXPEDIO_SEED_DEMO=0-like: migrated, no tenant), the fake Shopify with the shop
 * that has not installed the app, and the app's server between them. Everything is closed after
 * the test file. `shop` defaults to a fresh `*.myshopify.com` name.
 */
export async function startShopifyInstallEnv(o: { shop?: string } = {}): Promise<ShopifyInstallEnv> {
  const shop = o.shop ?? `expedio-install-${Math.random().toString(36).slice(2, 8)}.myshopify.com`;
  const config: ShopifyAppConfig = { ...TEST_SHOPIFY_APP };
  const core = await startCore({ shopifyApp: config });
  const shopify = await startFakeShopify({
    shopDomain: shop,
    apiKey: TEST_SHOPIFY_APP.apiKey,
    apiSecret: TEST_SHOPIFY_APP.apiSecret,
    // Never issued: the shop has no token until the app is installed.
    accessToken: `shpat_not_installed_${Math.random().toString(36).slice(2)}`,
    installed: false,
    scopes: readTomlScopes(),
  });
  // What the core's deployment configures: its own public address, and (tests only) the Admin API host.
  config.publicUrl = core.url;
  config.adminBaseUrl = shopify.url;
  const { url: databaseUrl } = await testDatabase({ max: 1 });
  const app = await startShopifyAppServer({ coreUrl: core.url, shopifyUrl: shopify.url, databaseUrl, ...TEST_SHOPIFY_APP });
  shopify.oauth.appUrl = app.url;
  for (const s of appTomlSubscriptions(app.url, core.url)) shopify.webhooks.addAppSubscription(s.topic, s.uri);
  onFileTeardown(async () => {
    await app.close();
    await shopify.close();
  });
  return { core, shopify, app, appDatabaseUrl: databaseUrl, shop, ...TEST_SHOPIFY_APP };
}

function readTomlScopes(): string {
  const toml = readFileSync(join(appDir, 'shopify.app.toml'), 'utf8');
  return /\[access_scopes\][\s\S]*?\n\s*scopes\s*=\s*"([^"]*)"/.exec(toml)?.[1] ?? '';
}

/** A browser's GET/POST that does not follow redirects; Shopify's hosts are sent to the fake. */
export async function browserRequest(env: ShopifyInstallEnv, url: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(url);
  const target = u.hostname.endsWith('.myshopify.com') || u.hostname === 'admin.shopify.com' ? `${env.shopify.url}${u.pathname}${u.search}` : url;
  const headers = new Headers(init.headers);
  headers.set('user-agent', BROWSER_UA);
  return fetch(target, { ...init, headers, redirect: 'manual' });
}

/** Follows a browser's redirects from `url` until a page answers; returns it with the URLs passed. */
async function follow(env: ShopifyInstallEnv, url: string, init: RequestInit = {}): Promise<{ status: number; html: string; trail: string[] }> {
  const trail = [url];
  let res = await browserRequest(env, url, init);
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
    const next = new URL(res.headers.get('location')!, trail.at(-1)!).toString();
    await res.body?.cancel();
    trail.push(next);
    res = await browserRequest(env, next);
  }
  return { status: res.status, html: await res.text(), trail };
}

const pageError = (env: ShopifyInstallEnv, what: string, page: { status: number; html: string; trail: string[] }) =>
  new Error(`${what}: HTTP ${page.status} after ${page.trail.join(' → ')}\n--- page ---\n${page.html.slice(0, 1500)}\n--- app log ---\n${env.app.log().slice(-3000)}`);

/** The merchant opens the app from the Shopify admin: the admin frames application_url/app with a fresh session token. */
export async function openShopifyApp(env: ShopifyInstallEnv, path = '/app'): Promise<{ status: number; html: string; trail: string[] }> {
  return follow(env, env.shopify.oauth.embeddedAppUrl(path));
}

/**
 * Installs the app on the shop over HTTP, as the merchant does from the app's login page, and
 * waits for what the install causes in the core (the shop's webhooks registered; the outbox
 * drained — a `channel.catalog_sync` item without a handler stalls, as the outbox does with any
 * unknown kind). Throws, with the pages and the app's log, when a step does not answer as Shopify's would.
 */
export async function installShopifyApp(env: ShopifyInstallEnv): Promise<ShopifyInstallResult> {
  const form = await browserRequest(env, `${env.app.url}/auth/login`);
  if (form.status !== 200) throw pageError(env, 'GET /auth/login', { status: form.status, html: await form.text(), trail: ['/auth/login'] });
  await form.body?.cancel();
  const landing = await follow(env, `${env.app.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ shop: env.shop }).toString(),
  });
  if (landing.status !== 200) throw pageError(env, 'Installing the app', landing);
  await env.core.drainOutbox();
  const [channel] = await env.core.sql<{ tenant_id: string; id: string; credentials_enc: string | null }[]>`
    select tenant_id::text, id::text, credentials_enc from channels where kind = 'shopify' and lower(external_ref) = ${env.shop.toLowerCase()}`;
  if (!channel) throw pageError(env, 'The core has no channel for the shop after the install', landing);
  // The token the core holds (what it writes back with), as the fake Shopify issued it.
  const held = openCredentials(env.core.deps.box, channel.credentials_enc);
  const issued = env.shopify.oauth.tokens.find((t) => t.token === held.accessToken);
  if (!issued) throw pageError(env, 'The core holds no offline token the fake Shopify issued', landing);
  return {
    tenantId: channel.tenant_id,
    channelId: channel.id,
    shop: env.shop,
    accessToken: issued.token,
    refreshToken: issued.refreshToken,
    apiKey: env.apiKey,
    apiSecret: env.apiSecret,
    landing: { status: landing.status, html: landing.html },
  };
}
