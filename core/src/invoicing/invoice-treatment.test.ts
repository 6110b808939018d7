import { describe, expect, it } from 'vitest';
import type { LineInput, Party } from './invoice-document.ts';
import { buyerLegalId, documentDiscounts, eInvoiceHold, isValidCnp, lineCategory, NO_CNP, paymentMeansFor, shippingInputs } from './invoice-treatment.ts';
import { cleanText } from './invoice-text.ts';

const buyer = (p: Partial<Party>): Party => ({ name: 'X', vatId: null, legalId: null, tradeRegisterNo: null, street: 's', city: 'Cluj-Napoca', countySubentity: 'RO-CJ', postalCode: null, countryCode: 'RO', email: null, phone: null, bankName: null, iban: null, isCompany: false, ...p });
const line = (vatRate: string, unitPrice: string, quantity = 1, discount = '0', extra: Partial<LineInput> = {}): LineInput => ({ kind: 'item', sku: null, name: 'n', quantity, unitPrice, discount, vatRate, ...extra });

describe('how an order line is taxed and identified on its invoice', () => {
  it('category: O for a non-VAT seller, G outside the EU, K to an EU business, else the product (E stays, AE only between Romanian VAT payers, Z)', () => {
    const ro = buyer({});
    const de = buyer({ countryCode: 'DE', countySubentity: null });
    const us = buyer({ countryCode: 'US', countySubentity: null });
    expect(lineCategory({ vatCategory: 'E', exemptionCode: null, exemptionReason: null }, ro, true, false)).toBe('O');
    expect(lineCategory(null, us, false, true)).toBe('G');
    expect(lineCategory(null, de, true, true)).toBe('K');
    expect(lineCategory(null, de, false, true)).toBeUndefined(); // EU consumer: Romanian VAT
    expect(lineCategory({ vatCategory: 'E', exemptionCode: null, exemptionReason: null }, ro, false, true)).toBe('E');
    expect(lineCategory({ vatCategory: 'AE', exemptionCode: null, exemptionReason: null }, ro, true, true)).toBe('AE');
    expect(lineCategory({ vatCategory: 'AE', exemptionCode: null, exemptionReason: null }, ro, false, true)).toBeUndefined();
    expect(lineCategory({ vatCategory: 'Z', exemptionCode: null, exemptionReason: null }, ro, false, true)).toBe('Z');
  });

  it('buyer identifier: a valid CNP kept (from the client or the address), a foreign tax number as typed, else 13 zeros', () => {
    expect(isValidCnp('1960523460032')).toBe(true);
    expect(isValidCnp('1960523460033')).toBe(false);
    expect(buyerLegalId('RO', '1960523460032', null)).toBe('1960523460032');
    expect(buyerLegalId('RO', null, '2951103123456')).toBe('2951103123456');
    expect(buyerLegalId('RO', '1960523460033', null)).toBe(NO_CNP);
    expect(buyerLegalId('RO', null, null)).toBe(NO_CNP);
    expect(buyerLegalId('US', '12-3456789', null)).toBe('12-3456789');
    expect(buyerLegalId('CH', null, null)).toBe(NO_CNP);
  });

  it('shipping follows the goods: one line at their single rate, split by value over several rates (the last part takes the rounding)', () => {
    expect(shippingInputs([line('11', '10.00')], '15.00', '21')).toEqual([expect.objectContaining({ vatRate: '11', unitPrice: '15.00', name: 'Transport' })]);
    const split = shippingInputs([line('21', '121.00', 2), line('11', '55.50', 1, '5.55')], '19.99', '21');
    expect(split.map((s) => [s.vatRate, s.unitPrice])).toEqual([['21', '16.57'], ['11', '3.42']]);
    expect(shippingInputs([line('21', '1.00')], '0', '21')).toEqual([]);
    expect(shippingInputs([line('0', '8.50', 1, '0', { vatCategory: 'K' })], '9.90', '21')[0]).toMatchObject({ vatCategory: 'K' });
  });

  it("the order's discount not on its lines becomes document allowances per rate; a discount already on the lines does not", () => {
    const goods = [line('21', '121.00', 2), line('11', '55.50', 1, '5.55')];
    expect(documentDiscounts(goods, '5.55')).toEqual([]);
    expect(documentDiscounts(goods, '25.55').map((a) => [a.vatRate, a.amount])).toEqual([['21', '16.58'], ['11', '3.42']]);
  });

  it('payment means from the store and manual payment methods (UNCL 4461)', () => {
    const code = (m: string | null, iban = true) => paymentMeansFor(m, iban).code;
    expect([code('cod'), code('Cash on Delivery (COD)'), code('cash'), code('shopify_payments'), code('stripe'), code('card'), code('Credit card'), code('paypal'), code('bacs'), code('bank_transfer'), code('bacs', false), code(null), code(null, false)]).toEqual([
      '10', '10', '10', '48', '48', '48', '54', '68', '30', '30', '42', '30', '1',
    ]);
  });

  it('a Romanian buyer without county, or a Bucharest one without sector, is held naming the field', () => {
    expect(eInvoiceHold(buyer({ countySubentity: null }))?.field).toBe('billingAddress.province');
    expect(eInvoiceHold(buyer({ countySubentity: 'RO-B', city: 'București' }))?.field).toBe('billingAddress.city');
    expect(eInvoiceHold(buyer({ countySubentity: 'RO-B', city: 'SECTOR3' }))).toBeNull();
    expect(eInvoiceHold(buyer({ countryCode: 'DE', countySubentity: null }))).toBeNull();
  });

  it('text: control characters and lone surrogates removed, whitespace folded, cut by characters not UTF-16 units', () => {
    expect(cleanText('Cană\u0000\u0007 roșie\u001b\t\n mare\u0085')).toBe('Cană roșie mare');
    expect(cleanText('a\uD800b')).toBe('a b');
    expect(cleanText('😀😀😀', 2)).toBe('😀😀');
    expect(cleanText('abc ', 10)).toBe('abc');
  });
});
