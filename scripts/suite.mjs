// The whole test suite, run by `npm test` and by CI (.ci/run) on Node 24: typecheck and lint of
// every package, the builds the tests need, then every test runner; one closing line sums them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pnpmArgv } from './pnpm.mjs';

const root = process.cwd();
const results = [];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd === pn ? 'pnpm' : cmd} ${args.join(' ')}`);
  const argv = cmd === pn ? pnpmArgv(args) : [cmd, ...args];
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', cwd: opts.cwd ?? root, env: { ...process.env, ...(opts.env ?? {}) } });
  // A command that could not start (ENOENT) is a failure, never a silent 0.0 s pass or skip.
  if (r.error) console.log(`${name}: could not run ${cmd}: ${r.error.message}`);
  const ok = r.status === 0 && !r.error;
  results.push({ name, ok, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  return ok;
}

function vitestCounts(file) {
  if (!existsSync(file)) return null;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  // The names of what failed go to the summary, so a CI log's last lines say which test broke.
  for (const suite of j.testResults ?? []) {
    const rel = suite.name?.startsWith(root) ? suite.name.slice(root.length + 1) : suite.name;
    const bad = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of bad) failures.push(`${rel} > ${a.fullName ?? a.title}: ${String(a.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300)}`);
    if (!bad.length && suite.status === 'failed') failures.push(`${rel}: ${String(suite.message ?? '').split('\n')[0].slice(0, 300)}`);
  }
  return { passed: j.numPassedTests, failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0), skipped: j.numPendingTests + j.numTodoTests };
}

mkdirSync(join(root, 'test', 'artifacts'), { recursive: true });
const pn = Symbol('pnpm');
let ok = true;
ok = step('typecheck', pn, ['-r', 'typecheck']) && ok;
ok = step('typecheck scripts', pn, ['exec', 'tsc', '-p', 'scripts/tsconfig.json']) && ok;
ok = step('lint', pn, ['exec', 'biome', 'lint', '.']) && ok;
// The architecture's import rules (ARCHITECTURE.md): areas through their index, only flows/ combine, only http/ knows HTTP.
ok = step('lint: architecture (dependency-cruiser)', pn, ['exec', 'depcruise', 'core/src', 'worker/src', 'bench', 'shopify-app/app', 'woo-plugin/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']) && ok;
ok = step('woo-plugin build', pn, ['--filter', '@expedio/woo-plugin', 'build']) && ok;
ok = step('Shopify admin UI extensions build (esbuild)', pn, ['--filter', '@expedio/extensions', 'build']) && ok;
// The embedded Shopify app's production build (react-router build), as `shopify app deploy` makes it.
ok = step('shopify-app build', pn, ['--filter', '@expedio/shopify-app', 'build']) && ok;

const coreJson = join(root, 'test', 'artifacts', 'vitest-core.json');
const coreOk = step('tests: core, worker, end-to-end (vitest)', pn, ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${coreJson}`]);
ok = coreOk && ok;
const core = vitestCounts(coreJson);
if (core) { passed += core.passed; failed += core.failed; skipped += core.skipped; } else if (!coreOk) failed++;
// A runner's exit code alone is not trusted: a dependency's exit hook once turned failures into 0.
if (core?.failed) results.at(-1).ok = ok = false;

// The same core paths again on the embedded PostgreSQL 18 a newcomer gets (the run above used the
// machine's PostgreSQL 15 when it answers): SQL must work on both. The Chromium screens are left out of
// this second run: they drive the same API routes and SQL the API tests cover here, and took 110 of its
// 130 s.
const embeddedJson = join(root, 'test', 'artifacts', 'vitest-embedded.json');
const embeddedOk = step(
  'tests on embedded PostgreSQL 18: intake, orders, API, warehouse (vitest)',
  pn,
  ['exec', 'vitest', 'run', 'test/intake', 'test/orders', 'test/api', 'test/warehouse/', 'core/src/db', '--exclude', '**/*-ui.test.ts', '--reporter=default', '--reporter=json', `--outputFile=${embeddedJson}`],
  { env: { EXPEDIO_TEST_PG: 'embedded' } },
);
ok = embeddedOk && ok;
const embedded = vitestCounts(embeddedJson);
if (embedded) { passed += embedded.passed; failed += embedded.failed; skipped += embedded.skipped; } else if (!embeddedOk) failed++;
if (embedded?.failed) results.at(-1).ok = ok = false;

const appJson = join(root, 'test', 'artifacts', 'vitest-shopify-app.json');
const appOk = step('tests: shopify-app (vitest)', pn, ['--filter', '@expedio/shopify-app', 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${appJson}`]);
ok = appOk && ok;
const app = vitestCounts(appJson);
if (app) { passed += app.passed; failed += app.failed; skipped += app.skipped; } else if (!appOk) failed++;
if (app?.failed) results.at(-1).ok = ok = false;

const junit = join(root, 'test', 'artifacts', 'phpunit.xml');
const phpOk = step('tests: woo-plugin (phpunit)', 'phpunit', ['--log-junit', junit], { cwd: join(root, 'woo-plugin') });
ok = phpOk && ok;
if (existsSync(junit)) {
  const suite = readFileSync(junit, 'utf8').match(/<testsuite\b[^>]*>/)?.[0] ?? '';
  const attr = (n) => Number(suite.match(new RegExp(`\\b${n}="(\\d+)"`))?.[1] ?? 0);
  const bad = attr('failures') + attr('errors');
  passed += attr('tests') - bad - attr('skipped');
  failed += bad;
  skipped += attr('skipped');
} else if (!phpOk) failed++;

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok && failed === 0 ? 0 : 1);
