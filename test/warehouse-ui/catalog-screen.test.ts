import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { tenantCalls } from '../support/shop-helpers.ts';
import { addUser, ARTIFACTS, httpLogin, launchChromium } from './ui-support.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let t: TenantFixture;
let operator: Awaited<ReturnType<typeof addUser>>;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const { post } = tenantCalls(() => core);

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
  t = await core.createTenant({ stock: { 'A-1': 6 } });
  operator = await addUser(core, t.tenantId, 'ana@catalog.test', 'operator');
  await post(t, '/products', { name: 'Tricou Bumbac', variants: [{ sku: 'TR-S', barcode: '5941234000011', name: 'Tricou Bumbac S', weightKg: '0.18', price: '49.90' }, { sku: 'TR-M', name: 'Tricou Bumbac M', weightKg: '0.2', price: '49.90' }] });
  // A desk: a laptop-sized window, Romanian as the page default.
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ro-RO' });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  await page.goto(`${core.url}/warehouse/login`);
  await page.fill('#email', operator.email);
  await page.fill('#password', operator.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${core.url}/warehouse/pick-lists`);
});
afterAll(async () => {
  await context?.close();
  await chromium?.close();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

// innerText: the row as the user reads it, cells apart (textContent would run them together).
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
const rowTexts = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));

describe('catalog desk screen in Chromium', () => {
  it('lists and searches the catalog from the tab bar, and edits a variant’s SKU, barcode and weight', async () => {
    await page.click('nav.tabs a[href="/warehouse/catalog"]');
    await page.waitForURL(`${core.url}/warehouse/catalog`);
    expect(await page.locator('h1').textContent()).toBe('Catalog produse');
    expect(await page.locator('nav.tabs a.on').textContent()).toBe('Catalog');
    expect(await page.locator('[data-sku]').count()).toBe(11);

    await page.fill('#q', 'bumbac');
    await page.click('form.searchbar button');
    await page.waitForURL(/q=bumbac/);
    expect(await page.locator('[data-sku]').evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))).toEqual(['TR-S', 'TR-M']);
    expect(await rowTexts('[data-sku="TR-S"]')).toEqual([expect.stringContaining('TR-S Tricou Bumbac S 5941234000011 0.18 49.90 API')]);
    await shot('catalog-products');

    await page.click('[data-products] a.btn');
    const variant = page.locator('form.variant').nth(1);
    await variant.locator('input[name=sku]').fill('TR-M2');
    await variant.locator('input[name=barcode]').fill('5941234000028');
    await variant.locator('input[name=weightKg]').fill('0,25');
    await variant.locator('button[type=submit]').click();
    await page.waitForSelector('[data-flash="ok"]');
    expect(await page.locator('[data-flash]').textContent()).toBe('Varianta a fost salvată.');
    const [row] = await core.sql`select sku, barcode, weight_kg::text as w, edited_at is not null as edited from products where tenant_id = ${t.tenantId} and sku = 'TR-M2'`;
    expect(row).toEqual({ sku: 'TR-M2', barcode: '5941234000028', w: '0.250', edited: true });

    // A SKU another variant holds is refused, naming the field; the form keeps what was typed.
    await variant.locator('input[name=sku]').fill('TR-S');
    await variant.locator('button[type=submit]').click();
    await page.waitForSelector('[data-flash="error"]');
    expect(await page.locator('[data-flash="error"] li').first().getAttribute('data-path')).toBe('sku');
    expect(await variant.locator('input[name=sku]').inputValue()).toBe('TR-S');
    expect((await core.sql`select count(*)::int as n from products where tenant_id = ${t.tenantId} and sku = 'TR-S'`)[0]!.n).toBe(1);
    await shot('catalog-variant-refused');
  });

  it('adds a warehouse and bins with zone and pick sequence, and refuses to deactivate a bin that holds stock', async () => {
    await page.click('[data-section="warehouses"]');
    await page.waitForURL(`${core.url}/warehouse/catalog/warehouses`);
    await page.fill('#wh-code', 'CLJ2');
    await page.fill('#wh-name', 'Depozit Cluj Sud');
    await page.fill('#wh-locality', 'Cluj-Napoca');
    await page.click('[data-add-warehouse] button[type=submit]');
    await page.waitForSelector('[data-warehouse-code="CLJ2"]');
    for (const [code, zone, seq] of [
      ['A-01', 'A', '10'],
      ['A-02', 'A', ''],
      ['R-01', 'Retur', '500'],
    ]) {
      await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] input[name=code]').fill(code!);
      await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] input[name=zone]').fill(zone!);
      await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] input[name=pickSequence]').fill(seq!);
      await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] button').click();
      await page.waitForSelector(`[data-warehouse-code="CLJ2"] [data-bin-code="${code}"]`);
    }
    expect(await rowTexts('[data-warehouse-code="CLJ2"] [data-bin-code]')).toEqual([
      'A-01 A 10 0 0 Activă Dezactivează',
      'A-02 A 20 0 0 Activă Dezactivează',
      'R-01 Retur 500 0 0 Activă Dezactivează',
    ]);
    // The same code twice in one warehouse: refused, naming the field.
    await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] input[name=code]').fill('A-01');
    await page.locator('[data-warehouse-code="CLJ2"] [data-add-bin] button').click();
    await page.waitForSelector('[data-flash="error"]');
    expect(await page.locator('[data-flash="error"]').textContent()).toBe('Nu s-a salvat: valoarea este deja folosită.Cod: A-01 is already used in warehouse CLJ2');

    // B-02 of W1 holds the 6 units of A-1.
    await page.locator('[data-warehouse-code="W1"] [data-bin-code="B-02"] button').click();
    await page.waitForSelector('[data-flash="error"]');
    expect(await page.locator('[data-flash="error"]').textContent()).toBe('Operație refuzată.Locație: bin B-02 holds 6 × A-1, 100 × A-2, 100 × A-3, 100 × A-4, 100 × A-5 and 4 more SKUs');
    expect(await page.locator('[data-warehouse-code="W1"] [data-bin-code="B-02"]').getAttribute('data-active')).toBe('1');
    await page.locator('[data-warehouse-code="CLJ2"] [data-bin-code="R-01"] button').click();
    await page.waitForSelector('[data-flash="ok"]');
    expect(await page.locator('[data-warehouse-code="CLJ2"] [data-bin-code="R-01"]').getAttribute('data-active')).toBe('0');
    await shot('catalog-warehouses');
  });

  it('uploads a Romanian Excel CSV and shows the line report: a dry run first, then the import', async () => {
    await page.click('[data-section="import"]');
    await page.waitForURL(`${core.url}/warehouse/catalog/import`);
    const csv = '\uFEFFCod produs;Denumire;Cod de bare;Greutate (kg);Preț\r\nCANA-1;Cană „Ștefan”;5940000000024;0,45;35\r\nTR-S;;;0,19;\r\n;Fără cod;;;\r\nBAD-1;Greutate greșită;;grea;\r\n';
    const upload = async (dryRun: boolean) => {
      await page.selectOption('#kind', 'products');
      await page.setInputFiles('#file', { name: 'produse.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      if ((await page.locator('input[name=dryRun]').isChecked()) !== dryRun) await page.locator('input[name=dryRun]').click();
      await page.click('#run-import');
      await page.waitForSelector('[data-import-report]');
    };
    await upload(true);
    expect(await page.locator('[data-import-report]').getAttribute('data-dry-run')).toBe('1');
    expect(await rowTexts('[data-report-lines] tbody tr')).toEqual(['2 creat CANA-1', '3 actualizat TR-S', '4 refuzat Cod produs required', '5 refuzat BAD-1 Greutate (kg) must be a number ≥ 0 with at most 3 decimals']);
    expect((await core.sql`select count(*)::int as n from products where tenant_id = ${t.tenantId} and sku = 'CANA-1'`)[0]!.n).toBe(0);

    await upload(false);
    expect(await page.locator('[data-import-report]').getAttribute('data-dry-run')).toBe('0');
    expect(await page.locator('[data-accepted]').getAttribute('data-accepted')).toBe('2');
    expect(await page.locator('[data-refused]').getAttribute('data-refused')).toBe('2');
    const [mug] = await core.sql`select name, weight_kg::text as w, origin from products where tenant_id = ${t.tenantId} and sku = 'CANA-1'`;
    expect(mug).toEqual({ name: 'Cană „Ștefan”', w: '0.450', origin: 'csv_import' });
    await shot('catalog-import-report');

    // Stock: into the ledger with the reason typed on the screen.
    await page.selectOption('#kind', 'stock');
    await page.setInputFiles('#file', { name: 'stoc.csv', mimeType: 'text/csv', buffer: Buffer.from('sku;bin;quantity\nCANA-1;B-01;12\nCANA-1;R-01;1\n', 'utf8') });
    await page.fill('#reason', 'Inventar 2026');
    // Two warehouses now: the file has no warehouse column, so the screen names it.
    await page.selectOption('#warehouseId', t.warehouseId);
    if (await page.locator('input[name=dryRun]').isChecked()) await page.locator('input[name=dryRun]').click();
    await page.click('#run-import');
    await page.waitForSelector('[data-import-report]');
    expect(await rowTexts('[data-report-lines] tbody tr')).toEqual(['2 recepționat CANA-1', '3 refuzat CANA-1 bin no bin R-01 in warehouse W1']);
    const moves = await core.sql`select m.on_hand_delta, m.note from stock_movements m join products p on p.tenant_id = m.tenant_id and p.id = m.product_id
      where m.tenant_id = ${t.tenantId} and p.sku = 'CANA-1'`;
    expect(moves).toEqual([{ on_hand_delta: 12, note: 'Inventar 2026' }]);
    // The refused forms above answered 409 on purpose; nothing else went wrong in the page.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it('shows the screen in English, and keeps roles without the permission out', async () => {
    await page.click('footer button[value="en"]');
    await page.goto(`${core.url}/warehouse/catalog?q=CANA`);
    expect(await page.locator('h1').textContent()).toBe('Product catalog');
    expect(await page.locator('[data-section="warehouses"]').textContent()).toBe('Warehouses and bins');
    await shot('catalog-products-en');
    const picker = await addUser(core, t.tenantId, 'picker@catalog.test', 'warehouse');
    const { cookie } = await httpLogin(core.url, picker.email, picker.password);
    const res = await fetch(`${core.url}/warehouse/catalog`, { headers: { cookie } });
    expect(res.status).toBe(403);
    const tabs = await (await fetch(`${core.url}/warehouse/stock`, { headers: { cookie } })).text();
    expect(tabs).not.toContain('/warehouse/catalog');
  });
});
