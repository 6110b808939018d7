import type { ErrorDetail } from '../shared/domain-error.ts';
import { type CourierCode, CourierError, type CreatedShipment } from './courier-adapter.ts';
import { abortableSleep, done, exponentialBackoffMs, retry, retryAfterMs, retrying } from '../shared/http-retry.ts';

/** What every adapter is built from: base URL configurable, fetch injected (the audit wrapper goes here). */
export interface CourierHttpOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Per-request timeout; a create that times out is treated as possibly done. */
  timeoutMs?: number;
  /** Attempts for retryable answers (429, and 5xx/timeouts on idempotent calls). */
  maxAttempts?: number;
  /** Back-off base; doubled per attempt, capped at 30 s. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface CourierRequest {
  /** Names the call in the audit log and in error messages (e.g. `create-awb`). */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | (string | number)[] | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: URLSearchParams;
  /** False for creates: a 5xx or timeout is then ambiguous and not retried here. */
  idempotent: boolean;
  /** Skip auth headers (login calls). */
  anonymous?: boolean;
}

export type CourierRequestInit = RequestInit & { courierOperation?: string };

export interface CourierResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text(): string;
  json(): unknown;
}

/** Auth flow of one account: headers per call, and how to forget a token the courier rejected. */
export interface CourierAuth {
  headers(): Promise<Record<string, string>>;
  /** Drop the cached token; present only for token-based couriers (one re-login per call). */
  invalidate?(): void;
  /** Status codes that mean "token expired" (Sameday answers 403 too). */
  expiredStatuses?: number[];
}

export const staticAuth = (headers: Record<string, string>): CourierAuth => ({ headers: async () => headers });

export interface CourierHttp {
  readonly courier: CourierCode;
  readonly now: () => Date;
  /** Sends with auth, refresh-once on an expired token, back-off on 429 (Retry-After) and 5xx. */
  call(req: CourierRequest, auth?: CourierAuth): Promise<CourierResponse>;
}

export function buildUrl(baseUrl: string, path: string, query?: CourierRequest['query']): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(path.replace(/^\//, ''), base);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.set(k, String(v));
  }
  return url.toString();
}

