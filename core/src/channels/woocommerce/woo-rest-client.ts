import { randomBytes } from 'node:crypto';
import { DomainError } from '../../shared/domain-error.ts';
import { abortableSleep, done, jitteredBackoffMs, retry, retryAfterMs, retrying } from '../../shared/http-retry.ts';
import { signWooRequest } from './woo-oauth1.ts';

export type WooAuthMode = 'basic' | 'query' | 'oauth1';
export type WooQuery = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

export interface WooRestClientOptions {
  /** The store's home URL, e.g. `https://shop.example` (a sub-directory install keeps its path). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /**
   * `basic` (default): HTTP Basic with key:secret. `query`: `consumer_key`/`consumer_secret` in the
   * query string, for hosts whose web server strips the Authorization header ("Consumer key is missing").
   * `oauth1`: OAuth 1.0a one-legged signature in the query string — the only way WooCommerce
   * authenticates a plain-http request (it reads Basic and query keys only when is_ssl()).
   * Channels get the mode from `wooAuthModeFor` (by the store URL's scheme).
   */
  authMode?: WooAuthMode;
  /** Clock for oauth_timestamp (WooCommerce refuses more than 15 minutes off its own). */
  now?: () => Date;
  /** oauth_nonce source (default 32 random hex characters). */
  nonce?: () => string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries after the first attempt for 429/503/5xx/network failures (default 3). */
  maxRetries?: number;
  /** Longest Retry-After we wait for inside one call; longer → RATE_LIMITED at once so the worker reschedules (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  /** Retry only 429/503 (the store named or implied a wait); timeouts and errors give up at once (the outbox retries). */
  onlyServerWaits?: boolean;
}

export interface WooResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface WooRequestOptions {
  signal?: AbortSignal;
}

export interface WooRestClient {
  readonly storeName: string;
  get<T = unknown>(path: string, query?: WooQuery, opts?: WooRequestOptions): Promise<WooResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, query?: WooQuery, opts?: WooRequestOptions): Promise<WooResponse<T>>;
  put<T = unknown>(path: string, body?: unknown, query?: WooQuery, opts?: WooRequestOptions): Promise<WooResponse<T>>;
}

/** WordPress/WooCommerce REST error body: `{ code, message, data: { status, params? } }`. */
interface WpErrorBody {
  code?: unknown;
  message?: unknown;
  data?: { status?: unknown; params?: unknown; details?: unknown } | null;
}

/**
 * Thin WooCommerce REST v3 client. Paths starting with `/` are taken from the site root
 * (`/wp-json/wc/v3/orders`); others are relative to `/wp-json/wc/v3/` (`orders/727`).
 * Every failure becomes a DomainError with a sentence naming the store, per the ShopConnector
 * contract: 401/403 → NEEDS_RECONNECT, 404 → NOT_FOUND, 400 → VALIDATION, 429/503 → RATE_LIMITED
 * after back-off, other 5xx and transport errors → UPSTREAM after back-off.
 */
