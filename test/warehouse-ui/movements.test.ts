import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustStock } from '../../core/src/inventory/reserve-order-stock.ts';
import { approveDeliveryNote, createPackingList } from '../../core/src/warehouse/index.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, httpLogin, launchChromium, phoneContext, placeConfirmedOrders } from './ui-support.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let t: TenantFixture;
let other: TenantFixture;
let picker: Awaited<ReturnType<typeof addUser>>;
let deliveryNoteId: string;
let packingListId: string;

const PAGE = 20;

interface LedgerRow {
  id: string;
  kind: string;
  on_hand_delta: number;
  reserved_delta: number;
  cause_type: string;
  cause_id: string;
  bin_code: string;
}

/** The ledger as the database has it, newest first: what the screen must show. */
const ledger = (tenantId: string, productId?: string) =>
  core.sql<LedgerRow[]>`
    select m.id::text, m.kind, m.on_hand_delta, m.reserved_delta, m.cause_type, m.cause_id, w.code || ' · ' || b.code as bin_code
    from stock_movements m join bins b on b.tenant_id = m.tenant_id and b.id = m.bin_id
    join warehouses w on w.tenant_id = m.tenant_id and w.id = m.warehouse_id
    where m.tenant_id = ${tenantId} and (${productId ?? null}::bigint is null or m.product_id = ${productId ?? null})
    order by m.created_at desc, m.id desc`;

const shownIds = (html: string) => [...html.matchAll(/data-movement-id="(\d+)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
  // Both tenants have the same SKUs and barcodes, so a filter that leaked across tenants would match.
  t = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 10 } });
  other = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 10 } });
  picker = await addUser(core, t.tenantId, 'picker@movements.test', 'warehouse');
  // First, enough restocks of A-1 into the second bin, each its own transaction, to need a second page.
  for (let i = 0; i < PAGE + 3; i++) {
    await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[1]!, productId: t.productIds['A-1']!, delta: 1 + (i % 3), kind: 'receipt', causeType: 'receipt', causeId: `R-${i + 1}` }));
  }
  // Reserve movements (cause: order), one order per line so there are several.
  const orderIds = await placeConfirmedOrders(core, t, [[['A-1', 2]], [['A-1', 1], ['A-2', 1]], [['A-1', 1]]]);
  await placeConfirmedOrders(core, other, [[['A-1', 3]]]);
  // Approving the first order's delivery note issues its stock (movements citing it); then it is packed.
  const [dn] = await core.sql<{ id: string }[]>`select id::text from delivery_notes where tenant_id = ${t.tenantId} and order_id = ${orderIds[0]!}`;
  deliveryNoteId = dn!.id;
  packingListId = (
    await core.sql.begin(async (tx) => {
      await approveDeliveryNote(tx, t.tenantId, deliveryNoteId);
      return createPackingList(tx, t.tenantId, deliveryNoteId, {});
    })
  ).id;
  await core.sql.begin((tx) => adjustStock(tx, t.tenantId, { warehouseId: t.warehouseId, binId: t.binIds[1]!, productId: t.productIds['A-1']!, delta: -2, kind: 'adjustment', causeType: 'inventory_count', causeId: '7', note: 'broken on the shelf' }));
  for (let i = 0; i < 3; i++) {
    await core.sql.begin((tx) => adjustStock(tx, other.tenantId, { warehouseId: other.warehouseId, binId: other.binIds[1]!, productId: other.productIds['A-1']!, delta: 1, kind: 'receipt', causeType: 'receipt', causeId: `O-${i}` }));
  }
});
afterAll(async () => {
  await chromium?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Rows as the screen shows them, in order. */
const screenRows = (page: Page) =>
  page.locator('[data-movement-id]').evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-movement-id')!,
      kind: e.getAttribute('data-kind')!,
      onHand: e.querySelector('[data-delta="on-hand"]')!.textContent!.replace(/^\D*?([+\u22120-9])/, '$1').trim(),
      onHandClass: e.querySelector('[data-delta="on-hand"]')!.className,
      reserved: e.querySelector('[data-delta="reserved"]')!.textContent!.replace(/^\D*?([+\u22120-9])/, '$1').trim(),
      bin: e.querySelector('[data-bin]')!.textContent!,
      cause: e.querySelector('[data-cause]')!.getAttribute('data-cause')!,
      causeHref: e.querySelector('a[data-cause]')?.getAttribute('href') ?? null,
    })),
  );
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');

