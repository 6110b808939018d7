import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anafAccessToken, createAnafClient } from '../../core/src/invoicing/anaf-client.ts';
import { processEInvoices, STATUS_POLLS_PER_DAY } from '../../core/src/invoicing/process-e-invoices.ts';
import { startFakeAnaf, type FakeAnaf } from '../fakes/anaf/fake-anaf.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

let core: CoreHarness;
let anaf: FakeAnaf;
let t: TenantFixture;
let clock = new Date(Date.now() + 1000);
const deps = () => ({ sql: core.sql, box: core.deps.box, now: () => clock });
const advance = (s: number) => {
  clock = new Date(clock.getTime() + s * 1000);
};

async function connect(tenant: TenantFixture) {
  const put = await core.api('/api/v1/invoicing/anaf', {
    method: 'PUT',
    key: tenant.apiKey,
    body: JSON.stringify({ clientId: 'expedio-app', clientSecret: 'very-secret', redirectUri: 'https://expedio.test/anaf/callback', oauthBaseUrl: anaf.oauthBaseUrl, apiBaseUrl: anaf.apiBaseUrl }),
  });
  expect(put.status).toBe(204);
  const start = await core.api('/api/v1/invoicing/anaf/authorize', { method: 'POST', key: tenant.apiKey });
  // The operator's browser follows the URL; the fake ANAF redirects back with the code and state.
  const res = await fetch(start.body.url, { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  const done = await core.api('/api/v1/invoicing/anaf/token', { method: 'POST', key: tenant.apiKey, body: JSON.stringify({ code: back.searchParams.get('code'), state: back.searchParams.get('state') }) });
  expect(done.status).toBe(204);
}

async function issue(tenant: TenantFixture, o: Parameters<typeof insertOrder>[2] = {}) {
  const r = await core.api(`/api/v1/orders/${await insertOrder(core, tenant, o)}/invoice`, { method: 'POST', key: tenant.apiKey });
  expect(r.body.eInvoice).toBe(true);
  // The test clock never runs behind the database's now(), which stamped the e-invoice as due.
  if (clock.getTime() < Date.now() + 1000) clock = new Date(Date.now() + 1000);
  return r.body.invoiceId as string;
}

const eState = async (invoiceId: string) =>
  (await core.sql`select state, upload_index, download_id, errors, polls_today, signed_xml is not null as signed, response_zip is not null as zip
    from e_invoices where invoice_id = ${invoiceId}`)[0]!;

beforeAll(async () => {
  anaf = await startFakeAnaf();
  core = await startCore();
  t = await core.createTenant();
  await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) });
  await connect(t);
});
afterAll(() => anaf.close());

