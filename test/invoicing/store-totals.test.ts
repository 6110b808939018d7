import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getChannel } from '../../core/src/channels/channel-repo.ts';
import type { ChannelOrder } from '../../core/src/channels/channel-order.ts';
import { ingestChannelOrder } from '../../core/src/flows/ingest-channel-order.ts';
import { issueInvoiceForOrder } from '../../core/src/flows/issue-order-invoice.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { type Payload, shopifyOrder, wooAt21, wooOrder } from './store-orders.ts';
import { PROFILE } from './support.ts';

/**
 * The invoice of a store order against what the store charged, from the real Shopify and
 * WooCommerce samples (test/fixtures/contracts), moved to a Romanian buyer in RON and with the
 * tax settings each case needs.
 */
let core: CoreHarness;
let t: TenantFixture;
async function ingest(channelId: string, order: ChannelOrder): Promise<string> {
  const channel = await getChannel(core.sql, t.tenantId, channelId);
  const r = await core.sql.begin((tx) => ingestChannelOrder(tx, channel, order));
  return r.orderId!;
}

const issue = (orderId: string) => core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, orderId, 'on_shipping'));
const invoiceOf = async (invoiceId: string) => (await core.api(`/api/v1/invoices/${invoiceId}`, { key: t.apiKey })).body;
const openStalls = (orderId: string) => core.sql<{ kind: string; message: string; fix: string }[]>`
  select kind, message, fix from stalls where tenant_id = ${t.tenantId} and subject_type = 'order' and subject_id = ${orderId} and resolved_at is null`;

/** The 21% Woo order with these fee_lines and the store's tax and total: its fees as the API shows them, and its invoice issued (never held). */
async function issuedWithFees(feeLines: Payload[], totalTax: string, total: string) {
  const orderId = await ingest(
    t.woo.channelId,
    wooOrder((o) => {
      wooAt21(o);
      o.fee_lines = feeLines;
      o.total_tax = totalTax;
      o.total = total;
    }),
  );
  const fees = (await core.api(`/api/v1/orders/${orderId}`, { key: t.apiKey })).body.fees;
  const r = await issue(orderId);
  expect(r.held).toBeUndefined();
  return { orderId, fees, r };
}

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping', invoice_series: 'TOT' } });
  const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) });
  expect(r.status).toBe(204);
});

