/**
 * Romania's 41 counties and Bucharest by ISO 3166-2:RO code (without 'RO-'), named as Romanians
 * write them. Stores send any of: the code ("CJ", "RO-CJ"), the name with or without diacritics
 * ("Bistrița-Năsăud", "Bistrita Nasaud"), "Județul Cluj", "Bucharest", or a sector ("Sector 3").
 */
export const RO_COUNTIES: Readonly<Record<string, string>> = {
  AB: 'Alba', AR: 'Arad', AG: 'Argeș', BC: 'Bacău', BH: 'Bihor', BN: 'Bistrița-Năsăud', BT: 'Botoșani', BV: 'Brașov',
  BR: 'Brăila', B: 'București', BZ: 'Buzău', CS: 'Caraș-Severin', CL: 'Călărași', CJ: 'Cluj', CT: 'Constanța',
  CV: 'Covasna', DB: 'Dâmbovița', DJ: 'Dolj', GL: 'Galați', GR: 'Giurgiu', GJ: 'Gorj', HR: 'Harghita', HD: 'Hunedoara',
  IL: 'Ialomița', IS: 'Iași', IF: 'Ilfov', MM: 'Maramureș', MH: 'Mehedinți', MS: 'Mureș', NT: 'Neamț', OT: 'Olt',
  PH: 'Prahova', SM: 'Satu Mare', SJ: 'Sălaj', SB: 'Sibiu', SV: 'Suceava', TR: 'Teleorman', TM: 'Timiș', TL: 'Tulcea',
  VS: 'Vaslui', VL: 'Vâlcea', VN: 'Vrancea',
};

/** Without diacritics (both the comma-below ș ț and the older cedilla ş ţ), for nomenclatures that have none. */
export const asciiRo = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** A county's text folded for comparison: no diacritics, case, "Județul"/"Jud." or hyphen-vs-space differences. */
const fold = (s: string) =>
  asciiRo(s).toLowerCase().replace(/^(judetul|jud\.?)\s+/, '').replace(/[\s-]+/g, ' ').trim();

const BY_NAME = new Map(Object.entries(RO_COUNTIES).map(([code, name]) => [fold(name), code]));
for (const alias of ['bucharest', 'municipiul bucuresti', 'mun. bucuresti', 'mun bucuresti']) BY_NAME.set(alias, 'B');

/** "Sector 3", "Sectorul 3", "sect. 3": a Bucharest sector, written where a county or city is expected. */
export const BUCHAREST_SECTOR = /^sec(?:torul|tor|t\.?)?\s*([1-6])$/i;

/** 'RO-CJ' from a code ('CJ', 'RO-CJ'), a name ('Cluj', 'Județul Cluj', 'Bistrita Nasaud') or a sector ('Sector 3' → RO-B); null when unknown. */
export function roCountyCode(codeOrName: string | null | undefined): string | null {
  if (!codeOrName) return null;
  const raw = codeOrName.trim().toUpperCase().replace(/^RO-/, '');
  if (RO_COUNTIES[raw]) return `RO-${raw}`;
  const folded = fold(codeOrName);
  const byName = BY_NAME.get(folded);
  if (byName) return `RO-${byName}`;
  return BUCHAREST_SECTOR.test(folded) ? 'RO-B' : null;
}

/** The county's name ('Bistrița-Năsăud', or 'Bistrita-Nasaud' with ascii) from any form roCountyCode reads; null when unknown. */
export function roCountyName(codeOrName: string | null | undefined, o: { ascii?: boolean } = {}): string | null {
  const code = roCountyCode(codeOrName);
  if (!code) return null;
  const name = RO_COUNTIES[code.slice(3)]!;
  return o.ascii ? asciiRo(name) : name;
}
