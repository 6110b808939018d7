import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, launchChromium } from '../warehouse-ui/ui-support.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let t: TenantFixture;
let operator: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
  t = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 10 } });
  operator = await addUser(core, t.tenantId, 'operator@desk.test', 'operator');
  // The manual channel prices from the tenant's Web list (10.00 a product).
  const ch = await core.api('/api/v1/channels/manual', { method: 'POST', key: t.apiKey, body: '{}' });
  const [list] = (await core.api('/api/v1/price-lists', { key: t.apiKey })).body.priceLists;
  await core.api(`/api/v1/channels/${ch.body.channelId}/settings`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ priceListId: list.id }) });
});
afterAll(async () => {
  await chromium?.close();
});

const deskContext = (): Promise<BrowserContext> => chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ro-RO' });

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

async function login(page: Page, lang = '') {
  await page.goto(`${core.url}/warehouse/login${lang ? `?lang=${lang}` : ''}`);
  await page.fill('#email', operator.email);
  await page.fill('#password', operator.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${core.url}/warehouse/pick-lists`);
}

/** Anything the browser logs as an error (a CSP violation, a missing asset) is a defect; the refused form answers 400 on purpose. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' && !/status of 40[09]/.test(m.text()) ? errors.push(m.text()) : undefined));
  return errors;
}

describe('desk: Orders → New order, confirm, clients and merge (Chromium)', () => {
  it('creates a manual order with a new B2B client (the bad CUI marked on its input), confirms it and the stock is reserved', async () => {
    const context = await deskContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login(page);
    await page.click('nav.tabs a[href="/warehouse/orders"]');
    await page.waitForURL(`${core.url}/warehouse/orders`);
    expect(await page.locator('h1').textContent()).toBe('Comenzi');
    await page.click('#new-order-link');
    await page.waitForURL(`${core.url}/warehouse/orders/new`);
    expect(await page.locator('h1').textContent()).toBe('Comandă nouă');

    await page.selectOption('[name="client.kind"]', 'company');
    await page.fill('[name="client.company"]', 'Țesătoria Âmbră SRL');
    await page.fill('[name="client.cui"]', 'RO18547291');
    await page.fill('[name="client.tradeRegisterNo"]', 'J12/3456/2019');
    await page.fill('[name="client.firstName"]', 'Ion');
    await page.fill('[name="client.lastName"]', 'Popescu');
    await page.fill('[name="client.email"]', 'achizitii@ambra.test');
    await page.fill('[name="client.phone"]', '0744 000 111');
    await page.fill('[name="client.billingAddress.address1"]', 'Str. Memorandumului 28');
    await page.fill('[name="client.billingAddress.city"]', 'Cluj-Napoca');
    await page.fill('[name="client.billingAddress.province"]', 'Cluj');
    await page.fill('[name="lines[0].sku"]', 'A-1');
    await page.fill('[name="lines[0].quantity"]', '2');
    // A sixth row through "add item": named lines[5].*, priced by hand.
    await page.click('#add-line');
    await page.fill('[name="lines[5].sku"]', 'A-2');
    await page.fill('[name="lines[5].quantity"]', '1');
    await page.fill('[name="lines[5].unitPrice"]', '7,50');
    await page.fill('#f-note', 'Livrare la recepție');
    await page.click('#create-order');
    await page.waitForSelector('#form-errors');
    expect(await page.locator('[data-error-for="client.cui"]').textContent()).toBe('CUI-ul 18547291 nu trece verificarea cifrei de control');
    expect(await page.getAttribute('[name="client.cui"]', 'aria-invalid')).toBe('true');
    // What was typed is still there.
    expect(await page.inputValue('[name="lines[5].unitPrice"]')).toBe('7,50');
    expect(await page.inputValue('[name="client.company"]')).toBe('Țesătoria Âmbră SRL');
    await shot(page, 'new-order-01-bad-cui');
    expect(await core.sql`select id from orders where tenant_id = ${t.tenantId}`).toHaveLength(0);

    await page.fill('[name="client.cui"]', 'RO18547290');
    await page.click('#create-order');
    await page.waitForURL(/\/warehouse\/orders\/\d+\?created=1$/);
    const orderId = /orders\/(\d+)/.exec(page.url())![1]!;
    expect(await page.locator('#order-status').getAttribute('data-status')).toBe('new');
    expect(await page.locator('#order-status').textContent()).toBe('Nouă');
    expect(await page.locator('#order-total').textContent()).toContain('27.50 RON');
    expect(await page.locator('[data-payment]').textContent()).toBe('Ramburs (la livrare) · Neplătită');
    await shot(page, 'new-order-02-created');

    await page.click('#confirm-order');
    await page.waitForSelector('#order-status[data-status="confirmed"]');
    expect(await page.locator('#order-status').textContent()).toBe('Confirmată');
    expect(await page.locator('tr[data-line-sku="A-1"] [data-reserved]').textContent()).toBe('2');
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 10, reserved: 2 });
    const [o] = await core.sql`select o.status, c.company, c.vat_number, c.kind from orders o join clients c on c.tenant_id = o.tenant_id and c.id = o.client_id where o.tenant_id = ${t.tenantId} and o.id = ${orderId}`;
    expect(o).toMatchObject({ status: 'confirmed', company: 'Țesătoria Âmbră SRL', vat_number: 'RO18547290', kind: 'company' });
    await shot(page, 'new-order-03-confirmed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists clients in English, finds the duplicate by mailbox and merges it from the screen', async () => {
    const dup = await core.api('/api/v1/clients', { method: 'POST', key: t.apiKey, body: JSON.stringify({ firstName: 'Ion', lastName: 'Popescu', email: 'Achizitii+comenzi@ambra.test', phone: '0744 999 888' }) });
    expect(dup.status).toBe(201);
    const context = await deskContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login(page, 'en');
    await page.goto(`${core.url}/warehouse/clients`);
    expect(await page.locator('h1').textContent()).toBe('Clients');
    await page.waitForSelector('[data-email-key="achizitii@ambra.test"]');
    await shot(page, 'clients-01-duplicates');
    const kept = await core.sql<{ id: string }[]>`select id::text from clients where tenant_id = ${t.tenantId} and email = 'achizitii@ambra.test'`;
    await page.click(`[data-merge="${dup.body.id}:${kept[0]!.id}"]`);
    await page.waitForURL(`${core.url}/warehouse/clients/${kept[0]!.id}?merged=1`);
    expect(await page.locator('#flash').textContent()).toBe('The clients were merged.');
    expect(await page.locator(`[data-merges] li`).count()).toBe(1);
    expect(await page.inputValue('[name="cui"]')).toBe('RO18547290');

    await page.fill('[name="iban"]', 'RO49AAAA1B31007593840001');
    await page.click('#save-client');
    await page.waitForSelector('#form-errors');
    expect(await page.locator('[data-error-for="iban"]').textContent()).toBe('The IBAN check digits do not match');
    await shot(page, 'clients-02-merged-and-bad-iban');
    expect((await core.api(`/api/v1/clients/${dup.body.id}`, { key: t.apiKey })).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });
});
