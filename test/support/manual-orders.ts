/**
 * Bodies of POST /api/v1/orders (a manual order) for tests: a new B2B client with a valid CUI
 * (RO18547290 passes the Romanian checksum) and a Romanian address with county and locality.
 */

export const B2B_ADDRESS = {
  firstName: 'Ion',
  lastName: 'Popescu',
  address1: 'Str. Memorandumului 28',
  address2: 'et. 2',
  city: 'Cluj-Napoca',
  province: 'Cluj',
  postcode: '400114',
  countryCode: 'RO',
  phone: '0744 000 111',
} as const;

/** A new company client as `client` of POST /api/v1/orders or the body of POST /api/v1/clients. */
export function newB2bClient(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'company',
    company: 'Țesătoria Âmbră SRL',
    cui: 'RO18547290',
    tradeRegisterNo: 'J12/3456/2019',
    iban: 'RO49AAAA1B31007593840000',
    email: `achizitii-${Math.random().toString(36).slice(2, 8)}@ambra.test`,
    phone: '0744 000 111',
    firstName: 'Ion',
    lastName: 'Popescu',
    billingAddress: { ...B2B_ADDRESS, company: 'Țesătoria Âmbră SRL' },
    ...over,
  };
}

/** A COD manual order with the given client (new: `client`, existing: `clientId`) and lines; prices default to the price list's. */
export function manualOrderBody(o: { client?: Record<string, unknown>; clientId?: string; lines: Array<Record<string, unknown>>; shippingTotal?: string; [k: string]: unknown }): Record<string, unknown> {
  return { paymentMethod: 'cod', shippingAddress: B2B_ADDRESS, note: 'Livrare la recepție', ...o };
}
