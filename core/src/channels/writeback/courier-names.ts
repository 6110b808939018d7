/** How the courier is named to the store and the customer (Shopify's tracking company, Woo's provider). */
const NAMES: Record<string, string> = {
  innoship: 'Innoship',
  cargus: 'Cargus',
  fancourier: 'FAN Courier',
  sameday: 'Sameday',
  bosta: 'Bosta',
};

/**
 * Innoship is an aggregator: the parcel travels with the carrier named in the service (e.g.
 * "FAN Courier Standard"), which is what the customer recognises on the van.
 */
export function courierDisplayName(courier: string, service: string | null): string {
  if (courier === 'innoship' && service) {
    const carrier = Object.values(NAMES).find((n) => n !== 'Innoship' && service.toLowerCase().startsWith(n.toLowerCase()));
    if (carrier) return carrier;
  }
  return NAMES[courier] ?? courier;
}
