import { z } from '@hono/zod-openapi';
import { clientMerges, findDuplicateClients, getClient, requireClient, searchClients, createClient, updateClient } from '../../clients/index.ts';
import { mergeClients } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const text = (max: number) => z.string().max(max).nullable().optional();

/** An address in the shape store orders carry: `city` is the locality, `province` the county (name or code). */
export const AddressBody = z
  .strictObject({
    firstName: text(100),
    lastName: text(100),
    company: text(200),
    address1: text(200),
    address2: text(200),
    city: text(100),
    province: text(100),
    provinceCode: text(10),
    postcode: text(20),
    countryCode: text(2),
    phone: text(40),
    email: text(320),
  })
  .meta({ id: 'AddressInput' });

/** A client to create (or the fields to change): a person, or a company with its CUI (checksum checked; RO prefix: VAT payer). */
export const ClientBody = z
  .strictObject({
    kind: z.enum(['person', 'company']).optional(),
    email: text(320),
    phone: text(40),
    firstName: text(100),
    lastName: text(100),
    company: text(200),
    cui: text(20),
    vatPayer: z.boolean().optional(),
    tradeRegisterNo: text(40),
    iban: text(40),
    billingAddress: AddressBody.nullable().optional(),
    shippingAddress: AddressBody.nullable().optional(),
  })
  .meta({ id: 'ClientInput' });

const AddressOut = z.object({}).passthrough();
export const ClientSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['person', 'company']),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    cui: z.string().nullable(),
    vatPayer: z.boolean(),
    tradeRegisterNo: z.string().nullable(),
    iban: z.string().nullable(),
    billingAddress: AddressOut.nullable(),
    shippingAddress: AddressOut.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Client' });

const MergeSchema = z
  .object({
    id: z.string(),
    keptClientId: z.string(),
    mergedClientId: z.string(),
    mergedClient: z.object({}).passthrough(),
    orderIds: z.array(z.string()),
    invoiceIds: z.array(z.string()),
    addressesMoved: z.number(),
    mergedBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ClientMerge' });

const strip = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Clients: search, one client (with the merges it absorbed), create, edit, duplicates by mailbox, merge. */
export function clientsRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });

  api.openapi(
    route('get', '/clients', {
      summary: 'Search clients by name, company, e-mail, phone or CUI (newest first); without q, the newest',
      request: { query: z.object({ q: z.string().max(200).default(''), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
      responses: { 200: json(z.object({ clients: z.array(ClientSchema) }), 'Matching clients'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ clients: await searchClients(deps.sql, tenantOf(c), q.q, q.limit) }, 200);
    },
  );

  api.openapi(
    route('get', '/clients/duplicates', {
      summary: 'Clients that are one mailbox under several spellings of the e-mail (case, +tag, Gmail dots), oldest first in each group',
      responses: { 200: json(z.object({ groups: z.array(z.object({ emailKey: z.string(), clients: z.array(ClientSchema) })) }), 'Groups of duplicates'), ...errors },
    }),
    async (c) => c.json({ groups: await findDuplicateClients(deps.sql, tenantOf(c)) }, 200),
  );

  api.openapi(
    route('post', '/clients', {
      summary: 'Create a client (B2C person or B2B company: CUI checksum, RO prefix for a VAT payer, Reg. Com., IBAN, addresses)',
      request: { body: jsonBody(ClientBody) },
      responses: { 201: json(ClientSchema, 'The client created'), ...errors },
    }),
    async (c) => {
      const body = strip(c.req.valid('json'));
      return c.json(await inTx(deps, (tx) => createClient(tx, tenantOf(c), body)), 201);
    },
  );

  api.openapi(
    route('get', '/clients/{id}', {
      summary: 'One client, its last billing and shipping address, and the merges it absorbed',
      request: { params: IdParam },
      responses: { 200: json(ClientSchema.extend({ merges: z.array(MergeSchema) }), 'The client'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const client = await requireClient(deps.sql, tenantOf(c), id);
      return c.json({ ...client, merges: await clientMerges(deps.sql, tenantOf(c), id) }, 200);
    },
  );

  api.openapi(
    route('patch', '/clients/{id}', {
      summary: 'Change the given fields of a client (null clears one); an address given becomes the one used next',
      request: { params: IdParam, body: jsonBody(ClientBody) },
      responses: { 200: json(ClientSchema, 'The client after the change'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = strip(c.req.valid('json'));
      return c.json(await inTx(deps, (tx) => updateClient(tx, tenantOf(c), id, body)), 200);
    },
  );

  api.openapi(
    route('post', '/clients/{id}/merge', {
      summary: 'Merge another client into this one: its orders and invoices move here, its addresses and store ids too; the merge is recorded',
      request: { params: IdParam, body: jsonBody(z.strictObject({ mergeClientId: Id, mergedBy: z.string().max(200).optional() })) },
      responses: { 200: json(z.object({ client: ClientSchema, merge: MergeSchema }), 'The kept client and the merge record'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const tenantId = tenantOf(c);
      const merge = await inTx(deps, (tx) => mergeClients(tx, tenantId, id, b.mergeClientId, b.mergedBy ?? c.get('principal').via));
      return c.json({ client: (await getClient(deps.sql, tenantId, id))!, merge }, 200);
    },
  );

  return api;
}
