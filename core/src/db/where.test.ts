import { describe, expect, it } from 'vitest';
import { presentFilters } from './where.ts';

describe('presentFilters', () => {
  it('writes only the filters given, numbering their parameters after the ones already there', () => {
    const params: unknown[] = ['7'];
    const where = presentFilters(params, { 'status = ?': 'packed', 'courier = ?': undefined, 'blocked = ?::boolean': false, 'attention is not null': true, 'x is null': false });
    expect(where).toBe(' and status = $2 and blocked = $3::boolean and attention is not null');
    expect(params).toEqual(['7', 'packed', false]);
  });
});
