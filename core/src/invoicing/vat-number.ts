import { isValidCnp } from './invoice-treatment.ts';
/**
 * Romanian CUI/CIF checksum (control key 7 5 3 2 1 7 5 3 2) and EU VAT number formats. ANAF
 * rejects a wrong CUI checksum at upload (R_BT_32_cui), so it is checked before any XML is built.
 */
const CUI_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

export function isValidCui(value: string): boolean {
  const cui = value.trim().toUpperCase().replace(/^RO/, '').trim();
  if (!/^\d{2,10}$/.test(cui)) return false;
  const body = cui.slice(0, -1).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * CUI_KEY[i]!;
  const control = ((sum * 10) % 11) % 10;
  return control === Number(cui[cui.length - 1]);
}

/** National part formats per EU member state (VIES syntax; the online VIES check is a separate step). */
const EU_VAT_FORMATS: Record<string, RegExp> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^\d{9}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  FR: /^[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^\d{11}$/,
  LT: /^(\d{9}|\d{12})$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^\d{2,10}$/,
  SE: /^\d{12}$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
};

export const EU_COUNTRIES = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'GR', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);

export type VatCheck =
  | { valid: true; vatId: string; countryCode: string; legalId: string }
  | { valid: false; reason: string };

/**
 * Normalises a buyer's VAT number given with or without its country prefix ("ATU12345678", or
 * "U12345678" for a buyer in AT). Romanian numbers must pass the CUI checksum; other EU numbers
 * must match their national format. A number that fails is never read as "no VAT number": the
 * caller says so (a company is not turned into a consumer by a typo).
 */
export function checkVatNumber(raw: string | null | undefined, countryCode: string | null | undefined): VatCheck {
  if (!raw?.trim()) return { valid: false, reason: 'no VAT number' };
  const compact = raw.toUpperCase().replace(/[\s.\-/]/g, '');
  const prefix = compact.slice(0, 2);
  const country = (countryCode ?? '').toUpperCase();
  const vatPrefix = (c: string) => (c === 'GR' ? 'EL' : c);
  // Typed without its prefix ("U12345678" for an Austrian buyer): the buyer's country gives it.
  const own = EU_VAT_FORMATS[vatPrefix(country)];
  if (country !== 'RO' && own?.test(compact)) return { valid: true, vatId: `${vatPrefix(country)}${compact}`, countryCode: country, legalId: compact };
  if (/^\d+$/.test(compact)) {
    if (country === 'RO' || country === '') {
      return isValidCui(compact) ? { valid: true, vatId: `RO${compact}`, countryCode: 'RO', legalId: compact } : { valid: false, reason: `CUI ${compact} fails the checksum` };
    }
    const fmt = EU_VAT_FORMATS[vatPrefix(country)];
    if (fmt?.test(compact)) return { valid: true, vatId: `${vatPrefix(country)}${compact}`, countryCode: country, legalId: compact };
    return { valid: false, reason: `${compact} is not a valid VAT number for ${country}` };
  }
  const fmt = EU_VAT_FORMATS[prefix];
  if (!fmt) return { valid: false, reason: own ? `${compact} is not a valid VAT number for ${country}` : `${prefix} is not an EU VAT prefix` };
  const national = compact.slice(2);
  if (!fmt.test(national)) return { valid: false, reason: `${compact} does not match the ${prefix} VAT format` };
  if (prefix === 'RO' && !isValidCui(national)) return { valid: false, reason: `CUI ${national} fails the checksum` };
  return { valid: true, vatId: compact, countryCode: prefix === 'EL' ? 'GR' : prefix, legalId: national };
}

/** Why a buyer's VAT number (given, so the buyer claims to be a business) cannot be used; null when it can, or none is given. */
export function buyerVatProblem(raw: string | null | undefined, countryCode: string | null | undefined): string | null {
  if (!raw?.trim()) return null;
  const country = (countryCode || 'RO').toUpperCase();
  // Outside the EU there is no VAT-id form to check (a US EIN, a Swiss UID…): the buyer's own tax number is kept as typed.
  if (country !== 'RO' && !EU_COUNTRIES.has(country)) return null;
  // A private person's CNP typed in the tax-id field is an identifier, not a wrong CUI (it goes on the invoice as BT-47).
  if (country === 'RO' && isValidCnp(raw.replace(/\s/g, ''))) return null;
  const check = checkVatNumber(raw, country);
  return check.valid ? null : check.reason;
}
