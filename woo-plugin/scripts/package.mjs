#!/usr/bin/env node
// The installable plugin: `pnpm --filter @expedio/woo-plugin package` (or `node woo-plugin/scripts/package.mjs`)
// builds the admin bundle and the translations, then zips what WordPress runs into
// woo-plugin/dist/expedio-<version>.zip with one top folder `expedio/`, the shape WordPress's
// Plugins → Add New → Upload Plugin expects. Tests, TypeScript sources, scripts, node_modules and
// the dev configs stay out.
// Options: --out <dir> (where the zip goes), --no-build (use the build/ already there).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const plugin = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(plugin, '..');
const argv = process.argv.slice(2);
const outIndex = argv.indexOf('--out');
const out = resolve(outIndex >= 0 ? argv[outIndex + 1] : join(plugin, 'dist'));

/** What the zip holds, relative to woo-plugin/; everything else is a dev file. */
const SHIPPED = ['expedio.php', 'uninstall.php', 'readme.txt', 'includes', 'assets', 'languages', 'build'];

if (!argv.includes('--no-build')) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'run-pnpm.mjs'), '--filter', '@expedio/woo-plugin', 'build'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
execFileSync(process.execPath, [join(plugin, 'scripts', 'i18n.mjs')], { stdio: 'inherit' });
if (!existsSync(join(plugin, 'build')) || !readdirSync(join(plugin, 'build')).some((f) => f.endsWith('.asset.php'))) {
  console.error('[package] build/ has no bundle: run without --no-build');
  process.exit(1);
}

const version = /^\s*\*\s*Version:\s*(\S+)/m.exec(readFileSync(join(plugin, 'expedio.php'), 'utf8'))?.[1] ?? '0.0.0';
const stage = mkdtempSync(join(tmpdir(), 'expedio-package-'));
try {
  const top = join(stage, 'expedio');
  mkdirSync(top);
  for (const entry of SHIPPED) {
    if (existsSync(join(plugin, entry))) cpSync(join(plugin, entry), join(top, entry), { recursive: true, dereference: true, filter: (src) => !src.endsWith('.map') });
  }
  mkdirSync(out, { recursive: true });
  const zip = join(out, `expedio-${version}.zip`);
  rmSync(zip, { force: true });
  // -X: no extra file attributes (uid/gid), so the zip depends only on the files.
  execFileSync('zip', ['-r', '-X', '-q', zip, 'expedio'], { cwd: stage, stdio: 'inherit' });
  console.log(zip);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
