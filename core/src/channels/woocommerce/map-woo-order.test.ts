import { describe, expect, it } from 'vitest';
import { makeWooOrder, readWooFixture } from '../../../../test/fakes/woocommerce/make-woo-order.ts';
import { channelOrderSchema } from '../channel-order.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { isIgnoredWooStatus, mapWooDeletedPayload, mapWooOrder } from './map-woo-order.ts';

const order = readWooFixture<Record<string, unknown>>('woocommerce-order.json');
const list = readWooFixture<Record<string, unknown>[]>('woocommerce-orders-list.json');

function validationOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('mapWooOrder on the real fixtures', () => {
  it('maps woocommerce-order.json (the REST order and webhook body) to a valid ChannelOrder', () => {
    const o = mapWooOrder(order);
    expect(channelOrderSchema.parse(o)).toEqual(o);
    expect(o).toMatchObject({
      externalOrderId: '727',
      externalNumber: '727',
      platformStatus: 'processing',
      createdAt: '2017-03-22T19:28:02.000Z',
      updatedAt: '2017-03-22T19:28:08.000Z',
      currency: 'USD',
      pricesIncludeTax: false,
      email: 'john.doe@example.com',
      subtotal: '18.00',
      discountTotal: '0.00',
      shippingTotal: '10.00',
      taxTotal: '1.35',
      total: '29.35',
      paymentMethod: 'bacs',
      paymentStatus: 'paid',
      cancelled: false,
      note: null,
      tags: [],
    });
    expect(o.customer).toEqual({
      externalId: null,
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
      phone: '(555) 555-5555',
      company: null,
      vatNumber: null,
    });
    expect(o.lines).toEqual([
      {
        externalLineId: '315',
        sku: null,
        name: 'Woo Single #1',
        quantity: 2,
        unitPrice: '3.00',
        discount: '0.00',
        total: '6.00',
        tax: '0.45',
        externalProductId: '93',
        externalVariantId: null,
      },
      {
        externalLineId: '316',
        sku: 'Bar3',
        name: 'Ship Your Idea \u2013 Color: Black, Size: M Test',
        quantity: 1,
        unitPrice: '12.00',
        discount: '0.00',
        total: '12.00',
        tax: '0.90',
        externalProductId: '22',
        externalVariantId: '23',
      },
    ]);
    expect(o.shippingLines).toEqual([{ title: 'Flat Rate', code: 'flat_rate', price: '10.00' }]);
    expect(o.shippingAddress).toMatchObject({ city: 'San Francisco', provinceCode: 'CA', countryCode: 'US', email: null });
    expect(o.billingAddress).toMatchObject({ address1: '969 Market', address2: null, email: 'john.doe@example.com' });
  });

  it('maps every item of woocommerce-orders-list.json; refunds of 19.00 on 39.00 make it partially refunded', () => {
    const mapped = list.map(mapWooOrder);
    for (const o of mapped) channelOrderSchema.parse(o);
    expect(mapped.map((o) => o.externalOrderId)).toEqual(['727', '723']);
    const completed = mapped[1]!;
    expect(completed).toMatchObject({
      platformStatus: 'completed',
      paymentStatus: 'partially_refunded',
      customer: expect.objectContaining({ externalId: '26', firstName: 'João' }),
      total: '39.00',
      subtotal: '29.00',
    });
    expect(completed.shippingLines[0]).toEqual({ title: 'Flat rate', code: 'flat_rate:25', price: '10.00' });
  });
});

