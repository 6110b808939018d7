import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltExtension, buildExtensions } from '../../extensions/build.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { type FakeStores, pdfPages, placeShopifyOrder, RO_ADDRESS, type shippingApi } from '../shipping/flow-support.ts';
import { PROFILE } from '../invoicing/support.ts';
import { readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import { type ExtensionHost, openExtension, startExtensionHost } from './support/extension-host.ts';

/*
 * The three admin UI extensions, built with extensions/build.ts and run in Chromium inside a stand-in
 * of the admin (support/extension-host.ts) against a real core and the fake Shopify: the session token
 * is a JWT the fake Shopify signs with the app's secret, the bundle's fetches cross origins (the core's
 * CORS for EXPEDIO_EXTENSION_ORIGINS), and every click lands in the core — the AWB at the fake
 * Sameday, the label, the invoice, the ship batch and the label batch. Screenshots go to
 * test/artifacts/extensions/.
 */

const SHOTS = join(process.cwd(), 'test', 'artifacts', 'extensions');
let core: CoreHarness, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
let host: ExtensionHost, browser: Browser, built: Record<string, BuiltExtension>;

beforeAll(async () => {
  host = await startExtensionHost();
  // The core reads its CORS origins at start: the stand-in admin's origin plays extensions.shopifycdn.com.
  process.env.EXPEDIO_EXTENSION_ORIGINS = host.origin;
  ({ core, t, stores, api } = await startCourierFlow('sameday'));
  delete process.env.EXPEDIO_EXTENSION_ORIGINS;
  // The seller on the invoices (name, CUI, address): without it the core refuses to invoice.
  expect((await api.put('/invoicing/profile', PROFILE)).status).toBe(204);
  const out = mkdtempSync(join(tmpdir(), 'expedio-extensions-'));
  built = Object.fromEntries((await buildExtensions({ coreUrl: core.url, outdir: out })).map((b) => [b.name, b]));
  for (const b of Object.values(built)) host.bundles.set(b.handle, b.file);
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const gidOf = (orderId: string) => stores.shopifyOrders.get(orderId)!.orderGid;
const token = () => stores.shopify.oauth.sessionToken();

async function open(ext: 'order-actions' | 'order-block' | 'bulk-ship', selected: string[], locale: 'en' | 'ro' = 'en', idToken: () => string = token): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 760, height: 900 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openExtension(page, host, { ext, handle: built[ext]!.handle, target: built[ext]!.target, selected, locale, idToken });
  expect(errors).toEqual([]);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const shipmentsOf = (orderId: string) => core.sql<{ id: string; awb: string; courier: string; label_format: string | null }[]>`select id::text, awb, courier, null as label_format from shipments where tenant_id = ${t.tenantId} and order_id = ${orderId} and status <> 'cancelled'`;
/** The bytes of a blob: URL the extension made, read inside the page (they exist nowhere else). */
const blobBytes = async (page: Page, url: string) => new Uint8Array(await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], url));

describe('the order-details action (admin.order-details.action.render)', () => {
  it('creates the AWB with the courier chosen from the quotes, prints its label in A4, and issues the invoice', async () => {
    const o = await readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address: RO_ADDRESS });
    const [row] = await core.sql<{ external_number: string }[]>`select external_number from orders where tenant_id = ${t.tenantId} and id = ${o.orderId}`;
    const page = await open('order-actions', [gidOf(o.orderId)]);

    await expect.poll(() => page.getByText(`Expedio · order ${row!.external_number}`).count()).toBe(1);
    await page.getByText('Create the AWB').waitFor();
    const courier = page.locator('s-select').filter({ has: page.locator('s-option[value^="sameday|"]') });
    expect(await courier.count()).toBe(1);
    expect(await page.getByText('Status in Expedio: Ready').count()).toBe(1);
    expect(await page.getByText('Issue the invoice').count()).toBe(1);
    expect(await page.getByText('Print the label').count()).toBe(0); // no AWB yet, nothing to print
    await shot(page, 'order-action-quotes-en');

    // Thermal is the default; the merchant picks A4 for the label, then creates the AWB.
    await page.locator('s-select').filter({ has: page.locator('s-option[value="A4"]') }).first().locator('select').selectOption('A4');
    await page.getByText('Create the AWB').click();
    await page.getByText(/AWB \S+ created with sameday\./).waitFor();
    const [shipment] = await shipmentsOf(o.orderId);
    expect(shipment).toMatchObject({ courier: 'sameday' });
    expect(await page.getByText(`AWB ${shipment!.awb} created with sameday.`).count()).toBe(1);

    await page.getByText('Print the label').click();
    await page.getByText(`The label of AWB ${shipment!.awb} is ready (A4 (laser printer)).`).waitFor();
    const href = await page.locator('s-link').getAttribute('href');
    expect(href).toMatch(/^blob:/);
    const pdf = await blobBytes(page, href!);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const [[w, h]] = (await pdfPages(pdf)) as [[number, number]];
    expect([Math.round(w), Math.round(h)]).toEqual([595, 842]); // A4 in points
    await shot(page, 'order-action-label-en');

    // The Shopify order is in USD and the core has no BNR rate yet: it refuses, and the merchant reads why.
    await page.getByText('Issue the invoice').click();
    await page.getByText('Expedio could not do that').waitFor();
    expect(await page.getByText(/No BNR exchange rate for USD/).count()).toBe(1);
    expect(await core.sql`select 1 from invoices where tenant_id = ${t.tenantId} and order_id = ${o.orderId}`).toHaveLength(0);
    await shot(page, 'order-action-refused-en');
    expect((await api.put('/invoicing/fx-rates', { currency: 'USD', validOn: new Date().toISOString().slice(0, 10), ronPerUnit: '4.6' })).status).toBeLessThan(300);

    await page.getByText('Issue the invoice').click();
    await page.getByText(/^Invoice \S+ issued\.$/).waitFor();
    const [invoice] = await core.sql<{ full_number: string }[]>`select full_number from invoices where tenant_id = ${t.tenantId} and order_id = ${o.orderId}`;
    expect(invoice).toBeTruthy();
    expect(await page.getByText(`Invoice ${invoice!.full_number} issued.`).count()).toBe(1);
    expect(await page.getByText('Issue the invoice').count()).toBe(0); // issued: no second button
    await shot(page, 'order-action-done-en');
    await page.close();
  });

  it('speaks Romanian in a Romanian admin and says so when Expedio does not know the order', async () => {
    const page = await open('order-actions', ['gid://shopify/Order/999999999001'], 'ro');
    await page.getByText('Expedio nu a primit încă această comandă.').waitFor();
    expect(await page.getByText('Închide').count()).toBe(1);
    await page.getByText('Închide').click();
    expect(await page.evaluate(() => (window as unknown as { __host: { closed: number } }).__host.closed)).toBe(1);
    await shot(page, 'order-action-unknown-ro');
    await page.close();
  });
});

