/**
 * The app's one way to the Expedio core for every page: the request's session token forwarded
 * (the core verifies it and scopes everything to the shop's channel), JSON in and out, the core's
 * error kept as an ExpedioCoreError with its code, message and field details for the page to show.
 */

import { ExpedioCoreError, sessionTokenFromRequest } from './expedio-core.server';

export { ExpedioCoreError };

export type CoreErrorView = { status: number; code: string; message: string; details: Array<{ path: string; reason: string }> };

type CallOptions = { method?: string; query?: Record<string, string | number | null | undefined>; body?: unknown; accept?: string };

function coreBase(): string {
  const coreUrl = process.env.EXPEDIO_CORE_URL;
  if (!coreUrl) throw new ExpedioCoreError('EXPEDIO_CORE_URL is not set; the app cannot reach the Expedio core.', 500, 'UNREACHABLE');
  return coreUrl;
}

async function send(request: Request, path: string, o: CallOptions): Promise<Response> {
  const url = new URL(`/api/v1${path}`, coreBase());
  for (const [k, v] of Object.entries(o.query ?? {})) if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { Authorization: `Bearer ${sessionTokenFromRequest(request)}`, Accept: o.accept ?? 'application/json' };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url, {
      method: o.method ?? 'GET',
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      // A loader waiting on a hung core would leave the merchant on a blank admin frame.
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new ExpedioCoreError(`The Expedio core at ${url.origin} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}.`, 502, 'UNREACHABLE');
  }
}

export class CoreCallError extends ExpedioCoreError {
  constructor(
    message: string,
    status: number,
    code: string,
    readonly details: Array<{ path: string; reason: string }>,
  ) {
    super(message, status, code);
  }
}

async function failure(response: Response): Promise<CoreCallError> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const e = body?.error;
  const details = Array.isArray(e?.details) ? (e.details as Array<{ path: string; reason: string }>).filter((d) => typeof d?.path === 'string') : [];
  const message = typeof e?.message === 'string' ? e.message : `The Expedio core answered HTTP ${response.status} without an error message.`;
  return new CoreCallError(message, response.status, typeof e?.code === 'string' ? e.code : response.status === 401 ? 'UNAUTHENTICATED' : 'UPSTREAM', details);
}

/** A JSON call to the core; a non-2xx answer throws CoreCallError. */
export async function core<T>(request: Request, path: string, o: CallOptions = {}): Promise<T> {
  const response = await send(request, path, o);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A PDF from the core passed through to the browser (label, invoice, slip, manifest, merged labels). */
export async function corePdf(request: Request, path: string, query: CallOptions['query'] = {}): Promise<Response> {
  const response = await send(request, path, { query, accept: 'application/pdf' });
  if (!response.ok) {
    const e = await failure(response);
    return new Response(e.message, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const headers = new Headers({ 'content-type': 'application/pdf', 'cache-control': 'private, no-store' });
  const disposition = response.headers.get('content-disposition');
  if (disposition) headers.set('content-disposition', disposition);
  return new Response(response.body, { status: 200, headers });
}

/** A report's rows as CSV from the core, passed through as a download (the file name the core gave, or the report's). */
export async function coreCsv(request: Request, path: string, query: CallOptions['query'], filename: string): Promise<Response> {
  const response = await send(request, path, { query: { ...query, format: 'csv' }, accept: 'text/csv' });
  if (!response.ok) {
    const e = await failure(response);
    return new Response(e.message, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const headers = new Headers({ 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'private, no-store' });
  headers.set('content-disposition', response.headers.get('content-disposition') ?? `attachment; filename="${filename}"`);
  return new Response(response.body, { status: 200, headers });
}

/** What a page shows of a failed call: the loader returns it instead of throwing, so the page stays. */
export function errorView(error: unknown): CoreErrorView {
  if (error instanceof CoreCallError) return { status: error.status, code: error.code, message: error.message, details: error.details };
  if (error instanceof ExpedioCoreError) return { status: error.status, code: error.code, message: error.message, details: [] };
  throw error;
}

/** Runs a call, giving its value or the error to show (never both). */
export async function attempt<T>(call: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: CoreErrorView }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, error: errorView(error) };
  }
}
