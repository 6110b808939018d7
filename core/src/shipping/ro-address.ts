import { asciiRo, BUCHAREST_SECTOR, roCountyName } from '../shared/ro-counties.ts';
import type { ShipmentAddress, ShipmentRequest } from './courier-adapter.ts';

const BUCHAREST_CITY = /^(bucuresti|bucharest|municipiul bucuresti|mun\.? bucuresti)$/i;

/**
 * A Romanian address as the couriers' nomenclatures spell it (Innoship, Cargus, FAN and Sameday
 * all match county and locality by name, without diacritics): the county from whatever form the
 * store sent (code "CJ", "Cluj", "Județul Cluj", "Bistrița-Năsăud"); a Bucharest sector given as
 * county or city becomes county and locality "Bucuresti" with the sector kept in the address line.
 * An unknown county is passed on as it came, for the courier to name in its refusal.
 */
export function courierRoAddress(a: ShipmentAddress): ShipmentAddress {
  if ((a.countryCode || 'RO').toUpperCase() !== 'RO') return a;
  const locality = asciiRo(a.locality.trim());
  const county = a.county?.trim() ? asciiRo(a.county.trim()) : undefined;
  const sector = [county, locality].map((v) => (v ? BUCHAREST_SECTOR.exec(v.replace(/\s+/g, ' ')) : null)).find(Boolean)?.[1];
  const countyName = roCountyName(county) ?? roCountyName(locality.replace(/\s+/g, ' ')) ?? null;
  const out: ShipmentAddress = { ...a, locality };
  if (countyName) out.county = asciiRo(countyName);
  else if (county) out.county = county;
  if (out.county === 'Bucuresti' && (sector || BUCHAREST_CITY.test(locality) || locality === '')) {
    out.locality = 'Bucuresti';
    if (sector && !new RegExp(`sec(?:torul|tor|t\\.?)?\\s*${sector}\\b`, 'i').test(a.addressLine)) out.addressLine = `${a.addressLine}, Sector ${sector}`;
  }
  return out;
}

/** The request with its recipient and sender addresses as the courier spells them. */
export const withCourierRoAddresses = (req: ShipmentRequest): ShipmentRequest => ({
  ...req,
  address: courierRoAddress(req.address),
  ...(req.sender ? { sender: courierRoAddress(req.sender) } : {}),
});