describe('stock movements screen in Chromium', () => {
  it('filters by a scanned barcode, shows the ledger newest first with signed deltas, links the cause, and pages with "more"', async () => {
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));

    await page.goto(`${core.url}/warehouse/login`);
    await page.fill('#email', picker.email);
    await page.fill('#password', picker.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/pick-lists`);

    // Reached from the tab bar like every other screen.
    await page.click('nav.tabs a[href="/warehouse/stock-movements"]');
    await page.waitForURL(`${core.url}/warehouse/stock-movements`);
    expect(await page.locator('h1').textContent()).toBe('Mișcări stoc');
    expect(await page.locator('nav.tabs a.on').textContent()).toBe('Mișcări');
    const all = await ledger(t.tenantId);
    expect((await screenRows(page)).map((r) => r.id)).toEqual(all.slice(0, PAGE).map((r) => r.id));

    // A keyboard-wedge scan anywhere on the page becomes the product filter.
    await page.keyboard.type('590A-1');
    await page.keyboard.press('Enter');
    await page.waitForURL(/product=590A-1/);
    expect(await page.locator('#product').inputValue()).toBe('590A-1');
    expect(await page.locator('[data-product-sku]').getAttribute('data-product-sku')).toBe('A-1');

    const a1 = await ledger(t.tenantId, t.productIds['A-1']!);
    expect(a1.length).toBeGreaterThan(PAGE);
    expect(a1.length).toBeLessThanOrEqual(2 * PAGE);
    const expected = (rows: LedgerRow[]) =>
      rows.map((r) => ({ id: r.id, kind: r.kind, onHand: signed(r.on_hand_delta), reserved: signed(r.reserved_delta), bin: r.bin_code, cause: `${r.cause_type}:${r.cause_id}` }));
    const first = await screenRows(page);
    expect(first.map(({ onHandClass, causeHref, ...r }) => r)).toEqual(expected(a1.slice(0, PAGE)));
    // Kinds of every cause are there: reserve (order), issue (delivery note), receipt, adjustment.
    expect(new Set(a1.map((r) => r.cause_type))).toEqual(new Set(['test', 'order', 'delivery_note', 'receipt', 'inventory_count']));
    // Signed and coloured: a receipt adds (green), the count's write-off takes away (red).
    expect(first.find((r) => r.kind === 'receipt')!.onHandClass).toContain('pos');
    expect(first.find((r) => r.kind === 'adjustment')!.onHandClass).toContain('neg');
    expect(await page.locator('.mv-note').first().textContent()).toBe('broken on the shelf');
    await shot(page, '13-stock-movements');

    // "More" appends the older page in place; together they are the whole ledger of A-1.
    await page.click('#more');
    await page.waitForFunction((n) => document.querySelectorAll('[data-movement-id]').length === n, a1.length);
    expect(page.url()).not.toContain('cursor=');
    expect(await page.locator('#more').count()).toBe(0);
    const both = await screenRows(page);
    expect(both.map(({ onHandClass, causeHref, ...r }) => r)).toEqual(expected(a1));
    // The delivery note's movements link to its packing list; an order's cause stays text.
    const issue = both.find((r) => r.cause === `delivery_note:${deliveryNoteId}`)!;
    expect(issue.kind).toBe('issue');
    expect(issue.causeHref).toBe(`/warehouse/packing-lists/${packingListId}`);
    expect(both.find((r) => r.cause.startsWith('order:'))!.causeHref).toBeNull();

    // Cause and date filters (folded until opened) keep the product filter.
    expect(await page.locator('#more-filters').getAttribute('open')).toBeNull();
    await page.click('#more-filters summary');
    await page.selectOption('#causeType', 'order');
    await page.click('#apply-filters');
    await page.waitForURL(/causeType=order/);
    const orders = await screenRows(page);
    expect(orders.map((r) => r.id)).toEqual(a1.filter((r) => r.cause_type === 'order').map((r) => r.id));
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('#from', tomorrow);
    await page.click('#apply-filters');
    await page.waitForURL(/from=/);
    expect(await page.locator('[data-movement-id]').count()).toBe(0);
    expect(await page.locator('[data-empty]').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages without JavaScript too: the "more" link opens the older page on its own', async () => {
    const { cookie } = await httpLogin(core.url, picker.email, picker.password);
    const a1 = await ledger(t.tenantId, t.productIds['A-1']!);
    const firstPage = await (await fetch(`${core.url}/warehouse/stock-movements?product=A-1`, { headers: { cookie } })).text();
    expect(shownIds(firstPage)).toEqual(a1.slice(0, PAGE).map((r) => r.id));
    const more = /id="more" href="([^"]+)"/.exec(firstPage)![1]!.replace(/&amp;/g, '&');
    const second = await fetch(`${core.url}${more}`, { headers: { cookie } });
    expect(second.status).toBe(200);
    const secondPage = await second.text();
    expect(shownIds(secondPage)).toEqual(a1.slice(PAGE).map((r) => r.id));
    expect(secondPage).toContain('id="newest"');
  });
});

describe('stock movements screen: tenant scope and input', () => {
  it("never shows another tenant's movements, whatever the filters or cursor", async () => {
    const { cookie } = await httpLogin(core.url, picker.email, picker.password);
    const mine = new Set((await ledger(t.tenantId)).map((r) => r.id));
    const theirs = (await ledger(other.tenantId)).map((r) => r.id);
    expect(theirs.length).toBeGreaterThan(0);
    const get = (qs: string) => fetch(`${core.url}/warehouse/stock-movements${qs}`, { headers: { cookie } });

    for (const qs of ['', '?product=590A-1', '?product=A-1', '?causeType=receipt', '?kind=reserve', '?causeType=order']) {
      const res = await get(qs);
      expect(res.status).toBe(200);
      const ids = shownIds(await res.text());
      expect(ids.length, qs).toBeGreaterThan(0);
      expect(ids.every((id) => mine.has(id)), qs).toBe(true);
    }
    // The other tenant's warehouse id selects nothing here, and is not offered.
    const byTheirWarehouse = await (await get(`?warehouseId=${other.warehouseId}`)).text();
    expect(shownIds(byTheirWarehouse)).toEqual([]);
    expect(byTheirWarehouse).not.toContain(`<option value="${other.warehouseId}"`);
    // A cursor built from the other tenant's newest movement pages through this tenant's ledger only.
    const [top] = await core.sql<{ created_at: string }[]>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from stock_movements where id = ${theirs[0]!}`;
    const cursor = Buffer.from(JSON.stringify({ createdAt: top!.created_at, id: theirs[0]! })).toString('base64url');
    const paged = shownIds(await (await get(`?cursor=${cursor}`)).text());
    expect(paged.every((id) => mine.has(id))).toBe(true);
    // And the other tenant's own user sees only theirs.
    const otherUser = await addUser(core, other.tenantId, 'picker@other-movements.test', 'warehouse');
    const o = await httpLogin(core.url, otherUser.email, otherUser.password);
    const otherIds = shownIds(await (await fetch(`${core.url}/warehouse/stock-movements`, { headers: { cookie: o.cookie } })).text());
    expect(otherIds).toEqual(theirs.slice(0, PAGE));
    expect(otherIds.some((id) => mine.has(id))).toBe(false);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await fetch(`${core.url}/warehouse/stock-movements?product=A-1`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/warehouse/login?next=%2Fwarehouse%2Fstock-movements');
  });

  it('answers bad filters with 400 naming the field, and an unknown product with a notice instead of every movement', async () => {
    const { cookie } = await httpLogin(core.url, picker.email, picker.password);
    const get = (qs: string) => fetch(`${core.url}/warehouse/stock-movements${qs}`, { headers: { cookie } });
    for (const [qs, field] of [
      ['?kind=teleport', 'kind:'],
      ['?from=2025-02-30', 'from:'],
      ['?to=yesterday', 'to:'],
      ['?warehouseId=x1', 'warehouseId:'],
      ['?from=2025-03-02&to=2025-03-01', 'from: after to'],
      ['?cursor=not-a-cursor', 'cursor'],
    ] as const) {
      const res = await get(qs);
      expect(res.status, qs).toBe(400);
      const body = await res.text();
      expect(body, qs).toContain(field);
      expect(shownIds(body), qs).toEqual([]);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const unknown = await (await get('?product=NO-SUCH-SKU')).text();
    expect(unknown).toContain('data-result="not-found"');
    expect(shownIds(unknown)).toEqual([]);
    // No inline script or style on the screen: everything comes from /warehouse/assets.
    const ok = await (await get('')).text();
    expect(ok).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(ok).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });
});