describe('invoice amounts follow what the store charged', () => {
  it('Shopify, prices without tax and tax lines of 0: the 369.97 RON charged is split (305.76 + 64.21), not taxed again to 447.66', async () => {
    const orderId = await ingest(t.shopify.channelId, shopifyOrder());
    const r = await issue(orderId);
    expect(r.created).toBe(true);
    const inv = await invoiceOf(r.invoiceId!);
    expect(inv.lines.map((l: { netAmount: string }) => l.netAmount)).toEqual(['74.37', '132.22', '99.17']);
    expect(inv).toMatchObject({ taxExclusiveTotal: '305.76', taxTotal: '64.21', payableTotal: '369.97', currency: 'RON' });
    expect(await openStalls(orderId)).toEqual([]);
  });

  it('Shopify, taxes_included with 21% tax lines and a discount: gross prices split, the total is what the store charged', async () => {
    const orderId = await ingest(
      t.shopify.channelId,
      shopifyOrder((o) => {
        o.taxes_included = true;
        o.line_items = o.line_items.slice(0, 2);
        o.line_items[0].price = '121.00';
        o.line_items[0].quantity = 2;
        o.line_items[0].current_quantity = 2;
        o.line_items[0].tax_lines = [{ price: '42.00', rate: 0.21, title: 'TVA' }];
        o.line_items[1].price = '60.50';
        o.line_items[1].discount_allocations = [{ amount: '12.10' }];
        o.line_items[1].tax_lines = [{ price: '8.40', rate: 0.21, title: 'TVA' }];
        o.current_total_tax = '50.40';
        o.current_total_price = '290.40';
      }),
    );
    const inv = await invoiceOf((await issue(orderId)).invoiceId!);
    expect(inv.lines.map((l: { netAmount: string }) => l.netAmount)).toEqual(['200.00', '40.00']);
    expect(inv).toMatchObject({ taxExclusiveTotal: '240.00', taxTotal: '50.40', payableTotal: '290.40' });
  });

  it('WooCommerce at 21% with shipping, prices without tax: the invoice adds the tax the store charged, 33.88', async () => {
    const orderId = await ingest(t.woo.channelId, wooOrder(wooAt21));
    const inv = await invoiceOf((await issue(orderId)).invoiceId!);
    expect(inv.lines.map((l: { kind: string; netAmount: string }) => `${l.kind}:${l.netAmount}`)).toEqual(['item:6.00', 'item:12.00', 'shipping:10.00']);
    expect(inv).toMatchObject({ taxTotal: '5.88', payableTotal: '33.88' });
  });

  it('WooCommerce, prices_include_tax: the amounts the store shows with tax are split, not taxed again', async () => {
    const orderId = await ingest(
      t.woo.channelId,
      wooOrder((o) => {
        wooAt21(o);
        o.prices_include_tax = true;
      }),
    );
    const inv = await invoiceOf((await issue(orderId)).invoiceId!);
    expect(inv.lines.map((l: { netAmount: string }) => l.netAmount)).toEqual(['6.00', '12.00', '10.00']);
    expect(inv).toMatchObject({ taxTotal: '5.88', payableTotal: '33.88' });
  });

  it('WooCommerce with a cash-on-delivery fee (fee_lines, 5.00 + 1.05 tax): the invoice carries it as a line of its own and totals the 39.93 the store charged, not held', async () => {
    const { orderId, fees, r } = await issuedWithFees([{ id: 77, name: 'Taxa ramburs', tax_class: '', tax_status: 'taxable', total: '5.00', total_tax: '1.05', taxes: [], meta_data: [] }], '6.93', '39.93');
    expect(fees).toEqual([{ name: 'Taxa ramburs', amount: '5.00', tax: '1.05' }]);
    const inv = await invoiceOf(r.invoiceId!);
    expect(inv.lines.map((l: { kind: string; name: string; netAmount: string }) => `${l.kind}:${l.name}:${l.netAmount}`)).toEqual([
      `item:${inv.lines[0].name}:6.00`,
      `item:${inv.lines[1].name}:12.00`,
      'shipping:Transport:10.00',
      'fee:Taxa ramburs:5.00',
    ]);
    expect(inv.lines[3]).toMatchObject({ unitCode: 'C62', vatRate: '21.00' });
    expect(inv).toMatchObject({ taxTotal: '6.93', payableTotal: '39.93' });
    expect(await openStalls(orderId)).toEqual([]);
    // The PDF names the fee on its own line (looked at as a PNG), and the e-Factura carries it as an invoice line.
    const pdf = Buffer.from(await (await fetch(`${core.url}/api/v1/invoices/${r.invoiceId}/pdf`, { headers: { authorization: `Bearer ${t.apiKey}` } })).arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'expedio-fee-pdf-'));
    writeFileSync(join(dir, 'invoice.pdf'), pdf);
    expect(execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], { encoding: 'utf8' })).toMatch(/Taxa ramburs\s.*5[.,]00/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', join(dir, 'invoice.pdf'), join(dir, 'invoice')]);
    writeFileSync(new URL('../artifacts/invoice-fee-pdf.png', import.meta.url), readFileSync(join(dir, 'invoice.png')));
    const xml = await fetch(`${core.url}/api/v1/invoices/${r.invoiceId}/ubl`, { headers: { authorization: `Bearer ${t.apiKey}` } }).then((x) => x.text());
    expect(xml).toMatch(/<cac:InvoiceLine>(?:(?!<\/cac:InvoiceLine>)[\s\S])*<cbc:Name>Taxa ramburs<\/cbc:Name>/);
  });

  it('WooCommerce with a negative fee (a discount given as a fee, -5.00 - 1.05 tax): a document-level allowance, not a line; the invoice totals the 27.83 charged', async () => {
    const { fees, r } = await issuedWithFees(
      [
        { id: 78, name: 'Reducere fidelitate', tax_class: '', tax_status: 'taxable', total: '-5.00', total_tax: '-1.05', taxes: [], meta_data: [] },
        { id: 79, name: 'Placeholder', tax_class: '', tax_status: 'none', total: '0.00', total_tax: '0.00', taxes: [], meta_data: [] },
      ],
      '4.83',
      '27.83',
    );
    expect(fees).toEqual([{ name: 'Reducere fidelitate', amount: '-5.00', tax: '-1.05' }]);
    const inv = await invoiceOf(r.invoiceId!);
    expect(inv.lines.map((l: { kind: string }) => l.kind)).toEqual(['item', 'item', 'shipping']);
    // 28.00 of goods and shipping, less the 5.00 allowance, at 21%.
    expect(inv).toMatchObject({ taxExclusiveTotal: '23.00', taxTotal: '4.83', payableTotal: '27.83' });
  });

  it('WooCommerce charging 7.5%: the invoice (33.88) is held as a stall naming both totals and the fix, no number taken; by hand it is a 409; corrected in the store it is issued and the stall closes', async () => {
    const [{ next: before } = { next: '' }] = await core.sql<{ next: string }[]>`select coalesce(max(next_number), 0)::text as next from invoice_series where tenant_id = ${t.tenantId}`;
    const order = wooOrder();
    const orderId = await ingest(t.woo.channelId, order);
    const r = await issue(orderId);
    expect(r).toMatchObject({ invoiceId: null, created: false, held: { storeTotal: '29.35', invoiceTotal: '33.88', currency: 'RON', difference: '4.53' } });
    expect(r.held!.lines.map((l) => [l.lineNo, l.store, l.invoice])).toEqual([
      [1, '6.45', '7.26'],
      [2, '12.90', '14.52'],
      [3, '10.00', '12.10'],
    ]);
    const stalls = await openStalls(orderId);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]!.kind).toBe('invoice.total_mismatch');
    expect(stalls[0]!.message).toContain('the store charged 29.35 RON, the invoice would be 33.88 RON');
    expect(stalls[0]!.fix).toContain('VAT rate of each product');
    const listed = await core.api('/api/v1/stalls', { key: t.apiKey });
    expect(listed.body.stalls).toContainEqual(
      expect.objectContaining({ kind: 'invoice.total_mismatch', subjectId: orderId, link: `/api/v1/orders/${orderId}`, storeDifference: { storeTotal: '29.35', invoiceTotal: '33.88', currency: 'RON' } }),
    );
    const [{ n } = { n: 0 }] = await core.sql<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    expect(n).toBe(0);
    const [{ next: after } = { next: '' }] = await core.sql<{ next: string }[]>`select coalesce(max(next_number), 0)::text as next from invoice_series where tenant_id = ${t.tenantId}`;
    expect(after).toBe(before);

    const byHand = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(byHand.status).toBe(409);
    expect(byHand.body.error.message).toContain('29.35 RON');
    expect(byHand.body.error.details).toEqual([{ path: 'total', reason: 'store 29.35, invoice 33.88 RON' }]);

    const corrected = wooOrder((o) => {
      wooAt21(o);
      o.id = Number(order.externalOrderId);
      o.number = order.externalNumber;
      o.date_modified_gmt = '2017-03-23T10:00:00';
    });
    await ingest(t.woo.channelId, corrected);
    const ok = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
    expect(ok.status).toBe(201);
    expect(await openStalls(orderId)).toEqual([]);
  });
  it('a held invoice is issued by hand as computed only with acceptStoreDifference naming the invoice total shown and a reason, kept with the invoice; another total is a 409 and issues nothing', async () => {
    const orderId = await ingest(t.woo.channelId, wooOrder());
    expect((await issue(orderId)).held).toMatchObject({ storeTotal: '29.35', invoiceTotal: '33.88' });
    // The fix names the button of the store admins first and the total it would issue; the API field after.
    const fix = (await openStalls(orderId))[0]!.fix;
    expect(fix).toContain('issue it as computed at 33.88 RON with the reason ("Issue anyway" on this stall;');
    expect(fix).toContain(`acceptStoreDifference on POST /api/v1/orders/${orderId}/invoice`);
    const post = (body: unknown) => core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey, body: JSON.stringify(body) });

    const short = await post({ acceptStoreDifference: { invoiceTotal: '33.88', reason: 'x' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details.map((d: { path: string }) => d.path)).toContain('acceptStoreDifference.reason');
    const stale = await post({ acceptStoreDifference: { invoiceTotal: '29.35', reason: 'the store rounds oddly' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual([{ path: 'acceptStoreDifference.invoiceTotal', reason: 'the invoice would be 33.88 RON' }]);
    expect(await core.sql`select 1 from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`).toHaveLength(0);

    const accepted = await post({ acceptStoreDifference: { invoiceTotal: '33.88', reason: 'the store charged 7.5% by mistake; the customer is refunded the difference', acceptedBy: 'Maria (contabil)' } });
    expect(accepted.status).toBe(201);
    const inv = await invoiceOf(accepted.body.invoiceId);
    expect(inv).toMatchObject({ payableTotal: '33.88', storeDifference: { storeTotal: '29.35', invoiceTotal: '33.88', difference: '4.53', currency: 'RON', acceptedBy: 'Maria (contabil)' } });
    expect(inv.storeDifference.reason).toContain('7.5% by mistake');
    expect(await openStalls(orderId)).toEqual([]);
    const again = await post({});
    expect(again.status).toBe(200);
    expect(again.body.invoiceId).toBe(accepted.body.invoiceId);
  });
});