describe('mapWooOrder money', () => {
  it('derives unit price and discount from the string subtotals, never the float price', () => {
    const o = mapWooOrder(
      makeWooOrder({
        line_items: [
          {
            id: 1,
            name: 'Tricou',
            product_id: 5,
            variation_id: 0,
            quantity: 3,
            subtotal: '10.00',
            subtotal_tax: '1.90',
            total: '8.00',
            total_tax: '1.52',
            sku: 'TR-1',
            price: 2.6666666666666665,
          },
        ],
      }),
    );
    expect(o.lines[0]).toMatchObject({ unitPrice: '3.3333', discount: '2.00', total: '8.00', tax: '1.52' });
  });

  it('grosses line, shipping and discount amounts up with tax when prices_include_tax is true', () => {
    const o = mapWooOrder(
      makeWooOrder({
        prices_include_tax: true,
        discount_total: '8.40',
        discount_tax: '1.60',
        shipping_total: '16.81',
        shipping_tax: '3.19',
        total_tax: '20.88',
        total: '130.88',
        line_items: [
          { id: 1, name: 'A', product_id: 5, variation_id: 0, quantity: 2, subtotal: '100.84', subtotal_tax: '19.16', total: '92.44', total_tax: '17.56', sku: 'A' },
        ],
        shipping_lines: [{ id: 9, method_title: 'Fan Courier', method_id: 'flat_rate:3', total: '16.81', total_tax: '3.19' }],
      }),
    );
    expect(o.lines[0]).toMatchObject({ unitPrice: '60.00', discount: '10.00', total: '110.00', tax: '17.56' });
    expect(o).toMatchObject({ subtotal: '120.00', discountTotal: '10.00', shippingTotal: '20.00', taxTotal: '20.88', total: '130.88' });
    expect(o.shippingLines[0]!.price).toBe('20.00');
  });
});

describe('mapWooOrder fees', () => {
  it('maps fee_lines to fees on the store basis (grossed up with tax when prices include it), drops a fee of 0, keeps a negative one', () => {
    const fees = [
      { id: 1, name: 'Taxa ramburs', tax_class: '', tax_status: 'taxable', total: '4.20', total_tax: '0.80', taxes: [], meta_data: [] },
      { id: 2, name: 'Nothing', tax_class: '', tax_status: 'none', total: '0.00', total_tax: '0.00', taxes: [], meta_data: [] },
      { id: 3, name: 'Reducere &amp; cadou', tax_class: '', tax_status: 'taxable', total: '-10.00', total_tax: '-1.90', taxes: [], meta_data: [] },
    ];
    expect(mapWooOrder(makeWooOrder({ fee_lines: fees })).fees).toEqual([
      { name: 'Taxa ramburs', amount: '4.20', tax: '0.80' },
      { name: 'Reducere & cadou', amount: '-10.00', tax: '-1.90' },
    ]);
    expect(mapWooOrder(makeWooOrder({ prices_include_tax: true, fee_lines: fees })).fees).toEqual([
      { name: 'Taxa ramburs', amount: '5.00', tax: '0.80' },
      { name: 'Reducere & cadou', amount: '-11.90', tax: '-1.90' },
    ]);
  });

  it('leaves fees out of an order without any (its content hash stays the one it was stored with), and refuses a fee without a decimal total', () => {
    expect('fees' in mapWooOrder(makeWooOrder({ fee_lines: [] }))).toBe(false);
    expect('fees' in mapWooOrder(makeWooOrder({ fee_lines: [{ id: 2, name: 'Nothing', total: '0.00', total_tax: '0.00' }] }))).toBe(false);
    const e = validationOf(() => mapWooOrder(makeWooOrder({ fee_lines: [{ id: 1, name: 'Taxa', total: 5 }] })));
    expect(e.details.map((d) => d.path)).toContain('fee_lines.0.total');
  });
});

