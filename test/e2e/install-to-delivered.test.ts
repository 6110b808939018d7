import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { makeShopifyGraphqlOrderNode } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { RO_ADDRESS } from '../shipping/flow-support.ts';
import { createProducts, createWarehouseWithBins } from '../support/catalog-helpers.ts';
import { manualOrderBody, newB2bClient } from '../support/manual-orders.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';
import { installShopifyApp, type ShopifyInstallEnv, startShopifyInstallEnv } from '../support/shopify-install.ts';
import { TEST_TLS, trustTestCertificate } from '../support/test-tls.ts';
import { connectWooStore } from '../support/woo-connect.ts';
import { receiveStockOnPhone } from '../warehouse-ui/receive-stock-support.ts';

/*
 * Issue [C]'s "done when", as a merchant does it, from an empty install (no demo, no tenant) with
 * no SQL and no file edited: the Shopify app installed through its OAuth flow on the fake Shopify
 * (which creates the tenant), a login and an API key made through the API, WooCommerce connected
 * from the plugin's consent page, the catalog pulled from both stores, a warehouse with bins, a
 * courier account and the invoicing profile through the API, stock received on the phone screen in
 * Chromium, then one order of each store and one manual order with a new B2B client carried to
 * delivered. Run twice: the WooCommerce fake over https (Basic) and over plain http (OAuth 1.0a).
 *
 * The test reads the database only to assert what the merchant would see elsewhere; every change
 * goes through HTTP: the app, the API, the warehouse UI, the fakes' own endpoints.
 */