export function createCourierHttp(courier: CourierCode, opts: CourierHttpOptions): CourierHttp {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const backoffMs = opts.backoffMs ?? 500;
  const sleep = opts.sleep ?? abortableSleep;
  const now = opts.now ?? (() => new Date());
  // No jitter, as before: courier waits stay exact (the adapters' tests pin them); jittering them is a change of its own.
  const backoff = (attempt: number) => exponentialBackoffMs(attempt, { baseMs: backoffMs, capMs: 30_000, jitter: false });

  async function once(req: CourierRequest, authHeaders: Record<string, string>): Promise<CourierResponse> {
    const headers: Record<string, string> = { accept: 'application/json, application/pdf', ...authHeaders, ...req.headers };
    let body: string | URLSearchParams | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = req.form;
    }
    // fetch ignores the extra property; the audit wrapper records it as the operation name.
    const init: CourierRequestInit = {
      method: req.method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      courierOperation: req.operation,
    };
    const res = await doFetch(buildUrl(opts.baseUrl, req.path, req.query), init);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let text: string | undefined;
    const readText = () => {
      text ??= new TextDecoder().decode(bytes);
      return text;
    };
    return {
      status: res.status,
      headers: res.headers,
      bytes,
      text: readText,
      json: () => {
        const t = readText();
        return t ? JSON.parse(t) : null;
      },
    };
  }

  return {
    courier,
    now,
    async call(req, auth) {
      let refreshed = false;
      return retrying(
        async () => {
          // At most twice: once more, within the same attempt, after dropping a token the courier called expired.
          for (;;) {
            const authHeaders = req.anonymous || !auth ? {} : await auth.headers();
            let res: CourierResponse;
            try {
              res = await once(req, authHeaders);
            } catch (e) {
              const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
              const failed = () =>
                new CourierError(
                  courier,
                  'UPSTREAM',
                  `${courier} ${req.operation} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${(e as Error).message}`}.`,
                  [],
                  { ambiguous: !req.idempotent },
                );
              if (!req.idempotent) throw failed();
              return retry(failed);
            }
            const expired = auth?.invalidate && (auth.expiredStatuses ?? [401]).includes(res.status);
            if (expired && !req.anonymous && !refreshed) {
              auth.invalidate?.();
              refreshed = true;
              continue;
            }
            if (res.status === 429) {
              return retry(
                () => new CourierError(courier, 'RATE_LIMITED', `${courier} kept answering 429 to ${req.operation}.`, [], { httpStatus: 429 }),
                retryAfterMs(res.headers.get('retry-after'), now().getTime()),
              );
            }
            if (res.status >= 500) {
              const failed = () =>
                new CourierError(
                  courier,
                  'UPSTREAM',
                  `${courier} answered ${res.status} to ${req.operation}${req.idempotent ? ` after ${maxAttempts} attempts` : ''}.`,
                  [],
                  { ambiguous: !req.idempotent, httpStatus: res.status },
                );
              if (!req.idempotent) throw failed();
              return retry(failed, retryAfterMs(res.headers.get('retry-after'), now().getTime()));
            }
            if (res.status === 401 || res.status === 403) {
              throw new CourierError(
                courier,
                'NEEDS_RECONNECT',
                `${courier} rejected the account credentials on ${req.operation} (${res.status}); update the courier account.`,
                [{ path: 'credentials', reason: `rejected with ${res.status}` }],
                { httpStatus: res.status },
              );
            }
            return done(res);
          }
        },
        { maxAttempts, backoff, sleep },
      );
    },
  };
}

/** A token cached until shortly before expiry; concurrent callers share one login. */
export function createTokenCache(
  login: () => Promise<{ token: string; expiresAt: Date }>,
  now: () => Date,
  skewMs = 60_000,
): { get(): Promise<string>; invalidate(): void; logins(): number } {
  let current: { token: string; expiresAt: Date } | null = null;
  let pending: Promise<{ token: string; expiresAt: Date }> | null = null;
  let count = 0;
  return {
    async get() {
      if (current && current.expiresAt.getTime() - skewMs > now().getTime()) return current.token;
      pending ??= (async () => {
        count++;
        try {
          return await login();
        } finally {
          pending = null;
        }
      })();
      current = await pending;
      return current.token;
    },
    invalidate() {
      current = null;
    },
    logins: () => count,
  };
}

/** Any non-2xx not handled by `call`: the caller's mapper decides VALIDATION/CONFLICT before this. */
export function unexpectedStatus(courier: CourierCode, operation: string, res: CourierResponse): CourierError {
  const detail = res.text().slice(0, 300);
  const code = res.status === 404 ? 'NOT_FOUND' : res.status === 409 ? 'CONFLICT' : 'UPSTREAM';
  return new CourierError(courier, code, `${courier} answered ${res.status} to ${operation}: ${detail}`, [], {
    httpStatus: res.status,
  });
}

/**
 * Never two AWBs for one reference. A create that ended without an answer is resolved by the
 * courier's idempotency strategy: look the reference up (then create only if it is absent), re-send
 * where the courier rejects a duplicate reference, or stop and report when neither exists.
 */
export async function createOnce(opts: {
  courier: CourierCode;
  reference: string;
  strategy: 'lookup' | 'duplicate-rejected' | 'none';
  previousAttemptUnknown?: boolean;
  create: () => Promise<CreatedShipment>;
  lookup?: () => Promise<CreatedShipment | null>;
}): Promise<CreatedShipment> {
  const { courier, reference, strategy } = opts;
  const unknownOutcome = (details: ErrorDetail[]) =>
    new CourierError(
      courier,
      'UPSTREAM',
      `${courier} did not confirm the AWB for reference ${reference} and offers no lookup by reference; it was not sent again. Check the ${courier} portal before retrying.`,
      details,
      { ambiguous: true },
    );
  if (opts.previousAttemptUnknown) {
    if (strategy === 'lookup' && opts.lookup) {
      const found = await opts.lookup();
      if (found) return found;
    } else if (strategy === 'none') {
      throw new CourierError(
        courier,
        'CONFLICT',
        `An earlier attempt for reference ${reference} may already have created an AWB at ${courier}, which offers no lookup by reference; resolve it in the ${courier} portal.`,
        [{ path: 'reference', reason: 'earlier attempt outcome unknown' }],
      );
    }
  }
  try {
    return await opts.create();
  } catch (e) {
    if (!(e instanceof CourierError) || !e.ambiguous) throw e;
    if (strategy === 'none') throw unknownOutcome([{ path: 'reference', reason: e.message }]);
    if (strategy === 'lookup' && opts.lookup) {
      const found = await opts.lookup();
      if (found) return found;
    }
    // Absent after a lookup, or the courier itself refuses a second AWB with this reference.
    return await opts.create();
  }
}

/** Courier error bodies are usually JSON but not always (Cargus answers bare strings). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
