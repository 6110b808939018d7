import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCreditNote } from '../../core/src/invoicing/index.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping', invoice_series: 'CRN' } });
  const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) });
  expect(r.status).toBe(204);
});

async function invoiced(o: Parameters<typeof insertOrder>[2] = {}, orderDiscountTotal?: string): Promise<{ invoiceId: string; number: string }> {
  const orderId = await insertOrder(core, t, o);
  if (orderDiscountTotal) await core.sql`update orders set discount_total = ${orderDiscountTotal} where tenant_id = ${t.tenantId} and id = ${orderId}`;
  const r = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t.apiKey });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { invoiceId: r.body.invoiceId, number: r.body.number };
}

const credit = (invoiceId: string, ref: string, lines: Array<{ lineNo: number; quantity: number }>) =>
  core.sql.begin((tx) => issueCreditNote(tx, t.tenantId, invoiceId, { source: 'return', sourceRef: ref, lines }));

async function document(id: string) {
  const r = await core.api(`/api/v1/invoices/${id}`, { key: t.apiKey });
  expect(r.status).toBe(200);
  return r.body as { payableTotal: string; taxExclusiveTotal: string; lines: Array<{ lineNo: number; kind: string; sku: string | null; quantity: string; allowance: string; netAmount: string }> };
}

const creditNotesOf = (invoiceId: string) =>
  core.sql<{ id: string; allowanceCharges: number }[]>`
    select id::text, coalesce(jsonb_array_length(document_extras -> 'allowanceCharges'), 0)::int as "allowanceCharges"
    from invoices where tenant_id = ${t.tenantId} and credited_invoice_id = ${invoiceId} order by id`;

describe('an invoice is never credited beyond what it billed', () => {
  it('a storno after a partial return credits what is left (the two credit notes total the invoice); more than is left, a second storno or a return after it are refused and issue nothing', async () => {
    // 2 × A-1 at 121.00 @21%, 1 × A-2 at 55.50 @11% less 5.55, shipping 19.99 split over both rates: 311.93.
    const inv = await invoiced();
    const first = await credit(inv.invoiceId, 'return:cn-test-1', [{ lineNo: 1, quantity: 1 }]);
    expect((await document(first.creditNoteId)).payableTotal).toBe('121.00');

    const over = await credit(inv.invoiceId, 'return:cn-test-2', [{ lineNo: 1, quantity: 2 }]).catch((e: unknown) => e);
    expect(over).toMatchObject({ code: 'VALIDATION', details: [{ path: 'lines.1.quantity', reason: 'more than is left to credit (1)' }] });
    expect((over as Error).message).toContain(`1 of it credited already (${first.number})`);

    const storno = await core.api(`/api/v1/invoices/${inv.invoiceId}/storno`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'Comandă anulată' }) });
    expect(storno.status, JSON.stringify(storno.body)).toBe(201);
    const rest = await document(storno.body.creditNoteId);
    expect(rest.lines.map((l) => [l.kind, l.sku, Number(l.quantity), l.netAmount])).toEqual([
      ['item', 'A-1', 1, '100.00'],
      ['item', 'A-2', 1, '45.00'],
      ['shipping', null, 1, '13.69'],
      ['shipping', null, 1, '3.08'],
    ]);
    expect(rest.payableTotal).toBe('190.93'); // 311.93 − 121.00

    const twice = await core.api(`/api/v1/invoices/${inv.invoiceId}/storno`, { method: 'POST', key: t.apiKey });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toEqual([{ path: 'id', reason: 'already reversed' }]);
    const late = await credit(inv.invoiceId, 'return:cn-test-3', [{ lineNo: 2, quantity: 1 }]).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'CONFLICT', details: [{ path: 'id', reason: 'already reversed' }] });
    expect(await creditNotesOf(inv.invoiceId)).toHaveLength(2);
  });

  it("a line credited unit by unit adds up to the line to the cent, and the credit note that leaves no goods uncredited takes the order's document-level discount", async () => {
    // 3 × 10.00 gross @21% less 1.00 on the line, 4.00 off the order (3.00 of it not on a line), no shipping.
    const inv = await invoiced({ shipping: '0', lines: [{ sku: 'A-1', qty: 3, price: '10.00', discount: '1.00' }] }, '4.00');
    const original = await document(inv.invoiceId);
    expect(original.lines).toEqual([expect.objectContaining({ kind: 'item', quantity: '3', allowance: '0.83', netAmount: '23.96' })]);
    // The line's 23.96, less the order's 2.48 net (3.00 gross) off the document.
    expect(original.taxExclusiveTotal).toBe('21.48');

    const notes = [];
    for (let i = 1; i <= 3; i++) notes.push(await document((await credit(inv.invoiceId, `return:cn-unit-${i}`, [{ lineNo: 1, quantity: 1 }])).creditNoteId));
    // 8.2645 × 1 = 8.26 each; 0.83 × 1/3 = 0.28 off the first two; the last takes the rest: 23.96 − 2 × 7.98 = 8.00.
    expect(notes.map((n) => n.lines[0]!.netAmount)).toEqual(['7.98', '7.98', '8.00']);
    expect(notes.map((n) => n.lines[0]!.allowance)).toEqual(['0.28', '0.28', '0.26']);
    expect((await creditNotesOf(inv.invoiceId)).map((n) => n.allowanceCharges)).toEqual([0, 0, 1]);
    // Net of the three credit notes = the invoice's net, to the cent (each computes its own VAT).
    const net = notes.reduce((a, n) => a + Math.round(Number(n.taxExclusiveTotal) * 100), 0);
    expect(net).toBe(2148);
    const storno = await core.api(`/api/v1/invoices/${inv.invoiceId}/storno`, { method: 'POST', key: t.apiKey });
    expect(storno.status).toBe(409);
  });

  it('credit notes issued before migration 046 are matched to the invoice lines they credit, so they count as well', async () => {
    const inv = await invoiced();
    const first = await credit(inv.invoiceId, 'return:cn-old-1', [{ lineNo: 1, quantity: 1 }]);
    // As such a credit note was stored: its lines name no invoice line.
    await core.sql`update invoice_lines set credited_line_no = null where tenant_id = ${t.tenantId} and invoice_id = ${first.creditNoteId}`;
    const migration = readFileSync(new URL('../../core/src/db/migrations/046_credited_lines.sql', import.meta.url), 'utf8');
    const backfill = /^update invoice_lines[\s\S]*?;$/m.exec(migration)?.[0];
    expect(backfill).toBeDefined();
    await core.sql.unsafe(backfill!);
    const [line] = await core.sql<{ n: number }[]>`select credited_line_no as n from invoice_lines where tenant_id = ${t.tenantId} and invoice_id = ${first.creditNoteId}`;
    expect(line!.n).toBe(1);
    const over = await credit(inv.invoiceId, 'return:cn-old-2', [{ lineNo: 1, quantity: 2 }]).catch((e: unknown) => e);
    expect(over).toMatchObject({ code: 'VALIDATION', details: [{ path: 'lines.1.quantity', reason: 'more than is left to credit (1)' }] });
  });
});
