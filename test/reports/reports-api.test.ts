import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { asCsvCells, parseCsv } from './csv-parse.ts';
import { seedReports } from './report-seed.ts';
import { seedReturns } from './returns-seed.ts';

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  other = await core.createTenant();
  const { orderIds } = await seedReports(core.sql, t);
  await seedReturns(core.sql, t, orderIds);
});

const PERIOD = 'from=2026-11-20&to=2026-11-22';

/** The CSV of a report, fetched both ways (`?format=csv` and `Accept: text/csv`), checked to be the same bytes. */
async function csvOf(path: string): Promise<{ bom: boolean; rows: string[][]; type: string }> {
  const sep = path.includes('?') ? '&' : '?';
  const a = await fetch(`${core.url}${path}${sep}format=csv`, { headers: { authorization: `Bearer ${t.apiKey}` } });
  const b = await fetch(`${core.url}${path}`, { headers: { authorization: `Bearer ${t.apiKey}`, accept: 'text/csv' } });
  const bytes = new Uint8Array(await a.arrayBuffer());
  expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, rows: parseCsv(text.replace(/^\uFEFF/, '')), type: a.headers.get('content-type') ?? '' };
}

/** The report's JSON page and its CSV hold the same rows, cell for cell. */
async function sameAsCsv(path: string) {
  const json = await core.api(path, { key: t.apiKey });
  expect(json.status).toBe(200);
  const csv = await csvOf(path);
  expect(csv.type).toBe('text/csv; charset=utf-8');
  expect(csv.bom).toBe(true);
  expect(csv.rows[0]).toEqual(json.body.columns);
  expect(csv.rows.slice(1)).toEqual(asCsvCells(json.body.columns, json.body.rows));
  return json.body;
}

