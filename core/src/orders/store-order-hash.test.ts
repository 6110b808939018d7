import { describe, expect, it } from 'vitest';
import { canonicalJson } from './store-order-writes.ts';

/** The canonical text the stored content hashes were made with before it was written as loops. */
function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const samples: unknown[] = [
  { b: 1, a: [3, { z: null, y: 'é"\\' }], c: undefined },
  [undefined, 1, null, 'x', [], {}],
  { lines: [{ sku: 'A', qty: 2, price: '10.00' }], address: { city: 'Cluj', zip: undefined }, tags: ['b', 'a'] },
  'plain',
  42,
  null,
  true,
];

describe('canonicalJson', () => {
  it.each(samples)('writes the same text the stored hashes were made with: %j', (v) => {
    expect(canonicalJson(v)).toBe(reference(v));
  });

  it('sorts keys at every level, so two key orders give one text', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: 0 })).toBe(canonicalJson({ a: 0, b: { c: 2, d: 1 } }));
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: 0 })).toBe('{"a":0,"b":{"c":2,"d":1}}');
  });
});
