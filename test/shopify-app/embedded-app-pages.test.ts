import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPEDIO_HOLD_HANDLE } from '../../core/src/channels/shopify/push-shopify-hold.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import type { FakeFulfillmentOrder } from '../fakes/shopify/fake-shopify-fulfillments.ts';
import { makeShopifyGraphqlOrderNode } from '../fakes/shopify/shopify-order-fixtures.ts';
import { RO_ADDRESS } from '../shipping/flow-support.ts';
import { createWarehouseWithBins } from '../support/catalog-helpers.ts';
import { shopifyOrderBody } from '../support/orders.ts';
import { installShopifyApp, type ShopifyInstallEnv, startShopifyInstallEnv } from '../support/shopify-install.ts';

/*
 * Issue [D]'s "done when", in Chromium: the embedded Shopify app (the real `react-router build`,
 * served by react-router-serve with NODE_ENV=production, its sessions in Postgres) installed on the
 * fake Shopify through its OAuth flow, against a REAL core (HTTP on 127.0.0.1, its own Postgres
 * database, the worker's outbox handlers run by drainOutbox) and the fake couriers.
 *
 * Authentication as in production: every page load carries an App Bridge session token signed by
 * the fake Shopify with the app's secret (id_token on the document, `Authorization: Bearer` on the
 * app's own fetches, fresh for each request as App Bridge makes them). The app's
 * authenticate.admin verifies it and uses the offline token it got from the fake's token exchange;
 * the app forwards the same token to the core, which verifies it again and scopes the call to the
 * shop's channel. What is not the admin: App Bridge itself (its script is Shopify's CDN, unreachable
 * offline; the test adds the header App Bridge would add) and the admin's iframe around the app.
 *
 * The test's own set-up (warehouse, couriers, invoicing profile, stock) goes through the core's API
 * with an API key made from the app's session, and the warehouse's pick and pack through the API
 * as the phone screens call it; everything the merchant does is a click in the app.
 */

const artifacts = resolve(import.meta.dirname, '../artifacts');
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

let env: ShopifyInstallEnv;
let sameday: FakeSameday;
let cargus: FakeCargus;
let browser: Browser;
let key = '';
let warehouseId = '';
/** The ten orders the bulk run shipped (with Sameday). */
const bulkShipped: string[] = [];
const screenshots: string[] = [];
/** The papers the app's document route handed to the browser (label, invoice PDFs), as the browser received them. */
const documents: Array<{ path: string; status: number; type: string; body: Buffer }> = [];

