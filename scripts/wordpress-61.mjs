#!/usr/bin/env node
// WordPress 6.1's own browser scripts (React 17 wp-element, wp-components, wp-data...), for the
// Chromium tests of the woo-plugin bundles: Debian 12's `wordpress` package is 6.1, installed with
// apt when missing, and the files the tests load are copied under .data/wordpress-6.1/ with a
// handles.json (handle → src, dependencies) read from its script-loader. No test reads outside
// the repository: the tests call ensureWordPress61() and serve .data/wordpress-6.1/.
//   node scripts/wordpress-61.mjs            prepares .data/wordpress-6.1/
//   node scripts/wordpress-61.mjs --fixture  also rewrites test/fixtures/wordpress-6.1/script-handles.json
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = '/usr/share/wordpress';
export const wordpress61Dir = join(root, '.data', 'wordpress-6.1');

/** Admin styles the screens are drawn with in wp-admin (tables, tabs, buttons, notices). */
const STYLES = [
  'wp-includes/css/dist/components/style.min.css',
  'wp-includes/css/buttons.min.css',
  'wp-includes/css/dashicons.min.css',
  'wp-admin/css/common.min.css',
  'wp-admin/css/forms.min.css',
  'wp-admin/css/list-tables.min.css',
  'wp-admin/css/edit.min.css',
];

function installWordPress() {
  if (existsSync(join(source, 'wp-includes', 'version.php'))) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'wordpress']);
}

function version() {
  return readFileSync(join(source, 'wp-includes', 'version.php'), 'utf8').match(/\$wp_version = '([^']+)'/)?.[1] ?? 'unknown';
}

/** handle → { src, deps } for the vendor scripts and the packages, as script-loader.php registers them. */
function readHandles() {
  const php = `$p = include '${source}/wp-includes/assets/script-loader-packages.php'; $o = []; foreach ($p as $f => $a) { $o['wp-' . basename($f, '.js')] = $a['dependencies']; } echo json_encode($o);`;
  const r = spawnSync('php', ['-r', php], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`php could not read script-loader-packages.php: ${r.stderr}`);
  const packages = JSON.parse(r.stdout);
  const loader = readFileSync(join(source, 'wp-includes', 'script-loader.php'), 'utf8');
  const block = loader.match(/\$vendor_scripts = array\(([\s\S]*?)\n\t\);/)?.[1] ?? '';
  const handles = {};
  for (const line of block.split('\n')) {
    const m = line.match(/'([a-z0-9-]+)'(?:\s*=>\s*array\(([^)]*)\))?/);
    if (!m) continue;
    const deps = (m[2] ?? '').match(/'([a-z0-9-]+)'/g)?.map((d) => d.slice(1, -1)) ?? [];
    handles[m[1]] = { src: `wp-includes/js/dist/vendor/${m[1]}.min.js`, deps };
  }
  for (const [handle, deps] of Object.entries(packages)) handles[handle] = { src: `wp-includes/js/dist/${handle.slice(3)}.min.js`, deps };
  const others = [...loader.matchAll(/\$scripts->add\(\s*'([a-z0-9_-]+)'/g)].map((m) => m[1]);
  return { handles, all: [...new Set([...Object.keys(handles), ...others])].sort() };
}

export function ensureWordPress61() {
  const marker = join(wordpress61Dir, 'handles.json');
  if (existsSync(marker)) return wordpress61Dir;
  installWordPress();
  const { handles } = readHandles();
  for (const dir of ['wp-includes/js/dist', 'wp-includes/js/dist/vendor']) {
    mkdirSync(join(wordpress61Dir, dir), { recursive: true });
    for (const f of readdirSync(join(source, dir)).filter((n) => n.endsWith('.min.js'))) cpSync(join(source, dir, f), join(wordpress61Dir, dir, f), { dereference: true });
  }
  for (const f of STYLES) {
    mkdirSync(dirname(join(wordpress61Dir, f)), { recursive: true });
    cpSync(join(source, f), join(wordpress61Dir, f), { dereference: true });
  }
  // Dashicons' font, referenced by dashicons.min.css.
  cpSync(join(source, 'wp-includes', 'fonts'), join(wordpress61Dir, 'wp-includes', 'fonts'), { recursive: true, dereference: true });
  writeFileSync(marker, JSON.stringify({ version: version(), handles }, null, 1));
  return wordpress61Dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = ensureWordPress61();
  console.log(`WordPress ${version()} scripts in ${dir}`);
  if (process.argv.includes('--fixture')) {
    const out = join(root, 'test', 'fixtures', 'wordpress-6.1', 'script-handles.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ source: `Debian 12 wordpress ${version()}: wp-includes/script-loader.php and wp-includes/assets/script-loader-packages.php`, handles: readHandles().all }, null, 1)}\n`);
    console.log(`wrote ${out}`);
  }
}
