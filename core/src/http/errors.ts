import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody } from '../contracts/error.ts';
import type { WebhookOutcome, WebhookRejection } from '../contracts/webhook.ts';
import { DomainError, type ErrorCode, type ErrorDetail } from '../shared/domain-error.ts';
import { findUnstorableText, unstorableReason } from '../shared/storable.ts';

/** The one place where error codes become HTTP statuses. */
export const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  INSUFFICIENT_STOCK: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NEEDS_RECONNECT: 424,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
};

export const errorBody = (code: string, message: string, details: ErrorDetail[] = []): ErrorBody => ({ error: { code, message, details } });

/**
 * Paths as `lines.0.quantity`, or with `brackets` as `lines[0].quantity` (the form the domain's own
 * checks name). A refused unknown key is named itself, not the object it was found in.
 */
export function zodDetails(error: ZodError, prefix = '', style: 'dots' | 'brackets' = 'dots'): ErrorDetail[] {
  const join = (parts: string[]) => (style === 'dots' ? parts.join('.') : parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join(''));
  const at = (path: PropertyKey[]) => join([prefix, ...path.map(String)].filter(Boolean)) || '(root)';
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: at([...i.path, k]), reason: 'unknown field' })) : [{ path: at(i.path), reason: i.message }],
  );
}

export function validationResponse(c: Context, error: ZodError, target: string, style: 'dots' | 'brackets' = 'dots') {
  const details = zodDetails(error, target === 'json' ? '' : target, style);
  const first = details[0];
  const message = first ? `Invalid ${first.path}: ${first.reason}.` : 'The request is not valid.';
  return c.json(errorBody('VALIDATION', message, details), 400);
}

export function onError(err: Error, c: Context) {
  if (err instanceof DomainError) {
    const res = c.json(errorBody(err.code, err.message, err.details), STATUS_BY_CODE[err.code]);
    if (err.code === 'UNAUTHORIZED') {
      // What the Shopify app bridge expects to re-fetch a session token and retry.
      res.headers.set('X-Shopify-Retry-Invalid-Session-Request', '1');
    }
    return res;
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const message = err.message || 'The request could not be read.';
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 401 ? 'UNAUTHORIZED' : 'VALIDATION';
    return c.json(errorBody(code, /malformed json/i.test(message) ? 'The body is not valid JSON.' : message, [{ path: 'body', reason: message }]), status as ContentfulStatusCode);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('INTERNAL', 'Something went wrong on our side; the request was not applied.'), 500);
}

const CODE_BY_REJECTION: Record<WebhookRejection, ErrorCode> = { unauthenticated: 'UNAUTHORIZED', invalid: 'VALIDATION', not_found: 'NOT_FOUND' };

/**
 * A webhook receiver's decision as the answer the sender reads: 200 for whatever was acknowledged
 * (stored, duplicate, ignored), else the error body with the status of its code.
 */
export function webhookResponse(c: Context, outcome: WebhookOutcome) {
  if (outcome.kind === 'accepted') return c.json(outcome.result, 200);
  const code = CODE_BY_REJECTION[outcome.reason];
  return c.json(errorBody(code, outcome.message, outcome.details), STATUS_BY_CODE[code]);
}

/** A body over the limit: the unread rest makes the connection unusable, so the client must not reuse it. */
export const tooLargeResponse = (c: Context, message: string, limit: string) =>
  c.json(errorBody('PAYLOAD_TOO_LARGE', message, [{ path: 'body', reason: `over ${limit}` }]), 413, { Connection: 'close' });

/**
 * Middleware of every /api route: a string Postgres cannot store (NUL, a lone surrogate) in the
 * path, a query parameter or the JSON body is refused here, naming it, for every route at once; a
 * zod schema per field would have to remember it in a hundred places. An unreadable body is left
 * to the route's own validator, which names it.
 */
export async function refuseUnstorableText(c: Context, next: () => Promise<void>) {
  const refuse = (d: ErrorDetail) => c.json(errorBody('VALIDATION', `Invalid ${d.path}: ${d.reason}.`, [d]), 400);
  const decoded = safeDecode(c.req.path);
  const path = decoded === null ? 'is not valid percent-encoded UTF-8' : unstorableReason(decoded);
  if (path) return refuse({ path: 'path', reason: path });
  for (const [name, values] of Object.entries(c.req.queries())) {
    const found = findUnstorableText(values, name);
    if (found) return refuse({ ...found, path: name });
    const key = unstorableReason(name);
    if (key) return refuse({ path: 'query', reason: `a parameter name ${key}` });
  }
  const length = c.req.header('content-length');
  // In-process requests (app.request) carry no content-length: their body stream tells.
  const hasBody = length !== undefined ? Number(length) > 0 : c.req.header('transfer-encoding') !== undefined || c.req.raw.body !== null;
  if (hasBody && /^application\/json\b/i.test(c.req.header('content-type') ?? '') && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    const found = findUnstorableText(body);
    if (found) return refuse(found);
  }
  await next();
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}
