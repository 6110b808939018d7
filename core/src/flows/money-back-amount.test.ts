import { describe, expect, it } from 'vitest';
import { deliveryGivenBack, moneyBackAmount } from './return-goods.ts';

describe('what a return gives back through the store: what the customer paid for the credited units', () => {
  const lines = [
    { lineNo: 1, quantity: 2, total: '100.00' },
    { lineNo: 2, quantity: 1, total: '50.00' },
  ];
  it.each([
    ['prices with tax included, shipping left out', { total: '165.00', shippingTotal: '15.00' }, [{ orderLineNo: 1, quantity: 1 }], '50.00'],
    ['tax added on top of the lines (19%)', { total: '193.50', shippingTotal: '15.00' }, [{ orderLineNo: 1, quantity: 1 }, { orderLineNo: 2, quantity: 1 }], '119.00'],
    ['an order-level discount shared out', { total: '135.00', shippingTotal: '0.00' }, [{ orderLineNo: 2, quantity: 1 }], '45.00'],
    ['everything back, never more than was paid for goods', { total: '150.00', shippingTotal: '0.00' }, [{ orderLineNo: 1, quantity: 2 }, { orderLineNo: 2, quantity: 1 }], '150.00'],
    ['a line the order does not have counts nothing', { total: '150.00', shippingTotal: '0.00' }, [{ orderLineNo: 9, quantity: 1 }], '0.00'],
  ])('%s', (_why, order, credited, amount) => {
    expect(moneyBackAmount(order, lines, credited)).toBe(amount);
  });

  const taxed = [
    { lineNo: 1, quantity: 2, total: '100.00', tax: '19.00' },
    { lineNo: 2, quantity: 1, total: '50.00', tax: '9.50' },
  ];
  const all = [{ orderLineNo: 1, quantity: 2 }, { orderLineNo: 2, quantity: 1 }];
  it("tax on top: the shipping's tax (what the tax total leaves after the lines') is not given back as goods", () => {
    // 150.00 + 28.50 tax on the lines, 15.00 shipping + 2.85 its tax.
    expect(moneyBackAmount({ total: '196.35', shippingTotal: '15.00', pricesIncludeTax: false, taxTotal: '31.35', fees: [] }, taxed, all)).toBe('178.50');
  });
  it("tax on top, a line's tax not known: the shipping's tax cannot be told apart and stays in, as before", () => {
    expect(moneyBackAmount({ total: '196.35', shippingTotal: '15.00', pricesIncludeTax: false, taxTotal: '31.35', fees: [] }, lines.map((l) => ({ ...l, tax: null })), all)).toBe('181.35');
  });
  it('a cash-on-delivery fee is not goods: with tax included, and with its own tax added on top', () => {
    expect(moneyBackAmount({ total: '170.00', shippingTotal: '15.00', pricesIncludeTax: true, fees: [{ amount: '5.00', tax: null }] }, lines, [{ orderLineNo: 1, quantity: 1 }])).toBe('50.00');
    // 178.50 goods with tax, 15.00 + 2.85 shipping, a 5.00 fee + 0.95 tax: everything back gives the goods' 178.50.
    expect(moneyBackAmount({ total: '202.30', shippingTotal: '15.00', pricesIncludeTax: false, taxTotal: '32.30', fees: [{ amount: '5.00', tax: '0.95' }] }, taxed, all)).toBe('178.50');
  });
  it('a negative fee (a discount given as a fee) is shared out over the goods like an order discount', () => {
    expect(moneyBackAmount({ total: '150.00', shippingTotal: '15.00', pricesIncludeTax: true, fees: [{ amount: '-15.00', tax: null }] }, lines, [{ orderLineNo: 2, quantity: 1 }])).toBe('45.00');
  });
});

describe('the delivery a return gives back: only a withdrawal from the whole order once everything came back (OUG 34/2014 art. 13)', () => {
  const taxed = [{ tax: '19.00' }, { tax: '9.50' }];
  const onTop = { total: '196.35', shippingTotal: '15.00', pricesIncludeTax: false, taxTotal: '31.35', fees: [] };
  it.each([
    ['a partial return', { wholeOrder: false, everythingBack: true }, null],
    ['the whole order asked back, some of it not back yet', { wholeOrder: true, everythingBack: false }, null],
    ['the whole order back: the shipping with its tax', { wholeOrder: true, everythingBack: true }, '17.85'],
  ])('%s', (_why, o, expected) => {
    expect(deliveryGivenBack(onTop, taxed, o)).toBe(expected);
  });
  it('with tax included the shipping as the store charged it; nothing when the delivery was free', () => {
    expect(deliveryGivenBack({ total: '165.00', shippingTotal: '15.00', pricesIncludeTax: true }, [], { wholeOrder: true, everythingBack: true })).toBe('15.00');
    expect(deliveryGivenBack({ total: '150.00', shippingTotal: '0.00', pricesIncludeTax: true }, [], { wholeOrder: true, everythingBack: true })).toBeNull();
  });
});
