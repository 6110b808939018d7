import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { type FakeWhatsapp, startFakeWhatsapp } from '../fakes/whatsapp/fake-whatsapp.ts';

let shopify: FakeShopify;
let whatsapp: FakeWhatsapp;
beforeAll(async () => {
  shopify = await startFakeShopify({ shopDomain: 'fake-fulfil.myshopify.com', accessToken: 'shpat_f' });
  whatsapp = await startFakeWhatsapp({ phoneNumberId: '1234567', accessToken: 'tok', templates: { hello: { languages: ['ro'], bodyParams: 1 } } });
});
afterAll(async () => {
  await shopify.close();
  await whatsapp.close();
});

// biome-ignore lint/suspicious/noExplicitAny: assertions walk the GraphQL answer field by field
async function gql(query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${shopify.url}/admin/api/2025-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': 'shpat_f' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()).data;
}

const CREATE = 'mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }';

describe('fake Shopify fulfillments', () => {
  it('answers userErrors for an unknown fulfillment order, a foreign line item and a quantity above what remains, changing nothing', async () => {
    const [fo] = shopify.setFulfillmentOrders('gid://shopify/Order/1', [{ lines: [{ lineItemId: 'gid://shopify/LineItem/11', quantity: 2 }] }]);
    const line = fo!.lineItems[0]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/999' }] }, 'does not exist'],
      [{ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id, fulfillmentOrderLineItems: [{ id: 'gid://shopify/FulfillmentOrderLineItem/1', quantity: 1 }] }] }, 'does not exist on this fulfillment order'],
      [{ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id, fulfillmentOrderLineItems: [{ id: line.id, quantity: 3 }] }] }, 'Invalid fulfillment order line item quantity'],
      [{ trackingInfo: { url: 'https://x' }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id }] }, 'Tracking number is required'],
    ];
    for (const [f, message] of cases) {
      const r = await gql(CREATE, { f });
      expect(r.fulfillmentCreate.fulfillment).toBeNull();
      expect(r.fulfillmentCreate.userErrors[0].message).toContain(message);
    }
    expect(line.remainingQuantity).toBe(2);
    expect(shopify.fulfillments.get('gid://shopify/Order/1')).toBeUndefined();
  });

  it('creates a fulfillment, lists it on the order with its line items, and takes events on it', async () => {
    const [fo] = shopify.setFulfillmentOrders('gid://shopify/Order/2', [{ lines: [{ lineItemId: 'gid://shopify/LineItem/21', quantity: 1 }] }]);
    const r = await gql(CREATE, { f: { notifyCustomer: true, trackingInfo: { company: 'Cargus', number: 'AWB1', url: 'https://t/AWB1' }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id }] } });
    const id = r.fulfillmentCreate.fulfillment.id;
    expect(fo!.status).toBe('CLOSED');
    const ev = await gql('mutation($e: FulfillmentEventInput!) { fulfillmentEventCreate(fulfillmentEvent: $e) { fulfillmentEvent { id status } userErrors { field message } } }', {
      e: { fulfillmentId: id, status: 'IN_TRANSIT', happenedAt: '2026-11-20T09:00:00Z' },
    });
    expect(ev.fulfillmentEventCreate.fulfillmentEvent.status).toBe('IN_TRANSIT');
    const bad = await gql('mutation($e: FulfillmentEventInput!) { fulfillmentEventCreate(fulfillmentEvent: $e) { fulfillmentEvent { id } userErrors { field message } } }', {
      e: { fulfillmentId: id, status: 'TELEPORTED' },
    });
    expect(bad.fulfillmentEventCreate.userErrors[0].field).toEqual(['fulfillmentEvent', 'status']);
    const o = await gql('query($id: ID!) { order(id: $id) { fulfillments(first: 5) { id trackingInfo(first: 5) { number } } } }', { id: 'gid://shopify/Order/2' });
    expect(o.order.fulfillments).toEqual([expect.objectContaining({ id, trackingInfo: [{ company: 'Cargus', number: 'AWB1', url: 'https://t/AWB1' }] })]);
    const d = await gql('query($id: ID!) { fulfillment(id: $id) { id } }', { id });
    expect(d.fulfillment.fulfillmentLineItems.nodes).toEqual([expect.objectContaining({ quantity: 1, lineItem: { id: 'gid://shopify/LineItem/21' } })]);
    expect(d.fulfillment.events.nodes.map((e: { status: string }) => e.status)).toEqual(['IN_TRANSIT']);
  });

  it('does not apply a mutation it answers THROTTLED', async () => {
    const [fo] = shopify.setFulfillmentOrders('gid://shopify/Order/3', [{ lines: [{ lineItemId: 'gid://shopify/LineItem/31', quantity: 1 }] }]);
    shopify.failNext('throttle');
    const res = await fetch(`${shopify.url}/admin/api/2025-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': 'shpat_f' },
      body: JSON.stringify({ query: CREATE, variables: { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id }] } } }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe('THROTTLED');
    expect(fo!.status).toBe('OPEN');
  });
});

describe('fake WhatsApp Cloud API', () => {
  const send = (body: unknown, token = 'tok', phone = '1234567') =>
    fetch(`${whatsapp.url}/v21.0/${phone}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const template = (name: string, params: string[], language = 'ro') => ({
    messaging_product: 'whatsapp',
    to: '40722123456',
    type: 'template',
    template: { name, language: { code: language }, components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] },
  });

  it.each([
    ['a wrong token', () => send(template('hello', ['x']), 'nope'), 401, 190],
    ['an unknown phone number id', () => send(template('hello', ['x']), 'tok', '999999'), 400, 100],
    ['an unapproved template', () => send(template('bye', ['x'])), 404, 132001],
    ['a language the template lacks', () => send(template('hello', ['x'], 'en_US')), 404, 132001],
    ['a wrong parameter count', () => send(template('hello', ['x', 'y'])), 400, 132000],
  ])('answers %s with Meta’s error shape', async (_n, call, status, code) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { message: expect.any(String), type: expect.any(String), code, fbtrace_id: expect.any(String), ...((code === 100 && status === 400) ? { error_subcode: 33 } : {}), ...(code >= 132000 ? { error_data: expect.any(Object) } : {}) } });
  });

  it('answers a forced 429 with code 130429, then accepts the message', async () => {
    whatsapp.failNext('429');
    const limited = await send(template('hello', ['Ana']));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe(130429);
    const ok = await send(template('hello', ['Ana']));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ messaging_product: 'whatsapp', contacts: [{ wa_id: '40722123456' }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    expect(whatsapp.messages.at(-1)).toMatchObject({ template: 'hello', bodyParameters: ['Ana'] });
  });
});
