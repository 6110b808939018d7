import { readContractFixture } from '../../fixtures/contract-fixtures.ts';
import { parseShopifyJson } from '../../../core/src/channels/shopify/parse-shopify-json.ts';

/**
 * Builders for Shopify order payloads, seeded from the real sample Shopify publishes for the
 * orders/* webhooks (in the repo's copy of the contract fixtures).
 */
export function readShopifyFixture(name: string): string {
  return readContractFixture(name);
}

/** The raw text of the orders/create sample, big ids intact. */
export const SHOPIFY_ORDER_SAMPLE_RAW = readShopifyFixture('shopify-orders-create.json');

const BIG_ID_MARK = '\u0000bigint:';

/**
 * JSON.stringify that writes REST id fields (`id`, `*_id`) holding digit strings as bare JSON
 * numbers, as Shopify does on the wire; the strings come from parseShopifyJson keeping
 * ids beyond 2^53 exact.
 */
export function serializeShopifyJson(value: unknown): string {
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (typeof v === 'string' && (key === 'id' || key.endsWith('_id')) && /^-?\d+$/.test(v)) return BIG_ID_MARK + v;
    return v;
  });
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

type Json = Record<string, unknown>;

/** The REST sample as an object (big ids as exact strings) with top-level fields replaced. */
export function makeShopifyOrderObject(overrides: Json = {}): Json {
  const base = parseShopifyJson(SHOPIFY_ORDER_SAMPLE_RAW) as Json;
  return { ...base, ...overrides };
}

/**
 * A webhook body (raw JSON text, big ids as bare numbers) built from the sample. The sample is a
 * cancelled, voided order; overrides such as `{ cancelled_at: null, financial_status: 'paid' }`
 * make it an ordinary new order.
 */
export function makeShopifyOrderPayload(overrides: Json = {}): string {
  if (Object.keys(overrides).length === 0) return SHOPIFY_ORDER_SAMPLE_RAW;
  return serializeShopifyJson(makeShopifyOrderObject(overrides));
}

const money = (amount: string, currencyCode = 'USD') => ({ shopMoney: { amount, currencyCode } });

/**
 * The same sample order as an Admin GraphQL node in the shape `ORDERS_QUERY` selects (GIDs,
 * camelCase, MoneyBags). Mapping it and the REST sample must give the same ChannelOrder.
 */
export function makeShopifyGraphqlOrderNode(overrides: Json = {}): Json {
  const rest = parseShopifyJson(SHOPIFY_ORDER_SAMPLE_RAW) as {
    billing_address: Json;
    shipping_address: Json;
    line_items: Json[];
  };
  const address = (a: Json) => ({
    firstName: a['first_name'],
    lastName: a['last_name'],
    company: a['company'],
    address1: a['address1'],
    address2: a['address2'],
    city: a['city'],
    province: a['province'],
    provinceCode: a['province_code'],
    zip: a['zip'],
    country: a['country'],
    countryCodeV2: a['country_code'],
    phone: a['phone'],
  });
  const node: Json = {
    id: 'gid://shopify/Order/820982911946154508',
    name: '#9999',
    createdAt: '2022-01-01T00:00:00Z',
    updatedAt: '2022-01-01T00:00:00Z',
    cancelledAt: '2022-01-01T00:00:00Z',
    displayFinancialStatus: 'VOIDED',
    currencyCode: 'USD',
    taxesIncluded: false,
    email: 'jon@example.com',
    phone: null,
    note: null,
    tags: ['tag1', 'tag2'],
    paymentGatewayNames: ['visa', 'bogus'],
    customAttributes: [],
    customer: {
      id: 'gid://shopify/Customer/115310627314723954',
      firstName: 'John',
      lastName: 'Smith',
      defaultEmailAddress: { emailAddress: 'john@example.com' },
      defaultPhoneNumber: null,
    },
    billingAddress: address(rest.billing_address),
    shippingAddress: address(rest.shipping_address),
    currentSubtotalPriceSet: money('369.97'),
    currentTotalDiscountsSet: money('0.0'),
    currentShippingPriceSet: money('0.0'),
    currentTotalTaxSet: money('0.0'),
    currentTotalPriceSet: money('369.97'),
    shippingLines: {
      nodes: [{ title: 'Generic Shipping', code: null, isRemoved: false, originalPriceSet: money('10.0') }],
    },
    lineItems: {
      pageInfo: { hasNextPage: false, endCursor: null },
      nodes: rest.line_items.map((l) => ({
        id: l['admin_graphql_api_id'],
        sku: l['sku'],
        name: l['name'],
        quantity: l['quantity'],
        currentQuantity: l['current_quantity'],
        originalUnitPriceSet: money(String(l['price'])),
        discountAllocations: [],
        taxLines: [],
        product: { id: `gid://shopify/Product/${String(l['product_id'])}` },
        variant: null,
      })),
    },
  };
  return { ...node, ...overrides };
}

/** A small, ordinary paid order node for sync tests: `n` distinguishes id, name and SKU. */
export function makeShopifyGraphqlTestOrder(n: number, updatedAt: string, overrides: Json = {}): Json {
  return makeShopifyGraphqlOrderNode({
    id: `gid://shopify/Order/${9_000_000_000_000_000_000n + BigInt(n)}`,
    name: `#${1000 + n}`,
    createdAt: updatedAt,
    updatedAt,
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    ...overrides,
  });
}
