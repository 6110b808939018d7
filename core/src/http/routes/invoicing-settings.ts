import { z } from '@hono/zod-openapi';
import { anafConnectionStatus, completeAnafAuthorization, getInvoicingProfile, saveAnafConnection, setAnafEnvironment, startAnafAuthorization, saveInvoicingProfile } from '../../invoicing/index.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, json, jsonBody, route, tenantOf } from '../openapi.ts';

export const InvoicingProfileBody = z.object({
  legalName: z.string().min(1).max(200),
  cui: z.string().min(2).max(12),
  vatRegistered: z.boolean().default(true),
  tradeRegisterNo: z.string().max(50).nullable().default(null),
  street: z.string().min(1).max(150).meta({ description: 'At most 150 characters (CIUS-RO BR-RO-L150).' }),
  city: z.string().min(1).max(50).meta({ description: 'At most 50 characters (BR-RO-L050); in Bucharest it names the sector.' }),
  countyCode: z.string().min(1).max(40),
  postalCode: z.string().max(20).nullable().default(null),
  bankName: z.string().max(100).nullable().default(null),
  iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}$/, 'must be an IBAN').nullable().default(null),
  email: z.string().email().max(100).nullable().default(null),
  phone: z.string().max(40).nullable().default(null),
  paymentTermsDays: z.number().int().min(0).max(365).default(15),
  shippingVatRate: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/).default('21'),
  smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').nullable().default(null),
  mailFrom: z.string().max(200).nullable().default(null),
  invoiceNote: z.string().max(300).nullable().default(null).meta({ description: 'Printed on every invoice as its note (BT-22): share capital, "TVA la încasare", …' }),
});

const ProfileOut = z.object({
  legalName: z.string(),
  cui: z.string(),
  vatRegistered: z.boolean(),
  tradeRegisterNo: z.string().nullable(),
  street: z.string(),
  city: z.string(),
  countyCode: z.string(),
  postalCode: z.string().nullable(),
  countryCode: z.string(),
  bankName: z.string().nullable(),
  iban: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  paymentTermsDays: z.number(),
  shippingVatRate: z.string(),
  smtpUrlSet: z.boolean(),
  mailFrom: z.string().nullable(),
  invoiceNote: z.string().nullable(),
});

const AnafApplication = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(500),
  redirectUri: z.string().url().optional().meta({ description: "Where ANAF sends the operator back: this core's GET /invoicing/anaf/callback (the default, from the request's origin). Register the same URI in the ANAF application." }),
  oauthBaseUrl: z.string().url().default('https://logincert.anaf.ro/anaf-oauth2/v1'),
  apiBaseUrl: z.string().url().default('https://api.anaf.ro/prod/FCTEL/rest'),
  testApiBaseUrl: z.string().url().default('https://api.anaf.ro/test/FCTEL/rest').meta({ description: "ANAF's test host: same application and token, nothing sent there is legally an invoice." }),
  environment: z.enum(['test', 'prod']).default('prod').meta({ description: 'Where e-invoices go: test (testApiBaseUrl) or prod (apiBaseUrl).' }),
});

const AnafEnvironmentBody = z.object({ environment: z.enum(['test', 'prod']) });

/** This core's browser-facing OAuth callback, as the operator's browser reaches it (behind a proxy: its forwarded proto and host). */
export function anafCallbackUrl(requestUrl: string, forwardedProto?: string, forwardedHost?: string): string {
  const u = new URL(requestUrl);
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : u.protocol.replace(':', '');
  const host = forwardedHost && /^[A-Za-z0-9.:[\]-]{1,300}$/.test(forwardedHost) ? forwardedHost : u.host;
  return `${proto}://${host}/invoicing/anaf/callback`;
}

