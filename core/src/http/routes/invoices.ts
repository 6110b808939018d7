import { z } from '@hono/zod-openapi';
import { E_INVOICE_STATES, getInvoicePdf, invoiceReport, getInvoiceView, invoiceUblXml, issueCreditNote, eInvoiceReport, resubmitEInvoice } from '../../invoicing/index.ts';
import { issueInvoiceForOrder } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, Day, errors, Id, IdParam, inTx, json, jsonBody, Obj, pdf, pdfResponse, route, tenantOf } from '../openapi.ts';

const BuyerFix = z
  .object({
    name: z.string().min(1).max(200),
    vatId: z.string().max(20),
    legalId: z.string().max(40),
    street: z.string().min(1).max(200),
    city: z.string().min(1).max(100),
    countySubentity: z.string().max(10),
    postalCode: z.string().max(20),
  })
  .partial();

const IssueInvoiceBody = z.object({
  acceptStoreDifference: z
    .object({
      invoiceTotal: z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'must be a decimal string like "33.88"').meta({ description: 'The invoice total the refusal named: accepted only while the invoice would still be that.' }),
      reason: z.string().trim().min(3).max(500).meta({ description: 'Why the invoice is issued although it differs from the store (kept with it).' }),
      acceptedBy: z.string().trim().min(1).max(200).optional().meta({ description: 'Who accepts it (default: the credential kind).' }),
    })
    .optional(),
});

/** Invoices, credit notes and their e-Factura state. */
export function invoicesRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/orders/{id}/invoice', {
      summary: 'Issue the invoice of an order now (idempotent: returns the existing one)',
      description:
        "An invoice that differs from what the store charged is refused with 409 naming both totals. To issue it anyway (the store's figures are wrong and cannot be corrected there), send `acceptStoreDifference` with the invoice total the 409 named and why; it is kept with the invoice.",
      request: { params: IdParam, body: jsonBody(IssueInvoiceBody, false) },
      responses: { 200: json(Obj, 'The invoice already issued'), 201: json(Obj, 'The invoice issued'), ...errors },
    }),
    async (c) => {
      const accept = (c.req.valid('json') as z.infer<typeof IssueInvoiceBody> | undefined)?.acceptStoreDifference;
      const opts = accept ? { acceptStoreDifference: { invoiceTotal: accept.invoiceTotal, reason: accept.reason, acceptedBy: accept.acceptedBy ?? c.get('principal').via } } : {};
      const r = await inTx(deps, (tx) => issueInvoiceForOrder(tx, tenantOf(c), c.req.valid('param').id, 'manual', opts));
      return r.created ? c.json(r, 201) : c.json(r, 200);
    },
  );

  api.openapi(
    route('get', '/invoices', {
      summary: 'Invoices per channel and period with totals (report)',
      request: { query: z.object({ from: Day, to: Day, channelId: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
      responses: { 200: json(Obj, 'Totals per channel, kind and currency, and the invoices'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scoped = c.get('principal').channelId ?? q.channelId;
      return c.json(await invoiceReport(deps.sql, tenantOf(c), { from: q.from, to: q.to, limit: q.limit, ...(scoped ? { channelId: scoped } : {}) }), 200);
    },
  );

  api.openapi(
    route('get', '/invoices/{id}', {
      summary: 'One invoice or credit note with lines, VAT breakdown and e-Factura state',
      request: { params: IdParam },
      responses: { 200: json(Obj, 'The invoice'), ...errors },
    }),
    async (c) => c.json(await getInvoiceView(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('get', '/invoices/{id}/pdf', { summary: 'The stored PDF', request: { params: IdParam }, responses: { 200: pdf('PDF'), ...errors } }),
    async (c) => {
      const { fullNumber, pdf: bytes } = await getInvoicePdf(deps.sql, tenantOf(c), c.req.valid('param').id);
      return pdfResponse(c, new Uint8Array(bytes), { 'content-disposition': `inline; filename="Factura-${fullNumber}.pdf"` });
    },
  );

  api.openapi(
    route('get', '/invoices/{id}/ubl', {
      summary: 'The UBL 2.1 XML (CIUS-RO) as sent to ANAF, or as it would be',
      request: { params: IdParam },
      responses: { 200: { description: 'UBL XML', content: { 'application/xml': { schema: z.string() } } }, ...errors },
    }),
    async (c) => c.body(await invoiceUblXml(deps.sql, tenantOf(c), c.req.valid('param').id), 200, { 'content-type': 'application/xml; charset=utf-8' }),
  );

  api.openapi(
    route('get', '/e-invoices', {
      summary: 'e-Factura states, refused (nok) and held first (report)',
      request: { query: z.object({ state: z.enum(E_INVOICE_STATES).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
      responses: { 200: json(z.object({ eInvoices: z.array(Obj) }), 'e-Factura states'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ eInvoices: await eInvoiceReport(deps.sql, tenantOf(c), { limit: q.limit, ...(q.state ? { state: q.state } : {}) }) }, 200);
    },
  );

  api.openapi(
    route('post', '/invoices/{id}/e-invoice/resubmit', {
      summary: 'Rebuild and resend a refused (nok) or held e-invoice after fixing the cause',
      request: { params: IdParam, body: jsonBody(z.object({ buyer: BuyerFix.optional() }), false) },
      responses: { 200: json(Obj, 'Back to pending'), ...errors },
    }),
    async (c) => {
      const buyer = c.req.valid('json')?.buyer ?? {};
      return c.json(await inTx(deps, (tx) => resubmitEInvoice(tx, tenantOf(c), c.req.valid('param').id, buyer)), 200);
    },
  );

  api.openapi(
    route('post', '/invoices/{id}/storno', {
      summary: 'Cancel an invoice with a credit note (type 381) for all of it',
      request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().min(1).max(300).optional() }), false) },
      responses: { 201: json(Obj, 'The credit note'), ...errors },
    }),
    async (c) => {
      const reason = c.req.valid('json')?.reason ?? null;
      return c.json(await inTx(deps, (tx) => issueCreditNote(tx, tenantOf(c), c.req.valid('param').id, { source: 'storno', reason })), 201);
    },
  );

  return api;
}
