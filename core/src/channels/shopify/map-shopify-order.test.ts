import { describe, expect, it } from 'vitest';
import { makeShopifyGraphqlOrderNode, makeShopifyOrderObject, makeShopifyOrderPayload } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { channelOrderSchema } from '../channel-order.ts';
import { mapShopifyGraphqlOrder, mapShopifyWebhookOrder } from './map-shopify-order.ts';
import { parseShopifyJson } from './parse-shopify-json.ts';

const fromWebhook = (overrides: Record<string, unknown> = {}) =>
  mapShopifyWebhookOrder(parseShopifyJson(makeShopifyOrderPayload(overrides)));

const line = (o: Record<string, unknown>) => ({ ...(makeShopifyOrderObject().line_items as Record<string, unknown>[])[0], ...o });

describe('mapShopifyWebhookOrder on the published orders/* sample', () => {
  const order = fromWebhook();

  it('produces a valid ChannelOrder', () => {
    expect(channelOrderSchema.parse(order)).toEqual(order);
  });

  it('keeps the order id exact (820982911946154508, not …500)', () => {
    expect(order.externalOrderId).toBe('820982911946154508');
    expect(order.lines.map((l) => l.externalLineId)).toEqual(['487817672276298554', '976318377106520349', '315789986012684393']);
    expect(order.customer.externalId).toBe('115310627314723954');
    expect(order.lines[0]!.externalProductId).toBe('788032119674292922');
  });

  it('maps header fields, dates to UTC and cancellation', () => {
    expect(order).toMatchObject({
      externalNumber: '#9999',
      platformStatus: 'cancelled',
      cancelled: true,
      paymentStatus: 'voided',
      createdAt: '2022-01-01T00:00:00.000Z',
      updatedAt: '2022-01-01T00:00:00.000Z',
      currency: 'USD',
      pricesIncludeTax: false,
      email: 'jon@example.com',
      paymentMethod: 'visa, bogus',
      tags: ['tag1', 'tag2'],
      note: null,
      subtotal: '369.97',
      total: '369.97',
      taxTotal: '0.00',
      shippingLines: [{ title: 'Generic Shipping', code: null, price: '10.00' }],
    });
    expect(order.customer).toEqual({
      externalId: '115310627314723954',
      email: 'john@example.com',
      firstName: 'John',
      lastName: 'Smith',
      phone: '555-555-SHIP',
      company: 'Shipping Company',
      vatNumber: null,
    });
    expect(order.shippingAddress).toMatchObject({ city: 'Shippington', postcode: '40003', provinceCode: 'KY', countryCode: 'US', email: null });
    expect(order.billingAddress?.email).toBe('jon@example.com');
  });

  it('maps lines with price, zero discount and zero tax', () => {
    expect(order.lines[0]).toEqual({
      externalLineId: '487817672276298554',
      sku: 'SKU2006-001',
      name: 'Aviator sunglasses',
      quantity: 1,
      unitPrice: '89.99',
      discount: '0.00',
      total: '89.99',
      tax: '0.00',
      externalProductId: '788032119674292922',
      externalVariantId: null,
    });
  });
});