/** The seller on the invoices and the tenant's connection to ANAF's e-Factura (OAuth). */
export function invoicingSettingsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/invoicing/profile', {
      summary: 'The seller on invoices as saved; smtpUrl (which may carry a password) only as smtpUrlSet',
      responses: { 200: json(ProfileOut, 'The profile'), ...errors },
    }),
    async (c) => {
      const p = await getInvoicingProfile(deps.sql, tenantOf(c));
      if (!p) throw new DomainError('NOT_FOUND', 'This tenant has no invoicing profile yet; PUT /api/v1/invoicing/profile sets it.', [{ path: 'invoicingProfile', reason: 'not set' }]);
      const { smtpUrlSealed, ...rest } = p;
      return c.json({ ...rest, invoiceNote: rest.invoiceNote ?? null, smtpUrlSet: smtpUrlSealed !== null }, 200);
    },
  );

  api.openapi(
    route('put', '/invoicing/profile', {
      summary: 'The seller on invoices: name, CUI, trade register no., address, bank, IBAN',
      description: 'countyCode is ISO 3166-2:RO (CJ, B, …) or the county name. A Bucharest (B) address must name its sector in city or street ("București Sector 3") or through its postal code; else 400 naming city.',
      request: { body: jsonBody(InvoicingProfileBody) },
      responses: { 204: { description: 'Saved' }, ...errors },
    }),
    async (c) => {
      await saveInvoicingProfile(deps.sql, tenantOf(c), c.req.valid('json'), deps.box);
      return c.body(null, 204);
    },
  );

  api.openapi(
    route('put', '/invoicing/anaf', {
      summary: 'The ANAF OAuth application (client id/secret, redirect URI); the secret is stored encrypted',
      request: { body: jsonBody(AnafApplication) },
      responses: { 204: { description: 'Saved' }, ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await saveAnafConnection(deps.sql, deps.box, tenantOf(c), { ...b, redirectUri: b.redirectUri ?? anafCallbackUrl(c.req.url, c.req.header('x-forwarded-proto'), c.req.header('x-forwarded-host')) });
      return c.body(null, 204);
    },
  );

  api.openapi(
    route('get', '/invoicing/anaf', {
      summary: 'The ANAF connection: application, redirect URI, whether SPV authorized Expedio (no secret or token)',
      responses: { 200: json(z.object({ clientId: z.string(), redirectUri: z.string(), oauthBaseUrl: z.string(), apiBaseUrl: z.string(), testApiBaseUrl: z.string(), environment: z.enum(['test', 'prod']), reconnectReason: z.string().nullable(), connectedAt: z.string().nullable(), accessExpiresAt: z.string().nullable(), authorizationPending: z.boolean() }), 'Connection'), ...errors },
    }),
    async (c) => {
      const s = await anafConnectionStatus(deps.sql, tenantOf(c));
      if (!s) throw new DomainError('NOT_FOUND', 'This tenant has no ANAF application configured; PUT /api/v1/invoicing/anaf first.', [{ path: 'anaf', reason: 'not configured' }]);
      return c.json(s, 200);
    },
  );

  api.openapi(
    route('put', '/invoicing/anaf/environment', {
      summary: "Switch e-invoices between ANAF's test host and production (application and token stay)",
      request: { body: jsonBody(AnafEnvironmentBody) },
      responses: { 204: { description: 'Switched' }, ...errors },
    }),
    async (c) => {
      await setAnafEnvironment(deps.sql, tenantOf(c), c.req.valid('json').environment);
      return c.body(null, 204);
    },
  );

  api.openapi(
    route('post', '/invoicing/anaf/authorize', {
      summary: 'Start the OAuth authorization: the URL to open with the qualified certificate',
      responses: { 200: json(z.object({ url: z.string() }), 'Authorization URL'), ...errors },
    }),
    async (c) => c.json({ url: await startAnafAuthorization(deps.sql, tenantOf(c)) }, 200),
  );

  api.openapi(
    route('post', '/invoicing/anaf/token', {
      summary: 'Finish the authorization with the code and state ANAF redirected back with',
      request: { body: jsonBody(z.object({ code: z.string().min(1).max(4000), state: z.string().min(1).max(200) })) },
      responses: { 204: { description: 'Connected' }, ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await completeAnafAuthorization(deps.sql, deps.box, tenantOf(c), b.code, b.state, deps.fetch ? { fetch: deps.fetch } : {});
      return c.body(null, 204);
    },
  );

  return api;
}
