import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const SKIP = new Set(['node_modules', '.git', '.data', '.tools', 'build', 'dist', 'artifacts', '.react-router', 'fixtures', 'xsd', 'xslt', 'examples']);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx|mjs|js|php|sh)$/.test(name) || p.endsWith('.ci/run')) yield p;
  }
}

describe('a clone is self-contained', () => {
  it('no source file names a relative path that leaves the repository', () => {
    const outside: string[] = [];
    for (const file of sourceFiles(ROOT)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (relative(ROOT, target).startsWith('..')) outside.push(`${relative(ROOT, file)}: ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