describe('the order-details block (admin.order-details.block.render)', () => {
  it('shows the status, the AWB with its tracking link and the invoice with its e-Factura state', async () => {
    const o = await readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address: RO_ADDRESS });
    const s = (await api.post(`/packing-lists/${o.packingListId}/awb`)).body as { awb: string; trackingUrl: string };
    const issued = await api.post(`/orders/${o.orderId}/invoice`);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const [inv] = await core.sql<{ full_number: string }[]>`select full_number from invoices where tenant_id = ${t.tenantId} and order_id = ${o.orderId}`;
    const page = await open('order-block', [gidOf(o.orderId)], 'ro');
    await page.getByText('În tranzit').first().waitFor();
    const link = page.locator('s-link', { hasText: `sameday ${s.awb}` });
    expect(await link.getAttribute('href')).toBe(s.trackingUrl);
    expect(await page.getByText(new RegExp(`^${inv!.full_number} · e-Factura: `)).count()).toBe(1);
    await shot(page, 'order-block-shipped-ro');
    await page.close();
  });

  it('shows the stall of an order held for stock, with why and the fix', async () => {
    const orderId = await placeShopifyOrder(core, t, [['A-5', 500]], stores);
    expect((await api.post(`/orders/${orderId}/confirm`)).body.status).toBe('on_hold');
    const [stall] = (await api.get('/stalls')).body.stalls.filter((x: { subjectId: string }) => x.subjectId === orderId) as Array<{ message: string; why: string; fix: string }>;
    expect(stall).toBeTruthy();
    const page = await open('order-block', [gidOf(orderId)]);
    await page.getByText(`Stuck: ${stall!.message}`).waitFor();
    expect(await page.getByText(`Why: ${stall!.why}`).count()).toBe(1);
    expect(await page.getByText(`Fix: ${stall!.fix}`).count()).toBe(1);
    expect(await page.locator('s-badge').textContent()).toBe('On hold');
    expect(await page.getByText('Status', { exact: true }).count()).toBe(1);
    expect(await page.getByText('No AWB yet').count()).toBe(1);
    expect(await page.getByText('Not issued yet').count()).toBe(1);
    await shot(page, 'order-block-stalled-en');
    await page.close();
  });
});

