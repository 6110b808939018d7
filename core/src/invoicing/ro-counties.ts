/** ISO 3166-2:RO subdivision codes (without 'RO-') by county name, for addresses that give only the name. */
const COUNTIES: Record<string, string> = {
  AB: 'Alba', AR: 'Arad', AG: 'Arges', BC: 'Bacau', BH: 'Bihor', BN: 'Bistrita-Nasaud', BT: 'Botosani', BV: 'Brasov',
  BR: 'Braila', B: 'Bucuresti', BZ: 'Buzau', CS: 'Caras-Severin', CL: 'Calarasi', CJ: 'Cluj', CT: 'Constanta',
  CV: 'Covasna', DB: 'Dambovita', DJ: 'Dolj', GL: 'Galati', GR: 'Giurgiu', GJ: 'Gorj', HR: 'Harghita', HD: 'Hunedoara',
  IL: 'Ialomita', IS: 'Iasi', IF: 'Ilfov', MM: 'Maramures', MH: 'Mehedinti', MS: 'Mures', NT: 'Neamt', OT: 'Olt',
  PH: 'Prahova', SM: 'Satu Mare', SJ: 'Salaj', SB: 'Sibiu', SV: 'Suceava', TR: 'Teleorman', TM: 'Timis', TL: 'Tulcea',
  VS: 'Vaslui', VL: 'Valcea', VN: 'Vrancea',
};

const fold = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/^(judetul|jud\.?)\s+/, '').replace(/[\s-]+/g, ' ').trim();

const BY_NAME = new Map(Object.entries(COUNTIES).map(([code, name]) => [fold(name), code]));
BY_NAME.set('bucharest', 'B');
BY_NAME.set('municipiul bucuresti', 'B');

/** 'RO-CJ' from a code ('CJ', 'RO-CJ') or a name ('Cluj', 'Județul Cluj'); null when unknown. */
export function roCountyCode(codeOrName: string | null | undefined): string | null {
  if (!codeOrName) return null;
  const raw = codeOrName.trim().toUpperCase().replace(/^RO-/, '');
  if (COUNTIES[raw]) return `RO-${raw}`;
  const byName = BY_NAME.get(fold(codeOrName));
  return byName ? `RO-${byName}` : null;
}

/**
 * BR-RO-100/101: a Bucharest address names its sector as SECTOR1..SECTOR6. Taken from the city or
 * address text ("Sector 3", "sect. 3") or else from the postal code, whose second digit is the sector.
 */
export function bucharestSector(texts: Array<string | null | undefined>, postalCode: string | null | undefined): string | null {
  for (const t of texts) {
    const m = t ? /sec(?:tor|t\.?)?\s*([1-6])\b/i.exec(t) : null;
    if (m) return `SECTOR${m[1]}`;
  }
  const pc = postalCode?.replace(/\s/g, '');
  if (pc && /^0[1-6]\d{4}$/.test(pc)) return `SECTOR${pc[1]}`;
  return null;
}

/** The county's name as couriers' nomenclatures spell it without diacritics ('Cluj', 'Bucuresti'); null when unknown. */
export function roCountyName(codeOrName: string | null | undefined): string | null {
  const code = roCountyCode(codeOrName);
  return code ? (COUNTIES[code.slice(3)] ?? null) : null;
}
