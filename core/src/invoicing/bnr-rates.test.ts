import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBnrXml, ronPerUnit } from './bnr-rates.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/bnr/${name}`, import.meta.url), 'utf8');

describe('ronPerUnit: RON for `multiplier` units → RON for one, as an exact decimal string', () => {
  it.each([
    ['4.6123', '1', '4.6123'],
    ['3.4514', undefined, '3.4514'],
    ['1.5998', '100', '0.015998'],
    ['0.3089', '100', '0.003089'],
    ['196.9021', '1', '196.9021'],
    ['5', '1', '5'],
    ['4.500000', '1', '4.5'],
    ['1.23456', '100', '0.012346'], // 7 decimals: half up to the column's 6
    ['1.23454', '100', '0.012345'],
    ['12.5', '1000', '0.0125'],
  ])('%s per %s → %s', (value, multiplier, expected) => {
    expect(ronPerUnit(value, multiplier)).toBe(expected);
  });

  it.each([
    ['4,6123', '1'],
    ['', '1'],
    ['-1.2', '1'],
    ['1e3', '1'],
    ['1.2', '50'],
    ['1.2', 'x'],
  ])('refuses %j per %j', (value, multiplier) => {
    expect(() => ronPerUnit(value, multiplier)).toThrow();
  });
});

describe('parseBnrXml on BNR documents', () => {
  it('reads a whole daily file of 2012 (http namespace): 30 rates, multipliers honoured', () => {
    const days = parseBnrXml(fixture('nbrfxrates-2012-09-14.xml'));
    expect(days).toHaveLength(1);
    expect(days[0]!.date).toBe('2012-09-14');
    expect(days[0]!.rates).toHaveLength(30);
    const by = Object.fromEntries(days[0]!.rates.map((r) => [r.currency, r.ronPerUnit]));
    expect(by).toMatchObject({ USD: '3.4514', EUR: '4.5042', HUF: '0.015998', JPY: '0.044157', KRW: '0.003089', XAU: '196.9021' });
  });

  it('reads the 2026 shape (https namespace, one line) with several days, oldest first', () => {
    const days = parseBnrXml(fixture('nbrfxrates-year-2026.xml'));
    expect(days.map((d) => d.date)).toEqual(['2026-08-27', '2026-08-28']);
    expect(days[1]!.rates).toEqual([
      { currency: 'AED', ronPerUnit: '1.2299' },
      { currency: 'EUR', ronPerUnit: '5.2584' },
      { currency: 'HUF', ronPerUnit: '0.01443' },
      { currency: 'USD', ronPerUnit: '4.5171' },
    ]);
  });

  it('refuses what is not a BNR document rather than answering no rates', () => {
    expect(() => parseBnrXml('<html><body>Service Unavailable</body></html>')).toThrow(/DataSet\/Body/);
    expect(() => parseBnrXml('<DataSet><Body></Body></DataSet>')).toThrow(/no rates/);
    expect(() => parseBnrXml('<DataSet><Body><Cube><Rate currency="USD">4.1</Rate></Cube></Body></DataSet>')).toThrow(/without a date/);
    expect(() => parseBnrXml('not xml <')).toThrow();
  });
});