// biome-ignore lint/suspicious/noExplicitAny: the test reads answers field by field
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${env.core.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
// biome-ignore lint/suspicious/noExplicitAny: the test reads answers field by field
async function ok(method: string, path: string, body?: unknown): Promise<any> {
  const r = await api(method, path, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** A Shopify order placed at the fake (which knows its fulfillment order) and delivered to the core as orders/create. */
async function placeOrder(lines: Array<[string, number]>): Promise<{ orderId: string; orderGid: string; fos: FakeFulfillmentOrder[] }> {
  const { raw, id, lineItemIds } = shopifyOrderBody({ lines, email: `buyer${Math.random().toString(36).slice(2)}@example.com` });
  const orderGid = `gid://shopify/Order/${id}`;
  const fos = env.shopify.setFulfillmentOrders(orderGid, [{ lines: lines.map(([sku, quantity], i) => ({ lineItemId: `gid://shopify/LineItem/${lineItemIds[i]}`, quantity, sku })) }]);
  expect((await env.shopify.placeOrder({ node: makeShopifyGraphqlOrderNode({ id: orderGid }), payload: raw })).map((d) => d.status)).toEqual([200]);
  await env.core.drainOutbox();
  const found = (await ok('GET', `/orders?q=${id}`)).orders as Array<{ id: string; externalOrderId: string }>;
  const order = found.find((o) => o.externalOrderId === id);
  expect(order, `order ${id} in the core`).toBeTruthy();
  return { orderId: order!.id, orderGid, fos };
}

/** The warehouse's part, through the API as the phone screens call it: pick, pack and measure. */
async function pickPackMeasure(orderId: string, courier?: { courier: string; service: string }): Promise<string> {
  await env.core.drainOutbox();
  const notes = (await ok('GET', `/delivery-notes?orderId=${orderId}`)).deliveryNotes as Array<{ id: string }>;
  expect(notes).toHaveLength(1);
  const pick = await ok('POST', '/pick-lists', { orderIds: [orderId] });
  for (const l of pick.lines as Array<{ lineNo: number }>) await ok('POST', `/pick-lists/${pick.id}/confirm`, { method: 'tick', lineNo: l.lineNo });
  await ok('POST', `/pick-lists/${pick.id}/complete`);
  const packing = await ok('POST', `/delivery-notes/${notes[0]!.id}/packing-lists`);
  await ok('PATCH', `/packing-lists/${packing.id}`, { ...(courier ?? {}), deliveryAddress: RO_ADDRESS, parcels: [{ weightKg: 1.25, lengthCm: 30, widthCm: 20, heightCm: 10 }] });
  return packing.id as string;
}

/** A page as the admin opens the app: its iframe URL with a fresh session token; App Bridge's Bearer header on every fetch of the app. */
async function newPage(locale = 'en'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: CHROME_UA, locale });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const appOrigin = new URL(env.app.url).origin;
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== appOrigin) return route.abort();
    const headers = { ...route.request().headers(), authorization: `Bearer ${env.shopify.oauth.sessionToken()}` };
    if (!url.pathname.startsWith('/app/documents/')) return route.continue({ headers });
    return (async () => {
      const response = await route.fetch({ headers });
      const body = await response.body();
      documents.push({ path: url.pathname, status: response.status(), type: response.headers()['content-type'] ?? '', body });
      await route.fulfill({ response, body });
    })();
  });
  return { page, errors };
}

async function open(page: Page, path: string, query: Record<string, string> = {}) {
  const url = new URL(env.shopify.oauth.embeddedAppUrl(path));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  await page.goto(url.toString(), { waitUntil: 'domcontentloaded' });
}

// A wait that fails with what the page and the app server said, not only "timeout".
async function waitFor(page: Page, locator: Locator, timeout = 20_000) {
  try {
    await locator.first().waitFor({ timeout });
  } catch (error) {
    const text = (await page.locator('body').textContent().catch(() => null)) ?? '(no body)';
    throw new Error(`${(error as Error).message}\n--- page text ---\n${text.slice(0, 3000)}\n--- app log ---\n${env.app.log().slice(-3000)}`);
  }
}

