import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBnrRates, importBnrRatesForAllTenants } from '../../core/src/invoicing/index.ts';
import { type FakeBnr, startFakeBnr } from '../fakes/bnr/fake-bnr.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

let core: CoreHarness;
let bnr: FakeBnr;
let t: TenantFixture;

const ratesOf = (tenantId: string) =>
  core.sql<{ currency: string; valid_on: string; ron_per_unit: string; source: string }[]>`
    select currency, valid_on::text, ron_per_unit::text, source from invoicing_fx_rates where tenant_id = ${tenantId} order by valid_on, currency`;

beforeAll(async () => {
  bnr = await startFakeBnr();
  process.env.BNR_BASE_URL = bnr.url;
  // Two banking days of August 2026, as BNR wrote them (HUF per 100 units); the daily file is the 28th.
  bnr.days.set('2026-08-27', [
    { currency: 'EUR', value: '5.2570' },
    { currency: 'USD', value: '4.5190' },
  ]);
  bnr.days.set('2026-08-28', [
    { currency: 'EUR', value: '5.2584' },
    { currency: 'HUF', value: '1.4430', multiplier: 100 },
    { currency: 'USD', value: '4.5171' },
  ]);
  core = await startCore();
  t = await core.createTenant({ channel: { invoice_series: 'USD' } });
  expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) })).status).toBe(204);
});
afterAll(async () => {
  delete process.env.BNR_BASE_URL;
  await bnr.close();
});

