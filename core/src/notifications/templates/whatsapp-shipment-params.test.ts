import { describe, expect, it } from 'vitest';
import { whatsappShipmentParams } from './whatsapp-shipment-params.ts';

describe('whatsappShipmentParams', () => {
  it('fills the template variables in the template’s order, "-" for an empty value', () => {
    const v = { customerName: '  ', orderNumber: '#7', courierName: 'Cargus', awb: 'A1', trackingUrl: null };
    expect(whatsappShipmentParams(['customer_name', 'order_number', 'courier', 'awb', 'tracking_url'], v)).toEqual(['-', '#7', 'Cargus', 'A1', '-']);
    expect(whatsappShipmentParams(['awb', 'order_number'], { ...v, customerName: 'Ana' })).toEqual(['A1', '#7']);
  });
});
