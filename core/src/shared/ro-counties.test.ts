import { describe, expect, it } from 'vitest';
import { RO_COUNTIES, roCountyCode, roCountyName } from './ro-counties.ts';

describe('Romanian counties in every form a store sends', () => {
  it.each([
    ['CJ', 'RO-CJ', 'Cluj'],
    ['ro-cj', 'RO-CJ', 'Cluj'],
    ['Cluj', 'RO-CJ', 'Cluj'],
    ['Județul Cluj', 'RO-CJ', 'Cluj'],
    ['jud. Cluj', 'RO-CJ', 'Cluj'],
    ['Bistrița-Năsăud', 'RO-BN', 'Bistrita-Nasaud'],
    ['Bistrita Nasaud', 'RO-BN', 'Bistrita-Nasaud'],
    ['Bistriţa-Năsăud', 'RO-BN', 'Bistrita-Nasaud'],
    ['Caraș Severin', 'RO-CS', 'Caras-Severin'],
    ['Satu-Mare', 'RO-SM', 'Satu Mare'],
    ['B', 'RO-B', 'Bucuresti'],
    ['București', 'RO-B', 'Bucuresti'],
    ['Bucharest', 'RO-B', 'Bucuresti'],
    ['Municipiul București', 'RO-B', 'Bucuresti'],
    ['Sector 3', 'RO-B', 'Bucuresti'],
    ['Sectorul 6', 'RO-B', 'Bucuresti'],
  ])('%s → %s (%s)', (given, code, ascii) => {
    expect(roCountyCode(given)).toBe(code);
    expect(roCountyName(given, { ascii: true })).toBe(ascii);
  });

  it('names each county with its diacritics, and knows nothing else', () => {
    expect(Object.keys(RO_COUNTIES)).toHaveLength(42);
    expect(roCountyName('BN')).toBe('Bistrița-Năsăud');
    for (const unknown of ['', 'XX', 'Atlantis', 'Sector 7', 'Cluj-Napoca', null, undefined]) expect(roCountyCode(unknown)).toBeNull();
  });
});