describe('GET /api/v1/reports/orders-per-channel', () => {
  it('counts orders per Romanian day, channel and status, newest day first, with the chart stacked by status', async () => {
    const body = await sameAsCsv(`/api/v1/reports/orders-per-channel?${PERIOD}`);
    expect(body.rows.map((r: Record<string, unknown>) => [r.day, r.channelName, r.status, r.orders])).toEqual([
      ['2026-11-22', 'Magazinul Țării', 'delivered', 1],
      ['2026-11-22', 'Woo', 'delivered', 1],
      ['2026-11-21', 'Magazinul Țării', 'new', 1],
      // Placed at 23:30 UTC on the 20th: 01:30 on the 21st in Romania.
      ['2026-11-21', 'Woo', 'shipping', 1],
      ['2026-11-20', 'Magazinul Țării', 'delivered', 2],
      ['2026-11-20', 'Woo', 'cancelled', 1],
    ]);
    expect(body.chart).toEqual({
      kind: 'bar',
      stacked: true,
      scope: 'page',
      labels: ['2026-11-20', '2026-11-21', '2026-11-22'],
      series: [
        { name: 'delivered', values: [2, 0, 2] },
        { name: 'new', values: [0, 1, 0] },
        { name: 'shipping', values: [0, 1, 0] },
        { name: 'cancelled', values: [1, 0, 0] },
      ],
    });
    expect(body.nextCursor).toBeNull();
  });

  it('pages by days with a keyset cursor, filters by channel and status, and shows another tenant nothing', async () => {
    const first = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}&days=2`, { key: t.apiKey });
    expect(first.body.rows.map((r: { day: string }) => r.day)).toEqual(['2026-11-22', '2026-11-22', '2026-11-21', '2026-11-21']);
    expect(first.body.nextCursor).toBe('2026-11-20');
    const second = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}&days=2&cursor=${first.body.nextCursor}`, { key: t.apiKey });
    expect(second.body.rows.map((r: { day: string; orders: number }) => [r.day, r.orders])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-20', 1],
    ]);
    expect(second.body.nextCursor).toBeNull();
    const woo = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}&channelId=${t.woo.channelId}&status=delivered`, { key: t.apiKey });
    expect(woo.body.rows).toEqual([{ day: '2026-11-22', channelId: t.woo.channelId, channelName: 'Woo', status: 'delivered', orders: 1 }]);
    const none = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}`, { key: other.apiKey });
    expect(none.body.rows).toEqual([]);
  });

  it('refuses a bad filter with 400 naming the field, and a period ending before it starts', async () => {
    const reversed = await core.api('/api/v1/reports/orders-per-channel?from=2026-11-22&to=2026-11-20', { key: t.apiKey });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain('from');
    const days = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}&days=8`, { key: t.apiKey });
    expect(days.status).toBe(400);
    expect(JSON.stringify(days.body)).toContain('days');
    const status = await core.api(`/api/v1/reports/orders-per-channel?${PERIOD}&status=lost`, { key: t.apiKey });
    expect(status.status).toBe(400);
    expect(JSON.stringify(status.body)).toContain('status');
    const date = await core.api('/api/v1/reports/orders-per-channel?from=2026-02-30', { key: t.apiKey });
    expect(date.status).toBe(400);
  });
});

describe('GET /api/v1/reports/invoices-per-channel', () => {
  it('reconciles per day, channel and currency: store total against invoiced and credited, cancelled orders left out', async () => {
    const body = await sameAsCsv(`/api/v1/reports/invoices-per-channel?${PERIOD}`);
    const pick = (r: Record<string, unknown>) => [r.day, r.channelName, r.currency, r.orders, r.storeTotal, r.invoices, r.invoiced, r.creditNotes, r.credited, r.difference];
    expect(body.rows.map(pick)).toEqual([
      ['2026-11-22', 'Magazinul Țării', 'RON', 1, '10.00', 1, '10.00', 1, '21.00', '21.00'],
      ['2026-11-22', 'Woo', 'RON', 1, '99.99', 1, '99.99', 0, '0.00', '0.00'],
      ['2026-11-21', 'Magazinul Țării', 'EUR', 1, '30.00', 0, '0.00', 0, '0.00', '30.00'],
      ['2026-11-21', 'Woo', 'RON', 1, '200.00', 0, '0.00', 0, '0.00', '200.00'],
      ['2026-11-20', 'Magazinul Țării', 'RON', 2, '200.50', 2, '191.00', 0, '0.00', '9.50'],
    ]);
    expect(body.chart.labels).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(body.chart.series).toEqual([
      { name: 'RON store', values: [200.5, 200, 109.99] },
      { name: 'RON invoiced', values: [191, 0, 88.99] },
      { name: 'EUR store', values: [0, 30, 0] },
      { name: 'EUR invoiced', values: [0, 0, 0] },
    ]);
    const eur = await core.api(`/api/v1/reports/invoices-per-channel?${PERIOD}&currency=EUR`, { key: t.apiKey });
    expect(eur.body.rows.map(pick)).toEqual([['2026-11-21', 'Magazinul Țării', 'EUR', 1, '30.00', 0, '0.00', 0, '0.00', '30.00']]);
    const bad = await core.api(`/api/v1/reports/invoices-per-channel?${PERIOD}&currency=lei`, { key: t.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('currency');
  });
});

describe('GET /api/v1/reports/sync-audit', () => {
  it('lists the newest entry first by numeric id across a digit boundary and pages on by cursor; the CSV quotes the error', async () => {
    const first = await sameAsCsv('/api/v1/reports/sync-audit?limit=2');
    expect(first.rows.map((r: { id: string }) => r.id)).toEqual(['1000000002', '1000000001']);
    expect(first.rows[1].error).toBe('semnătură greșită, "HMAC"');
    expect(first.nextCursor).toBe('1000000001');
    const next = await core.api(`/api/v1/reports/sync-audit?limit=2&cursor=${first.nextCursor}`, { key: t.apiKey });
    expect(next.body.rows.map((r: { id: string }) => r.id)).toEqual(['1000000000', '999999999']);
    const rejected = await core.api('/api/v1/reports/sync-audit?outcome=rejected', { key: t.apiKey });
    expect(rejected.body.rows.map((r: { id: string }) => r.id)).toEqual(['1000000001']);
    expect(rejected.body.chart).toMatchObject({ labels: ['rejected'], series: [{ name: 'webhook', values: [1] }] });
    expect((await core.api('/api/v1/reports/sync-audit?cursor=abc', { key: t.apiKey })).status).toBe(400);
  });
});

describe('GET /api/v1/reports/awbs-in-transit', () => {
  it('lists AWBs oldest first with their age and last event, pages by cursor, and charts them by age and courier', async () => {
    const first = await sameAsCsv('/api/v1/reports/awbs-in-transit?limit=3');
    expect(first.rows.map((r: { awb: string; ageBucket: string; lastEventCode: string }) => [r.awb, r.ageBucket, r.lastEventCode])).toEqual([
      ['AWB4', '7d+', 'C3'],
      ['AWB3', '3-7d', 'C2'],
      ['AWB2', '1-3d', 'C1'],
    ]);
    expect(first.rows[0].lastEvent.description).toBe('În tranzit spre Iași, depozit 3');
    expect(first.byStatus).toEqual({ in_transit: 3 });
    expect(first.chart).toMatchObject({
      stacked: true,
      labels: ['0-1d', '1-3d', '3-7d', '7d+'],
      series: [
        { name: 'cargus', values: [0, 0, 0, 1] },
        { name: 'sameday', values: [0, 1, 1, 0] },
      ],
    });
    const next = await core.api(`/api/v1/reports/awbs-in-transit?limit=3&cursor=${first.nextCursor}`, { key: t.apiKey });
    expect(next.body.rows.map((r: { awb: string }) => r.awb)).toEqual(['AWB1']);
    expect(next.body.nextCursor).toBeNull();
    const bad = await core.api('/api/v1/reports/awbs-in-transit?cursor=nope', { key: t.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('cursor');
  });
});

describe('GET /api/v1/reports/courier-audit-log', () => {
  it('lists the courier calls newest first with the legacy entries, charts operations by outcome, and the CSV matches', async () => {
    const body = await sameAsCsv('/api/v1/reports/courier-audit-log?limit=3');
    expect(body.rows.map((r: { operation: string; outcome: string }) => `${r.operation}:${r.outcome}`)).toEqual(['track:timeout', 'track:ok', 'create_awb:http_error']);
    expect(body.entries).toHaveLength(3);
    expect(body.chart).toMatchObject({ labels: ['track', 'create_awb'], series: [{ name: 'timeout', values: [1, 0] }, { name: 'ok', values: [1, 0] }, { name: 'http_error', values: [0, 1] }] });
    const next = await core.api(`/api/v1/reports/courier-audit-log?limit=3&cursor=${body.nextCursor}`, { key: t.apiKey });
    expect(next.body.rows.map((r: { operation: string; outcome: string }) => `${r.operation}:${r.outcome}`)).toEqual(['create_awb:ok']);
  });
});

describe('GET /api/v1/reports/stock-movements and blocked-delivery-notes', () => {
  it('exports the ledger with the diacritics, comma and quotes of a product name intact', async () => {
    const body = await sameAsCsv('/api/v1/reports/stock-movements?limit=20');
    expect(body.movements).toHaveLength(body.rows.length);
    expect(body.rows.find((r: { sku: string }) => r.sku === 'A-1').productName).toBe('Săpun de casă, „natural” 100g');
    const receipts = body.chart.series.find((s: { name: string }) => s.name === 'onHandDelta');
    expect(body.chart.labels).toEqual(['receipt']);
    expect(receipts.values).toEqual([body.rows.reduce((n: number, r: { onHandDelta: number }) => n + r.onHandDelta, 0)]);
  });

  it('lists the blocked delivery note line by line with the missing quantity per SKU as the chart', async () => {
    const body = await sameAsCsv('/api/v1/reports/blocked-delivery-notes');
    expect(body.rows.map((r: { sku: string; missing: number }) => [r.sku, r.missing])).toEqual([
      ['A-1', 3],
      ['A-2', 1],
    ]);
    expect(body.missingBySku).toEqual([
      { sku: 'A-1', missing: 3 },
      { sku: 'A-2', missing: 1 },
    ]);
    expect(body.chart).toMatchObject({ labels: ['A-1', 'A-2'], series: [{ name: 'missing', values: [3, 1] }] });
  });
});

describe('GET /api/v1/reports/returns', () => {
  it('gives the return rate per day and channel against the orders placed, restocked against quarantined units, and the reasons', async () => {
    const body = await sameAsCsv(`/api/v1/reports/returns?${PERIOD}`);
    expect(body.rows).toEqual([
      // A partial return (2 units restocked) and a manual credit (no stock moved); the cancelled return is left out.
      { day: '2026-11-22', channelId: t.shopify.channelId, channelName: 'Magazinul Țării', orders: 1, returns: 2, manual: 1, returnRate: 200, units: 3, restocked: 2, quarantined: 0 },
      { day: '2026-11-21', channelId: t.woo.channelId, channelName: 'Woo', orders: 1, returns: 1, manual: 0, returnRate: 100, units: 2, restocked: 1, quarantined: 1 },
    ]);
    expect(body.reasons).toEqual([
      { reason: 'Mărime greșită', returns: 2, units: 3 },
      { reason: 'Produs deteriorat', returns: 2, units: 2 },
    ]);
    expect(body.chart).toEqual({
      kind: 'bar',
      stacked: false,
      scope: 'page',
      labels: ['2026-11-20', '2026-11-21', '2026-11-22'],
      series: [
        { name: 'Magazinul Țării', values: [0, 0, 200] },
        { name: 'Woo', values: [0, 100, 0] },
      ],
    });
    const woo = await core.api(`/api/v1/reports/returns?${PERIOD}&channelId=${t.woo.channelId}&days=1`, { key: t.apiKey });
    expect(woo.body.rows).toEqual([]);
    expect(woo.body.nextCursor).toBe('2026-11-21');
    const next = await core.api(`/api/v1/reports/returns?${PERIOD}&channelId=${t.woo.channelId}&days=1&cursor=2026-11-21`, { key: t.apiKey });
    expect(next.body.rows.map((r: { day: string; returnRate: number }) => [r.day, r.returnRate])).toEqual([['2026-11-21', 100]]);
    expect((await core.api(`/api/v1/reports/returns?${PERIOD}`, { key: other.apiKey })).body.rows).toEqual([]);
  });
});
