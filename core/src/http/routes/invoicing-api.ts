import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Tx } from '../../db/connect.ts';
import { completeAnafAuthorization, saveAnafConnection, startAnafAuthorization } from '../../invoicing/anaf-client.ts';
import { E_INVOICE_STATES } from '../../invoicing/e-invoice-state.ts';
import { getInvoicePdf, invoiceReport, loadInvoiceDocument, publicInvoice } from '../../invoicing/invoice-repo.ts';
import { saveInvoicingProfile } from '../../invoicing/invoicing-profile.ts';
import { issueCreditNote, issueInvoiceForOrder } from '../../invoicing/issue-invoice.ts';
import { eInvoiceReport } from '../../invoicing/process-e-invoices.ts';
import { renderUbl } from '../../invoicing/render-ubl.ts';
import { resubmitEInvoice } from '../../invoicing/resubmit-e-invoice.ts';
import type { Deps } from '../../shared/deps.ts';
import type { Env } from '../env.ts';
import { validationResponse } from '../errors.ts';

/* Invoices, credit notes and e-Factura under /api/v1 (mounted by routes/api.ts, bearer auth applies). */

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string(), reason: z.string() })) }) });
const errors = {
  400: { description: 'Bad input, naming the field and the reason', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid bearer credentials', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found in this tenant', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Not allowed in the current state', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const Id = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: '42' }) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Obj = z.object({}).passthrough();
const security = [{ bearer: [] }];

const Profile = z.object({
  legalName: z.string().min(1).max(200),
  cui: z.string().min(2).max(12),
  vatRegistered: z.boolean().default(true),
  tradeRegisterNo: z.string().max(50).nullable().default(null),
  street: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  countyCode: z.string().min(1).max(40),
  postalCode: z.string().max(20).nullable().default(null),
  bankName: z.string().max(100).nullable().default(null),
  iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}$/, 'must be an IBAN').nullable().default(null),
  email: z.string().email().nullable().default(null),
  phone: z.string().max(40).nullable().default(null),
  paymentTermsDays: z.number().int().min(0).max(365).default(15),
  shippingVatRate: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/).default('21'),
  smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').nullable().default(null),
  mailFrom: z.string().max(200).nullable().default(null),
});

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

