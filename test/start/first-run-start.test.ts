import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../support/core-harness.ts';
import { runFirstRunSetup, setupCodeFromOutput } from '../support/first-run.ts';
import { testDatabase } from '../support/test-db.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** `npm start` without the demo on an empty database, until /healthz answers 200. */
async function startEmpty(extraEnv: Record<string, string> = {}): Promise<{ url: string; out: () => string; stop: () => Promise<number | null>; child: ChildProcess }> {
  const { url: databaseUrl } = await testDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start-product.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, EXPEDIO_DATA_DIR: mkdtempSync(join(tmpdir(), 'expedio-first-run-')), EXPEDIO_MASTER_KEY: TEST_MASTER_KEY, EXPEDIO_SEED_DEMO: '0', PORT: String(port), HOST: '127.0.0.1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status === 200 && out.includes('Press Ctrl-C')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { url, out: () => out, child, stop };
}

describe('npm start on an empty install (EXPEDIO_SEED_DEMO=0)', () => {
  it('prints the setup page and a one-time setup code (and no other secret); the code sets the install up once', { timeout: 120_000 }, async () => {
    const p = await startEmpty();
    try {
      const out = p.out();
      expect(out).toContain(`First-run setup ${p.url}/setup`);
      const code = setupCodeFromOutput(out);
      expect(code, out).not.toBeNull();
      expect(out).not.toContain(TEST_MASTER_KEY);
      expect(out).not.toMatch(/exp_[A-Za-z0-9_-]{20,}/);
      expect(out).not.toContain('demo-credentials.json');
      const r = await runFirstRunSetup(p.url, code!);
      expect(r.role).toBe('manager');
      expect((await fetch(`${p.url}/api/v1/orders`, { headers: { authorization: `Bearer ${r.apiKey}` } })).status).toBe(200);
      const again = await fetch(`${p.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ setupCode: code, tenantName: 'X', operatorName: 'X', email: 'x@x.test', password: 'parola lunga 123' }) });
      expect(again.status).toBe(409);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it('takes the code from EXPEDIO_SETUP_CODE and then does not print it', { timeout: 120_000 }, async () => {
    const p = await startEmpty({ EXPEDIO_SETUP_CODE: 'operator-chosen-code-77' });
    try {
      expect(p.out()).toContain('Setup code     (from EXPEDIO_SETUP_CODE)');
      expect(p.out()).not.toContain('operator-chosen-code-77');
      expect((await runFirstRunSetup(p.url, 'operator-chosen-code-77', { tenantName: 'Din env SRL' })).tenantName).toBe('Din env SRL');
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});
