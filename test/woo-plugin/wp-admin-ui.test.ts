import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStores, measure, pickAndPack, RO_ADDRESS } from '../shipping/flow-support.ts';
import { startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { launchChromium } from '../warehouse-ui/ui-support.ts';
import { logInToWordPress, startWordPressSite, type WordPressSite } from './wordpress-site.ts';

/*
 * The plugin inside a real WordPress (Debian's, installed by woo-plugin/tests/wordpress/site.php,
 * served by `php -S` with WordPress's router), with the WooCommerce stand-in for the parts of
 * WooCommerce the plugin calls, against a real core (Postgres, the fake Sameday, the fake
 * WooCommerce REST API the core writes back to). A store manager confirms an order from the meta
 * box, bulk-creates AWBs for five orders from the orders list with progress, prints their labels
 * as one PDF; the customer's My Account page shows the tracking link.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test/artifacts/woo-plugin');

let core: CoreHarness, t: TenantFixture, stores: FakeStores;
let home: string, wp: WordPressSite['wp'], browser: Browser, closeBrowser: () => Promise<void>;
let placeOrder: WordPressSite['placeOrder'];

async function coreOrder(externalId: number): Promise<{ id: string; status: string }> {
  const [o] = await core.sql<{ id: string; status: string }[]>`select id::text, status from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(externalId)}`;
  return o!;
}

const logIn = (page: Page, user: string, password: string) => logInToWordPress(page, home, user, password);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const CONFIRM_ID = 9101;
const BULK_IDS = [9201, 9202, 9203, 9204, 9205];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ core, t, stores } = await startCourierFlow('sameday'));
  ({ home, wp, placeOrder } = await startWordPressSite({ core, t, stores }));
  await placeOrder(CONFIRM_ID, 'ana');
  for (const id of BULK_IDS) {
    await placeOrder(id, 'ana');
    const o = await coreOrder(id);
    const packingListId = await pickAndPack(core, t, o.id);
    await measure(core, t, packingListId, { courier: 'sameday', service: '7', address: RO_ADDRESS });
  }
  await core.drainOutbox();
  ({ browser, close: closeBrowser } = await launchChromium());
  afterAll(() => closeBrowser());
}, 240_000);

describe('Expedio in wp-admin (real WordPress, real core)', () => {
  it('the store manager confirms an order from the Expedio box on its edit screen', async () => {
    // The channel confirms by hand (auto_confirm off): the order waits as new.
    expect((await coreOrder(CONFIRM_ID)).status).toBe('new');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(page, 'manager', 'manager-password');
    await page.goto(`${home}/wp-admin/admin.php?page=wc-orders&action=edit&id=${CONFIRM_ID}`);
    const box = page.locator('#expedio-order');
    await expect.poll(() => box.locator('.expedio-status').textContent()).toBe('New');
    expect(await box.locator('.expedio-qty').textContent()).toBe('To reserve on confirming: 1');
    expect(await page.content()).not.toContain(t.apiKey);
    await shot(page, '1-order-box-new');

    await Promise.all([page.waitForNavigation(), box.locator('button[value="confirm"]').click()]);

    expect(page.url()).toBe(`${home}/wp-admin/admin.php?page=wc-orders&action=edit&id=${CONFIRM_ID}`);
    expect(await page.locator('.notice-success').textContent()).toContain(`Order #${CONFIRM_ID} is now Confirmed in Expedio.`);
    expect(await box.locator('.expedio-status').textContent()).toBe('Confirmed');
    expect(await box.locator('.expedio-qty').textContent()).toBe('Reserved: 1 · Missing: 0');
    expect((await coreOrder(CONFIRM_ID)).status).toBe('confirmed');
    await shot(page, '2-order-box-confirmed');

    // The legacy post screen (WordPress's own post.php) shows the same box.
    await page.goto(`${home}/wp-admin/post.php?post=${CONFIRM_ID}&action=edit`);
    expect(await page.locator('#expedio-order .expedio-status').textContent()).toBe('Confirmed');
    await shot(page, '3-legacy-order-screen');
  });

  it('bulk-creates AWBs for five orders from the orders list with progress, then prints their labels as one PDF', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, 'manager', 'manager-password');
    await page.goto(`${home}/wp-admin/admin.php?page=wc-orders`);
    for (const id of BULK_IDS) expect(await page.locator(`#order-${id} .column-expedio_status`).textContent()).toBe('Ready to ship');
    await shot(page, '4-orders-list-column');

    const bulk = async (action: string) => {
      for (const id of BULK_IDS) await page.check(`#order-${id} input[name="order[]"]`);
      await page.selectOption('#bulk-action-selector-top', action);
      await Promise.all([page.waitForNavigation(), page.click('#doaction')]);
      expect(page.url()).toContain('expedio_job=');
      await page.locator('#expedio-job.notice-success, #expedio-job.notice-warning').waitFor({ timeout: 60_000 });
    };

    await bulk('expedio_awb');
    expect(await page.locator('#expedio-job .expedio-progress-count').textContent()).toBe('5 / 5 — done');
    expect(await page.locator('#expedio-job progress').getAttribute('value')).toBe('5');
    expect(await page.locator('#expedio-job .expedio-progress-log li').count()).toBe(5);
    await shot(page, '5-bulk-awbs-done');
    const shipments = await core.sql<{ awb: string }[]>`select awb from shipments where tenant_id = ${t.tenantId} and status <> 'cancelled' and order_id in (select id from orders where tenant_id = ${t.tenantId} and external_order_id = any(${BULK_IDS.map(String)}))`;
    expect(shipments).toHaveLength(5);

    await page.goto(`${home}/wp-admin/admin.php?page=wc-orders`);
    for (const id of BULK_IDS) expect(await page.locator(`#order-${id} .column-expedio_status`).textContent()).toBe('Shipping');
    await bulk('expedio_labels');
    const link = page.locator('#expedio-job a.expedio-labels-pdf');
    expect(await link.textContent()).toBe('Open the labels (PDF)');
    await shot(page, '6-bulk-labels-done');

    const pdf = await context.request.get((await link.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
    writeFileSync(join(ARTIFACTS, 'labels.pdf'), bytes);
    execFileSync('pdftoppm', ['-png', '-r', '40', join(ARTIFACTS, 'labels.pdf'), join(ARTIFACTS, '7-labels')]);
    const pages = execFileSync('pdfinfo', [join(ARTIFACTS, 'labels.pdf')], { encoding: 'utf8' }).match(/^Pages:\s+(\d+)/m)?.[1];
    expect(Number(pages)).toBe(5);
    // Without the login cookie the PDF link gives nothing.
    const anonymous = await (await browser.newContext()).request.get((await link.getAttribute('href'))!, { maxRedirects: 0 });
    expect(anonymous.status()).not.toBe(200);
  });

  it("the customer's My Account page shows the courier, the AWB and the tracking link", async () => {
    // The core wrote the tracking to WooCommerce over its REST API (here the fake WooCommerce the
    // channel points at); that meta is what WooCommerce keeps on the order, copied into this WordPress.
    await core.drainOutbox();
    const id = BULK_IDS[0]!;
    const tracking = stores.woo.orders.get(id)!.meta_data.find((m) => m.key === '_wc_shipment_tracking_items')?.value as Array<Record<string, string>>;
    expect(tracking).toHaveLength(1);
    wp(`$o = wc_get_order( ${id} ); $o->update_meta_data( '_wc_shipment_tracking_items', json_decode( '${JSON.stringify(tracking)}', true ) ); $o->save();
        foreach ( json_decode( '${JSON.stringify((stores.woo.notes.get(id) ?? []).filter((n) => n.customer_note).map((n) => n.note)).replace(/'/g, "\\'")}', true ) as $note ) { $o->add_order_note( $note, 1 ); }`);

    const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    await logIn(page, 'ana', 'ana-password');
    await page.goto(`${home}/my-account/?view-order=${id}`);
    const section = page.locator('.expedio-tracking');
    expect(await section.locator('.expedio-tracking-number').textContent()).toBe(tracking[0]!.tracking_number);
    expect(await section.locator('td').first().textContent()).toBe('Sameday');
    expect(await section.locator('a.expedio-track').getAttribute('href')).toBe(tracking[0]!.custom_tracking_link);
    expect(await page.locator('.woocommerce-OrderUpdate').first().textContent()).toContain(tracking[0]!.tracking_number);
    await shot(page, '8-my-account-tracking');
  });
});