describe('e-Factura at ANAF (fake speaking the documented contract)', () => {
  it('OAuth: the code is exchanged and tokens are stored sealed, never in plain text', async () => {
    expect(anaf.tokens.codeExchanges).toBe(1);
    const [c] = await core.sql`select access_token_enc, refresh_token_enc, client_secret_enc from anaf_connections where tenant_id = ${t.tenantId}`;
    expect(c!.access_token_enc).toMatch(/^v1\./);
    expect(c!.refresh_token_enc).toMatch(/^v1\./);
    expect(JSON.stringify(c)).not.toContain(anaf.tokens.issued[0]!);
    expect(JSON.stringify(c)).not.toContain('very-secret');
  });

  it('a wrong state in the OAuth answer is refused', async () => {
    await core.api('/api/v1/invoicing/anaf/authorize', { method: 'POST', key: t.apiKey });
    const r = await core.api('/api/v1/invoicing/anaf/token', { method: 'POST', key: t.apiKey, body: JSON.stringify({ code: 'x', state: 'forged' }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('state');
    await connect(t);
  });

  it('pending → in_processing → ok: upload with standard=UBL and cif, polled by schedule, signed ZIP stored', async () => {
    const invoiceId = await issue(t);
    let r = await processEInvoices(deps());
    expect(r.uploaded).toBe(1);
    const up = anaf.uploads.at(-1)!;
    expect(up).toMatchObject({ standard: 'UBL', cif: '13548146', extern: null });
    expect(await eState(invoiceId)).toMatchObject({ state: 'in_processing', upload_index: up.index });
    r = await processEInvoices(deps()); // next poll not due yet
    expect(r.polled).toBe(0);
    advance(61);
    r = await processEInvoices(deps()); // 'in prelucrare'
    expect(r.polled).toBe(1);
    expect((await eState(invoiceId)).state).toBe('in_processing');
    advance(121);
    r = await processEInvoices(deps());
    expect(r.ok).toBe(1);
    const e = await eState(invoiceId);
    expect(e).toMatchObject({ state: 'ok', signed: true, zip: true, polls_today: 2 });
    expect(e.download_id).toMatch(/^\d+$/);
    const report = await core.api('/api/v1/e-invoices', { key: t.apiKey });
    expect(report.body.eInvoices.find((x: { invoiceId: string }) => x.invoiceId === invoiceId)).toMatchObject({ state: 'ok', uploadIndex: up.index });
  });

  it('nok: ANAF errors from the ZIP are stored, listed first, and a fixed resubmission reaches ok', async () => {
    const invoiceId = await issue(t, { company: 'FAKE-NOK Impex SRL' });
    await processEInvoices(deps());
    advance(61);
    await processEInvoices(deps());
    advance(121);
    const r = await processEInvoices(deps());
    expect(r.nok).toBe(1);
    const e = await eState(invoiceId);
    expect(e.state).toBe('nok');
    expect(e.errors[0]).toContain('BR-RO-111');
    const report = await core.api('/api/v1/e-invoices', { key: t.apiKey });
    expect(report.body.eInvoices[0]).toMatchObject({ invoiceId, state: 'nok' });
    const again = await core.api(`/api/v1/invoices/${invoiceId}/e-invoice/resubmit`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ buyer: { name: 'Fixed Impex SRL' } }) });
    expect(again.body).toEqual({ state: 'pending', submission: 2 });
    const illegal = await core.api(`/api/v1/invoices/${invoiceId}/e-invoice/resubmit`, { method: 'POST', key: t.apiKey });
    expect(illegal.status).toBe(409);
    await processEInvoices(deps());
    advance(61);
    await processEInvoices(deps());
    advance(121);
    await processEInvoices(deps());
    expect((await eState(invoiceId)).state).toBe('ok');
  });

  it('credit notes are uploaded with standard=CN; foreign buyers with extern=DA', async () => {
    const invoiceId = await issue(t, { vatNumber: 'DE123456789', company: 'Müller Handel GmbH', billing: { company: 'Müller Handel GmbH', address1: 'Hauptstraße 5', city: 'Berlin', postcode: '10115', countryCode: 'DE' } });
    const cn = await core.api(`/api/v1/invoices/${invoiceId}/storno`, { method: 'POST', key: t.apiKey });
    if (clock.getTime() < Date.now() + 1000) clock = new Date(Date.now() + 1000);
    await processEInvoices(deps());
    const ups = anaf.uploads.slice(-2);
    expect(ups.map((u) => [u.standard, u.extern])).toEqual([['UBL', 'DA'], ['CN', 'DA']]);
    expect(ups[1]!.xml).toContain('<CreditNote');
    expect((await eState(cn.body.creditNoteId)).state).toBe('in_processing');
  });

  it('never queries one message more than the daily quota; resumes the next Romanian day', async () => {
    anaf.processingPolls = 1000;
    const invoiceId = await issue(t);
    await processEInvoices(deps());
    const index = String((await core.sql`select upload_index from e_invoices where invoice_id = ${invoiceId}`)[0]!.upload_index);
    for (let i = 0; i < 200; i++) {
      advance(3601);
      if (new Date(clock).getUTCHours() === 0) continue;
      await processEInvoices(deps());
      const q = anaf.statusQueries.get(index as string) ?? 0;
      if (q >= STATUS_POLLS_PER_DAY) break;
    }
    // hourly polls over several days: the fake counts all of them, per day we stay ≤ 90 < 100
    const e = await eState(invoiceId);
    expect(e.polls_today).toBeLessThanOrEqual(STATUS_POLLS_PER_DAY);
    expect(anaf.statusQueries.get(index as string)!).toBeLessThanOrEqual(100);
    await core.sql`update e_invoices set polls_today = ${STATUS_POLLS_PER_DAY}, polls_day = ${clock.toLocaleDateString('sv-SE', { timeZone: 'Europe/Bucharest' })}, next_poll_at = ${clock} where invoice_id = ${invoiceId}`;
    const before = anaf.statusQueries.get(index as string);
    const r = await processEInvoices(deps());
    expect(r.deferred).toBe(1);
    expect(anaf.statusQueries.get(index as string)).toBe(before);
    const next_poll_at = (await core.sql`select next_poll_at from e_invoices where invoice_id = ${invoiceId}`)[0]!.next_poll_at;
    expect((next_poll_at as Date).toLocaleDateString('sv-SE', { timeZone: 'Europe/Bucharest' })).not.toBe(clock.toLocaleDateString('sv-SE', { timeZone: 'Europe/Bucharest' }));
    anaf.processingPolls = 1;
  });

  it('refreshes the access token before it expires (rotated, stored sealed)', async () => {
    const refreshed = anaf.tokens.refreshed;
    await core.sql`update anaf_connections set access_expires_at = ${new Date(clock.getTime() + 86_400_000)} where tenant_id = ${t.tenantId}`;
    const token = await anafAccessToken(core.sql, core.deps.box, t.tenantId, { now: clock });
    expect(anaf.tokens.refreshed).toBe(refreshed + 1);
    expect(token).toBe(anaf.tokens.issued.at(-1));
    const [c] = await core.sql`select access_expires_at from anaf_connections where tenant_id = ${t.tenantId}`;
    expect((c!.access_expires_at as Date).getTime()).toBeGreaterThan(clock.getTime() + 80 * 86_400_000);
    // a still-valid token is used as is
    await anafAccessToken(core.sql, core.deps.box, t.tenantId, { now: clock });
    expect(anaf.tokens.refreshed).toBe(refreshed + 1);
  });

  it('the client reads ANAF error answers: refused upload, unknown message, download quota', async () => {
    const token = await anafAccessToken(core.sql, core.deps.box, t.tenantId, { now: clock });
    const client = createAnafClient({ baseUrl: anaf.apiBaseUrl, accessToken: async () => token });
    expect(await client.upload('not xml', { standard: 'UBL', cif: '13548146', extern: false, b2c: false })).toEqual({ accepted: false, kind: 'refused', errors: [expect.stringContaining('SAXParseException')] });
    expect(await client.upload('<Invoice/>', { standard: 'UBL', cif: '123a', extern: false, b2c: false })).toEqual({ accepted: false, kind: 'refused', errors: ['CIF introdus= 123a nu este un numar'] });
    expect(await client.status('15000')).toEqual({ kind: 'error', message: 'Nu exista factura cu id_incarcare= 15000', errorKind: 'refused' });
    const dlId = String((await core.sql`select download_id from e_invoices where state = 'ok' and download_id is not null limit 1`)[0]!.download_id);
    let last = await client.download(dlId);
    for (let i = 0; i < 12 && last.kind === 'zip'; i++) last = await client.download(dlId);
    expect(last).toEqual({ kind: 'error', message: 'S-au facut deja 10 descarcari de mesaj in cursul zilei', errorKind: 'limit' });
    const bad = createAnafClient({ baseUrl: anaf.apiBaseUrl, accessToken: async () => 'forged' });
    await expect(bad.status('1')).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
  });
});
