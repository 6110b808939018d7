/** 'RO-CJ' from a code or a county name (with or without diacritics): one table for invoices and couriers. */
export { roCountyCode, roCountyName } from '../shared/ro-counties.ts';

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
