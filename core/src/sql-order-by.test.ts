import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Ids are bigints that queries select as `id::text`. In ORDER BY a bare `id` names that *output*
 * column first, so `select id::text … order by id desc` sorts the ids as text ('9' after '10'): the
 * sync log buried its newest rows and "the newest shipment" was the wrong one. Every ORDER BY item
 * on an id is therefore written qualified (`sync_log.id`, `s.id`), which always means the bigint.
 */
const src = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function bareIdOrderings(text: string): string[] {
  const found: string[] = [];
  const orderBy = /order by\s+((?:(?!\blimit\b|\bfor update\b|\boffset\b|`|;).)*)/gis;
  for (const m of text.matchAll(orderBy)) {
    if (/(?<![\w."'(])id\b(?=\s*(asc|desc|nulls|,|\)|$))/i.test(m[1]!)) {
      found.push(`line ${text.slice(0, m.index).split('\n').length}: order by ${m[1]!.trim().slice(0, 60)}`);
    }
  }
  return found;
}

describe('SQL ordering by id', () => {
  it('finds a bare id in ORDER BY (the checker is not blind)', () => {
    expect(bareIdOrderings('select id::text from sync_log order by id desc limit 5')).toHaveLength(1);
    expect(bareIdOrderings('select id::text from t order by kind, id')).toHaveLength(1);
    expect(bareIdOrderings('select id::text from t order by t.id desc, min(id)')).toEqual([]);
  });

  it('every ORDER BY on an id in core/src is qualified with its table, so it sorts the bigint, not its text', () => {
    const offenders = sourceFiles(src).flatMap((f) => bareIdOrderings(readFileSync(f, 'utf8')).map((o) => `${relative(src, f)} ${o}`));
    expect(offenders).toEqual([]);
  });
});