describe('mapWooOrder statuses', () => {
  it.each([
    ['pending', 'bacs', null, 'pending', false],
    ['on-hold', 'bacs', null, 'pending', false],
    ['failed', 'stripe', null, 'pending', true],
    ['processing', 'stripe', '2024-01-01T10:00:00', 'paid', false],
    ['processing', 'cod', '2024-01-01T10:00:00', 'pending', false],
    ['completed', 'cod', null, 'paid', false],
    ['cancelled', 'bacs', null, 'voided', true],
    ['refunded', 'stripe', '2024-01-01T10:00:00', 'refunded', false],
    ['trash', 'bacs', null, 'unknown', true],
    ['shipped', 'stripe', '2024-01-01T10:00:00', 'paid', false],
    ['ready-for-pickup', 'cod', null, 'pending', false],
  ])('status %s paid by %s (date_paid %s) → payment %s, cancelled %s', (status, method, paid, payment, cancelled) => {
    const o = mapWooOrder(makeWooOrder({ status, payment_method: method, date_paid_gmt: paid }));
    expect(o.paymentStatus).toBe(payment);
    expect(o.cancelled).toBe(cancelled);
    expect(o.platformStatus).toBe(status);
  });

  it('marks a fully refunded order refunded even before the status changes', () => {
    const o = mapWooOrder(makeWooOrder({ status: 'completed', refunds: [{ id: 1, reason: '', total: '-29.35' }] }));
    expect(o.paymentStatus).toBe('refunded');
  });

  it('flags checkout drafts and WordPress drafts as ignored, real statuses as not', () => {
    expect(['checkout-draft', 'draft', 'auto-draft', 'wc-checkout-draft'].map(isIgnoredWooStatus)).toEqual([true, true, true, true]);
    expect(['pending', 'processing', 'completed', null].map(isIgnoredWooStatus)).toEqual([false, false, false, false]);
  });
});

describe('mapWooOrder customer data', () => {
  it('takes the CUI from the meta keys Romanian invoicing plugins use', () => {
    for (const key of ['_billing_cui', 'billing_cui', '_billing_vat', 'vat_number', '_vat_number']) {
      const o = mapWooOrder(
        makeWooOrder({
          billing: { ...(order['billing'] as object), company: 'Expedio SRL' },
          meta_data: [{ id: 1, key: '_download_permissions_granted', value: 'yes' }, { id: 2, key, value: ' RO18547290 ' }],
        }),
      );
      expect(o.customer).toMatchObject({ company: 'Expedio SRL', vatNumber: 'RO18547290' });
    }
  });

  it('finds a VAT field added to the billing object, and leaves it null when there is none', () => {
    const withField = mapWooOrder(makeWooOrder({ billing: { ...(order['billing'] as object), cui: '18547290' } }));
    expect(withField.customer.vatNumber).toBe('18547290');
    expect(mapWooOrder(makeWooOrder({ meta_data: [{ key: 'vat_number', value: ['x'] }] })).customer.vatNumber).toBeNull();
  });

  it('treats an all-empty shipping object (virtual order) as no address and keeps the customer note', () => {
    const empty = Object.fromEntries(Object.keys(order['shipping'] as object).map((k) => [k, '']));
    const o = mapWooOrder(makeWooOrder({ shipping: empty, customer_note: 'Sunați înainte' }));
    expect(o.shippingAddress).toBeNull();
    expect(o.note).toBe('Sunați înainte');
  });
});

describe('mapWooOrder validation', () => {
  it.each([
    ['id', { id: undefined }, 'id'],
    ['a float total', { total: 29.35 }, 'total'],
    ['currency', { currency: 'EURO' }, 'currency'],
    ['date_modified_gmt', { date_modified_gmt: 'yesterday' }, 'date_modified_gmt'],
    ['a line quantity', { line_items: [{ id: 1, name: 'x', quantity: -1, subtotal: '1', total: '1' }] }, 'line_items.0.quantity'],
    ['a line subtotal', { line_items: [{ id: 1, name: 'x', quantity: 1, total: '1' }] }, 'line_items.0.subtotal'],
  ])('rejects a payload with a bad %s, naming the field', (_what, override, path) => {
    const e = validationOf(() => mapWooOrder(makeWooOrder({ id: 55, ...override } as never)));
    expect(e.code).toBe('VALIDATION');
    expect(e.details.map((d) => d.path)).toContain(path);
    expect(e.message).toContain(path);
  });

  it('rejects something that is not an order at all', () => {
    expect(validationOf(() => mapWooOrder('nope')).code).toBe('VALIDATION');
    expect(validationOf(() => mapWooOrder(null)).code).toBe('VALIDATION');
  });
});

describe('mapWooDeletedPayload', () => {
  it('reads the { id } body of order.deleted', () => {
    expect(mapWooDeletedPayload({ id: 727 })).toEqual({ externalOrderId: '727' });
    expect(validationOf(() => mapWooDeletedPayload({})).details[0]!.path).toBe('id');
  });
});
