import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestChannelOrder } from '../../core/src/flows/ingest-channel-order.ts';
import { getChannel } from '../../core/src/channels/channel-repo.ts';
import { enqueue } from '../../core/src/db/outbox.ts';
import { issueInvoiceForOrder } from '../../core/src/flows/issue-order-invoice.ts';
import { ordersWithoutInvoiceBecauseOff } from '../../core/src/reports/orders-without-invoice.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore({ max: 30 });
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping', invoice_series: 'EXP' } });
  const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) });
  expect(r.status).toBe(204);
});

describe('invoices from orders', () => {
  it('a bad seller CUI is refused with 400 naming the field, and nothing is stored', async () => {
    const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify({ ...PROFILE, cui: '13548147' }) });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toContainEqual({ path: 'cui', reason: 'fails the CUI checksum' });
    const [p] = await core.sql`select cui from invoicing_profiles where tenant_id = ${t.tenantId}`;
    expect(p!.cui).toBe('13548146');
  });

  it('issues by hand with lines, discount, shipping, VAT per rate, EN 16931 totals, and is idempotent', async () => {
    const orderId = await insertOrder(core, t);
    const r = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(r.status).toBe(201);
    expect(r.body.eInvoice).toBe(true);
    const again = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(again.status).toBe(200);
    expect(again.body.invoiceId).toBe(r.body.invoiceId);
    const inv = await core.api(`/api/v1/invoices/${r.body.invoiceId}`, { key: t.apiKey });
    expect(inv.status).toBe(200);
    // 2 × 121.00 gross @21% → 100.0000 net each; 55.50 gross @11% → 50.0000 net, discount 5.55 gross → 5.00 net;
    // shipping 19.99 gross follows the goods, split by their value (242.00 @21%, 49.95 @11%): 16.57 gross → 13.69 net, 3.42 → 3.08.
    expect(inv.body.lines.map((l: { netAmount: string }) => l.netAmount)).toEqual(['200.00', '45.00', '13.69', '3.08']);
    expect(inv.body.vat).toEqual([
      expect.objectContaining({ vatCategory: 'S', vatRate: '21.00', taxableAmount: '213.69', taxAmount: '44.87' }),
      expect.objectContaining({ vatCategory: 'S', vatRate: '11.00', taxableAmount: '48.08', taxAmount: '5.29' }),
    ]);
    expect(inv.body).toMatchObject({ taxExclusiveTotal: '261.77', taxTotal: '50.16', payableTotal: '311.93', currency: 'RON' });
    expect(inv.body.buyer).toMatchObject({ vatId: 'RO18547290', countySubentity: 'RO-CJ' });
    expect(inv.body.seller).toMatchObject({ city: 'SECTOR1', countySubentity: 'RO-B' });
    expect(inv.body.eInvoice).toMatchObject({ state: 'pending' });
    const xml = await fetch(`${core.url}/api/v1/invoices/${r.body.invoiceId}/ubl`, { headers: { authorization: `Bearer ${t.apiKey}` } }).then((x) => x.text());
    expect(xml).toContain('CIUS-RO:1.0.1');
    expect(xml).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');
  });

  it('renders the PDF with seller, buyer, numbers and Romanian diacritics (looked at as a PNG)', async () => {
    const orderId = await insertOrder(core, t);
    const r = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    const res = await fetch(`${core.url}/api/v1/invoices/${r.body.invoiceId}/pdf`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'expedio-pdf-'));
    writeFileSync(join(dir, 'invoice.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' });
    for (const s of ['FACTURĂ', r.body.number, 'Expedio Demo SRL', 'RO13548146', 'J40/1234/2020', 'RO49AAAA1B31007593840000', 'Banca Transilvania', 'Țesătoria Âmbră SRL', 'RO18547290', 'Produs A-1 ăâîșț', 'Defalcare TVA', 'Total de plată', 'Data scadenței']) {
      expect(text).toContain(s);
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', join(dir, 'invoice.pdf'), join(dir, 'invoice')]);
    expect(statSync(join(dir, 'invoice.png')).size).toBeGreaterThan(10_000);
    writeFileSync(new URL('../artifacts/invoice-pdf.png', import.meta.url), readFileSync(join(dir, 'invoice.png')));
  });

  it('numbers 50 concurrent issues 1..50 in the series with no gap and no duplicate', async () => {
    const t2 = await core.createTenant({ channel: { invoice_series: 'CNC' } });
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t2.apiKey, body: JSON.stringify(PROFILE) });
    const orders = [];
    for (let i = 0; i < 50; i++) orders.push(await insertOrder(core, t2, { lines: [{ sku: 'A-1', qty: 1, price: '10.00' }], shipping: '0' }));
    const results = await Promise.all(orders.map((id) => core.api(`/api/v1/orders/${id}/invoice`, { method: 'POST', key: t2.apiKey })));
    expect(results.map((r) => r.status)).toEqual(orders.map(() => 201));
    const rows = await core.sql<{ number: string }[]>`select number::text from invoices where tenant_id = ${t2.tenantId} order by invoices.number`;
    expect(rows.map((r) => Number(r.number))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const [s] = await core.sql`select next_number::int as n from invoice_series where tenant_id = ${t2.tenantId} and code = 'CNC'`;
    expect(s!.n).toBe(51);
  });

  it('a failed issue gives its number back (no gap)', async () => {
    const t3 = await core.createTenant({ channel: { invoice_series: 'GAP' } });
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t3.apiKey, body: JSON.stringify(PROFILE) });
    const eur = await insertOrder(core, t3, { currency: 'EUR' }); // no BNR rate recorded → refused
    const bad = await core.api(`/api/v1/orders/${eur}/invoice`, { method: 'POST', key: t3.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('currency');
    const ok = await core.api(`/api/v1/orders/${await insertOrder(core, t3)}/invoice`, { method: 'POST', key: t3.apiKey });
    expect(ok.body.number).toBe('GAP1');
    await core.sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${t3.tenantId}, 'EUR', '2020-01-01', 4.9771)`;
    const eurOk = await core.api(`/api/v1/orders/${eur}/invoice`, { method: 'POST', key: t3.apiKey });
    expect(eurOk.body.number).toBe('GAP2');
    const xml = await fetch(`${core.url}/api/v1/invoices/${eurOk.body.invoiceId}/ubl`, { headers: { authorization: `Bearer ${t3.apiKey}` } });
    expect(await xml.text()).toContain('<cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>');
  });

  it('a Romanian private person gets an invoice and a B2C e-Factura; a company with an invalid CUI is refused (400 naming client.cui), never invoiced as a consumer', async () => {
    const person = await core.api(`/api/v1/orders/${await insertOrder(core, t, { company: null, vatNumber: null })}/invoice`, { method: 'POST', key: t.apiKey });
    expect(person.body.eInvoice).toBe(true);
    const badOrder = await insertOrder(core, t, { vatNumber: 'RO18547291' });
    const badCui = await core.api(`/api/v1/orders/${badOrder}/invoice`, { method: 'POST', key: t.apiKey });
    expect(badCui.status).toBe(400);
    expect(badCui.body.error.details).toEqual([{ path: 'client.cui', reason: 'CUI 18547291 fails the checksum' }]);
    expect(badCui.body.error.message).toContain('Correct the CUI / VAT number of client');
    const [{ n } = { n: 0 }] = await core.sql<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${t.tenantId} and order_id = ${badOrder}`;
    expect(n).toBe(0);
  });

  it('automatic triggers follow create_invoice: on_shipping issues via the outbox, off does nothing and is listed', async () => {
    const orderId = await insertOrder(core, t, { status: 'shipping' });
    await core.sql.begin((tx) => enqueue(tx, t.tenantId, 'invoice.issue', { orderId, trigger: 'on_shipping', awbNumber: 'AWB123456789', trackingUrl: 'https://track.example/AWB123456789' }, `invoice.issue:${orderId}:on_shipping`));
    await core.drainOutbox();
    const [inv] = await core.sql`select full_number, awb_number, source from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    expect(inv).toMatchObject({ awb_number: 'AWB123456789', source: 'on_shipping' });
    // the paid trigger on an on_shipping channel is not this channel's moment
    const other = await insertOrder(core, t);
    const skipped = await core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, other, 'on_paid'));
    expect(skipped).toMatchObject({ invoiceId: null, skipped: 'channel issues invoices on_shipping' });

    const off = await core.createTenant({ channel: { create_invoice: 'off' } });
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: off.apiKey, body: JSON.stringify(PROFILE) });
    const shipped = await insertOrder(core, off, { status: 'shipping' });
    const r = await core.sql.begin((tx) => issueInvoiceForOrder(tx, off.tenantId, shipped, 'on_shipping'));
    expect(r).toMatchObject({ invoiceId: null, skipped: 'create_invoice off' });
    expect(await ordersWithoutInvoiceBecauseOff(core.sql, off.tenantId)).toEqual([{ orderId: shipped, channelId: off.shopify.channelId, message: 'invoice not generated (create_invoice off)' }]);
  });

  it('on_paid: the intake enqueues invoice.issue when the store reports the order paid, once', async () => {
    const tp = await core.createTenant({ channel: { create_invoice: 'on_paid' } });
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: tp.apiKey, body: JSON.stringify(PROFILE) });
    const channel = await getChannel(core.sql, tp.tenantId, tp.shopify.channelId);
    const base = {
      externalOrderId: 'paid-1', externalNumber: '#2001', platformStatus: 'pending', createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T10:00:00Z',
      currency: 'RON', pricesIncludeTax: true, email: 'ana@client.test',
      customer: { externalId: null, email: 'ana@client.test', firstName: 'Ana', lastName: 'Ionescu', phone: null, company: null, vatNumber: null },
      billingAddress: { firstName: 'Ana', lastName: 'Ionescu', company: null, address1: 'Str. Lungă 3', address2: null, city: 'Brașov', province: 'Brașov', provinceCode: 'BV', postcode: '500001', country: 'Romania', countryCode: 'RO', phone: null, email: null },
      shippingAddress: null,
      lines: [{ externalLineId: 'l1', sku: 'A-1', name: 'Cană', quantity: 1, unitPrice: '50.00', discount: '0', total: '50.00', tax: null, externalProductId: null, externalVariantId: null }],
      shippingLines: [], subtotal: '50.00', discountTotal: '0', shippingTotal: '0', taxTotal: '0', total: '50.00', paymentMethod: 'card',
      paymentStatus: 'pending' as const, cancelled: false, note: null, tags: [],
    };
    await core.sql.begin((tx) => ingestChannelOrder(tx, channel, base));
    const none = await core.sql`select 1 from outbox where tenant_id = ${tp.tenantId} and kind = 'invoice.issue'`;
    expect(none).toHaveLength(0);
    await core.sql.begin((tx) => ingestChannelOrder(tx, channel, { ...base, updatedAt: '2026-03-01T11:00:00Z', paymentStatus: 'paid' }));
    await core.sql.begin((tx) => ingestChannelOrder(tx, channel, { ...base, updatedAt: '2026-03-01T12:00:00Z', paymentStatus: 'paid' }));
    const items = await core.sql`select payload from outbox where tenant_id = ${tp.tenantId} and kind = 'invoice.issue'`;
    expect(items).toHaveLength(1);
    await core.drainOutbox();
    const invs = await core.sql`select source, email_to from invoices where tenant_id = ${tp.tenantId}`;
    expect(invs).toEqual([{ source: 'on_paid', email_to: 'ana@client.test' }]);
  });

  it('a manual storno issues a credit note (381) referencing the invoice, once', async () => {
    const orderId = await insertOrder(core, t);
    const r = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    const cn = await core.api(`/api/v1/invoices/${r.body.invoiceId}/storno`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'Comandă anulată' }) });
    expect(cn.status).toBe(201);
    const twice = await core.api(`/api/v1/invoices/${r.body.invoiceId}/storno`, { method: 'POST', key: t.apiKey });
    expect(twice.status).toBe(409);
    const doc = await core.api(`/api/v1/invoices/${cn.body.creditNoteId}`, { key: t.apiKey });
    expect(doc.body).toMatchObject({ kind: 'credit_note', creditedInvoiceId: r.body.invoiceId, payableTotal: '311.93' });
    const xml = await fetch(`${core.url}/api/v1/invoices/${cn.body.creditNoteId}/ubl`, { headers: { authorization: `Bearer ${t.apiKey}` } }).then((x) => x.text());
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml).toContain(`<cbc:ID>${r.body.number}</cbc:ID>`);
    const [e] = await core.sql`select standard from e_invoices where tenant_id = ${t.tenantId} and invoice_id = ${cn.body.creditNoteId}`;
    expect(e!.standard).toBe('CN');
    const pdf = await fetch(`${core.url}/api/v1/invoices/${cn.body.creditNoteId}/pdf`, { headers: { authorization: `Bearer ${t.apiKey}` } }).then((x) => x.arrayBuffer());
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });

  it('reports invoices per channel and period with totals', async () => {
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Bucharest' });
    const r = await core.api(`/api/v1/invoices?from=2000-01-01&to=${today}&channelId=${t.shopify.channelId}`, { key: t.apiKey });
    expect(r.status).toBe(200);
    const inv = r.body.totals.find((x: { kind: string; currency: string }) => x.kind === 'invoice' && x.currency === 'RON');
    expect(inv.count).toBeGreaterThanOrEqual(3);
    const bad = await core.api('/api/v1/invoices?from=yesterday&to=2026-01-01', { key: t.apiKey });
    expect(bad.status).toBe(400);
  });
});
