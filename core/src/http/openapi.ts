import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorBodySchema } from '../contracts/error.ts';
import type { Tx } from '../db/connect.ts';
import type { Deps } from '../shared/deps.ts';
import { DomainError } from '../shared/domain-error.ts';
import { IdSchema } from '../shared/ids.ts';
import type { Env } from './env.ts';
import { validationResponse } from './errors.ts';

/*
 * The preamble every /api/v1 router shares, written once: the router with JSON validation errors,
 * the bearer security, the documented error answers, schema helpers and the principal's tenant.
 */

/**
 * A router whose zod validation failures answer the one error body (400, naming the field).
 * `paths: 'brackets'` names array items as `lines[0].quantity`, as the domain's checks of the same body do.
 */
export const createApiRouter = (o: { paths?: 'dots' | 'brackets' } = {}) =>
  new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target, o.paths)) });

export type ApiContext = Context<Env>;

export const security = [{ bearer: [] }];

/** An /api/v1 route behind the bearer security: its method and path, then summary, request and responses. */
export const route = <M extends RouteConfig['method'], P extends string, S extends Omit<RouteConfig, 'method' | 'path' | 'security'>>(method: M, path: P, spec: S) =>
  createRoute({ ...spec, method, path, security });

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });

/** The error answers every route documents. */
export const errors = {
  400: errorAnswer('Bad input, naming the field and the reason'),
  401: errorAnswer('Missing or invalid bearer credentials'),
  404: errorAnswer('Not found in this tenant'),
  409: errorAnswer('Not allowed in the current state'),
} as const;

/** Plus a courier (or another upstream) that failed or did not answer. */
export const upstreamErrors = { ...errors, 502: errorAnswer('The courier failed or did not answer') } as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: { 'application/json': { schema } } });
export const pdf = (description: string) => ({ description, content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } });

export const Id = IdSchema;
export const IdParam = z.object({ id: IdSchema.meta({ param: { name: 'id', in: 'path' }, example: '42' }) });
/** A calendar day: `2026-02-30` or month 98 would reach Postgres (or `new Date`) and fail there. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d && d >= '1970-01-01';
  }, 'must be a real calendar date from 1970 on');
/** An object documented by its known fields only. */
export const Obj = z.object({}).passthrough();

export const tenantOf = (c: { get(k: 'principal'): { tenantId: string } }) => c.get('principal').tenantId;

/** A state change runs in one transaction. */
export const inTx = <T>(deps: Deps, fn: (tx: Tx) => Promise<T>): Promise<T> => deps.sql.begin((tx) => fn(tx)) as Promise<T>;

/** The embedded Shopify app sees only its own shop's channel. */
export function scopeChannel(c: { get(k: 'principal'): { channelId: string | null } }, requested?: string | null): string | undefined {
  const own = c.get('principal').channelId;
  if (own && requested && requested !== own) throw new DomainError('FORBIDDEN', `This session may only read channel ${own}.`, [{ path: 'channelId', reason: 'other shop' }]);
  return own ?? requested ?? undefined;
}

/** A PDF answer; the domain's bytes are a plain (unshared) buffer. */
export const pdfResponse = (c: Context, bytes: Uint8Array, headers: Record<string, string>) =>
  c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', ...headers });
