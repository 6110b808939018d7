import { describe, expect, it } from 'vitest';
import { moneyBackAmount } from './return-goods.ts';

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
});
