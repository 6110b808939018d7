// `node scripts/run-pnpm.mjs <args>`: the project's pnpm (see pnpm.mjs) for package.json scripts.
import { spawnSync } from 'node:child_process';
import { pnpmArgv } from './pnpm.mjs';

const [cmd, ...args] = pnpmArgv(process.argv.slice(2));
const r = spawnSync(cmd, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
