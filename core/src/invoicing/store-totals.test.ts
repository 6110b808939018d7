import { describe, expect, it } from 'vitest';
import { computeLines, type LineInput } from './invoice-document.ts';
import { compareWithStore, type StoreFigures, storeChargedNoTax, storeFiguresKnown, totalTolerance } from './store-totals.ts';

const item = (unitPrice: string, quantity = 1, vatRate = '21'): LineInput => ({ kind: 'item', sku: null, name: 'P', quantity, unitPrice, discount: '0', vatRate });
const doc = (inputs: LineInput[], gross: boolean) => ({ ...computeLines(inputs, gross, null), currency: 'RON' });
const store = (s: Partial<StoreFigures>): StoreFigures => ({ pricesIncludeTax: false, total: '0', taxTotal: '0', shippingTotal: '0', lines: [], ...s });

describe('the invoice against what the store charged', () => {
  it('agrees within rounding: gross prices split back and taxed again land on the store total', () => {
    const d = doc([item('0.99', 7), item('19.99', 3), item('33.33', 1)], true);
    const s = store({ pricesIncludeTax: true, total: '100.23', lines: [{ total: '6.93', tax: null }, { total: '59.97', tax: null }, { total: '33.33', tax: null }] });
    expect(compareWithStore(s, d, true)).toBeNull();
  });

  it('a line 0.02 off is rounding; 0.03 off is named with both amounts', () => {
    const d = doc([item('100.00')], false); // 100.00 + 21.00
    expect(compareWithStore(store({ total: '121.02', taxTotal: '21.02', lines: [{ total: '100.00', tax: '21.02' }] }), d, false)).toBeNull();
    expect(compareWithStore(store({ total: '121.03', taxTotal: '21.03', lines: [{ total: '100.00', tax: '21.03' }] }), d, false)).toMatchObject({
      storeTotal: '121.03',
      invoiceTotal: '121.00',
      difference: '-0.03',
      lines: [{ lineNo: 1, store: '121.03', invoice: '121.00' }],
    });
  });

  it('a wrong rate on one line is caught even when another line hides it in the total', () => {
    // The store charged 11% on line 1 and 31% on line 2; the invoice 21% on both: totals agree, lines do not.
    const d = doc([item('100.00'), item('100.00')], false);
    const m = compareWithStore(store({ total: '242.00', taxTotal: '42.00', lines: [{ total: '100.00', tax: '11.00' }, { total: '100.00', tax: '31.00' }] }), d, false);
    expect(m?.lines.map((l) => l.lineNo)).toEqual([1, 2]);
  });

  it('the total tolerance is 0.01 per invoice line, at least 0.02', () => {
    expect([1, 2, 3, 100].map(totalTolerance)).toEqual([200n, 200n, 300n, 10_000n]);
  });

  it('no tax charged on prices without tax is read as tax included; no figures (total 0, lines worth something) is nothing to compare', () => {
    expect(storeChargedNoTax(store({ total: '40.00', lines: [{ total: '40.00', tax: '0.00' }] }))).toBe(true);
    expect(storeChargedNoTax(store({ total: '48.40', taxTotal: '8.40', lines: [{ total: '40.00', tax: '8.40' }] }))).toBe(false);
    expect(storeChargedNoTax(store({ pricesIncludeTax: true, total: '40.00', lines: [{ total: '40.00', tax: '0.00' }] }))).toBe(false);
    expect(storeFiguresKnown(store({ total: '0', lines: [{ total: '40.00', tax: null }] }))).toBe(false);
    expect(storeFiguresKnown(store({ total: '0', lines: [{ total: '0.00', tax: null }] }))).toBe(true);
  });
});
