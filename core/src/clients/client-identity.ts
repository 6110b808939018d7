import { checkVatNumber, isValidCui, roCountyCode } from '../invoicing/index.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';

/**
 * The checks of a client's legal identity and addresses as an operator types them: the CUI's
 * checksum (the one ANAF applies, `invoicing/vat-number.ts`), the VAT prefix RO of a VAT payer, the
 * trade register number, the IBAN's mod-97 check, and a Romanian address's county. Pure: each
 * returns the normalised value or the problem naming the field.
 */

export interface AddressInput {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  /** The locality. */
  city?: string | null;
  /** The county: a name ("Cluj", "Județul Cluj") or a code ("CJ"). */
  province?: string | null;
  provinceCode?: string | null;
  postcode?: string | null;
  countryCode?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** Stored in the shape store orders use (channels' ChannelAddress), so packing lists and AWBs read it alike. */
export interface StoredAddress {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  postcode: string | null;
  country: string | null;
  countryCode: string | null;
  phone: string | null;
  email: string | null;
}

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

/** EU member states' VAT prefixes besides Romania's (Greece's is EL). */
const FOREIGN_EU_PREFIX = /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|SE|SI|SK)/;

/**
 * 'RO12345678' for a VAT payer, '12345678' otherwise; the checksum decides validity. A client of
 * another member state (its billing country, or the number's prefix) gives its EU VAT id, with or
 * without the prefix ("ATU12345678" or "U12345678" in AT); it is stored with the prefix.
 */
export function normaliseCui(raw: string, vatPayer: boolean | undefined, path: string, countryCode?: string | null): { value: string } | { problem: ErrorDetail } {
  const compact = raw.toUpperCase().replace(/[\s.\-/]/g, '');
  const country = countryCode?.trim().toUpperCase() || 'RO';
  if (country !== 'RO' || FOREIGN_EU_PREFIX.test(compact)) {
    const vat = checkVatNumber(compact, country === 'RO' ? null : country);
    return vat.valid ? { value: vat.vatId } : { problem: { path, reason: vat.reason } };
  }
  const prefixed = compact.startsWith('RO');
  const digits = prefixed ? compact.slice(2) : compact;
  if (!/^\d{2,10}$/.test(digits)) return { problem: { path, reason: 'a CUI is 2 to 10 digits, optionally after RO' } };
  if (!isValidCui(digits)) return { problem: { path, reason: `CUI ${digits} fails the checksum` } };
  const payer = vatPayer ?? prefixed;
  return { value: payer ? `RO${digits}` : digits };
}

/** Reg. Com.: J40/1234/2020 (county, number, year) or the registry's newer single code (J2020001234401). */
const TRADE_REGISTER = /^[JFC]\d{1,2}\/\d{1,7}\/(19|20)\d{2}$|^[JFC](19|20)\d{2}\d{6,9}$/;

export function normaliseTradeRegisterNo(raw: string, path: string): { value: string } | { problem: ErrorDetail } {
  const v = raw.toUpperCase().replace(/\s+/g, '');
  return TRADE_REGISTER.test(v) ? { value: v } : { problem: { path, reason: 'a trade register number looks like J40/1234/2020' } };
}

/** ISO 13616: the country code and check digits moved to the end, the whole read as a number, mod 97 = 1. */
export function normaliseIban(raw: string, path: string): { value: string } | { problem: ErrorDetail } {
  const v = raw.toUpperCase().replace(/\s+/g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(v) || (v.startsWith('RO') && v.length !== 24)) return { problem: { path, reason: 'not an IBAN (RO49AAAA1B31007593840000)' } };
  const digits = (v.slice(4) + v.slice(0, 4)).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1 ? { value: v } : { problem: { path, reason: 'the IBAN check digits do not match' } };
}

/** An address with its county checked (Romania: a county the couriers and ANAF know); street and locality required. */
export function normaliseAddress(a: AddressInput, path: string, problems: ErrorDetail[]): StoredAddress {
  const countryCode = (clean(a.countryCode) ?? 'RO').toUpperCase();
  const out: StoredAddress = {
    firstName: clean(a.firstName),
    lastName: clean(a.lastName),
    company: clean(a.company),
    address1: clean(a.address1),
    address2: clean(a.address2),
    city: clean(a.city),
    province: clean(a.province),
    provinceCode: clean(a.provinceCode),
    postcode: clean(a.postcode),
    country: countryCode === 'RO' ? 'Romania' : null,
    countryCode,
    phone: clean(a.phone),
    email: clean(a.email)?.toLowerCase() ?? null,
  };
  if (!/^[A-Z]{2}$/.test(countryCode)) problems.push({ path: `${path}.countryCode`, reason: 'a two-letter country code (RO)' });
  if (!out.address1) problems.push({ path: `${path}.address1`, reason: 'required: street and number' });
  if (!out.city) problems.push({ path: `${path}.city`, reason: 'required: the locality' });
  if (countryCode === 'RO') {
    const code = roCountyCode(out.provinceCode) ?? roCountyCode(out.province);
    if (!code) problems.push({ path: `${path}.province`, reason: out.province || out.provinceCode ? `${out.province ?? out.provinceCode} is not a Romanian county` : 'required: the county' });
    else {
      out.provinceCode = code.slice(3);
      out.province ??= out.provinceCode;
    }
  }
  return out;
}

export function throwIfProblems(problems: ErrorDetail[]): void {
  if (problems.length > 0) throw new DomainError('VALIDATION', `Invalid ${problems[0]!.path}: ${problems[0]!.reason}.`, problems);
}
