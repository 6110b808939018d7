import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type FakeStores, RO_ADDRESS, type shippingApi } from '../shipping/flow-support.ts';
import { pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, launchChromium, phoneContext } from './ui-support.ts';

/*
 * The returns screens in real Chromium on a phone-sized viewport (issue 13): a delivered Shopify
 * order is returned in part from the order screen (an over-quantity refused first, naming the
 * line), its return AWB recorded; the warehouse worker finds the parcel by scanning that AWB, scans
 * each item with a keyboard-wedge scanner (one restocked to a bin, one quarantined; an over-scan and
 * an item not on the return refused), approves; the operator gives the money back as a credit note
 * (a second choice refused and shown), and the quarantined unit is released from the quarantine
 * screen. The stock is read through the API after each move.
 */

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
let chromium: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
  expect((await api.put('/invoicing/profile', PROFILE)).status).toBe(204);
  await core.sql`update channels set create_invoice = 'on_shipping', invoice_series = 'RUI' where tenant_id = ${t.tenantId}`;
  // The store's orders are in USD: the invoice (and its credit note) needs the day's BNR rate.
  const rate = await api.put('/invoicing/fx-rates', { currency: 'USD', validOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), ronPerUnit: '4.6012' });
  expect(rate.status, JSON.stringify(rate.body)).toBeLessThan(300);
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
});

async function deliveredShopifyOrder(lines: Array<[string, number]>): Promise<string> {
  const { orderId, packingListId } = await readyToShip({ core, t, stores }, { channel: 'shopify', lines, courier: 'sameday', service: '7', address: RO_ADDRESS });
  const awb = await api.post(`/packing-lists/${packingListId}/awb`, { labelFormat: 'A4' });
  expect(awb.status, JSON.stringify(awb.body)).toBe(201);
  await core.drainOutbox();
  fake.state.advance(awb.body.awb, '9', 'Livrata cu succes', 'Cluj', new Date(Date.now() + 1000));
  await pollDue(core, t, [awb.body.id]);
  await core.drainOutbox();
  expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
  return orderId;
}

/** On hand of a barcode per bin, as GET /api/v1/stock/lookup tells it. */
async function onHand(barcode: string): Promise<Record<string, number>> {
  const r = await api.get(`/stock/lookup?barcode=${encodeURIComponent(barcode)}`);
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body.stock as Array<{ binCode: string; onHand: number }>).map((s) => [s.binCode, s.onHand]));
}

async function loggedIn(email: string, password: string, next: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(chromium.browser);
  const page = await context.newPage();
  await page.goto(`${core.url}/warehouse/login?next=${encodeURIComponent(next)}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${core.url}${next}`), page.click('button[type=submit]')]);
  return { context, page };
}

