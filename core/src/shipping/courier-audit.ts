import type { Db } from '../db/connect.ts';
import type { CourierCode } from './courier-adapter.ts';
import type { CourierRequestInit } from './courier-http.ts';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|x-auth-password|ocp-apim-subscription-key|api-key|apikey)$/i;
const SECRET_KEY = /(pass(word)?|token|secret|api[-_]?key|apikey|authorization|subscription[-_]?key|iban|^x-auth)/i;
const MAX_BODY = 64 * 1024;
export const REDACTED = '[redacted]';

export function redactHeaders(headers: ConstructorParameters<typeof Headers>[0] | Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new Headers(headers ?? {})) out[k] = SECRET_HEADER.test(k) ? REDACTED : v;
  return out;
}

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) && x != null && typeof x !== 'object' ? REDACTED : redactValue(x);
    return out;
  }
  return v;
}

/** JSON and form bodies keep their shape with secret values replaced; login answers lose their token. */
export function redactBody(body: string, contentType: string | null, operation = ''): string {
  if (!body) return body;
  if (/login|authenticate/i.test(operation) && /^"[^"]*"$/.test(body.trim())) return JSON.stringify(REDACTED);
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    const out = new URLSearchParams();
    for (const [k, v] of params) out.append(k, SECRET_KEY.test(k) ? REDACTED : v);
    return out.toString();
  }
  try {
    return JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}…[truncated]` : body;
  }
}

export function redactUrl(url: string): string {
  const u = new URL(url);
  for (const k of [...u.searchParams.keys()]) if (SECRET_KEY.test(k)) u.searchParams.set(k, REDACTED);
  return u.toString();
}

const isText = (ct: string | null) => !ct || /json|text|xml|x-www-form-urlencoded|html/i.test(ct);

function describeBody(bytes: Uint8Array, contentType: string | null, operation: string): string {
  if (bytes.length === 0) return '';
  if (!isText(contentType)) return `[${bytes.length} bytes ${contentType}]`;
  const text = new TextDecoder().decode(bytes);
  // Base64 label payloads (Cargus) are large and useless in an audit row.
  if (text.length > MAX_BODY) return `${redactBody(text.slice(0, 2048), null, operation)}…[${text.length} chars truncated]`;
  return redactBody(text, contentType, operation);
}

export interface AuditedFetchOptions {
  db: Db;
  tenantId: string;
  courier: CourierCode;
  courierAccountId?: string | null;
  fetch?: typeof globalThis.fetch;
  /** Called when the audit insert fails; the courier call itself is never failed by the audit. */
  onAuditError?: (e: unknown) => void;
}

/** A fetch that records every courier call (request, response, latency, outcome) with secrets redacted. */
export function createAuditedFetch(opts: AuditedFetchOptions): typeof globalThis.fetch {
  const inner = opts.fetch ?? globalThis.fetch;
  const audited = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const courierInit = (init ?? {}) as CourierRequestInit;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (courierInit.method ?? 'GET').toUpperCase();
    const operation = courierInit.courierOperation ?? `${method} ${new URL(url).pathname}`;
    const reqHeaders = new Headers(courierInit.headers ?? {});
    const rawBody = courierInit.body == null ? '' : typeof courierInit.body === 'string' ? courierInit.body : String(courierInit.body);
    const started = performance.now();
    let response: Response | undefined;
    let failure: Error | undefined;
    try {
      response = await inner(input, init);
    } catch (e) {
      failure = e as Error;
    }
    let responseBody: string | null = null;
    if (response) {
      // Read a clone so the caller still gets the whole body.
      const bytes = new Uint8Array(await response.clone().arrayBuffer());
      responseBody = describeBody(bytes, response.headers.get('content-type'), operation);
    }
    const latency = Math.round(performance.now() - started);
    const timedOut = failure && (failure.name === 'TimeoutError' || failure.name === 'AbortError');
    const outcome = failure ? (timedOut ? 'timeout' : 'network_error') : response && response.status < 400 ? 'ok' : 'http_error';
    try {
      await opts.db`
        insert into courier_audit_log (tenant_id, courier, courier_account_id, operation, method, url,
          request_headers, request_body, response_status, response_headers, response_body, latency_ms, outcome, error)
        values (${opts.tenantId}, ${opts.courier}, ${opts.courierAccountId ?? null}, ${operation}, ${method}, ${redactUrl(url)},
          ${opts.db.json(redactHeaders(reqHeaders))}, ${rawBody ? redactBody(rawBody, reqHeaders.get('content-type'), operation) : null},
          ${response?.status ?? null}, ${response ? opts.db.json(redactHeaders(response.headers)) : null}, ${responseBody},
          ${latency}, ${outcome}, ${failure ? `${failure.name}: ${failure.message}` : response && response.status >= 400 ? `HTTP ${response.status}` : null})`;
    } catch (e) {
      (opts.onAuditError ?? ((err) => console.error('courier audit insert failed', err)))(e);
    }
    if (failure) throw failure;
    return response as Response;
  };
  return audited as typeof globalThis.fetch;
}