const hex40 = () => Array.from({ length: 40 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
const manager = { email: 'sef.depozit@magazin.test', password: 'parola foarte lunga 1' };

describe.each([
  ['https', 'Basic'],
  ['http', 'OAuth 1.0a'],
] as const)('from an empty install to delivered (WooCommerce over %s: %s)', (scheme, _signing) => {
  let env: ShopifyInstallEnv;
  let woo: FakeWooCommerce;
  let sameday: FakeSameday;
  let key = '';
  let warehouseId = '';
  const channels = { shopify: '', woo: '', manual: '' };

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${env.core.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: the test reads answers field by field
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await api(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };

  beforeAll(async () => {
    if (scheme === 'https') trustTestCertificate();
    env = await startShopifyInstallEnv();
    woo = await startFakeWooCommerce({ consumerKey: `ck_${hex40()}`, consumerSecret: `cs_${hex40()}`, ...(scheme === 'https' ? { tls: TEST_TLS } : { isSsl: false }) });
    sameday = await startFakeSameday();
    // What the stores sell before Expedio exists.
    env.shopify.catalog.addLocation('Depozit Cluj');
    env.shopify.catalog.addProduct({ title: 'Tricou', variants: [{ title: 'M', sku: 'TRC-M', barcode: '5940000000014', grams: 250, price: '59.90' }] });
    woo.catalog.weightUnit = 'g';
    woo.catalog.addProduct({ name: 'Ceai de tei', sku: 'CEAI-1', globalUniqueId: '5940000000021', weight: '120', price: '19.90' });
  }, 300_000);
  afterAll(async () => {
    await woo?.close();
    await sameday?.close();
  });

  it('installs, connects, sets up without SQL, receives stock on the phone and carries three orders to delivered', async () => {
    expect(await env.core.sql`select id from tenants`).toHaveLength(0);

    // 1. The Shopify app, installed through its OAuth flow: the tenant and channel exist, the token sealed.
    const installed = await installShopifyApp(env);
    channels.shopify = installed.channelId;
    const [shopChannel] = await env.core.sql<{ credentials_enc: string }[]>`select credentials_enc from channels where id = ${installed.channelId}`;
    expect(shopChannel!.credentials_enc).not.toContain(installed.accessToken);

    // 2. From the app's session: an API key for the integrations and a manager's login for the warehouse.
    key = env.shopify.oauth.sessionToken();
    const made = await ok('POST', '/api-keys', { name: 'Back office' });
    key = made.key;
    await ok('POST', '/users', { ...manager, name: 'Șef depozit', role: 'manager' });

    // 3. The warehouse, its bins, the courier account and the invoicing profile, through the API.
    const { warehouse } = await createWarehouseWithBins(env.core.url, key, {
      code: 'CLJ',
      name: 'Depozit Cluj',
      address: { name: 'Magazin Exemplu', phone: '0740123456', addressLine: 'Str. Fabricii 12', locality: 'Cluj-Napoca', county: 'Cluj', postalCode: '400632', countryCode: 'RO' },
      bins: [
        { code: 'A-01', zone: 'A', pickSequence: 10 },
        { code: 'A-02', zone: 'A', pickSequence: 20 },
      ],
    });
    warehouseId = warehouse.id;
    const account = await ok('POST', '/courier-accounts', {
      courier: 'sameday',
      name: 'Sameday',
      credentials: { username: 'sameday-user', password: 'sameday-pass' },
      baseUrl: sameday.url,
      settings: { pickupPointId: 1234 },
      defaultService: '7',
      senderAddress: { name: 'Depozit Cluj', phone: '0740123456', county: 'CJ', locality: 'Cluj-Napoca', addressLine: 'Str. Fabricii 12', postalCode: '400632' },
    });
    expect(await ok('POST', `/courier-accounts/${account.id}/test`)).toMatchObject({ ok: true });
    const profile = await api('PUT', '/invoicing/profile', {
      legalName: 'Magazin Exemplu SRL',
      cui: '13548146',
      tradeRegisterNo: 'J12/1234/2020',
      street: 'Str. Fabricii 12',
      city: 'Cluj-Napoca',
      countyCode: 'CJ',
      postalCode: '400632',
      bankName: 'Banca Transilvania',
      iban: 'RO49AAAA1B31007593840000',
      email: 'facturi@magazin.test',
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(204);
    // The stores' orders are in USD: an invoice in lei needs the day's rate (here the merchant's own; BNR's is imported daily).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await ok('PUT', '/invoicing/fx-rates', { currency: 'USD', validOn: yesterday, ronPerUnit: '4.6012' });

    // 4. WooCommerce, connected from the plugin: the manager allows it on the core's consent page.
    const conn = await connectWooStore(env.core, woo, { pairing: { operator: manager }, storeName: 'Magazin Woo' });
    channels.woo = conn.channelId;
    expect(woo.url.startsWith(`${scheme}://`)).toBe(true);
    channels.manual = (await ok('POST', '/channels/manual')).channelId;
    for (const id of Object.values(channels)) await ok('PATCH', `/channels/${id}/settings`, { defaultWarehouseId: warehouseId });

    // 5. The catalog: pulled from both stores (queued by the install and the connect), one product made by hand.
    await env.core.drainOutbox();
    const bySku = async (sku: string) => (await ok('GET', `/products?q=${sku}`)).products.flatMap((p: { variants: unknown[] }) => p.variants).find((v: { sku: string }) => v.sku === sku);
    expect(await bySku('TRC-M')).toMatchObject({ barcode: '5940000000014', weightKg: '0.250', origin: 'channel' });
    expect(await bySku('CEAI-1')).toMatchObject({ barcode: '5940000000021', weightKg: '0.120', origin: 'channel' });
    await createProducts(env.core.url, key, [{ name: 'Cutie cadou', variants: [{ sku: 'CUTIE-1', barcode: '5940000000038', weightKg: '0.300', price: '25.00' }] }]);

    // 6. Stock received on the phone screen, by scanning the bin and the item's barcode.
    for (const [item, bin] of [
      ['5940000000014', 'A-01'],
      ['5940000000021', 'A-01'],
      ['5940000000038', 'A-02'],
    ] as const) {
      const r = await receiveStockOnPhone({ coreUrl: env.core.url, ...manager, binCode: bin, item, quantity: 10, warehouseId });
      expect((await ok('GET', `/stock-receipts/${r.receiptId}`)).lines).toHaveLength(1);
    }

    // 7. One order from each store and one by hand with a new B2B client.
    const { raw, id: shopOrderId, lineItemIds } = shopifyOrderBody({ lines: [['TRC-M', 1]] });
    const orderGid = `gid://shopify/Order/${shopOrderId}`;
    env.shopify.setFulfillmentOrders(orderGid, [{ lines: [{ lineItemId: `gid://shopify/LineItem/${lineItemIds[0]}`, quantity: 1, sku: 'TRC-M' }] }]);
    expect((await env.shopify.placeOrder({ node: makeShopifyGraphqlOrderNode({ id: orderGid }), payload: raw })).map((d) => d.status)).toEqual([200]);
    const wooId = 8100 + Math.floor(Math.random() * 800);
    woo.upsertOrder(wooOrder({ id: wooId, lines: [['CEAI-1', 2]] }));
    expect((await woo.deliver('order.created', wooId)).map((d) => d.status)).toEqual([200]);
    // The manual channel's prices come from a price list made through the API.
    const priceList = await ok('POST', '/price-lists', { name: 'Vânzări directe', currency: 'RON', items: [{ sku: 'CUTIE-1', price: '25.00' }] });
    await ok('PATCH', `/channels/${channels.manual}/settings`, { priceListId: priceList.id });
    const badCui = await api('POST', '/orders', manualOrderBody({ client: newB2bClient({ cui: 'RO18547291' }), lines: [{ sku: 'CUTIE-1', quantity: 1 }] }));
    expect(badCui.status).toBe(400);
    expect(badCui.body.error.details.map((d: { path: string }) => d.path)).toContain('client.cui');
    const manual = await ok('POST', '/orders', manualOrderBody({ client: newB2bClient(), lines: [{ sku: 'CUTIE-1', quantity: 2 }] }));
    expect(manual.lines.map((l: { unitPrice: string }) => Number(l.unitPrice))).toEqual([25]);

    const orders = (await ok('GET', '/orders?limit=50')).orders as Array<{ id: string; channelId: string; externalOrderId: string | null }>;
    const shopOrder = orders.find((o) => o.channelId === channels.shopify);
    const wooOrderRow = orders.find((o) => o.channelId === channels.woo);
    expect(shopOrder && wooOrderRow).toBeTruthy();

    // 8. Each through confirm → delivery note → pick → pack → AWB → delivered.
    for (const orderId of [shopOrder!.id, wooOrderRow!.id, manual.id as string]) {
      const shipment = await shipToDelivered(orderId);
      expect(shipment.status).toBe('delivered');
      expect((await ok('GET', `/orders/${orderId}`)).status).toBe('delivered');
    }

    // 9. What the stores and the accountant see: tracking written back, the Woo order completed, invoices issued.
    await env.core.drainOutbox();
    expect(env.shopify.fulfillments.get(orderGid)?.[0]?.trackingInfo).toEqual([expect.objectContaining({ company: 'Sameday' })]);
    expect(woo.orders.get(wooId)!.status).toBe('completed');
    // How the core signed every REST call it made to the store: Basic over https, OAuth 1.0a over plain http.
    const coreCalls = woo.requests.filter((r) => r.path.startsWith('/wp-json/wc/v3/') && r.auth !== null);
    expect(coreCalls.length).toBeGreaterThan(3);
    expect(new Set(coreCalls.map((r) => r.auth))).toEqual(new Set([scheme === 'https' ? 'basic' : 'oauth1']));
    const report = await ok('GET', `/invoices?from=${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}`);
    const invoicedOrders = new Set((report.invoices as Array<{ orderId: string }>).map((i) => String(i.orderId)));
    expect([shopOrder!.id, wooOrderRow!.id, manual.id].filter((id) => !invoicedOrders.has(String(id)))).toEqual([]);
    const usd = (report.invoices as Array<{ orderId: string; currency: string; ronPerUnit: string | null }>).find((i) => String(i.orderId) === String(shopOrder!.id));
    expect(usd).toMatchObject({ currency: 'USD', ronPerUnit: expect.stringMatching(/^4\.6012/) });
  }, 600_000);

  /** The warehouse's day for one order, through the API; the courier's fake says delivered. */
  async function shipToDelivered(orderId: string) {
    const order = await ok('GET', `/orders/${orderId}`);
    if (order.status !== 'confirmed') expect((await ok('POST', `/orders/${orderId}/confirm`, {})).status).toBe('confirmed');
    await env.core.drainOutbox();
    const notes = (await ok('GET', `/delivery-notes?orderId=${orderId}`)).deliveryNotes as Array<{ id: string }>;
    expect(notes).toHaveLength(1);
    const pick = await ok('POST', '/pick-lists', { orderIds: [orderId] });
    for (const l of pick.lines as Array<{ lineNo: number }>) await ok('POST', `/pick-lists/${pick.id}/confirm`, { method: 'tick', lineNo: l.lineNo });
    await ok('POST', `/pick-lists/${pick.id}/complete`);
    const packing = await ok('POST', `/delivery-notes/${notes[0]!.id}/packing-lists`);
    await ok('PATCH', `/packing-lists/${packing.id}`, { courier: 'sameday', service: '7', deliveryAddress: RO_ADDRESS, parcels: [{ weightKg: 1, lengthCm: 30, widthCm: 20, heightCm: 10 }] });
    const shipment = await ok('POST', `/packing-lists/${packing.id}/awb`, { labelFormat: 'A4' });
    expect(shipment.awb).toBeTruthy();
    await env.core.drainOutbox();
    sameday.state.advance(shipment.awb, '9', 'Livrata cu succes', 'Cluj', new Date(Date.now() + 1000));
    return await ok('POST', `/shipments/${shipment.id}/refresh`);
  }
});