/** A keyboard-wedge scanner: the code typed into the focused field, then Enter (the form submits). */
async function wedge(page: Page, code: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.keyboard.type(code, { delay: 5 }).then(() => page.keyboard.press('Enter'))]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}returns-${name}.png`, fullPage: true });
const text = async (page: Page, sel: string) => ((await page.locator(sel).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('the returns screens on a phone: start, scan in, approve, credit note, quarantine', () => {
  it('walks a delivered order through a partial return with one unit restocked and one quarantined', async () => {
    const orderId = await deliveredShopifyOrder([
      ['A-1', 2],
      ['A-2', 1],
    ]);
    const operator = await addUser(core, t.tenantId, 'operator@returns-ui.test', 'operator');
    const worker = await addUser(core, t.tenantId, 'worker@returns-ui.test', 'warehouse');
    const before = { a1: await onHand('590A-1'), a2: await onHand('590A-2') };

    // --- The operator starts the return from the order screen.
    const desk = await loggedIn(operator.email, operator.password, `/warehouse/orders/${orderId}`);
    const page = desk.page;
    await Promise.all([page.waitForURL(`${core.url}/warehouse/orders/${orderId}/return`), page.click('#start-return-link')]);
    expect(await text(page, '[data-start-line="1"] [data-returnable]')).toBe('2');
    await shot(page, '01-start-form');
    // More than was delivered: refused by the flow, naming the line and the reason, in Romanian.
    await page.fill('#qty-1', '3');
    await page.fill('#reason-1', 'mărime greșită');
    await page.click('#start-return');
    await page.waitForSelector('#flash[data-kind="error"]');
    expect(await text(page, '[data-error-for="qty.1"]')).toBe('linia 1 (A-1): cerute 3, cel mult 2 (livrate 2 minus 0 deja returnate)');
    expect((await api.get(`/returns?orderId=${orderId}`)).body.returns).toEqual([]);
    await shot(page, '02-start-refused');
    await page.fill('#qty-1', '1');
    await page.fill('#qty-2', '1');
    await page.fill('#reason-2', 'ambalaj deteriorat');
    await Promise.all([page.waitForURL(/\/warehouse\/returns\/\d+\?ok=created$/), page.click('#start-return')]);
    const returnId = /\/returns\/(\d+)/.exec(page.url())![1]!;
    expect(await text(page, '[data-return-status]')).toBe('Cerut');
    // The incoming AWB the customer sends the parcel back with.
    await page.fill('#awb-courier', 'sameday');
    await page.fill('#awb-code', '1SDYRUI0042');
    await Promise.all([page.waitForURL(/\?ok=awb$/), page.click('#record-awb')]);
    expect(await page.locator('[data-return-awb]').getAttribute('data-return-awb')).toBe('1SDYRUI0042');
    await shot(page, '03-detail-requested');

    // --- The worker, on the phone: scan the parcel's AWB, then each item.
    const phone = await loggedIn(worker.email, worker.password, '/warehouse/returns/scan');
    const p = phone.page;
    await shot(p, '04-scan-parcel');
    await p.waitForSelector('#parcel-code:focus');
    await wedge(p, '1SDYRUI0042');
    expect(p.url()).toBe(`${core.url}/warehouse/returns/${returnId}/receive`);
    await p.waitForSelector('#item-barcode:focus');
    await wedge(p, '590A-1');
    expect(await p.locator('[data-pending-sku]').getAttribute('data-pending-sku')).toBe('A-1');
    await p.waitForSelector('#bin-code:focus');
    await shot(p, '05-scan-choose');
    // The bin scanned, Enter: restock (the form's first button).
    await wedge(p, 'B-01');
    expect(await p.locator('#feedback').getAttribute('data-state')).toBe('ok');
    expect(await text(p, '#feedback .fb-head')).toBe('Recepționat: A-1');
    expect(await text(p, '[data-receive-line="1"] [data-progress]')).toBe('1/1');
    await shot(p, '06-scan-restocked');
    // The same item again: every unit of its line is in already.
    await wedge(p, '590A-1');
    expect(await p.locator('#feedback').getAttribute('data-state')).toBe('error');
    expect(await text(p, '#feedback .fb-head')).toBe('Scanat în plus: toate bucățile acestei linii sunt deja primite');
    expect(await text(p, '#feedback .fb-detail')).toBe('A-1 · Product A-1');
    await shot(p, '07-over-scan');
    // An item of the tenant that is not on this return.
    await wedge(p, '590A-3');
    expect(await text(p, '#feedback .fb-head')).toBe('Produsul nu este în acest retur');
    await shot(p, '08-foreign-item');
    expect((await api.get(`/returns/${returnId}`)).body.receipt.lines).toHaveLength(1);
    // The damaged one goes to quarantine.
    await wedge(p, '590A-2');
    await Promise.all([p.waitForEvent('load'), p.click('#dest-quarantine')]);
    expect(await text(p, '#feedback .fb-head')).toBe('Recepționat: A-2');
    expect(await text(p, '[data-receive-line="2"] [data-progress]')).toBe('1/1');
    // Scanning moved no stock yet.
    expect(await onHand('590A-1')).toEqual(before.a1);
    await shot(p, '09-scan-done');
    await Promise.all([p.waitForURL(/\?ok=approved$/), p.click('#approve-receipt')]);
    expect(await text(p, '[data-return-status]')).toBe('Aprobat');
    expect(await text(p, '[data-return-line="1"] [data-restocked]')).toBe('1');
    expect(await text(p, '[data-return-line="2"] [data-quarantined]')).toBe('1');
    // A worker may not settle money: no money-back buttons on the page.
    expect(await p.locator('#money-credit_note').count()).toBe(0);
    await shot(p, '10-approved');

    // The stock, through the API: A-1 is back in B-01, A-2 is not sellable (quarantined).
    expect(await onHand('590A-1')).toEqual({ ...before.a1, 'B-01': (before.a1['B-01'] ?? 0) + 1 });
    expect(await onHand('590A-2')).toEqual(before.a2);
    const approved = await api.get(`/returns/${returnId}`);
    expect(approved.body).toMatchObject({ status: 'approved', quarantine: [{ status: 'held', quantity: 1, productId: t.productIds['A-2'] }] });
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('partially_returned');

    // --- The operator gives the money back: a credit note.
    await page.goto(`${core.url}/warehouse/returns/${returnId}`);
    await Promise.all([page.waitForURL(/\?ok=settled$/), page.click('#money-credit_note')]);
    expect(await text(page, '[data-return-status]')).toBe('Decontat');
    const settled = (await api.get(`/returns/${returnId}`)).body;
    expect(settled).toMatchObject({ status: 'settled', moneyBack: 'credit_note', creditNoteId: expect.any(String) });
    expect(await page.locator('#credit-note').getAttribute('data-credit-note-id')).toBe(settled.creditNoteId);
    expect(await text(page, '#credit-note')).toContain(settled.moneyBackRef);
    expect(await page.locator('[data-e-state]').count()).toBe(1);
    const pdf = await page.request.get(`${core.url}/warehouse/invoices/${settled.creditNoteId}/pdf`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, '11-credit-note');
    // A second money back on a settled return: the back end refuses (409) and the page shows why.
    // (The form the page no longer offers, sent as the browser would: what a stale second tab does.)
    const [again] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/returns/${returnId}/money-back`)),
      page.evaluate((id) => {
        const f = document.createElement('form');
        f.method = 'post';
        f.action = `/warehouse/returns/${id}/money-back`;
        for (const [k, v] of [['_csrf', document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!], ['kind', 'voucher']]) {
          const i = document.createElement('input');
          i.type = 'hidden';
          i.name = k!;
          i.value = v!;
          f.append(i);
        }
        document.body.append(f);
        f.submit();
      }, returnId),
    ]);
    expect(again.status()).toBe(409);
    await page.waitForSelector('#flash[data-kind="error"]');
    expect(await text(page, '#flash .fb-head')).toBe('Refuzat');
    expect(await text(page, '#flash .fb-detail')).toContain(`Return ${returnId}`);
    await shot(page, '11b-money-back-refused');
    expect((await api.get(`/returns/${returnId}`)).body).toMatchObject({ moneyBack: 'credit_note', creditNoteId: settled.creditNoteId });

    // --- Quarantine: the held A-2, its age, released to B-02 by the worker.
    await p.goto(`${core.url}/warehouse/quarantine`);
    const q = approved.body.quarantine[0].id as string;
    expect(await text(p, `[data-quarantine-id="${q}"] [data-age-days]`)).toBe('azi');
    expect(await text(p, `[data-quarantine-id="${q}"]`)).toContain('A-2');
    await shot(p, '12-quarantine');
    await p.fill(`#rel-${q}`, 'B-02');
    await Promise.all([p.waitForURL(/\?ok=released$/), p.click(`#release-${q}`)]);
    expect(await text(p, '#flash')).toBe('Eliberat în stoc');
    expect(await p.locator('#no-quarantine').count()).toBe(1);
    expect(await onHand('590A-2')).toEqual({ ...before.a2, 'B-02': (before.a2['B-02'] ?? 0) + 1 });

    // --- The list: filtered by state, the return is there; another state shows the empty state.
    await page.goto(`${core.url}/warehouse/returns?status=settled`);
    expect(await page.locator(`[data-return-id="${returnId}"]`).count()).toBe(1);
    await shot(page, '13-list');
    await page.goto(`${core.url}/warehouse/returns?status=cancelled`);
    expect(await page.locator('#no-returns').count()).toBe(1);
    await page.goto(`${core.url}/warehouse/returns?from=2026-13-01`);
    expect(await page.locator('#filter-error').count()).toBe(1);
    await desk.context.close();
    await phone.context.close();
  });

  it('approves a manual return without a parcel (no stock moves), cancels another after a scan (the scan undone), in English; a finance login only looks', async () => {
    const orderId = await deliveredShopifyOrder([
      ['A-4', 1],
      ['A-5', 1],
    ]);
    const operator = await addUser(core, t.tenantId, 'operator2@returns-ui.test', 'operator');
    const finance = await addUser(core, t.tenantId, 'finance@returns-ui.test', 'finance');
    const before = { a4: await onHand('590A-4'), a5: await onHand('590A-5') };
    const { context, page } = await loggedIn(operator.email, operator.password, `/warehouse/orders/${orderId}/return`);
    await Promise.all([page.waitForURL(`${core.url}/warehouse/orders/${orderId}/return`), page.click('footer button[value="en"]')]);
    await page.waitForSelector('html[lang="en"]');
    // A manual return: a defective unit credited without the parcel coming back.
    await page.check('#type-manual');
    await page.fill('#qty-1', '1');
    await page.fill('#reason-1', 'defective');
    await Promise.all([page.waitForURL(/\?ok=created$/), page.click('#start-return')]);
    const manualId = /\/returns\/(\d+)/.exec(page.url())![1]!;
    expect(await page.locator('#scan-link').count()).toBe(0);
    expect(await page.locator('#return-awb').count()).toBe(0);
    await Promise.all([page.waitForURL(/\?ok=approved_manual$/), page.click('#approve-return')]);
    expect(await text(page, '#flash')).toBe('Approved: a manual return moves no stock.');
    expect(await text(page, '[data-return-status]')).toBe('Approved');
    await shot(page, '14-manual-approved-en');
    expect(await onHand('590A-4')).toEqual(before.a4);

    // Another return of line 2, one unit scanned to a bin, then called off: the scan is undone, nothing moved.
    await page.goto(`${core.url}/warehouse/orders/${orderId}/return`);
    expect(await text(page, '[data-start-line="1"] [data-line-refusal]')).toBe('all 1 delivered unit(s) are already returned');
    await page.fill('#qty-2', '1');
    await page.fill('#reason-2', 'changed my mind');
    await Promise.all([page.waitForURL(/\?ok=created$/), page.click('#start-return')]);
    const otherId = /\/returns\/(\d+)/.exec(page.url())![1]!;
    await page.goto(`${core.url}/warehouse/returns/${otherId}/receive`);
    await page.waitForSelector('#item-barcode:focus');
    await wedge(page, '590A-5');
    // A bin this warehouse does not have: refused, the item stays chosen for the next bin scan.
    await wedge(page, 'Z-99');
    expect(await text(page, '#feedback .fb-head')).toBe('No such bin in this warehouse');
    expect(await page.locator('[data-pending-sku]').getAttribute('data-pending-sku')).toBe('A-5');
    await wedge(page, 'B-02');
    expect(await text(page, '#feedback .fb-head')).toBe('Received: A-5');
    await page.goto(`${core.url}/warehouse/returns/${otherId}`);
    await page.click('#cancel-box summary');
    await page.fill('#cancel-reason', 'customer kept it');
    await Promise.all([page.waitForURL(/\?ok=cancelled$/), page.click('#cancel-return')]);
    expect(await text(page, '[data-return-status]')).toBe('Cancelled');
    expect((await api.get(`/returns/${otherId}`)).body).toMatchObject({ status: 'cancelled', lines: [{ received: 0 }] });
    expect(await onHand('590A-5')).toEqual(before.a5);
    await shot(page, '15-cancelled-en');
    await context.close();

    // Finance sees the returns and their pages, with no button that changes one; the phone receipt is refused.
    const f = await loggedIn(finance.email, finance.password, `/warehouse/returns/${manualId}`);
    expect(await f.page.locator('#tab-returns').count()).toBe(1);
    expect(await f.page.locator('#tab-quarantine').count()).toBe(0);
    expect(await f.page.locator('form[action*="/returns/"] button').count()).toBe(0);
    const scan = await f.page.goto(`${core.url}/warehouse/returns/scan`);
    expect(scan!.status()).toBe(403);
    await f.context.close();

    // Another tenant's manager: the return does not exist for them.
    const other = await core.createTenant();
    const stranger = await addUser(core, other.tenantId, 'manager@other-returns-ui.test', 'manager');
    const o = await loggedIn(stranger.email, stranger.password, '/warehouse/returns');
    expect(await o.page.locator(`[data-return-id="${manualId}"]`).count()).toBe(0);
    expect((await o.page.goto(`${core.url}/warehouse/returns/${manualId}`))!.status()).toBe(404);
    expect((await o.page.goto(`${core.url}/warehouse/returns/${manualId}/receive`))!.status()).toBe(404);
    await o.context.close();
  });
});
