import { describe, expect, it } from 'vitest';
import type { CustomerLanguage } from './customer-language.ts';
import { type ShippedCustomerNoteInput, shippedCustomerNote } from './shipped-customer-note.ts';

const base: ShippedCustomerNoteInput = { courierName: 'FAN Courier', awb: '2100000001', trackingUrl: 'https://t.example/2100000001', replacesAwbs: [] };

describe('shippedCustomerNote', () => {
  it.each([
    ['ro', base, 'Comanda a fost predată curierului FAN Courier. AWB: 2100000001. Urmărire colet: https://t.example/2100000001'],
    ['ro', { ...base, trackingUrl: null }, 'Comanda a fost predată curierului FAN Courier. AWB: 2100000001'],
    [
      'ro',
      { ...base, replacesAwbs: ['1', '2'] },
      'Coletul are un AWB nou la FAN Courier: 2100000001 (înlocuiește AWB 1, 2, anulat). Urmărire colet: https://t.example/2100000001',
    ],
    ['en', base, 'Your order was handed to the courier FAN Courier. AWB: 2100000001. Track the parcel: https://t.example/2100000001'],
    ['en', { ...base, trackingUrl: null, replacesAwbs: ['1'] }, 'Your parcel has a new AWB with FAN Courier: 2100000001 (replaces AWB 1, cancelled)'],
  ] as [CustomerLanguage, ShippedCustomerNoteInput, string][])('%s %o', (lang, input, text) => {
    expect(shippedCustomerNote(lang, input)).toBe(text);
  });
});
