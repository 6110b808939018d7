import { describe, expect, it } from 'vitest';
import type { StoreRefund } from '../shop-connector.ts';
import { type WooOrderForRefund, wooRefundBody } from './push-woo-money-back.ts';

const order: WooOrderForRefund = {
  id: 727,
  currency: 'RON',
  payment_method: 'stripe',
  line_items: [{ id: 315, quantity: 2, total: '100.00', taxes: [{ id: 75, total: '21.00' }] }],
  shipping_lines: [{ id: 316, total: '15.00', taxes: [{ id: 75, total: '3.15' }] }],
};
const refund = (o: Partial<StoreRefund>): StoreRefund => ({
  orderId: '727',
  amount: '60.50',
  currency: 'RON',
  lines: [{ externalLineId: '315', quantity: 1 }],
  shipping: null,
  note: 'Return 4',
  idempotencyKey: 'return:4:refund',
  ...o,
});

describe('the body of a WooCommerce refund (POST /orders/{id}/refunds)', () => {
  it("a line's share per unit returned, no shipping line while the delivery is not given back", () => {
    const body = wooRefundBody(order, refund({}));
    expect(body.line_items).toEqual([{ id: 315, quantity: 1, refund_total: '50.00', refund_tax: [{ id: 75, refund_total: '10.50' }] }]);
    expect(body).toMatchObject({ amount: '60.50', api_refund: true, api_restock: false });
  });
  it('the delivery given back (a whole order withdrawn): each shipping line refunded whole with its tax', () => {
    const body = wooRefundBody(order, refund({ amount: '139.15', lines: [{ externalLineId: '315', quantity: 2 }], shipping: '18.15' }));
    expect(body.line_items).toEqual([
      { id: 315, quantity: 2, refund_total: '100.00', refund_tax: [{ id: 75, refund_total: '21.00' }] },
      { id: 316, refund_total: '15.00', refund_tax: [{ id: 75, refund_total: '3.15' }] },
    ]);
  });
});
