import { describe, expect, it } from 'vitest';
import { RO_COUNTIES } from '../shared/ro-counties.ts';
import { bucharestSector, countyFromPostcode, invoiceCountyCode } from './ro-counties.ts';

describe('county and sector of a Romanian invoice address', () => {
  it('every county in every form a store sends: code, RO-code, name, ascii, "Judet", "Judetul", "Județul", "jud.", "jud", "County"', () => {
    const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const misses: string[] = [];
    for (const [code, name] of Object.entries(RO_COUNTIES)) {
      const forms = [code, `RO-${code}`, name, ascii(name), ascii(name).toUpperCase(), `Judet ${ascii(name)}`, `Judetul ${ascii(name)}`, `Județul ${name}`, `jud. ${name}`, `jud ${ascii(name)}`, `${ascii(name)} County`];
      if (code === 'B') forms.splice(5); // Bucharest is a municipality, not a "județ"
      for (const f of forms) if (invoiceCountyCode([f], null) !== `RO-${code}`) misses.push(f);
    }
    expect(misses).toEqual([]);
    expect(Object.keys(RO_COUNTIES)).toHaveLength(42);
  });

  it('the old cedilla diacritics (ş ţ) and a hyphen or a space read the same', () => {
    expect(invoiceCountyCode(['Judeţul Bistriţa-Năsăud'], null)).toBe('RO-BN');
    expect(invoiceCountyCode(['Caras Severin'], null)).toBe('RO-CS');
  });

  it('falls back on the postal code when no text names a county, and on nothing when neither does', () => {
    expect(invoiceCountyCode([null, '', 'Turda'], '401001')).toBe('RO-CJ');
    expect(invoiceCountyCode(['Atlantis'], '401 001')).toBe('RO-CJ');
    expect(countyFromPostcode('061234')).toBe('RO-B');
    expect(countyFromPostcode('920001')).toBe('RO-IL');
    expect(invoiceCountyCode(['Atlantis'], '999999')).toBeNull();
    expect(invoiceCountyCode(['Atlantis'], null)).toBeNull();
  });

  it('every postal-code prefix names one of the 42 (41 counties and Bucharest), each at least once', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const c = countyFromPostcode(`${String(i).padStart(2, '0')}0001`);
      if (c) seen.add(c);
    }
    expect(seen.size).toBe(42);
  });

  it('a Bucharest sector in every spelling, from the city, then the postal code, then the street', () => {
    for (const [text, sector] of [
      ['Sectorul 4', 'SECTOR4'], ['Sector 4', 'SECTOR4'], ['sectorul4', 'SECTOR4'], ['SECTOR 4', 'SECTOR4'], ['S4', 'SECTOR4'], ['S.4', 'SECTOR4'],
      ['s 4', 'SECTOR4'], ['sect. 4', 'SECTOR4'], ['Sect 4', 'SECTOR4'], ['sec. 4', 'SECTOR4'], ['București, Sectorul 1', 'SECTOR1'], ['Bucuresti S6', 'SECTOR6'], ['SECTOR2', 'SECTOR2'],
    ] as const) {
      expect(bucharestSector([text], null), text).toBe(sector);
    }
    expect(bucharestSector(['București'], '030167')).toBe('SECTOR3');
    expect(bucharestSector(['București', 'Str. Lungă 3, sector 5'], null)).toBe('SECTOR5');
    expect(bucharestSector(['București', 'Str. Lungă 3'], '012345')).toBe('SECTOR1'); // the postal code before the street
    expect(bucharestSector(['București', 'Bd. Unirii 7'], null)).toBeNull();
    expect(bucharestSector(['Sector 7'], null)).toBeNull();
    expect(bucharestSector(['Sector 12'], null)).toBeNull();
  });
});
