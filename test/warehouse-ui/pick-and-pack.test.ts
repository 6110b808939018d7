import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { adjustStock } from '../../core/src/inventory/reserve-order-stock.ts';
import { getPickList, listPackingLists } from '../../core/src/warehouse/index.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, launchChromium, makePickList, phoneContext, placeConfirmedOrders } from './ui-support.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header is where a phone shows it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** What a keyboard-wedge scanner does: the code as a burst of key events, then Enter, with no field focused. */
async function scan(page: Page, code: string): Promise<void> {
  const before = Number((await page.locator('html').getAttribute('data-tone-count')) ?? 0);
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  // Every handled scan ends in a tone (good or bad); wait for this one's.
  await page.waitForSelector(`html[data-tone-count="${before + 1}"]`);
}

describe('warehouse UI in Chromium: a picker picks a 3-order wave by scanner and packs it', () => {
  let t: TenantFixture;
  let orderIds: string[];
  let pickListId: string;
  let picker: Awaited<ReturnType<typeof addUser>>;

  beforeAll(async () => {
    t = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 10, 'A-3': 0 } });
    // A-3 sits in the first bin of the walk (B-01, sequence 10), the rest in B-02 (sequence 20).
    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[1]!, productId: t.productIds['A-3']!, delta: 5, kind: 'receipt', causeType: 'test', causeId: 'setup' }));
    picker = await addUser(core, t.tenantId, 'picker@wave.test', 'warehouse');
    orderIds = await placeConfirmedOrders(core, t, [
      [['A-1', 2], ['A-2', 1]],
      [['A-1', 1], ['A-3', 1]],
      [['A-2', 1]],
    ]);
    const [n] = await core.sql<{ n: number }[]>`select count(*)::int as n from delivery_notes where tenant_id = ${t.tenantId} and not blocked`;
    expect(n!.n).toBe(3);
    pickListId = (await makePickList(core, t.tenantId, orderIds, picker.id)).id;
    // The pack screen offers the tenant's courier accounts: one Sameday account (never called here).
    const acc = await core.api('/api/v1/courier-accounts', {
      method: 'POST',
      key: t.apiKey,
      body: JSON.stringify({ courier: 'sameday', name: 'Sameday', credentials: { username: 'u', password: 'p' }, baseUrl: 'http://127.0.0.1:9', settings: { pickupPointId: 1 } }),
    });
    expect(acc.status).toBe(201);
  });

  it('logs in, refuses a wrong item with the error tone and an over-pick, completes the wave, packs it, and the stock follows', async () => {
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The refused scans answer 400 on purpose; anything else logged as an error (a CSP violation, a 404) is a defect.
    page.on('console', (m) => (m.type() === 'error' && !m.text().includes('status of 400') ? errors.push(m.text()) : undefined));

    // Login (Romanian by default).
    await page.goto(`${core.url}/warehouse/login`);
    expect(await page.locator('h1').textContent()).toBe('Autentificare');
    await shot(page, '01-login');
    await page.fill('#email', picker.email);
    await page.fill('#password', picker.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/pick-lists`);
    const session = (await context.cookies()).find((c) => c.name === 'expedio_wh_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/warehouse' });

    // My pick lists.
    expect(await page.locator(`[data-pick-list-id="${pickListId}"]`).textContent()).toContain('3 comenzi');
    await shot(page, '02-my-pick-lists');
    await page.click(`[data-pick-list-id="${pickListId}"]`);
    await page.waitForURL(`${core.url}/warehouse/pick-lists/${pickListId}`);
    expect(await page.locator('.bin-code').textContent()).toBe('B-01');
    await shot(page, '03-pick-start');

    // Bin first, then the item.
    await scan(page, 'B-01');
    expect(await page.locator('.current').getAttribute('class')).toContain('bin-ok');
    await scan(page, '590A-3');
    expect(await page.locator('#feedback').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('html').getAttribute('data-last-tone')).toBe('ok');

    // A wrong item: refused, shown, and the error tone played; nothing picked.
    const pickedBefore = (await getPickList(core.sql, t.tenantId, pickListId)).picked;
    await scan(page, '590Bar3');
    expect(await page.locator('#feedback').getAttribute('data-state')).toBe('error');
    expect(await page.locator('#feedback').textContent()).toContain('Produs greșit');
    expect(await page.locator('html').getAttribute('data-last-tone')).toBe('error');
    expect(await page.locator('html').getAttribute('data-tone-freq')).toBe('220');
    expect(await page.locator('html').getAttribute('data-tone-state')).toBe('played');
    expect(await page.locator('body').getAttribute('data-scan-state')).toBe('error');
    expect((await getPickList(core.sql, t.tenantId, pickListId)).picked).toBe(pickedBefore);
    await shot(page, '04-pick-wrong-item');

    // Walk the rest: each line's barcode as many times as it asks, with one over-pick attempt on the way.
    let overPickTried = false;
    for (let guard = 0; guard < 20; guard++) {
      const current = page.locator('[data-current-barcode]');
      if ((await current.count()) === 0) break;
      const barcode = (await current.getAttribute('data-current-barcode'))!;
      const [picked, quantity] = (await page.locator('[data-line-progress]').getAttribute('data-line-progress'))!.split('/').map(Number) as [number, number];
      if (!overPickTried && quantity - picked >= 2) {
        // Ask for one more unit than the line still needs: refused, nothing changes.
        for (let i = 0; i < quantity - picked; i++) await page.click('[data-step="1"]');
        expect(await page.locator('#qty').textContent()).toBe(String(quantity - picked + 1));
        await scan(page, barcode);
        expect(await page.locator('#feedback').getAttribute('data-state')).toBe('error');
        expect(await page.locator('#feedback').textContent()).toContain('Cantitate prea mare');
        expect(await page.locator('html').getAttribute('data-last-tone')).toBe('error');
        expect(await page.locator('[data-line-progress]').getAttribute('data-line-progress')).toBe(`${picked}/${quantity}`);
        await shot(page, '05-pick-over-pick');
        for (let i = 0; i < quantity - picked; i++) await page.click('[data-step="-1"]');
        overPickTried = true;
      }
      await scan(page, barcode);
      expect(await page.locator('#feedback').getAttribute('data-state')).toBe('ok');
    }
    expect(overPickTried).toBe(true);
    await page.locator('[data-all-picked]').waitFor();
    expect(await page.locator('[data-progress]').getAttribute('data-progress')).toBe('6/6');
    await shot(page, '06-pick-all-picked');
    await page.click('#complete');
    await page.waitForSelector('[data-pack-note]');
    expect((await getPickList(core.sql, t.tenantId, pickListId)).status).toBe('picked');
    await shot(page, '07-pick-list-picked');

    // Pack each order; the first in two parcels with an edited address.
    const noteIds = await page.locator('[data-pack-note]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pack-note')!));
    expect(noteIds).toHaveLength(3);
    for (const [i, noteId] of noteIds.entries()) {
      await page.goto(`${core.url}/warehouse/pick-lists/${pickListId}`);
      await page.click(`[data-pack-note="${noteId}"]`);
      await page.waitForSelector('#pack-form');
      if (i === 0) {
        expect(await page.locator('[data-missing-for-awb]').count()).toBe(1);
        await shot(page, '08-pack-empty');
      }
      await page.fill('[data-parcel="1"] input[name=weightKg]', '1.25');
      await page.fill('[data-parcel="1"] input[name=lengthCm]', '30');
      await page.fill('[data-parcel="1"] input[name=widthCm]', '20');
      await page.fill('[data-parcel="1"] input[name=heightCm]', '10');
      if (i === 0) {
        await page.click('#add-parcel');
        await page.fill('[data-parcel="2"] input[name=weightKg]', '0,8');
        await page.fill('[data-parcel="2"] input[name=lengthCm]', '25');
        await page.fill('[data-parcel="2"] input[name=widthCm]', '15');
        await page.fill('[data-parcel="2"] input[name=heightCm]', '5');
        await page.fill('#a-city', 'Cluj-Napoca');
        await page.fill('#a-street', 'Str. Memorandumului 28');
      }
      await page.selectOption('#courier-service', 'sameday|7');
      await page.click('#save-packing');
      await page.waitForSelector('[data-flash="ok"]');
      expect(await page.locator('[data-ready-for-awb]').count()).toBe(1);
      if (i === 0) {
        await shot(page, '09-pack-saved');
        const pdf = await context.request.get(`${core.url}${await page.locator('#packing-slip').getAttribute('href')}`);
        expect(pdf.status()).toBe(200);
        expect(pdf.headers()['content-type']).toBe('application/pdf');
        expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      }
    }
    const [first] = await listPackingLists(core.sql, t.tenantId, { deliveryNoteId: noteIds[0]! });
    expect(first!.parcels.map((p) => Number(p.weightKg))).toEqual([1.25, 0.8]);
    expect(first!).toMatchObject({ courier: 'sameday', service: '7', deliveryAddress: { city: 'Cluj-Napoca', address1: 'Str. Memorandumului 28' } });
    const statuses = await core.sql<{ status: string }[]>`select status from orders where tenant_id = ${t.tenantId} and id in ${core.sql(orderIds)}`;
    expect(statuses.map((s) => s.status)).toEqual(['ready', 'ready', 'ready']);

    // Stock lookup by scanning on the stock screen.
    await page.goto(`${core.url}/warehouse/stock`);
    await page.keyboard.type('590A-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/barcode=590A-1/);
    await page.waitForSelector('[data-result="found"]');
    expect(await page.locator('[data-total="on-hand"]').textContent()).toBe('7');
    await shot(page, '10-stock-lookup');

    // The stock followed: 3 × A-1, 2 × A-2, 1 × A-3 issued; nothing left reserved for the wave.
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 7, reserved: 0 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual({ on_hand: 8, reserved: 0 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-3']!)).toEqual({ on_hand: 4, reserved: 0 });
    const [issued] = await core.sql<{ n: number }[]>`select coalesce(-sum(on_hand_delta), 0)::int as n from stock_movements where tenant_id = ${t.tenantId} and kind = 'issue'`;
    expect(issued!.n).toBe(6);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists delivery notes with a blocked filter, showing the short quantities', async () => {
    const t2 = await core.createTenant({ stock: { 'A-5': 2 } });
    const operator = await addUser(core, t2.tenantId, 'operator@blocked.test', 'operator');
    const [orderId] = await placeConfirmedOrders(core, t2, [[['A-5', 5]]]);
    const held = await core.api(`/api/v1/orders/${orderId}/confirm`, { method: 'POST', key: t2.apiKey, body: JSON.stringify({ partial: true }) });
    expect(held.status).toBe(200);
    await core.drainOutbox();
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${core.url}/warehouse/login?lang=en`);
    await page.fill('#email', operator.email);
    await page.fill('#password', operator.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/pick-lists`);
    await page.goto(`${core.url}/warehouse/delivery-notes`);
    await shot(page, '11-delivery-notes-all');
    // Logged in from the English login page: English stays.
    expect(await page.locator('h1').textContent()).toBe('Delivery notes');
    await page.click('#filter-blocked');
    await page.waitForURL(/blocked=1/);
    const rows = page.locator('[data-delivery-note-id]');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute('data-blocked') === '1'))).toBe(true);
    expect(await rows.first().textContent()).toContain('A-5 ×3');
    await shot(page, '12-delivery-notes-blocked');
    await context.close();
  });
});
