import { describe, expect, it } from 'vitest';
import { fromUnits, isPositive, mulDiv, toUnits } from './money.ts';

describe('isPositive', () => {
  it.each([
    ['12.50', true],
    ['0.01', true],
    ['0', false],
    ['0.00', false],
    ['-3.00', false],
    ['', false],
    ['abc', false],
  ])('%s → %s', (amount, expected) => {
    expect(isPositive(amount)).toBe(expected);
  });
});

describe('mulDiv as a division at 4 decimals', () => {
  it.each([
    ['10.00', 3, '3.3333'],
    ['20.00', 3, '6.6667'],
    ['0.0001', 2, '0.0001'],
    ['-0.0001', 2, '-0.0001'],
    ['-20.00', 3, '-6.6667'],
    ['7.00', 7, '1.0000'],
  ] as const)('%s / %i = %s, half away from zero', (amount, qty, expected) => {
    expect(fromUnits(mulDiv(toUnits(amount), 1n, BigInt(qty)), 4)).toBe(expected);
  });
});
