import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completePickList, confirmPickLine, getPickList, listPackingLists } from '../../core/src/warehouse/index.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, launchChromium, makePickList, phoneContext, placeConfirmedOrders } from './ui-support.ts';

let core: CoreHarness;
let cargus: FakeCargus;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  cargus = await startFakeCargus();
  chromium = await launchChromium();
  t = await core.createTenant({ stock: { 'A-1': 20, 'A-2': 20 } });
  const acc = await core.api('/api/v1/courier-accounts', {
    method: 'POST',
    key: t.apiKey,
    body: JSON.stringify({ courier: 'cargus', name: 'Cargus contract', credentials: { subscriptionKey: cargus.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' }, baseUrl: cargus.apiUrl, settings: { senderLocationId: 201165677 } }),
  });
  expect(acc.status).toBe(201);
});
afterAll(async () => {
  await chromium?.close();
  await cargus?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** A wedge scan: the code typed as a burst with no field focused, then Enter; waits for its tone. */
async function scan(page: Page, code: string): Promise<void> {
  const before = Number((await page.locator('html').getAttribute('data-tone-count')) ?? 0);
  // The burst is dispatched inside the page in one go, as a scanner types it (a few ms per key): keys
  // sent one by one from the test could arrive slower than a scanner on a loaded machine.
  await page.evaluate((c) => {
    (document.activeElement as HTMLElement | null)?.blur();
    for (const key of [...c, 'Enter']) document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, code);
  await page.waitForSelector(`html[data-tone-count="${before + 1}"]`);
}

async function login(page: Page, user: { email: string; password: string }, next: string): Promise<void> {
  await page.goto(`${core.url}/warehouse/login?next=${encodeURIComponent(next)}`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${core.url}${next}`);
}

/** Orders picked (every line ticked) and their packing lists made: what the packing station starts from. */
async function packingListsFor(specs: Array<Array<[string, number]>>): Promise<string[]> {
  const orderIds = await placeConfirmedOrders(core, t, specs);
  const pl = await makePickList(core, t.tenantId, orderIds, null);
  await core.sql.begin(async (tx) => {
    for (const l of (await getPickList(tx, t.tenantId, pl.id)).lines) await confirmPickLine(tx, t.tenantId, pl.id, { method: 'tick', lineNo: l.lineNo, quantity: l.quantity });
    await completePickList(tx, t.tenantId, pl.id);
  });
  const notes = await core.sql<{ id: string; order_id: string }[]>`select id::text, order_id::text from delivery_notes where tenant_id = ${t.tenantId} and order_id in ${core.sql(orderIds)} order by order_id`;
  const ids: string[] = [];
  for (const n of notes) {
    const r = await core.api(`/api/v1/delivery-notes/${n.id}/packing-lists`, { method: 'POST', key: t.apiKey });
    expect(r.status).toBe(201);
    ids.push(r.body.id);
  }
  return ids;
}

async function fillParcelAndAddress(page: Page, city: string, county: string): Promise<void> {
  await page.fill('[data-parcel="1"] input[name=weightKg]', '1.4');
  await page.fill('[data-parcel="1"] input[name=lengthCm]', '30');
  await page.fill('[data-parcel="1"] input[name=widthCm]', '20');
  await page.fill('[data-parcel="1"] input[name=heightCm]', '10');
  await page.selectOption('#courier-service', 'cargus|34');
  await page.fill('#a-phone', '+40700000001');
  await page.fill('#a-city', city);
  await page.fill('#a-county', county);
  await page.fill('#a-postcode', '400001');
  await page.fill('#a-country', 'RO');
  await page.click('#save-packing');
  await page.waitForSelector('[data-flash]');
}

const stalls = async (kind: string) => (await core.api(`/api/v1/stalls?kind=${kind}`, { key: t.apiKey })).body.stalls as Array<{ kind: string; subjectId: string; fix: string; message: string }>;

describe('the packing station in Chromium: scan every item, AWB, label to print', () => {
  it("offers the tenant's courier account and its services only, checks each item, refuses an unknown locality as a stall, then prints the label", async () => {
    const [plId] = await packingListsFor([[['A-1', 2], ['A-2', 1]]]);
    const packer = await addUser(core, t.tenantId, 'packer@station.test', 'warehouse');
    const context = await phoneContext(chromium.browser);
    // Headless Chromium has no print dialog (its PDF frame crashes on one): every frame's print() is
    // counted on the top page instead, so the test proves the label frame was sent to print.
    await context.addInitScript(() => {
      window.print = () => {
        const top = window.top?.document.documentElement;
        if (top) top.dataset.printCalls = String(Number(top.dataset.printCalls ?? 0) + 1);
      };
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Refused scans and AWBs answer 400 on purpose; any other console error (CSP, 404) is a defect.
    page.on('console', (m) => (m.type() === 'error' && !/status of 400/.test(m.text()) ? errors.push(m.text()) : undefined));
    await login(page, packer, `/warehouse/packing-lists/${plId}`);

    // One vocabulary with the AWB step: the Cargus account's services, nothing else.
    const options = await page.locator('#courier-service option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value).filter(Boolean));
    expect(options).toEqual(['cargus|34', 'cargus|35', 'cargus|36', 'cargus|38', 'cargus|39']);
    expect(await page.locator('[data-pack-progress]').getAttribute('data-pack-progress')).toBe('0/3');
    expect(await page.locator('[data-missing-for-awb]').textContent()).toBe('Lipsește pentru AWB: Colet 1: greutate (kg), Colet 1: lungime (cm), Colet 1: lățime (cm), Colet 1: înălțime (cm), curier și serviciu');
    await shot(page, 'pack-01-start');
    await page.screenshot({ path: `${ARTIFACTS}pack-01-phone-viewport.png` });

    // A wrong item: refused in Romanian with the error tone; nothing counted.
    await scan(page, '590A-3');
    expect(await page.locator('#feedback').getAttribute('data-state')).toBe('error');
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('Produsul nu este pe această listă de ambalare');
    expect(await page.locator('html').getAttribute('data-last-tone')).toBe('error');
    expect(await page.locator('[data-pack-progress]').getAttribute('data-pack-progress')).toBe('0/3');
    await shot(page, 'pack-02-wrong-item');

    await scan(page, '590A-1');
    expect(await page.locator('#feedback').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('[data-pack-progress]').getAttribute('data-pack-progress')).toBe('1/3');

    // Measures, courier and an address with the WooCommerce county code and a misspelt city.
    await fillParcelAndAddress(page, 'Clujj-Napoca', 'CJ');
    expect(await page.locator('[data-flash="ok"]').count()).toBe(1);

    // Closing the parcel with two units unscanned is refused; no AWB asked for.
    await page.click('#generate-awb');
    await page.waitForSelector('[data-flash="error"]');
    expect(await page.locator('[data-flash="error"]').textContent()).toContain('Coletul nu se poate închide');
    expect(cargus.state.shipments.size).toBe(0);

    // The rest: by SKU typed on the wedge, then by barcode; one more than packed is refused.
    await scan(page, 'A-1');
    await scan(page, '590A-2');
    expect(await page.locator('[data-pack-progress]').getAttribute('data-pack-progress')).toBe('3/3');
    expect(await page.locator('[data-all-scanned]').count()).toBe(1);
    await scan(page, '590A-2');
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('Prea multe bucăți');
    expect(await page.locator('#feedback .fb-detail').textContent()).toBe('A-2: Verificate 1/1');
    expect(await page.locator('[data-pack-progress]').getAttribute('data-pack-progress')).toBe('3/3');
    expect(await page.locator('[data-unscanned]').count()).toBe(0);
    await shot(page, 'pack-03-all-checked');
    // What the phone shows without scrolling, at the scan check.
    await page.locator('#feedback').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}pack-03-phone-viewport.png` });

    // Cargus does not know the city: the refusal is shown in words and is a stall with the fix.
    await page.goto(`${core.url}/warehouse/packing-lists/${plId}`);
    await page.click('#generate-awb');
    await page.waitForSelector('[data-flash="error"]');
    expect(await page.locator('[data-flash="error"]').textContent()).toContain('Curierul a refuzat AWB-ul');
    expect(await page.locator('[data-flash="error"] .fb-detail').textContent()).toBe("Localitate: Localitatea 'Clujj-Napoca' nu a fost gasita in judetul 'Cluj'");
    const [stall] = await stalls('awb.unknown_locality');
    expect(stall).toMatchObject({ kind: 'awb.unknown_locality', subjectId: plId });
    expect(stall!.message).toContain('Clujj-Napoca');
    expect(stall!.fix).toContain('Correct the city and county');
    await shot(page, 'pack-04-awb-refused');

    // The city corrected (the county stays "CJ"): the stall goes, the AWB is made and the label opens to print.
    await page.fill('#a-city', 'Cluj-Napoca');
    await page.click('#save-packing');
    await page.waitForSelector('[data-flash="ok"]');
    expect(await stalls('awb.unknown_locality')).toEqual([]);
    await page.click('#generate-awb');
    await page.waitForURL(/\/warehouse\/shipments\/\d+\/label\/print\?format=A6$/);
    await page.waitForSelector('html[data-print-requests="1"]');
    expect(await page.locator('#print-status').getAttribute('data-print-state')).toBe('requested');
    expect(await page.locator('#print-status').textContent()).toBe('Eticheta este în fereastra de tipărire.');
    await page.waitForSelector('html[data-print-calls="1"]');
    const [awb] = [...cargus.state.shipments.values()];
    // What Cargus got: the county by name, as its nomenclature spells it.
    expect((awb!.body as { Recipient: Record<string, unknown> }).Recipient).toMatchObject({ CountyName: 'Cluj', LocalityName: 'Cluj-Napoca' });
    const a6 = await context.request.get(`${core.url}${await page.locator('#label-frame').getAttribute('src')}`);
    expect(a6.status()).toBe(200);
    expect(a6.headers()['content-type']).toBe('application/pdf');
    expect(a6.headers()['x-frame-options']).toBe('SAMEORIGIN');
    const a6Page = (await PDFDocument.load(await a6.body())).getPage(0).getSize();
    expect(Math.round(a6Page.width)).toBeLessThan(300);
    await shot(page, 'pack-05-label-print-a6');

    await page.click('[data-format="A4"]');
    await page.waitForSelector('html[data-print-requests="1"]');
    const a4 = await context.request.get(`${core.url}${await page.locator('#label-frame').getAttribute('src')}`);
    expect((await PDFDocument.load(await a4.body())).getPage(0).getSize()).toMatchObject({ width: expect.closeTo(595.28, 0) });

    // Back at the pack screen: the AWB, the print buttons, the packing list in transit (in words).
    await page.click('#back-to-packing');
    await page.waitForSelector('[data-awb]');
    expect(await page.locator('[data-awb]').textContent()).toBe(awb!.awb);
    expect(await page.locator('[data-status]').textContent()).toBe('În tranzit');
    await shot(page, 'pack-06-awb-made');

    // The delivery note's detail: lines, status in words, its pick list, packing list and shipment.
    const [pl] = await listPackingLists(core.sql, t.tenantId, {});
    await page.goto(`${core.url}/warehouse/delivery-notes/${pl!.deliveryNoteId}`);
    expect(await page.locator('[data-note-status]').textContent()).toBe('Ambalat');
    expect(await page.locator('[data-note-lines] li').count()).toBe(2);
    expect(await page.locator('[data-doc="pick-list"]').count()).toBe(1);
    expect(await page.locator('[data-doc="packing-list"]').getAttribute('href')).toBe(`/warehouse/packing-lists/${plId}`);
    expect(await page.locator('[data-doc="shipment"]').textContent()).toContain(awb!.awb);
    expect(await page.locator('[data-documents]').textContent()).toContain('În tranzit');
    await shot(page, 'pack-07-delivery-note');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses over the API a service the account does not offer, and lets only a supervisor close a parcel unscanned, on record', async () => {
    const [plId] = await packingListsFor([[['A-2', 2]]]);
    const patch = await core.api(`/api/v1/packing-lists/${plId}`, {
      method: 'PATCH',
      key: t.apiKey,
      body: JSON.stringify({ courier: 'cargus', service: '7', deliveryAddress: { firstName: 'Ana', lastName: 'Pop', address1: 'Str. Unirii 1', city: 'Bistrita', province: 'Bistrița-Năsăud', countryCode: 'RO', phone: '+40700000002' }, parcels: [{ weightKg: 1, lengthCm: 10, widthCm: 10, heightCm: 10 }] }),
    });
    expect(patch.status).toBe(200);
    const refused = await core.api(`/api/v1/packing-lists/${plId}/awb`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ courier: 'cargus', service: '7' }) });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: 'service', reason: 'not offered by the cargus account; one of 34, 35, 36, 38, 39' }]);

    // A packer sees no override; a manager closes it with a reason, kept on the packing list.
    const packer = await addUser(core, t.tenantId, 'packer2@station.test', 'warehouse');
    const manager = await addUser(core, t.tenantId, 'boss@station.test', 'manager');
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    await login(page, packer, `/warehouse/packing-lists/${plId}`);
    expect(await page.locator('#override-form').count()).toBe(0);
    await context.clearCookies();
    await login(page, manager, `/warehouse/packing-lists/${plId}`);
    await page.selectOption('#courier-service', 'cargus|34');
    await page.click('#save-packing');
    await page.waitForSelector('[data-flash="ok"]');
    await page.click('#override-form >> xpath=ancestor::details/summary');
    await page.fill('#override-reason', 'Barcode torn off; checked by eye');
    await page.click('#override-form button[type=submit]');
    await page.waitForSelector('[data-scan-override]');
    await shot(page, 'pack-08-supervisor-override');
    const [row] = await core.sql<{ by: string; reason: string }[]>`select scan_override_by::text as by, scan_override_reason as reason from packing_lists where tenant_id = ${t.tenantId} and id = ${plId!}`;
    expect(row).toEqual({ by: manager.id, reason: 'Barcode torn off; checked by eye' });
    await page.click('#generate-awb');
    await page.waitForURL(/\/label\/print\?format=A6$/);
    // Bistrița-Năsăud with diacritics reached Cargus as its nomenclature spells it.
    const sent = [...cargus.state.shipments.values()].at(-1)!.body as { Recipient: Record<string, unknown> };
    expect(sent.Recipient).toMatchObject({ CountyName: 'Bistrita-Nasaud', LocalityName: 'Bistrita' });
    await context.close();
  });
});

