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
  /** Order n's fields: N… are bare numbers in the body, S… text inside strings. */
  const fields = (n: number): Record<string, string> => {
    const id = String(o.idBase + BigInt(n));
    const c = n % customers;
    const customerId = String(o.customerBase + c);
    const f: Record<string, string> = { Nid: id, Sid: id, Sname: `#${o.prefix}${n}`, Semail: `${o.prefix.toLowerCase()}${c}@example.com`, Ncustomer: customerId, Scustomer: customerId, Sfirst: `${o.prefix}${c}` };
    for (const k of [0, 1, 2]) {
      f[`Nline${k}`] = f[`Sline${k}`] = `${id.slice(0, 14)}${k}`;
      f[`Ssku${k}`] = o.skus[(n * 3 + k) % o.skus.length]!;
    }
    return f;
  };
  const body = (v: (k: string) => string) =>
    serializeShopifyJson({
      ...template,
      id: v('Nid'),
      admin_graphql_api_id: `gid://shopify/Order/${v('Sid')}`,
      name: v('Sname'),
      email: v('Semail'),
      contact_email: v('Semail'),
      customer: { ...customerTemplate, id: v('Ncustomer'), admin_graphql_api_id: `gid://shopify/Customer/${v('Scustomer')}`, email: v('Semail'), first_name: v('Sfirst') },
      line_items: [0, 1, 2].map((k) => ({ ...lineTemplate, id: v(`Nline${k}`), admin_graphql_api_id: `gid://shopify/LineItem/${v(`Sline${k}`)}`, sku: v(`Ssku${k}`), quantity: 1, current_quantity: 1 })),
    });
  // The body is serialised once with a marker per field and then filled in by joining its pieces:
  // serialising the whole sample per order cost the load client as much CPU as the core's parse.
  const marked = body((k) => `\u0001${k}\u0001`);
  const pieces: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const m of marked.matchAll(/"\\u0001(N\w+)\\u0001"|\\u0001(S\w+)\\u0001/g)) {
    pieces.push(marked.slice(last, m.index));
    names.push(m[1] ?? m[2]!);
    last = m.index + m[0].length;
  }
  pieces.push(marked.slice(last));
  const fill = (f: Record<string, string>) => {
    let out = pieces[0]!;
    for (let i = 0; i < names.length; i++) out += f[names[i]!]! + pieces[i + 1]!;
    return out;
  };
  // The filled template is the body serialised in full (checked on the first order, every run).
  const first = fields(0);
  if (fill(first) !== body((k) => first[k]!)) throw new Error('shopifyOrderStream: the body template differs from the serialised order');
  let seq = 0;
  return () => {
    const f = fields(seq++);
    return { bytes: Buffer.from(fill(f)), id: f.Nid! };
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
