import { beforeAll, describe, expect, it } from 'vitest';
import { getChannel } from '../../core/src/channels/channel-repo.ts';
import type { ChannelOrder } from '../../core/src/channels/channel-order.ts';
import { ingestChannelOrder } from '../../core/src/flows/ingest-channel-order.ts';
import { issueInvoiceForOrder } from '../../core/src/flows/issue-order-invoice.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from './store-orders.ts';
import { PROFILE } from './support.ts';

/** No silent B2C: a business buyer's VAT number that fails its check is flagged and holds the invoice; a foreign one typed without its prefix is read. */
let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping', invoice_series: 'VAT' } });
  expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) })).status).toBe(204);
});

async function ingest(order: ChannelOrder): Promise<string> {
  const channel = await getChannel(core.sql, t.tenantId, t.woo.channelId);
  return (await core.sql.begin((tx) => ingestChannelOrder(tx, channel, order))).orderId!;
}
const openStalls = (orderId: string) => core.sql<{ kind: string; message: string; fix: string }[]>`
  select kind, message, fix from stalls where tenant_id = ${t.tenantId} and subject_type = 'order' and subject_id = ${orderId} and resolved_at is null`;

/** WooCommerce's sample with the buyer a company giving its VAT number in the `_billing_cui` meta (Romanian invoicing plugins). */
const companyOrder = (vat: string, country = 'RO') =>
  wooOrder((o) => {
    o.billing.company = 'Țesătoria Âmbră SRL';
    o.billing.country = country;
    o.shipping.country = country;
    if (country !== 'RO') o.billing.state = o.shipping.state = '';
    o.meta_data = [{ id: 1, key: '_billing_cui', value: vat }];
    for (const l of o.line_items) l.total_tax = l.subtotal_tax = '0.00';
    o.total_tax = o.cart_tax = '0.00';
    o.total = '28.00';
  });

describe('a wrong CUI or VAT id is never a silent B2C', () => {
  it('a company whose CUI fails the checksum: the order is taken and flagged at intake with the fix; its invoice is held, not issued to a consumer; corrected, it is issued as B2B', async () => {
    const orderId = await ingest(companyOrder('RO18547291'));
    const [flag] = await openStalls(orderId);
    expect(flag).toMatchObject({ kind: 'order.buyer_vat_invalid' });
    expect(flag!.message).toContain('the VAT number RO18547291 of client');
    expect(flag!.message).toContain('(Țesătoria Âmbră SRL) is not valid (CUI 18547291 fails the checksum)');
    expect(flag!.fix).toMatch(/^Correct the CUI \/ VAT number of client \d+ \(Țesătoria Âmbră SRL\) \(PATCH \/api\/v1\/clients\/\d+/);

    const held = await core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, orderId, 'on_shipping'));
    expect(held).toMatchObject({ invoiceId: null, created: false, skipped: 'held: CUI 18547291 fails the checksum' });
    const [{ clientId } = { clientId: '' }] = await core.sql<{ clientId: string }[]>`select client_id::text as "clientId" from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    const fixed = await core.api(`/api/v1/clients/${clientId}`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ cui: 'RO18547290' }) });
    expect(fixed.status).toBe(200);
    const issued = await core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, orderId, 'on_shipping'));
    expect(issued).toMatchObject({ created: true, eInvoice: true });
    expect(await openStalls(orderId)).toEqual([]);
  });

  it('an Austrian company typing its VAT id without "AT" (U12345678) is a B2B buyer: intra-EU supply (K, no Romanian VAT) with ATU12345678 on the e-Factura', async () => {
    const orderId = await ingest(companyOrder('U12345678', 'AT'));
    expect(await openStalls(orderId)).toEqual([]);
    const r = await core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, orderId, 'on_shipping'));
    expect(r).toMatchObject({ created: true, eInvoice: true });
    const inv = (await core.api(`/api/v1/invoices/${r.invoiceId}`, { key: t.apiKey })).body;
    expect(inv.buyer).toMatchObject({ vatId: 'ATU12345678', countryCode: 'AT' });
    expect(inv.vat).toEqual([expect.objectContaining({ vatCategory: 'K', taxAmount: '0.00' })]);
    expect(inv).toMatchObject({ taxTotal: '0.00', payableTotal: '28.00' });
  });

  it('the client API takes an EU VAT id with or without its prefix and refuses a wrong one naming the field', async () => {
    const at = { countryCode: 'AT', address1: 'Kärntner Straße 1', city: 'Wien', postcode: '1010' };
    const ok = await core.api('/api/v1/clients', { method: 'POST', key: t.apiKey, body: JSON.stringify({ kind: 'company', company: 'Wiener GmbH', cui: 'U12345678', billingAddress: at }) });
    expect(ok.status).toBe(201);
    expect(ok.body.cui).toBe('ATU12345678');
    const prefixed = await core.api('/api/v1/clients', { method: 'POST', key: t.apiKey, body: JSON.stringify({ kind: 'company', company: 'Grazer GmbH', cui: 'ATU87654321' }) });
    expect(prefixed.status).toBe(201);
    expect(prefixed.body.cui).toBe('ATU87654321');
    const bad = await core.api('/api/v1/clients', { method: 'POST', key: t.apiKey, body: JSON.stringify({ kind: 'company', company: 'Linzer GmbH', cui: 'U1234', billingAddress: at }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'cui', reason: 'U1234 is not a valid VAT number for AT' }]);
  });
});