describe('location-first scanning, a warehouse setting', () => {
  it('is set through PATCH /warehouses/{id}/scanning, and then the pick screen refuses an item scanned before its bin', async () => {
    const bad = await core.api(`/api/v1/warehouses/${t.warehouseId}/scanning`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ scanLocationFirst: 'yes' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('scanLocationFirst');
    expect((await core.api('/api/v1/warehouses/999999/scanning', { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ scanLocationFirst: true }) })).status).toBe(404);
    const on = await core.api(`/api/v1/warehouses/${t.warehouseId}/scanning`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ scanLocationFirst: true }) });
    expect(on).toMatchObject({ status: 200, body: { warehouseId: t.warehouseId, code: 'W1', scanLocationFirst: true } });

    const [orderId] = await placeConfirmedOrders(core, t, [[['A-1', 1]]]);
    const picker = await addUser(core, t.tenantId, 'picker@first.test', 'warehouse');
    const pl = await makePickList(core, t.tenantId, [orderId!], picker.id);
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    await login(page, picker, `/warehouse/pick-lists/${pl.id}`);
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('Scanați locația, apoi produsul.');
    await scan(page, '590A-1');
    expect(await page.locator('#feedback .fb-head').textContent()).toBe('Scanați întâi locația');
    expect(await page.locator('#feedback .fb-detail').textContent()).toBe('Locație: B-02');
    expect((await getPickList(core.sql, t.tenantId, pl.id)).picked).toBe(0);
    await shot(page, 'pick-location-first-refused');
    await scan(page, 'B-02');
    await scan(page, '590A-1');
    expect(await page.locator('#feedback').getAttribute('data-state')).toBe('ok');
    expect((await getPickList(core.sql, t.tenantId, pl.id)).picked).toBe(1);
    await context.close();
    await core.api(`/api/v1/warehouses/${t.warehouseId}/scanning`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ scanLocationFirst: false }) });
  });
});