describe('mapShopifyWebhookOrder field rules', () => {
  it.each([
    ['an open paid order has platformStatus paid', { cancelled_at: null, financial_status: 'paid' }, { platformStatus: 'paid', paymentStatus: 'paid', cancelled: false }],
    ['financial status is lowercased', { cancelled_at: null, financial_status: 'PARTIALLY_REFUNDED' }, { platformStatus: 'partially_refunded', paymentStatus: 'partially_refunded' }],
    ['an expired authorization counts as voided', { cancelled_at: null, financial_status: 'expired' }, { platformStatus: 'expired', paymentStatus: 'voided' }],
    ['an unknown financial status is kept but paid status is unknown', { cancelled_at: null, financial_status: 'weird' }, { platformStatus: 'weird', paymentStatus: 'unknown' }],
    ['a null financial status is unknown', { cancelled_at: null, financial_status: null }, { platformStatus: 'unknown', paymentStatus: 'unknown' }],
    ['cancelled wins over the financial status', { financial_status: 'paid' }, { platformStatus: 'cancelled', paymentStatus: 'paid' }],
    ['taxes_included sets pricesIncludeTax', { taxes_included: true }, { pricesIncludeTax: true }],
    ['a VAT number comes from a note attribute named like one', { note_attributes: [{ name: 'CUI', value: ' RO18547290 ' }] }, { customer: expect.objectContaining({ vatNumber: 'RO18547290' }) }],
    ['other note attributes are not taken for a VAT number', { note_attributes: [{ name: 'gift message', value: 'RO123' }] }, { customer: expect.objectContaining({ vatNumber: null }) }],
    ['no customer gives a null customer id and order e-mail', { customer: null }, { customer: expect.objectContaining({ externalId: null, email: 'jon@example.com', firstName: 'Steve' }) }],
    ['empty tags give an empty list', { tags: '' }, { tags: [] }],
    ['no payment gateway gives a null payment method', { payment_gateway_names: [] }, { paymentMethod: null }],
  ])('%s', (_name, overrides, expected) => {
    expect(fromWebhook(overrides)).toMatchObject(expected);
  });

  it.each([
    ['an empty SKU becomes null', line({ sku: '' }), { sku: null, total: '89.99' }],
    [
      'discount is the sum of the allocations and comes off price × quantity',
      line({ quantity: 3, current_quantity: 3, discount_allocations: [{ amount: '5.00' }, { amount: '2.50' }] }),
      { quantity: 3, unitPrice: '89.99', discount: '7.50', total: '262.47' },
    ],
    ['tax is the sum of the tax lines', line({ tax_lines: [{ price: '17.10' }, { price: '0.90' }] }), { tax: '18.00' }],
    [
      'a line reduced by an order edit keeps the current quantity and its share of the discount',
      line({ quantity: 4, current_quantity: 1, discount_allocations: [{ amount: '10.00' }] }),
      { quantity: 1, discount: '2.50', total: '87.49' },
    ],
    ['a line removed by an edit has quantity 0 and total 0', line({ quantity: 2, current_quantity: 0, discount_allocations: [] }), { quantity: 0, total: '0.00' }],
  ])('%s', (_name, l, expected) => {
    expect(fromWebhook({ line_items: [l] }).lines[0]).toMatchObject(expected);
  });

  it('prefers the GID over a numeric id that plain JSON.parse has rounded', () => {
    const naive = JSON.parse(makeShopifyOrderPayload()) as Record<string, unknown>;
    naive['line_items'] = (naive['line_items'] as Record<string, unknown>[]).map((l) => ({ ...l, product_id: null }));
    naive['customer'] = null;
    expect(mapShopifyWebhookOrder(naive).externalOrderId).toBe('820982911946154508');
  });

  it('refuses a rounded id it cannot recover, naming the field', () => {
    const naive = JSON.parse(makeShopifyOrderPayload()) as Record<string, unknown>;
    expect(() => mapShopifyWebhookOrder(naive)).toThrow(/line_items\.0\.product_id.*lost precision/);
  });

  it.each([
    ['line_items', 'line_items'],
    ['updated_at', 'updated_at'],
    ['currency', 'currency'],
    ['total_price', 'total_price'],
  ])('a payload without %s is a VALIDATION error naming it', (field, path) => {
    const o = makeShopifyOrderObject();
    delete o[field];
    try {
      mapShopifyWebhookOrder(o);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('VALIDATION');
      expect((e as DomainError).message).toContain(path);
      expect((e as DomainError).details).toContainEqual(expect.objectContaining({ path }));
    }
  });

  it('a line without a price is a VALIDATION error with the line path', () => {
    const { price: _p, ...noPrice } = line({});
    expect(() => mapShopifyWebhookOrder(makeShopifyOrderObject({ line_items: [noPrice] }))).toThrow(/line_items\.0\.price/);
  });

  it('a non-object payload is a VALIDATION error', () => {
    expect(() => mapShopifyWebhookOrder('nope')).toThrow(DomainError);
  });
});

describe('mapShopifyGraphqlOrder', () => {
  it('maps the GraphQL node of the sample order to the same ChannelOrder as the webhook', () => {
    expect(mapShopifyGraphqlOrder(makeShopifyGraphqlOrderNode())).toEqual(fromWebhook());
  });

  it('turns GIDs into plain ids and reads discounts, tax and the VAT attribute', () => {
    const o = mapShopifyGraphqlOrder(
      makeShopifyGraphqlOrderNode({
        cancelledAt: null,
        displayFinancialStatus: 'PARTIALLY_PAID',
        taxesIncluded: true,
        customAttributes: [{ key: 'vat_number', value: 'RO18547290' }],
        lineItems: {
          nodes: [
            {
              id: 'gid://shopify/LineItem/1',
              sku: '',
              name: 'Mug',
              quantity: 2,
              currentQuantity: 2,
              originalUnitPriceSet: { shopMoney: { amount: '12.5' } },
              discountAllocations: [{ allocatedAmountSet: { shopMoney: { amount: '1.0' } } }],
              taxLines: [{ priceSet: { shopMoney: { amount: '3.83' } } }],
              product: { id: 'gid://shopify/Product/7' },
              variant: { id: 'gid://shopify/ProductVariant/8' },
            },
          ],
        },
      }),
    );
    expect(o).toMatchObject({ platformStatus: 'partially_paid', paymentStatus: 'partially_paid', pricesIncludeTax: true, cancelled: false });
    expect(o.customer.vatNumber).toBe('RO18547290');
    expect(o.lines).toEqual([
      {
        externalLineId: '1',
        sku: null,
        name: 'Mug',
        quantity: 2,
        unitPrice: '12.50',
        discount: '1.00',
        total: '24.00',
        tax: '3.83',
        externalProductId: '7',
        externalVariantId: '8',
      },
    ]);
  });

  it('a node without lineItems is a VALIDATION error naming lineItems', () => {
    const { lineItems: _l, ...node } = makeShopifyGraphqlOrderNode();
    expect(() => mapShopifyGraphqlOrder(node)).toThrow(/lineItems/);
  });
});
