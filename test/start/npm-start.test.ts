import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../support/core-harness.ts';
import { testDatabase } from '../support/test-db.ts';
import { loginToCore } from '../support/woo-connect.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('npm start (scripts/start-product.ts)', () => {
  it('answers /healthz 200 only once the worker runs and the demo credentials file exists, and stops on SIGTERM', { timeout: 120_000 }, async () => {
    const { url } = await testDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'expedio-start-'));
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start-product.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, EXPEDIO_DATA_DIR: dataDir, EXPEDIO_MASTER_KEY: TEST_MASTER_KEY, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const seen: number[] = [];
      let credentialsAtFirstOk = false;
      let printedAtFirstOk = false;
      for (let i = 0; i < 600 && child.exitCode === null; i++) {
        const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status && seen.at(-1) !== status) seen.push(status);
        if (status === 200) {
          credentialsAtFirstOk = existsSync(join(dataDir, 'demo-credentials.json'));
          printedAtFirstOk = out.includes('Expedio is running.');
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen.at(-1), out).toBe(200);
      expect(seen.filter((s) => s !== 503 && s !== 200), out).toEqual([]);
      expect(credentialsAtFirstOk).toBe(true);
      expect(printedAtFirstOk).toBe(true);
      const creds = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as { apiToken: string; manager: { email: string; password: string } };
      // The demo's manager may sign in and reach the page that connects a WooCommerce store (an operator may not).
      const { cookie } = await loginToCore({ url: `http://127.0.0.1:${port}` }, creds.manager);
      const consent = await fetch(`http://127.0.0.1:${port}/warehouse/connect/woocommerce?${new URLSearchParams({ store_url: 'https://shop.example.test', return_url: 'https://shop.example.test/wp-admin/admin.php?page=expedio', state: 'a'.repeat(32) })}`, { headers: { cookie } });
      expect(consent.status).toBe(200);
      const orders = await fetch(`http://127.0.0.1:${port}/api/v1/orders`, { headers: { Authorization: `Bearer ${creds.apiToken}` } });
      expect(orders.status).toBe(200);
      expect(((await orders.json()) as { orders: unknown[] }).orders.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('package scripts', () => {
  it('every package start script and main names a file that exists', () => {
    const packages = ['.', 'core', 'worker', 'shopify-app', 'woo-plugin', 'extensions', 'test', 'bench', 'tools/efactura'];
    const missing: string[] = [];
    for (const dir of packages) {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { main?: string; scripts?: Record<string, string> };
      if (pkg.main && !existsSync(join(ROOT, dir, pkg.main))) missing.push(`${dir}: main ${pkg.main}`);
      for (const [name, script] of Object.entries(pkg.scripts ?? {})) {
        if (!/^(start|product|suite|test)$/.test(name)) continue;
        for (const m of script.matchAll(/\bnode\s+(\S+\.(?:ts|mjs|js))/g)) if (!existsSync(join(ROOT, dir, m[1]!))) missing.push(`${dir}: ${name} runs ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