export function invoicingApi(deps: Deps) {
  const api = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });
  const inTx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => deps.sql.begin((tx) => fn(tx)) as Promise<T>;
  const tenant = (c: { get(k: 'principal'): { tenantId: string } }) => c.get('principal').tenantId;

  api.openapi(
    createRoute({ method: 'put', path: '/invoicing/profile', summary: 'The seller on invoices: name, CUI, trade register no., address, bank, IBAN', security, request: { body: { required: true, content: { 'application/json': { schema: Profile } } } }, responses: { 204: { description: 'Saved' }, ...errors } }),
    async (c) => {
      await saveInvoicingProfile(deps.sql, tenant(c), c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/orders/{id}/invoice', summary: 'Issue the invoice of an order now (idempotent: returns the existing one)', security, request: { params: IdParam }, responses: { 200: json(Obj, 'The invoice already issued'), 201: json(Obj, 'The invoice issued'), ...errors } }),
    async (c) => {
      const r = await inTx((tx) => issueInvoiceForOrder(tx, tenant(c), c.req.valid('param').id, 'manual'));
      return c.json(r as never, r.created ? 201 : 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/invoices', summary: 'Invoices per channel and period with totals (report)', security, request: { query: z.object({ from: Day, to: Day, channelId: Id.optional() }) }, responses: { 200: json(Obj, 'Totals per channel, kind and currency, and the invoices'), ...errors } }),
    async (c) => {
      const q = c.req.valid('query');
      const scoped = c.get('principal').channelId ?? q.channelId;
      return c.json((await invoiceReport(deps.sql, tenant(c), { from: q.from, to: q.to, ...(scoped ? { channelId: scoped } : {}) })) as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/invoices/{id}', summary: 'One invoice or credit note with lines, VAT breakdown and e-Factura state', security, request: { params: IdParam }, responses: { 200: json(Obj, 'The invoice'), ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const { row, doc } = await loadInvoiceDocument(deps.sql, tenant(c), id);
      const [e] = await deps.sql`select state, anaf_state as "anafState", upload_index as "uploadIndex", download_id as "downloadId", errors, submission
        from e_invoices where tenant_id = ${tenant(c)} and invoice_id = ${id}`;
      return c.json({ ...publicInvoice(row), seller: doc.seller, lines: doc.lines, vat: doc.vat, eInvoice: e ?? null } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/invoices/{id}/pdf', summary: 'The stored PDF', security, request: { params: IdParam }, responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...errors } }),
    async (c) => {
      const { fullNumber, pdf } = await getInvoicePdf(deps.sql, tenant(c), c.req.valid('param').id);
      return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="Factura-${fullNumber}.pdf"` });
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/invoices/{id}/ubl', summary: 'The UBL 2.1 XML (CIUS-RO) as sent to ANAF, or as it would be', security, request: { params: IdParam }, responses: { 200: { description: 'UBL XML', content: { 'application/xml': { schema: z.string() } } }, ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const [e] = await deps.sql<{ xml: string; signed: string | null }[]>`select xml, signed_xml as signed from e_invoices where tenant_id = ${tenant(c)} and invoice_id = ${id}`;
      const xml = e ? e.xml : renderUbl((await loadInvoiceDocument(deps.sql, tenant(c), id)).doc);
      return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' });
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/e-invoices', summary: 'e-Factura states, refused (nok) first (report)', security, request: { query: z.object({ state: z.enum(E_INVOICE_STATES).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }) }, responses: { 200: json(z.object({ eInvoices: z.array(Obj) }), 'e-Factura states'), ...errors } }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ eInvoices: await eInvoiceReport(deps.sql, tenant(c), { limit: q.limit, ...(q.state ? { state: q.state } : {}) }) } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/invoices/{id}/e-invoice/resubmit', summary: 'Rebuild and resend a refused (nok) e-invoice after fixing the cause', security, request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ buyer: BuyerFix.optional() }) } } } }, responses: { 200: json(Obj, 'Back to pending'), ...errors } }),
    async (c) => {
      const b = ((c.req.valid('json' as never) as unknown) ?? {}) as { buyer?: z.infer<typeof BuyerFix> };
      const r = await inTx((tx) => resubmitEInvoice(tx, tenant(c), c.req.valid('param').id, (b.buyer ?? {}) as never));
      return c.json(r as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/invoices/{id}/storno', summary: 'Cancel an invoice with a credit note (type 381) for all of it', security, request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().min(1).max(300).optional() }) } } } }, responses: { 201: json(Obj, 'The credit note'), ...errors } }),
    async (c) => {
      const b = ((c.req.valid('json' as never) as unknown) ?? {}) as { reason?: string };
      const r = await inTx((tx) => issueCreditNote(tx, tenant(c), c.req.valid('param').id, { source: 'storno', reason: b.reason ?? null }));
      return c.json(r as never, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/invoicing/anaf',
      summary: 'The ANAF OAuth application (client id/secret, redirect URI); the secret is stored encrypted',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500), redirectUri: z.string().url(), oauthBaseUrl: z.string().url().default('https://logincert.anaf.ro/anaf-oauth2/v1'), apiBaseUrl: z.string().url().default('https://api.anaf.ro/prod/FCTEL/rest') }) } } } },
      responses: { 204: { description: 'Saved' }, ...errors },
    }),
    async (c) => {
      await saveAnafConnection(deps.sql, deps.box, tenant(c), c.req.valid('json'));
      return c.body(null, 204);
    },
  );
  api.openapi(
    createRoute({ method: 'post', path: '/invoicing/anaf/authorize', summary: 'Start the OAuth authorization: the URL to open with the qualified certificate', security, responses: { 200: json(z.object({ url: z.string() }), 'Authorization URL'), ...errors } }),
    async (c) => c.json({ url: await startAnafAuthorization(deps.sql, tenant(c)) }, 200),
  );
  api.openapi(
    createRoute({ method: 'post', path: '/invoicing/anaf/token', summary: 'Finish the authorization with the code and state ANAF redirected back with', security, request: { body: { required: true, content: { 'application/json': { schema: z.object({ code: z.string().min(1).max(4000), state: z.string().min(1).max(200) }) } } } }, responses: { 204: { description: 'Connected' }, ...errors } }),
    async (c) => {
      const b = c.req.valid('json');
      await completeAnafAuthorization(deps.sql, deps.box, tenant(c), b.code, b.state, deps.fetch ? { fetch: deps.fetch } : {});
      return c.body(null, 204);
    },
  );
  return api;
}


