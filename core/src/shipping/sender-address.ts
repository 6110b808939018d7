import { bucharestSector, roCountyCode, roCountyName } from '../invoicing/index.ts';
import type { ErrorDetail } from '../shared/domain-error.ts';
import type { ShipmentAddress } from './courier-adapter.ts';

/**
 * The pickup point a courier account ships from: what the courier prints as sender and where it
 * collects the parcels. Kept on the account because it is the address registered with that courier
 * (Sameday pickup point, Cargus location, Innoship client location), which may differ per courier.
 */
export interface SenderAddress {
  name: string;
  contactPerson: string | null;
  phone: string;
  email: string | null;
  countryCode: string;
  /** RO: the county's name as couriers spell it ('Cluj', 'Bucuresti'); EG: null. */
  county: string | null;
  /** RO: ISO 3166-2:RO without 'RO-' ('CJ', 'B'); EG: null. */
  countyCode: string | null;
  locality: string;
  postalCode: string | null;
  addressLine: string;
  /** EG (Bosta): the district, required there. */
  district: string | null;
}

export type SenderAddressInput = Partial<Record<keyof SenderAddress, string | null>>;

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

/**
 * Checks and normalises a sender address; every problem is a field error under `path`. A Romanian
 * county may be given as code, name or with diacritics ('CJ', 'Cluj', 'Județul Cluj'); a Bucharest
 * address must name its sector (in the locality, the address line or through the postal code).
 */
export function checkSenderAddress(input: SenderAddressInput, path = 'senderAddress'): { address: SenderAddress | null; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const countryCode = (text(input.countryCode, 2) ?? 'RO').toUpperCase();
  const req = (k: keyof SenderAddress, max: number) => {
    const v = text(input[k], max);
    if (!v) problems.push({ path: `${path}.${k}`, reason: 'is required' });
    return v ?? '';
  };
  const name = req('name', 100);
  const phone = req('phone', 40);
  const locality = req('locality', 100);
  const addressLine = req('addressLine', 200);
  if (phone && !/^\+?[\d\s().-]{6,40}$/.test(phone)) problems.push({ path: `${path}.phone`, reason: 'must be a phone number' });
  if (!/^[A-Z]{2}$/.test(countryCode)) problems.push({ path: `${path}.countryCode`, reason: 'must be an ISO 3166-1 alpha-2 code' });
  let county: string | null = null;
  let countyCode: string | null = null;
  const postalCode = text(input.postalCode, 20);
  if (countryCode === 'RO') {
    const given = text(input.county, 60);
    countyCode = roCountyCode(given)?.slice(3) ?? null;
    county = roCountyName(given, { ascii: true });
    if (!given) problems.push({ path: `${path}.county`, reason: 'is required for a Romanian address' });
    else if (!countyCode) problems.push({ path: `${path}.county`, reason: `"${given}" is not a Romanian county (code such as CJ or name such as Cluj)` });
    if (postalCode && !/^\d{6}$/.test(postalCode)) problems.push({ path: `${path}.postalCode`, reason: 'a Romanian postal code has 6 digits' });
    if (locality && roCountyCode(locality) && roCountyCode(locality) !== `RO-${countyCode}` && roCountyCode(locality) !== 'RO-B')
      problems.push({ path: `${path}.locality`, reason: `"${locality}" is a county name; give the town or village` });
    if (countyCode === 'B' && !bucharestSector([locality, addressLine], postalCode))
      problems.push({ path: `${path}.locality`, reason: 'a Bucharest address names its sector (Sector 1 to Sector 6)' });
  }
  const district = text(input.district, 100);
  if (countryCode === 'EG' && !district) problems.push({ path: `${path}.district`, reason: 'is required for an Egyptian (Bosta) address' });
  const email = text(input.email, 200);
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) problems.push({ path: `${path}.email`, reason: 'not an e-mail address' });
  if (problems.length) return { address: null, problems };
  return { address: { name, contactPerson: text(input.contactPerson, 100), phone, email, countryCode, county, countyCode, locality, postalCode, addressLine, district }, problems };
}

/** The sender as a courier request carries it. */
export function senderShipmentAddress(a: SenderAddress): ShipmentAddress {
  return {
    name: a.name,
    ...(a.contactPerson ? { contactPerson: a.contactPerson } : {}),
    phone: a.phone,
    ...(a.email ? { email: a.email } : {}),
    countryCode: a.countryCode,
    ...(a.county ? { county: a.county } : {}),
    locality: a.locality,
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    addressLine: a.addressLine,
    ...(a.district ? { district: a.district } : {}),
  };
}
