/** 'RO-CJ' from a code or a county name (with or without diacritics): one table for invoices and couriers. */
import { asciiRo, roCountyCode } from '../shared/ro-counties.ts';

export { roCountyCode, roCountyName } from '../shared/ro-counties.ts';

/**
 * A Bucharest sector in any of the ways it is written: "Sectorul 4", "Sector 4", "sectorul4",
 * "Sect. 4", "sect 4", "S4", "S.4", "S 4", "Sec. 4".
 */
const SECTOR = /(?:^|[^\p{L}\d])s(?:ector(?:ul)?|ect|ec)?\.?\s*([1-6])(?![\d])/iu;

/**
 * BR-RO-100/101: a Bucharest address names its sector as SECTOR1..SECTOR6. Taken from the city
 * text first, then the postal code (its second digit is the sector: 0S....), then the address
 * lines; null when none of them says.
 */
export function bucharestSector(texts: Array<string | null | undefined>, postalCode: string | null | undefined): string | null {
  const [city, ...rest] = texts;
  const fromText = (t: string | null | undefined) => {
    const m = t ? SECTOR.exec(asciiRo(t)) : null;
    return m ? `SECTOR${m[1]}` : null;
  };
  const pc = postalCode?.replace(/\s/g, '');
  if (/^SECTOR[1-6]$/.test(city ?? '')) return city!;
  return fromText(city) ?? (pc && /^0[1-6]\d{4}$/.test(pc) ? `SECTOR${pc[1]}` : null) ?? rest.map(fromText).find((s) => s !== null) ?? null;
}

/** The first two digits of a Romanian postal code name the county (Poșta Română's 2003 scheme). */
const POSTCODE_COUNTY: Record<string, string> = {
  '01': 'B', '02': 'B', '03': 'B', '04': 'B', '05': 'B', '06': 'B', '07': 'IF', '08': 'GR',
  '10': 'PH', '11': 'AG', '12': 'BZ', '13': 'DB', '14': 'TR',
  '20': 'DJ', '21': 'GJ', '22': 'MH', '23': 'OT', '24': 'VL',
  '30': 'TM', '31': 'AR', '32': 'CS', '33': 'HD',
  '40': 'CJ', '41': 'BH', '42': 'BN', '43': 'MM', '44': 'SM', '45': 'SJ',
  '50': 'BV', '51': 'AB', '52': 'CV', '53': 'HR', '54': 'MS', '55': 'SB',
  '60': 'BC', '61': 'NT', '62': 'VN',
  '70': 'IS', '71': 'BT', '72': 'SV', '73': 'VS',
  '80': 'GL', '81': 'BR', '82': 'TL',
  '90': 'CT', '91': 'CL', '92': 'IL',
};

export function countyFromPostcode(postalCode: string | null | undefined): string | null {
  const pc = postalCode?.replace(/\s/g, '');
  if (!pc || !/^\d{6}$/.test(pc)) return null;
  const code = POSTCODE_COUNTY[pc.slice(0, 2)];
  return code ? `RO-${code}` : null;
}

/** "Judet Cluj", "Judetul Cluj", "Județul Cluj", "jud. Cluj", "jud Cluj", "Cluj County", "JUDEȚUL CLUJ". */
const COUNTY_WORDS = /^\s*(?:jude[tț](?:ul)?|jud)\.?\s+|\s+(?:county|jude[tț](?:ul)?)\s*$/giu;

/** A county written any way, else the one of its postal code (BR-RO-110/111); null when neither says. */
export function invoiceCountyCode(texts: Array<string | null | undefined>, postalCode: string | null | undefined): string | null {
  for (const t of texts) {
    if (!t?.trim()) continue;
    // "București, Sector 3", "Bucuresti S4": the city names the municipality whatever follows it.
    const code = roCountyCode(t) ?? roCountyCode(t.replace(COUNTY_WORDS, '')) ?? (/\b(bucuresti|bucharest)\b/i.test(asciiRo(t)) ? 'RO-B' : null);
    if (code) return code;
  }
  return countyFromPostcode(postalCode);
}
