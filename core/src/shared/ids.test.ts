import { describe, expect, it } from 'vitest';
import { IdSchema, isId } from './ids.ts';

describe('ids', () => {
  it.each([
    ['1', true],
    ['42', true],
    ['999999999999999999', true],
    ['1234567890123456789', false],
    ['', false],
    ['-1', false],
    ['1.5', false],
    [' 1', false],
    ['abc', false],
  ])('%j is an id: %s', (s, ok) => {
    expect(isId(s)).toBe(ok);
    expect(IdSchema.safeParse(s).success).toBe(ok);
  });

  it('only strings are ids', () => {
    expect(isId(42)).toBe(false);
    expect(isId(null)).toBe(false);
  });
});
