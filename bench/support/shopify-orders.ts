import { signShopifyBody } from '../../core/src/channels/index.ts';
import { makeShopifyOrderObject, serializeShopifyJson } from '../../test/fakes/shopify/shopify-order-fixtures.ts';

/**
 * Distinct signed-ready Shopify orders/create bodies for the load benches: order n has its own id,
 * its customer is n modulo `customers` (the customer GID the mapper reads first rotates with it) and
 * its three lines walk the SKUs.
 */
export function shopifyOrderStream(o: { skus: string[]; idBase: bigint; customerBase: number; prefix: string; customers?: number }): () => { bytes: Buffer; id: string } {
  const template = makeShopifyOrderObject({ cancelled_at: null, cancel_reason: null, financial_status: 'paid' });
  const lineTemplate = (template.line_items as Array<Record<string, unknown>>)[0]!;
  const customerTemplate = template.customer as Record<string, unknown>;
  const customers = o.customers ?? Number.MAX_SAFE_INTEGER;
  let seq = 0;
  return () => {
    const n = seq++;
    const id = String(o.idBase + BigInt(n));
    const c = n % customers;
    const customerId = String(o.customerBase + c);
    const email = `${o.prefix.toLowerCase()}${c}@example.com`;
    const raw = serializeShopifyJson({
      ...template,
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${o.prefix}${n}`,
      email,
      contact_email: email,
      customer: { ...customerTemplate, id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email, first_name: `${o.prefix}${c}` },
      line_items: [0, 1, 2].map((k) => {
        const lineId = `${id.slice(0, 14)}${k}`;
        return { ...lineTemplate, id: lineId, admin_graphql_api_id: `gid://shopify/LineItem/${lineId}`, sku: o.skus[(n * 3 + k) % o.skus.length], quantity: 1, current_quantity: 1 };
      }),
    });
    return { bytes: Buffer.from(raw), id };
  };
}

/** One signed orders/create delivery, as Shopify sends it. */
export function postShopifyOrder(url: string, shop: { shopDomain: string; appSecret: string }, bytes: Buffer, webhookId: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyBody(bytes, shop.appSecret),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': shop.shopDomain,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-api-version': '2025-10',
    },
    body: bytes,
  });
}

/** The request head of one signed orders/create delivery for `HttpConnection` (host and length added by it). */
export function shopifyOrderHead(path: string, shop: { shopDomain: string; appSecret: string }, bytes: Buffer, webhookId: string): string {
  return [
    `POST ${path} HTTP/1.1`,
    'content-type: application/json',
    `x-shopify-hmac-sha256: ${signShopifyBody(bytes, shop.appSecret)}`,
    'x-shopify-topic: orders/create',
    `x-shopify-shop-domain: ${shop.shopDomain}`,
    `x-shopify-webhook-id: ${webhookId}`,
    'x-shopify-api-version: 2025-10',
  ].join('\r\n');
}
