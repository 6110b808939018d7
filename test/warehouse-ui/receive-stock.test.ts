import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, stockOf } from '../support/core-harness.ts';
import { receiveStockOnPhone } from './receive-stock-support.ts';
import { addUser, ARTIFACTS, launchChromium, phoneContext, placeConfirmedOrders } from './ui-support.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

describe('receiving stock on the phone screen', () => {
  it('scans the bin and the item, takes the quantity, records a stock receipt that releases the blocked delivery note, and shows it', async () => {
    const t = await core.createTenant({ stock: { 'A-5': 2 } });
    const operator = await addUser(core, t.tenantId, 'operator@receive.test', 'operator');
    const [orderId] = await placeConfirmedOrders(core, t, [[['A-5', 5]]]);
    expect((await core.api(`/api/v1/orders/${orderId}/confirm`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ partial: true }) })).status).toBe(200);
    await core.drainOutbox();
    const [blocked] = await core.sql<{ id: string }[]>`select id::text from delivery_notes where tenant_id = ${t.tenantId} and blocked`;
    expect(blocked).toBeDefined();

    const r = await receiveStockOnPhone({ coreUrl: core.url, email: operator.email, password: operator.password, binCode: 'B-01', item: '590A-5', quantity: 3, reference: 'NIR 77', browser: chromium.browser, screenshotPath: `${ARTIFACTS}receive-01-received.png` });
    expect(r.message).toContain('Recepționat: 3 × A-5 → B-01');
    expect(r.releasedDeliveryNoteIds).toEqual([blocked!.id]);
    const receipt = await core.api(`/api/v1/stock-receipts/${r.receiptId}`, { key: t.apiKey });
    expect(receipt.body).toMatchObject({ reference: 'NIR 77', lines: [{ sku: 'A-5', binCode: 'B-01', quantity: 3 }] });
    const [note] = await core.sql<{ blocked: boolean }[]>`select blocked from delivery_notes where tenant_id = ${t.tenantId} and id = ${blocked!.id}`;
    expect(note!.blocked).toBe(false);
    // 2 + 3 on hand, all of it reserved for the order now.
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 5, reserved: 5 });

    // The released note's detail: status in words, its reservation by bin.
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${core.url}/warehouse/login?next=${encodeURIComponent(`/warehouse/delivery-notes/${blocked!.id}`)}`);
    await page.fill('#email', operator.email);
    await page.fill('#password', operator.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/delivery-notes/${blocked!.id}`);
    expect(await page.locator('[data-note-status]').textContent()).toBe('De ambalat');
    expect(await page.locator('[data-reservation="A-5@B-01"]').textContent()).toContain('3');
    await page.screenshot({ path: `${ARTIFACTS}receive-03-released-note.png`, fullPage: true });

    // A bin the warehouse does not have: refused in the UI's language, nothing recorded.
    // The operator switches the screens to English (kept as the user's preference).
    await page.goto(`${core.url}/warehouse/receive`);
    await Promise.all([page.waitForURL(`${core.url}/warehouse/receive`), page.click('footer button[value="en"]')]);
    await page.waitForSelector('html[lang="en"]');
    await page.fill('#bin-code', 'Z-99');
    await page.fill('#item-code', 'A-5');
    await page.fill('#quantity', '2');
    await page.click('#receive-submit');
    await page.waitForSelector('#feedback[data-state="error"]');
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('No such bin in this warehouse');
    await page.screenshot({ path: `${ARTIFACTS}receive-02-unknown-bin.png`, fullPage: true });
    await page.fill('#bin-code', 'B-01');
    await page.fill('#quantity', '0');
    await page.click('#receive-submit');
    await page.waitForSelector('#feedback[data-state="error"]');
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('The quantity must be a positive whole number');
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 5, reserved: 5 });
    await context.close();
  });

  it('is refused to a role that may not receive stock', async () => {
    const t = await core.createTenant();
    const finance = await addUser(core, t.tenantId, 'finance@receive.test', 'finance');
    await expect(receiveStockOnPhone({ coreUrl: core.url, email: finance.email, password: finance.password, binCode: 'B-01', item: 'A-1', quantity: 1, browser: chromium.browser })).rejects.toThrow();
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 100, reserved: 0 });
  });
});
