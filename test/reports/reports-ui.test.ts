import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { addUser, ARTIFACTS, launchChromium } from '../warehouse-ui/ui-support.ts';
import { parseCsv } from './csv-parse.ts';
import { seedReports } from './report-seed.ts';
import { seedReturns } from './returns-seed.ts';

let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let t: TenantFixture;
let operator: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  core = await startCore();
  chromium = await launchChromium();
  t = await core.createTenant();
  const { orderIds } = await seedReports(core.sql, t);
  await seedReturns(core.sql, t, orderIds);
  operator = await addUser(core, t.tenantId, 'rapoarte@desk.test', 'operator');
});
afterAll(async () => {
  await chromium?.close();
});

const PERIOD = 'from=2026-11-20&to=2026-11-22';
/** Each report's screen with the filters that show the seeded rows. */
const SCREENS: Array<[name: string, query: string, title: string]> = [
  ['orders-per-channel', PERIOD, 'Comenzi pe canal'],
  ['sync-audit', '', 'Jurnal de sincronizare'],
  ['awbs-in-transit', '', 'AWB-uri în tranzit'],
  ['courier-audit-log', '', 'Jurnalul curierilor'],
  ['invoices-per-channel', PERIOD, 'Facturi pe canal'],
  ['stock-movements', '', 'Istoricul mișcărilor de stoc'],
  ['blocked-delivery-notes', '', 'Avize blocate'],
  ['returns', PERIOD, 'Retururi'],
];

async function login(page: Page, lang = '') {
  await page.goto(`${core.url}/warehouse/login${lang ? `?lang=${lang}` : ''}`);
  await page.fill('#email', operator.email);
  await page.fill('#password', operator.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${core.url}/warehouse/pick-lists`);
}

/** Anything the browser logs as an error (a CSP violation, a missing asset, a script error) is a defect. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  return errors;
}

/** What Chart.js drew on the report's canvas: its datasets, and how many pixels are not blank. */
async function drawn(page: Page) {
  await page.waitForSelector('#report-chart[data-drawn="true"]');
  return page.evaluate(() => {
    const canvas = document.getElementById('report-chart') as HTMLCanvasElement;
    // biome-ignore lint/suspicious/noExplicitAny: Chart.js is a global of the page
    const chart = (window as any).Chart.getChart(canvas);
    const ctx = canvas.getContext('2d')!;
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) painted++;
    return { painted, labels: chart.data.labels as string[], datasets: chart.data.datasets.map((d: { label: string; data: number[] }) => ({ label: d.label, data: d.data })) };
  });
}

describe('report screens with their charts (Chromium)', () => {
  it('draws each of the eight reports with its chart in Romanian, reached from the Reports tab', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ro-RO' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login(page);
    await page.click('#tab-reports');
    await page.waitForURL(`${core.url}/warehouse/reports`);
    expect(await page.locator('h1').textContent()).toBe('Rapoarte');
    expect(await page.locator('[data-report]').count()).toBe(SCREENS.length);
    for (const [name, query, title] of SCREENS) {
      await page.goto(`${core.url}/warehouse/reports/${name}${query ? `?${query}` : ''}`);
      expect(await page.locator('h1').textContent()).toBe(title);
      const chart = await drawn(page);
      expect(chart.painted, `${name}: the canvas has bars on it`).toBeGreaterThan(1000);
      expect(chart.datasets.length, `${name}: one dataset per series`).toBeGreaterThan(0);
      expect(await page.locator('#report-rows tbody tr').count()).toBeGreaterThan(0);
      if (name === 'returns') expect(await page.locator('#report-reasons tbody tr:first-child td:first-child').textContent()).toBe('Mărime greșită');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${ARTIFACTS}report-${name}.png`, fullPage: true });
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows orders per channel in the screen’s words: stacked by status, the cells in Romanian, the next page by days', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ro-RO' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login(page);
    await page.goto(`${core.url}/warehouse/reports/orders-per-channel?${PERIOD}&days=2`);
    const chart = await drawn(page);
    expect(chart.labels).toEqual(['2026-11-21', '2026-11-22']);
    expect(chart.datasets).toEqual([
      { label: 'Livrată', data: [0, 2] },
      { label: 'Nouă', data: [1, 0] },
      { label: 'În livrare', data: [1, 0] },
    ]);
    expect(await page.locator('#report-rows tbody tr:first-child td[data-col="status"]').textContent()).toBe('Livrată');
    // The channel filter by name: only Woo's orders, the chart with them alone.
    await page.selectOption('#f-channelId', { label: 'Woo' });
    await page.click('.report-actions button[type=submit]');
    await page.waitForURL(new RegExp(`channelId=${t.woo.channelId}`));
    expect((await drawn(page)).datasets).toEqual([
      { label: 'Livrată', data: [0, 1] },
      { label: 'În livrare', data: [1, 0] },
    ]);
    await page.goto(`${core.url}/warehouse/reports/orders-per-channel?${PERIOD}&days=2`);
    await page.click('#report-next');
    await page.waitForURL(/cursor=2026-11-20/);
    expect(await page.locator('#report-rows tbody tr').count()).toBe(2);
    expect((await drawn(page)).labels).toEqual(['2026-11-20']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports the screen’s CSV with a BOM and headers in the screen’s language, the same numbers as the API', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login(page, 'en');
    await page.goto(`${core.url}/warehouse/reports/invoices-per-channel?${PERIOD}`);
    expect(await page.locator('h1').textContent()).toBe('Invoices per channel');
    await drawn(page);
    await page.screenshot({ path: `${ARTIFACTS}report-invoices-per-channel-en.png`, fullPage: true });
    const href = await page.getAttribute('#report-csv', 'href');
    const res = await page.request.get(`${core.url}${href}`);
    expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = await res.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]!.slice(0, 6)).toEqual(['Day', 'Channel (id)', 'Channel', 'Currency', 'Orders', 'Store total']);
    const api = await core.api(`/api/v1/reports/invoices-per-channel?${PERIOD}`, { key: t.apiKey });
    expect(rows.slice(1)).toEqual(api.body.rows.map((r: Record<string, unknown>) => api.body.columns.map((k: string) => String(r[k]))));
    expect(rows[1]![2]).toBe('Magazinul Țării');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a bad filter on the screen with 400 naming it, and a warehouse picker has no Reports tab', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ro-RO' });
    const page = await context.newPage();
    await login(page);
    const bad = await page.goto(`${core.url}/warehouse/reports/orders-per-channel?from=2026-11-22&to=2026-11-20`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('main').textContent()).toContain('from');
    await context.close();
    const picker = await addUser(core, t.tenantId, 'culegator@desk.test', 'warehouse');
    const pc = await chromium.browser.newContext({ viewport: { width: 390, height: 844 } });
    const pp = await pc.newPage();
    await pp.goto(`${core.url}/warehouse/login`);
    await pp.fill('#email', picker.email);
    await pp.fill('#password', picker.password);
    await pp.click('button[type=submit]');
    await pp.waitForURL(`${core.url}/warehouse/pick-lists`);
    expect(await pp.locator('#tab-reports').count()).toBe(0);
    expect((await pp.goto(`${core.url}/warehouse/reports/sync-audit`))!.status()).toBe(403);
    await pc.close();
  });
});
