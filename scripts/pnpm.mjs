// Where pnpm is, for every script of the project: the copy the bootstrap installs into .tools/,
// or the pnpm that is running us (npm_execpath). Never a bare `pnpm` from PATH: a newcomer has
// none, and a global one of another version would make the run depend on the machine.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PNPM_VERSION = '10.34.9';
export const localPnpmScript = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');

/** The pnpm JS entry to run with `node`, or null when the bootstrap has not installed it yet. */
export function pnpmScript() {
  const running = process.env.npm_execpath;
  if (running && /^pnpm(\.c?js)?$/.test(basename(running)) && existsSync(running)) return running;
  return existsSync(localPnpmScript) ? localPnpmScript : null;
}

/** [command, ...args] that runs pnpm with the given arguments on the Node running this script. */
export function pnpmArgv(args) {
  const script = pnpmScript();
  if (!script) throw new Error('pnpm is not installed in .tools/: run `npm test` or `npm start` once, which installs it');
  return [process.execPath, script, ...args];
}