async function shoot(page: Page, name: string) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `shopify-app-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  screenshots.push(path);
}

const orderStatus = async (id: string) => (await ok('GET', `/orders/${id}`)).status as string;

beforeAll(async () => {
  env = await startShopifyInstallEnv();
  sameday = await startFakeSameday();
  cargus = await startFakeCargus();
  env.shopify.catalog.addLocation('Depozit Cluj');
  env.shopify.catalog.addProduct({ title: 'Tricou', variants: [{ title: 'M', sku: 'TRC-M', barcode: '5940000000014', grams: 250, price: '59.90' }] });
  env.shopify.catalog.addProduct({ title: 'Cană', variants: [{ title: 'Albă', sku: 'CANA-1', barcode: '5940000000021', grams: 400, price: '29.90' }] });
  await installShopifyApp(env);

  // From the app's session: an API key for the set-up, then the warehouse, couriers and invoicing.
  key = env.shopify.oauth.sessionToken();
  key = (await ok('POST', '/api-keys', { name: 'Test set-up' })).key;
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
  const channels = (await ok('GET', '/channels')).channels as Array<{ id: string; kind: string }>;
  for (const c of channels) await ok('PATCH', `/channels/${c.id}/settings`, { defaultWarehouseId: warehouseId });
  await ok('POST', '/courier-accounts', {
    courier: 'sameday',
    name: 'Sameday',
    credentials: { username: 'sameday-user', password: 'sameday-pass' },
    baseUrl: sameday.url,
    settings: { pickupPointId: 1234 },
    defaultService: '7',
    senderAddress: { name: 'Depozit Cluj', phone: '0740123456', county: 'CJ', locality: 'Cluj-Napoca', addressLine: 'Str. Fabricii 12', postalCode: '400632' },
  });
  await ok('POST', '/courier-accounts', {
    courier: 'cargus',
    name: 'Cargus',
    credentials: { subscriptionKey: cargus.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' },
    baseUrl: cargus.apiUrl,
    settings: { senderLocationId: 201165677 },
  });
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
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await ok('PUT', '/invoicing/fx-rates', { currency: 'USD', validOn: yesterday, ronPerUnit: '4.6012' });
  // The catalog the install queued, pulled from the fake; stock of the T-shirt only (the mug arrives later).
  await env.core.drainOutbox();
  await ok('POST', '/stock-receipts', { warehouseId, reference: 'NIR-1', lines: [{ sku: 'TRC-M', binCode: 'A-01', quantity: 50 }] });

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sameday?.close();
  await cargus?.close();
});

describe('the embedded app in Chromium, on the real core and the fake Shopify', () => {
  it('a held order: stock arrives, Confirm; AWB from rate quotes; label; invoice; the timeline', async () => {
    const { orderId } = await placeOrder([['CANA-1', 2]]);
    expect(await orderStatus(orderId)).toBe('on_hold');

    const { page, errors } = await newPage();
    await open(page, `/app/orders/${orderId}`);
    await waitFor(page, page.getByRole('button', { name: 'Confirm', exact: true }));
    await page.waitForLoadState('load');
    await shoot(page, 'order-held');

    // The mug arrives: the receipt goes through the core's API, as the warehouse's phone screen posts it.
    await ok('POST', '/stock-receipts', { warehouseId, reference: 'NIR-2', lines: [{ sku: 'CANA-1', binCode: 'A-02', quantity: 10 }] });
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await waitFor(page, page.getByText('The order is confirmed.'));
    expect(await orderStatus(orderId)).toBe('confirmed');

    // The warehouse picks and packs; the app then quotes every courier for the measured parcel.
    await pickPackMeasure(orderId);
    await open(page, `/app/orders/${orderId}`);
    await waitFor(page, page.getByRole('button', { name: 'Create AWB' }));
    const quotes = page.locator('input[type=radio][name^="quote-"]');
    const labels = await page.locator('label').filter({ has: quotes }).allTextContents();
    expect(labels.some((l) => l.startsWith('sameday'))).toBe(true);
    expect(labels.some((l) => l.startsWith('cargus'))).toBe(true);
    await shoot(page, 'order-quotes');
    // The merchant picks Cargus (whichever place it has in the list) and an A4 label.
    // Until React has hydrated the page a click on a radio does nothing; the merchant clicks again.
    await page.waitForLoadState('load');
    const choose = async (label: RegExp) => {
      await page.locator('label').filter({ hasText: label }).first().click();
      return await page.getByLabel(label).first().isChecked();
    };
    await expect.poll(() => choose(/^cargus/)).toBe(true);
    await expect.poll(() => choose(/^A4$/)).toBe(true);
    await page.getByRole('button', { name: 'Create AWB' }).click();
    await waitFor(page, page.getByText(/AWB \S+ is created with cargus/));
    const shipments = (await ok('GET', `/shipments?orderId=${orderId}`)).shipments as Array<{ awb: string; courier: string }>;
    expect(shipments.map((s) => s.courier)).toEqual(['cargus']);

    // The label, as the app hands it over: the core's PDF through the app's document route.
    const labelTab = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Print label (A4)' }).click();
    expect((await labelTab).url()).toMatch(/^blob:/);
    const labelDoc = documents.find((d) => d.path.startsWith('/app/documents/label/'));
    expect(labelDoc).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(labelDoc!.body.subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('button', { name: 'Issue invoice' }).click();
    await waitFor(page, page.getByText(/Invoice \S+ is issued\./));
    const invoiceTab = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'View PDF' }).click();
    expect((await invoiceTab).url()).toMatch(/^blob:/);
    const invoiceDoc = documents.find((d) => d.path.startsWith('/app/documents/invoice/'));
    expect(invoiceDoc).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(invoiceDoc!.body.subarray(0, 5).toString()).toBe('%PDF-');

    // The timeline: the webhook that brought the order, its statuses, the AWB and the invoice.
    expect(await page.getByRole('heading', { name: 'Timeline' }).isVisible()).toBe(true);
    const text = (await page.locator('ol').last().textContent()) ?? '';
    expect(text).toContain('orders/create');
    expect(text).toContain('Confirmed');
    expect(text).toContain(shipments[0]!.awb);
    expect(text).toMatch(/invoice/i);
    await shoot(page, 'order-detail');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('bulk-ships ten orders from the index; the progress reaches 10 of 10', async () => {
    const ids: string[] = [];
    const numbers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { orderId } = await placeOrder([['TRC-M', 1]]);
      expect(await orderStatus(orderId)).toBe('confirmed');
      await pickPackMeasure(orderId, { courier: 'sameday', service: '7' });
      ids.push(orderId);
      numbers.push((await ok('GET', `/orders/${orderId}`)).externalNumber);
    }
    const { page, errors } = await newPage();
    await open(page, '/app', { tab: 'to_ship' });
    await waitFor(page, page.locator('.Polaris-IndexTable__TableRow'));
    await page.waitForLoadState('load');
    // The ten packed orders are on the "To ship" tab; the merchant ticks each one, then the bulk action.
    for (const n of numbers) {
      const row = page.locator('.Polaris-IndexTable__TableRow').filter({ has: page.getByText(n, { exact: true }) });
      expect(await row.count(), `row of ${n}`).toBe(1);
      // Before React has hydrated the table a tick does not stick; the merchant ticks again.
      await expect.poll(async () => {
        await row.locator('input[type=checkbox]').check({ force: true, timeout: 2000 }).catch(() => undefined);
        return await row.locator('input[type=checkbox]').isChecked();
      }).toBe(true);
    }
    await waitFor(page, page.getByText('10 selected'));
    await shoot(page, 'orders-to-ship-selected');
    await page.getByRole('button', { name: 'Create AWBs and labels' }).click();
    await waitFor(page, page.getByText(/of 10 orders done/));
    const batchUrl = page.url();
    expect(batchUrl).toMatch(/\/app\/shipping\/\d+/);
    await shoot(page, 'bulk-running');
    // The core's worker ships them (its outbox handler ship_batch.ship_order); the page follows by itself.
    await env.core.drainOutbox();
    await waitFor(page, page.getByText('10 of 10 orders done, 0 failed'));
    const progress = page.locator('progress, [role=progressbar], .Polaris-ProgressBar__Progress');
    expect(await progress.count()).toBeGreaterThan(0);
    for (const id of ids) expect((await ok('GET', `/shipments?orderId=${id}`)).shipments).toHaveLength(1);
    bulkShipped.push(...ids);
    await shoot(page, 'bulk-done');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts a return from the order detail: per-line quantities and reasons, a refusal naming the line', async () => {
    // One of the bulk-shipped orders is delivered (the courier's fake says so; the core reads it).
    const orderId = bulkShipped[0]!;
    const [shipment] = (await ok('GET', `/shipments?orderId=${orderId}`)).shipments as Array<{ id: string; awb: string }>;
    sameday.state.advance(shipment!.awb, '9', 'Livrata cu succes', 'Cluj', new Date(Date.now() + 1000));
    await ok('POST', `/shipments/${shipment!.id}/refresh`);
    expect(await orderStatus(orderId)).toBe('delivered');

    const { page, errors } = await newPage();
    await open(page, `/app/orders/${orderId}`);
    await waitFor(page, page.getByRole('link', { name: 'Start a return' }).or(page.getByRole('button', { name: 'Start a return' })));
    await page.waitForLoadState('load');
    await page.getByText('Start a return', { exact: true }).click();
    await waitFor(page, page.getByRole('heading', { level: 1, name: 'Start a return' }));
    await page.waitForLoadState('load');
    await page.getByLabel('Quantity').fill('3');
    await page.getByRole('button', { name: 'Start the return' }).click();
    // Three of one delivered T-shirt, without a reason: refused, each refusal naming the line.
    await waitFor(page, page.getByText('Expedio refused the return'));
    const refusal = (await page.locator('.Polaris-Banner').filter({ hasText: 'Expedio refused the return' }).textContent()) ?? '';
    expect(refusal).toMatch(/TRC-M: /);
    await shoot(page, 'return-refused');
    // With a reason, three are still more than came: the core refuses the line's quantity.
    await page.getByLabel('Reason').fill('wrong size');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await page.waitForFunction(() => !document.body.textContent?.includes('why the goods come back'));
    await waitFor(page, page.getByText('Expedio refused the return'));
    const tooMany = (await page.locator('.Polaris-Banner').filter({ hasText: 'Expedio refused the return' }).textContent()) ?? '';
    expect(tooMany).toMatch(/TRC-M: /);
    await shoot(page, 'return-refused-quantity');
    expect((await ok('GET', `/returns?orderId=${orderId}`)).returns).toEqual([]);

    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Start the return' }).click();
    await waitFor(page, page.getByText(/Return \d+ is requested\./));
    const returns = (await ok('GET', `/returns?orderId=${orderId}`)).returns as Array<{ id: string; units: number; status: string }>;
    expect(returns).toEqual([expect.objectContaining({ units: 1, status: 'requested' })]);
    await shoot(page, 'return-started');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reports: a chart drawn by Chart.js, filters, the CSV, in English and Romanian', async () => {
    const { page, errors } = await newPage();
    await open(page, '/app/reports');
    await waitFor(page, page.getByRole('heading', { level: 1, name: 'Reports' }));
    await page.waitForLoadState('load');
    await shoot(page, 'reports');
    await page.getByRole('link', { name: 'Orders per day' }).click();
    await waitFor(page, page.locator('canvas[data-drawn=true]'));
    // The rows are this store's orders (the token is bound to its channel).
    expect(await page.locator('.Polaris-DataTable__Cell').count()).toBeGreaterThan(0);
    await shoot(page, 'report-orders-per-channel');

    await page.getByLabel('Status').selectOption('delivered');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=delivered/);
    await waitFor(page, page.locator('canvas[data-drawn=true]'));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    const csv = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/day/i);
    expect(csv).toContain('delivered');
    expect(csv).not.toContain('confirmed');

    for (const name of ['invoices-per-channel', 'returns', 'awbs-in-transit', 'blocked-delivery-notes', 'stock-movements', 'sync-audit', 'courier-audit-log']) {
      await open(page, `/app/reports/${name}`);
      await waitFor(page, page.getByRole('button', { name: 'Apply filters' }));
      await page.waitForLoadState('load');
      await page.locator('canvas[data-drawn=true]').or(page.getByText('Nothing to draw for these filters.')).first().waitFor();
      await shoot(page, `report-${name}`);
    }
    await open(page, '/app/reports/returns', { locale: 'ro' });
    await waitFor(page, page.getByRole('button', { name: 'Aplică filtrele' }));
    await waitFor(page, page.locator('canvas[data-drawn=true]'));
    await shoot(page, 'report-returns-ro');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a hold and a cancel pressed in the app reach the fake Shopify’s fulfillment orders', async () => {
    const held = await placeOrder([['TRC-M', 1]]);
    const cancelled = await placeOrder([['TRC-M', 1]]);
    expect(await orderStatus(held.orderId)).toBe('confirmed');
    const { page } = await newPage();

    await open(page, `/app/orders/${held.orderId}`);
    await waitFor(page, page.getByRole('button', { name: 'Put on hold' }));
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await waitFor(page, page.getByText('The order is on hold.'));

    await open(page, `/app/orders/${cancelled.orderId}`);
    await waitFor(page, page.getByRole('button', { name: 'Cancel order' }));
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await waitFor(page, page.getByText('The order is cancelled.'));
    await page.close();

    // The worker's outbox handler writeback.shopify.order_state sends them to Shopify.
    await env.core.drainOutbox();
    const holdFo = held.fos[0]!;
    expect(holdFo.status).toBe('ON_HOLD');
    expect(holdFo.holds.filter((h) => h.heldByRequestingApp && h.handle === EXPEDIO_HOLD_HANDLE)).toHaveLength(1);
    expect(cancelled.fos[0]!.status).toBe('CLOSED');
  });

  it('every page, with its empty states, as the merchant sees it (screenshots)', async () => {
    // One packed order waits for its AWB (the shipping page's list); one confirmed order waits for a pick list.
    const packed = await placeOrder([['TRC-M', 1]]);
    await pickPackMeasure(packed.orderId);
    await placeOrder([['TRC-M', 2]]);
    const { page, errors } = await newPage();

    // The warehouse: a wave of the confirmed orders made from the app, then its pick list.
    await open(page, '/app/warehouse');
    await waitFor(page, page.getByText('1 confirmed order(s) waiting for a pick list'));
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Create a pick list (wave) of the confirmed orders' }).click();
    await waitFor(page, page.getByText(/Pick list \d+ is created with 1 order\(s\)\./));
    await shoot(page, 'warehouse-wave-created');
    const created = /Pick list (\d+) is created/.exec((await page.getByText(/Pick list \d+ is created/).textContent()) ?? '')![1]!;
    // The wave took the order: nothing is left for another one.
    await waitFor(page, page.getByText('0 confirmed order(s) waiting for a pick list'));
    await open(page, `/app/warehouse/pick-lists/${created}`);
    await waitFor(page, page.getByRole('heading', { level: 1, name: `Pick list ${created}` }));
    await page.waitForLoadState('load');
    await shoot(page, 'warehouse-pick-list');
    const pages: Array<[string, string, Record<string, string>, RegExp | string]> = [
      ['orders', '/app', {}, 'Orders'],
      ['orders-on-hold', '/app', { tab: 'on_hold' }, 'Orders'],
      ['orders-to-pick', '/app', { tab: 'to_pick' }, 'Orders'],
      ['orders-to-pack', '/app', { tab: 'to_pack' }, 'Orders'],
      ['orders-in-transit', '/app', { tab: 'in_transit' }, 'Orders'],
      ['orders-delivered', '/app', { tab: 'delivered' }, 'Orders'],
      ['orders-returns', '/app', { tab: 'returns' }, 'Orders'],
      ['orders-stalled', '/app', { tab: 'stalled' }, 'Orders'],
      ['orders-search-empty', '/app', { q: 'no-such-order' }, 'Orders'],
      ['shipping', '/app/shipping', {}, /Shipping/],
      ['warehouse', '/app/warehouse', {}, /Warehouse/],
      ['stalls', '/app/stalls', {}, /Stall/],
      ['settings', '/app/settings', {}, /Settings/],
    ];
    for (const [name, path, query, heading] of pages) {
      await open(page, path, query);
      await waitFor(page, page.getByRole('heading', { level: 1, name: heading }));
      await page.waitForLoadState('load');
      // Polaris draws the order tabs once it has measured them in the browser (after hydration).
      if (path === '/app') await waitFor(page, page.getByRole('tab', { name: 'All' }));
      await shoot(page, name);
      // The hand-over manifest starts on a courier the merchant has an account with.
      if (path === '/app/shipping') expect(await page.getByLabel('Courier').inputValue()).toMatch(/^(sameday|cargus)$/);
    }
    // The returns tab lists the store's returns: the one started from the delivered order.
    await open(page, '/app', { tab: 'returns' });
    await waitFor(page, page.getByRole('cell', { name: /^Return \d+$/ }));
    expect(await page.locator('.Polaris-IndexTable__TableRow').count()).toBe(1);
    expect(await page.locator('.Polaris-IndexTable__TableRow').textContent()).toMatch(/Some items come back[\s\S]*Requested[\s\S]*1/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