describe('the session token', () => {
  it('is what the core trusts: a token not signed with the app secret is refused and the block says why', async () => {
    const orderId = await placeShopifyOrder(core, t, [['Bar3', 1]], stores);
    const page = await open('order-block', [gidOf(orderId)], 'en', () => stores.shopify.oauth.sessionToken({ secret: 'not-the-app-secret' }));
    await page.getByText('Expedio could not do that').waitFor();
    expect(await page.getByText('Shopify session token rejected: bad signature.').count()).toBe(1);
    expect(await page.locator('s-badge').count()).toBe(0);
    await shot(page, 'order-block-bad-token-en');
    await page.close();
  });
});

describe('the orders-index selection action (admin.order-index.selection-action.render)', () => {
  it('creates the AWBs of ten selected orders with progress, names the one not packed, then prints the ten labels as one PDF', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 10; i++) orders.push((await readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address: RO_ADDRESS })).orderId);
    const unpacked = await placeShopifyOrder(core, t, [['Bar3', 1]], stores);
    const [unpackedRow] = await core.sql<{ external_number: string }[]>`select external_number from orders where tenant_id = ${t.tenantId} and id = ${unpacked}`;
    const unpackedNumber = unpackedRow!.external_number;
    const page = await open('bulk-ship', [...orders.map(gidOf), gidOf(unpacked), 'gid://shopify/Order/999999999002']);
    await page.getByText('Create 11 AWBs').waitFor();
    expect(await page.getByText('1 of the selected orders are not in Expedio and are left out.').count()).toBe(1);
    expect(await page.locator('s-list-item').count()).toBe(11);
    await shot(page, 'bulk-ship-selected-en');

    await page.getByText('Create 11 AWBs').click();
    await page.getByText('AWBs: 0 of 11 done, 0 failed').waitFor();
    // The worker takes the run's orders from the outbox; until it does, the run is pending.
    const [run] = await core.sql<{ id: string }[]>`select id::text from ship_batches where tenant_id = ${t.tenantId} order by ship_batches.id desc limit 1`;
    await shot(page, 'bulk-ship-progress-en');
    await core.drainOutbox();
    await page.getByText('Bulk AWBs done: 10 created, 1 failed.').waitFor();
    expect(await page.getByText(new RegExp(`^Order ${unpackedNumber}: .*no packing list`)).count()).toBe(1);
    expect(await page.getByText('Retry the failed orders').count()).toBe(1);
    const shipped = await core.sql<{ order_id: string }[]>`select order_id::text from shipments where tenant_id = ${t.tenantId} and order_id = any(${orders}::bigint[]) and status <> 'cancelled'`;
    expect(new Set(shipped.map((r) => r.order_id))).toEqual(new Set(orders));
    expect((await api.get(`/ship-batches/${run!.id}`)).body).toMatchObject({ status: 'done_with_failures', done: 10, failed: 1 });

    await page.getByText('Print 10 labels').click();
    await page.getByText('The labels are ready: 10 in one PDF.').waitFor();
    const href = await page.locator('s-link').getAttribute('href');
    const pages = await pdfPages(await blobBytes(page, href!));
    expect(pages).toHaveLength(10);
    const [batch] = await core.sql<{ status: string; total: number }[]>`select status, total from label_batches where tenant_id = ${t.tenantId} order by label_batches.id desc limit 1`;
    expect(batch).toMatchObject({ status: 'done', total: 10 });
    await shot(page, 'bulk-ship-labels-en');
    await page.close();
  });
});