describe('exchange rates for invoices in a foreign currency', () => {
  it('a USD order cannot be invoiced without a rate; after the BNR import it is, at BNR rate, with RON VAT in the e-Factura', async () => {
    const orderId = await insertOrder(core, t, { currency: 'USD' });
    const refused = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toContainEqual({ path: 'currency', reason: 'no USD/RON rate' });

    const imported = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ validOn: '2026-08-28', tenants: 1, currencies: 3, written: 3, unchanged: 0 });
    expect(bnr.requests.at(-1)).toBe('/nbrfxrates.xml');
    expect(await ratesOf(t.tenantId)).toEqual([
      { currency: 'EUR', valid_on: '2026-08-28', ron_per_unit: '5.258400', source: 'bnr' },
      { currency: 'HUF', valid_on: '2026-08-28', ron_per_unit: '0.014430', source: 'bnr' },
      { currency: 'USD', valid_on: '2026-08-28', ron_per_unit: '4.517100', source: 'bnr' },
    ]);
    // Idempotent: the same day again writes nothing.
    const again = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey, body: '{}' });
    expect(again.body).toMatchObject({ written: 0, unchanged: 3 });

    const issued = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(issued.status).toBe(201);
    const [row] = await core.sql`select ron_per_unit::text as rate, tax_total::text as tax, tax_total_ron::text as tax_ron from invoices where id = ${issued.body.invoiceId}`;
    expect(row!.rate).toBe('4.517100');
    const inv = await core.api(`/api/v1/invoices/${issued.body.invoiceId}`, { key: t.apiKey });
    expect(inv.body).toMatchObject({ currency: 'USD', ronPerUnit: '4.517100' });
    // RON VAT = USD VAT × 4.5171, to the ban (50.16 USD × 4.5171 = 226.577736; shipping split over the goods' 21 % and 11 %).
    expect(row!.tax).toBe('50.16');
    expect(row!.tax_ron).toBe('226.58');
    const xml = await fetch(`${core.url}/api/v1/invoices/${issued.body.invoiceId}/ubl`, { headers: { authorization: `Bearer ${t.apiKey}` } }).then((x) => x.text());
    expect(xml).toContain('<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>');
    expect(xml).toContain('<cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>');
    expect(xml).toMatch(/<cbc:TaxAmount currencyID="RON">226\.58<\/cbc:TaxAmount>/);
    expect(xml).toContain('Curs BNR: 1 USD = 4.5171 RON');
  });

  it('back-fills a past day from the yearly archive; a weekend takes the banking day before it', async () => {
    const r = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey, body: JSON.stringify({ date: '2026-08-27' }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ validOn: '2026-08-27', currencies: 2, written: 2 });
    expect(bnr.requests.at(-1)).toBe('/files/xml/years/nbrfxrates2026.xml');
    const sat = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey, body: JSON.stringify({ date: '2026-08-29' }) });
    expect(sat.body).toMatchObject({ validOn: '2026-08-28', written: 0 });
    const list = await core.api('/api/v1/invoicing/fx-rates?currency=USD', { key: t.apiKey });
    expect(list.body.rates.map((x: { validOn: string }) => x.validOn)).toEqual(['2026-08-28', '2026-08-27']);
  });

  it('a manual rate wins over BNR for its day: saved, kept by a re-import, used by the next invoice', async () => {
    const put = await core.api('/api/v1/invoicing/fx-rates', { method: 'PUT', key: t.apiKey, body: JSON.stringify({ currency: 'USD', validOn: '2026-08-28', ronPerUnit: '4.6' }) });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ currency: 'USD', validOn: '2026-08-28', ronPerUnit: '4.600000', source: 'manual' });
    bnr.days.get('2026-08-28')!.find((x) => x.currency === 'USD')!.value = '4.5200';
    const r = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey });
    expect(r.body).toMatchObject({ validOn: '2026-08-28', written: 0, unchanged: 3 });
    const [usd] = await core.sql`select ron_per_unit::text as rate, source from invoicing_fx_rates where tenant_id = ${t.tenantId} and currency = 'USD' and valid_on = '2026-08-28'`;
    expect(usd).toEqual({ rate: '4.600000', source: 'manual' });

    const orderId = await insertOrder(core, t, { currency: 'USD' });
    const issued = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(issued.status).toBe(201);
    const [inv] = await core.sql`select ron_per_unit::text as rate from invoices where id = ${issued.body.invoiceId}`;
    expect(inv!.rate).toBe('4.600000');
    bnr.days.get('2026-08-28')!.find((x) => x.currency === 'USD')!.value = '4.5171';
  });

  it.each([
    [{ currency: 'RON', validOn: '2026-08-28', ronPerUnit: '1' }, 'currency'],
    [{ currency: 'usd', validOn: '2026-08-28', ronPerUnit: '4.5' }, 'currency'],
    [{ currency: 'GBP', validOn: '28.08.2026', ronPerUnit: '5.9' }, 'validOn'],
    [{ currency: 'GBP', validOn: '2026-08-28', ronPerUnit: '0' }, 'ronPerUnit'],
    [{ currency: 'GBP', validOn: '2026-08-28', ronPerUnit: '-5.9' }, 'ronPerUnit'],
    [{ currency: 'GBP', validOn: '2026-08-28', ronPerUnit: '5.1234567' }, 'ronPerUnit'],
    [{ currency: 'GBP', validOn: '2026-08-28', ronPerUnit: 5.9 }, 'ronPerUnit'],
    [{ validOn: '2026-08-28', ronPerUnit: '5.9' }, 'currency'],
    [{ currency: 'GBP', validOn: '2026-02-30', ronPerUnit: '5.9' }, 'validOn'],
  ])('bad input %j → 400 naming %s, nothing written', async (body, field) => {
    const r = await core.api('/api/v1/invoicing/fx-rates', { method: 'PUT', key: t.apiKey, body: JSON.stringify(body) });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await core.sql`select 1 from invoicing_fx_rates where tenant_id = ${t.tenantId} and currency in ('RON', 'GBP')`).toHaveLength(0);
  });

  it('bad import and list input → 400 naming the field', async () => {
    const r = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey, body: JSON.stringify({ date: '2026-13-45x' }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('date');
    const future = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t.apiKey, body: JSON.stringify({ date: '2999-01-04' }) });
    expect(future.status).toBe(400);
    expect(future.body.error.details).toContainEqual({ path: 'date', reason: 'after today' });
    const l = await core.api('/api/v1/invoicing/fx-rates?from=yesterday', { key: t.apiKey });
    expect(l.status).toBe(400);
    expect(l.body.error.details.map((d: { path: string }) => d.path)).toContain('query.from');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await (await fetch(`${core.url}/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/invoicing/fx-rates', '/api/v1/invoicing/fx-rates/import']));
    expect(Object.keys(doc.paths['/api/v1/invoicing/fx-rates'])).toEqual(expect.arrayContaining(['get', 'put']));
  });

  it('pages the list by keyset with currency and date filters', async () => {
    const t2 = await core.createTenant();
    for (const [c, d] of [['EUR', '2026-08-01'], ['USD', '2026-08-01'], ['EUR', '2026-08-02'], ['GBP', '2026-08-02'], ['USD', '2026-08-03']]) {
      expect((await core.api('/api/v1/invoicing/fx-rates', { method: 'PUT', key: t2.apiKey, body: JSON.stringify({ currency: c, validOn: d, ronPerUnit: '5' }) })).status).toBe(200);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = await core.api(`/api/v1/invoicing/fx-rates?limit=2${q}`, { key: t2.apiKey });
      expect(page.status).toBe(200);
      seen.push(...page.body.rates.map((x: { currency: string; validOn: string }) => `${x.validOn} ${x.currency}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2026-08-03 USD', '2026-08-02 EUR', '2026-08-02 GBP', '2026-08-01 EUR', '2026-08-01 USD']);
    const f = await core.api('/api/v1/invoicing/fx-rates?currency=EUR&from=2026-08-02&to=2026-08-31', { key: t2.apiKey });
    expect(f.body.rates.map((x: { validOn: string }) => x.validOn)).toEqual(['2026-08-02']);
    expect((await core.api('/api/v1/invoicing/fx-rates?cursor=nonsense', { key: t2.apiKey })).body.error.details[0].path).toBe('cursor');
  });

  it('BNR down (5xx, or no answer) → the import reports an upstream error and writes nothing', async () => {
    const t3 = await core.createTenant();
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t3.apiKey, body: JSON.stringify(PROFILE) });
    bnr.mode = 'error';
    try {
      const r = await core.api('/api/v1/invoicing/fx-rates/import', { method: 'POST', key: t3.apiKey });
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('UPSTREAM');
      expect(r.body.error.message).toMatch(/HTTP 503.*Nothing was imported/);
      bnr.mode = 'timeout';
      await expect(importBnrRates(core.sql, [t3.tenantId], { timeoutMs: 150 })).rejects.toMatchObject({ code: 'UPSTREAM', message: expect.stringMatching(/no answer in time/) });
      await expect(importBnrRatesForAllTenants(core.sql, { timeoutMs: 150, maxAttempts: 1 })).rejects.toMatchObject({ code: 'UPSTREAM' });
      expect(await ratesOf(t3.tenantId)).toEqual([]);
    } finally {
      bnr.mode = 'ok';
    }
    // Back up: the worker's import covers every tenant with an invoicing profile, this one included.
    const all = await importBnrRatesForAllTenants(core.sql);
    expect(all.tenants).toBeGreaterThanOrEqual(2);
    expect((await ratesOf(t3.tenantId)).map((x) => x.currency)).toEqual(['EUR', 'HUF', 'USD']);
  });
});
