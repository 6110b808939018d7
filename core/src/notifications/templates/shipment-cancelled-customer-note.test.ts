import { describe, expect, it } from 'vitest';
import { shipmentCancelledCustomerNote } from './shipment-cancelled-customer-note.ts';

describe('shipmentCancelledCustomerNote', () => {
  it('says the AWB was cancelled and that the customer will hear when the parcel leaves again', () => {
    expect(shipmentCancelledCustomerNote('ro', { courierName: 'Sameday', awb: 'X1' })).toBe(
      'Expedierea cu AWB X1 (Sameday) a fost anulată. Vă anunțăm când coletul pleacă din nou.',
    );
    expect(shipmentCancelledCustomerNote('en', { courierName: 'Sameday', awb: 'X1' })).toBe(
      'The shipment with AWB X1 (Sameday) was cancelled. We will let you know when the parcel leaves again.',
    );
  });
});