export function createWooRestClient(options: WooRestClientOptions): WooRestClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? abortableSleep;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const authMode = options.authMode ?? 'basic';
  const now = options.now ?? (() => new Date());
  const nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const storeName = base.host + base.pathname.replace(/\/$/, '');
  const basic = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;

  function buildUrl(path: string, query?: WooQuery): URL {
    const rel = path.startsWith('/') ? path.slice(1) : `wp-json/wc/v3/${path}`;
    const url = new URL(rel, base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v == null) continue;
      if (Array.isArray(v)) {
        for (const item of v) url.searchParams.append(`${k}[]`, String(item));
      } else {
        url.searchParams.set(k, String(v));
      }
    }
    if (authMode === 'query') {
      url.searchParams.set('consumer_key', options.consumerKey);
      url.searchParams.set('consumer_secret', options.consumerSecret);
    }
    return url;
  }

  async function request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: unknown,
    query: WooQuery | undefined,
    opts: WooRequestOptions | undefined,
  ): Promise<WooResponse<T>> {
    const url = buildUrl(path, query);
    const what = `${method} ${url.pathname}`;
    // Each attempt is signed afresh: WooCommerce refuses a nonce it has seen, so a retry must not reuse one.
    const target = (): URL =>
      authMode === 'oauth1'
        ? signWooRequest(method, url, {
            consumerKey: options.consumerKey,
            consumerSecret: options.consumerSecret,
            timestamp: Math.floor(now().getTime() / 1000),
            nonce: nonce(),
          })
        : url;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authMode === 'basic') headers['authorization'] = basic;
    if (body !== undefined) headers['content-type'] = 'application/json';
    // A POST that reached WordPress may have created a note; only 429/503 (refused before any work) are safe to resend.
    const idempotent = method !== 'POST';

    return retrying(
      async (attempt) => {
        let res: Response;
        try {
          const signals = [AbortSignal.timeout(timeoutMs), ...(opts?.signal ? [opts.signal] : [])];
          res = await fetchFn(target(), {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            redirect: 'manual',
            signal: AbortSignal.any(signals),
          });
        } catch (err) {
          if (opts?.signal?.aborted) throw err;
          const unreachable = () =>
            new DomainError('UPSTREAM', `WooCommerce store ${storeName} could not be reached (${what}): ${(err as Error).message}.`);
          if (!idempotent) throw unreachable();
          return retry(unreachable);
        }

        const text = await res.text();
        const parsed = parseJson(text);

        if (res.status >= 200 && res.status < 300) {
          if (parsed === undefined && text.trim() !== '') {
            // Security plugins and maintenance pages answer 200 with HTML; treating that as data would hide it.
            throw new DomainError(
              'UPSTREAM',
              `WooCommerce store ${storeName} answered ${what} with a non-JSON page; is the REST API (pretty permalinks) enabled?`,
            );
          }
          return done({ status: res.status, headers: res.headers, body: parsed as T });
        }

        const err = (parsed && typeof parsed === 'object' ? parsed : {}) as WpErrorBody;
        const code = typeof err.code === 'string' ? err.code : null;
        const message = typeof err.message === 'string' ? stripTags(err.message) : text.trim().slice(0, 200);
        const tag = code ? `${code}: ${message}` : `HTTP ${res.status}${message ? `: ${message}` : ''}`;

        if (res.status === 429 || res.status === 503) {
          // Without Retry-After our back-off stands in for it, and maxRetryAfterMs bounds it the same way.
          return retry(
            () => new DomainError('RATE_LIMITED', `WooCommerce store ${storeName} is rate-limiting or unavailable (${what}, ${tag}); retry later.`),
            retryAfterMs(res.headers.get('retry-after')) ?? jitteredBackoffMs(attempt),
          );
        }
        if (res.status >= 500) {
          const failed = () => new DomainError('UPSTREAM', `WooCommerce store ${storeName} failed ${what} (${tag}).`);
          if (!idempotent || res.status === 501) throw failed();
          return retry(failed);
        }
        if (res.status === 401 || res.status === 403) {
          throw new DomainError('NEEDS_RECONNECT', `WooCommerce store ${storeName} rejected the API keys (${tag}); ${authAdvice(authMode, base, code, message)}`);
        }
        if (res.status === 404) {
          throw new DomainError('NOT_FOUND', `WooCommerce store ${storeName} has no ${url.pathname} (${tag}).`);
        }
        if (res.status === 400) {
          throw new DomainError(
            'VALIDATION',
            `WooCommerce store ${storeName} refused ${what} (${tag}).`,
            paramDetails(err.data?.params),
          );
        }
        if (res.status >= 300 && res.status < 400) {
          // A redirect usually means http→https or a login page: following it would drop the Authorization header.
          throw new DomainError(
            'UPSTREAM',
            `WooCommerce store ${storeName} redirected ${what} to ${res.headers.get('location') ?? 'another URL'}; check the store URL.`,
          );
        }
        throw new DomainError('UPSTREAM', `WooCommerce store ${storeName} refused ${what} (${tag}).`);
      },
      // A Retry-After longer than maxRetryAfterMs is not slept through: RATE_LIMITED at once, and the worker reschedules.
      { maxAttempts: maxRetries + 1, backoff: jitteredBackoffMs, maxServerWaitMs: maxRetryAfterMs, longServerWait: 'give-up', onlyServerWaits: options.onlyServerWaits ?? false, sleep, signal: opts?.signal },
    );
  }

  return {
    storeName,
    get: (path, query, opts) => request('GET', path, undefined, query, opts),
    post: (path, body, query, opts) => request('POST', path, body ?? {}, query, opts),
    put: (path, body, query, opts) => request('PUT', path, body ?? {}, query, opts),
  };
}

/**
 * What to do about a refused key, by what WooCommerce said and how we authenticated: new keys only
 * help when the key or secret is wrong; a clock, a URL or a transport problem would fail the same way.
 */
function authAdvice(mode: WooAuthMode, base: URL, code: string | null, message: string): string {
  const reconnect = 'reconnect the store to issue new keys.';
  if (mode !== 'oauth1' && base.protocol === 'http:' && code === 'woocommerce_rest_cannot_view') {
    return `the store is served over plain http, where WooCommerce ignores ${mode === 'basic' ? 'Basic' : 'query-string'} keys and accepts only OAuth 1.0a-signed requests; use the store's https:// address or let the channel sign with OAuth 1.0a (no auth mode set).`;
  }
  if (/invalid timestamp/i.test(message)) {
    return 'the OAuth 1.0a timestamp is more than 15 minutes off the store’s clock; correct the clock of this server or of the store (new keys would fail the same way).';
  }
  if (/signature/i.test(message)) {
    const signedUrl = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
    return `the OAuth 1.0a signature did not match: the consumer secret is not the one issued with this key, or WordPress's home URL is not ${signedUrl} as signed; check the store URL first (new keys would fail the same way if it differs), else ${reconnect}`;
  }
  if (/nonce/i.test(message)) return 'the store saw this request’s OAuth 1.0a nonce before (a replay or a proxy resending it); retry.';
  if (code === 'woocommerce_rest_authentication_missing_parameter') {
    return 'a proxy or security plugin removed OAuth 1.0a parameters from the query string; allow oauth_* parameters through to WordPress.';
  }
  return reconnect;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '').trim();
}

/** `rest_invalid_param` lists the offending parameters in `data.params` as `{ name: message }`. */
function paramDetails(params: unknown): { path: string; reason: string }[] {
  if (!params || typeof params !== 'object') return [];
  return Object.entries(params as Record<string, unknown>).map(([path, reason]) => ({
    path,
    reason: typeof reason === 'string' ? stripTags(reason) : 'invalid',
  }));
}
