import type { ChannelOrder } from '../../core/src/channels/channel-order.ts';
import { mapShopifyWebhookOrder } from '../../core/src/channels/shopify/map-shopify-order.ts';
import { parseShopifyJson } from '../../core/src/channels/shopify/parse-shopify-json.ts';
import { mapWooOrder } from '../../core/src/channels/woocommerce/map-woo-order.ts';
import { readContractFixture } from '../fixtures/contract-fixtures.ts';

/**
 * Store orders made from the real Shopify and WooCommerce samples (test/fixtures/contracts), each
 * call a new order, moved to a Romanian buyer in RON; `edit` changes the raw payload before mapping.
 */
/** A raw store payload, edited field by field as each case needs. */
// biome-ignore lint/suspicious/noExplicitAny: the samples are deep JSON edited in place; typing them would restate both platforms' schemas.
export type Payload = Record<string, any>;

let seq = 0;

const RO_ADDRESS = { first_name: 'Ana', last_name: 'Ionescu', company: '', address1: 'Str. Memorandumului 28', address2: '', city: 'Cluj-Napoca', province: 'Cluj', province_code: 'CJ', zip: '400114', country: 'Romania', country_code: 'RO', phone: '0722000000' };

/** Shopify's sample order (three lines, 369.97), live and paid, for a Romanian buyer in RON. */
export function shopifyOrder(edit: (o: Payload) => void = () => {}): ChannelOrder {
  const o = parseShopifyJson(readContractFixture('shopify-orders-create.json')) as Payload;
  seq++;
  o.admin_graphql_api_id = `gid://shopify/Order/${900000 + seq}`;
  o.name = `#T${seq}`;
  o.cancelled_at = null;
  o.financial_status = 'paid';
  o.currency = 'RON';
  o.email = `ana${seq}@client.test`;
  o.customer.admin_graphql_api_id = `gid://shopify/Customer/${700000 + seq}`;
  o.customer.email = o.email;
  o.billing_address = { ...RO_ADDRESS };
  o.shipping_address = { ...RO_ADDRESS };
  edit(o);
  return mapShopifyWebhookOrder(o);
}

/** WooCommerce's sample order (two lines, flat-rate shipping 10.00, 7.5% state tax) for a Romanian buyer in RON. */
export function wooOrder(edit: (o: Payload) => void = () => {}): ChannelOrder {
  const o = JSON.parse(readContractFixture('woocommerce-order.json')) as Payload;
  seq++;
  o.id = 5000 + seq;
  o.number = String(5000 + seq);
  o.currency = 'RON';
  o.billing = { ...o.billing, email: `ion${seq}@client.test`, country: 'RO', state: 'CJ', city: 'Cluj-Napoca', postcode: '400114' };
  o.shipping = { ...o.shipping, country: 'RO', state: 'CJ', city: 'Cluj-Napoca', postcode: '400114' };
  edit(o);
  return mapWooOrder(o);
}

/** Woo amounts at Romania's 21%: 6.00 + 12.00 of goods, 10.00 shipping. */
export function wooAt21(o: Payload): void {
  o.line_items[0].total_tax = '1.26';
  o.line_items[0].subtotal_tax = '1.26';
  o.line_items[1].total_tax = '2.52';
  o.line_items[1].subtotal_tax = '2.52';
  o.shipping_lines[0].total_tax = '2.10';
  o.shipping_tax = '2.10';
  o.cart_tax = '3.78';
  o.total_tax = '5.88';
  o.total = '33.88';
}

