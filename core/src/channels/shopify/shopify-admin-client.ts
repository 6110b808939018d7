import { DomainError } from '../../shared/domain-error.ts';
import { parseShopifyJson } from './parse-shopify-json.ts';
import { abortableSleep, done, jitteredBackoffMs, retry, retryAfterMs, retrying } from '../../shared/http-retry.ts';

export interface ShopifyAdminClientOptions {
  shopDomain: string;
  accessToken: string;
  apiVersion?: string;
  /** Overrides `https://<shopDomain>`; the fake Shopify's URL in tests. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries after the first attempt, for throttling and 5xx alike. */
  maxRetries?: number;
  /** Cap on one wait, so a bogus Retry-After cannot park a worker for an hour. */
  maxWaitMs?: number;
  /** Per-attempt timeout (default 30 s): a shop that accepts the connection and never answers costs this, no more. */
  timeoutMs?: number;
  /** Retry only throttling (Shopify named the wait); timeouts, 5xx and transport errors give up at once (the outbox retries). */
  onlyServerWaits?: boolean;
}

export interface ShopifyQueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface ShopifyGraphqlResult<T> {
  data: T;
  cost: ShopifyQueryCost | null;
}

export interface ShopifyAdminClient {
  readonly shopDomain: string;
  graphql<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
  /** Same as `graphql`, with the query cost Shopify reported (for callers that pace themselves). */
  graphqlWithCost<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<ShopifyGraphqlResult<T>>;
}

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}

/** Retry-After is seconds (Shopify) or an HTTP date (RFC 9110); Shopify's own client falls back to 1 s. */
export function parseRetryAfter(value: string | null, now = Date.now()): number {
  return retryAfterMs(value, now) ?? 1000;
}

/** Time for the leaky bucket to refill enough for the query that was refused. */
export function throttleWaitMs(cost: ShopifyQueryCost | null | undefined): number {
  const t = cost?.throttleStatus;
  if (!cost || !t || !(t.restoreRate > 0)) return 1000;
  const missing = Math.max(0, cost.requestedQueryCost - t.currentlyAvailable);
  // +50 ms: the bucket refills continuously and the server rounds; arriving a hair late beats a second refusal.
  return Math.ceil((missing / t.restoreRate) * 1000) + 50;
}

/** The Admin API version a channel uses unless its credentials name another. */
export const SHOPIFY_API_VERSION = '2025-10';

export function createShopifyAdminClient(opts: ShopifyAdminClientOptions): ShopifyAdminClient {
  const apiVersion = opts.apiVersion ?? SHOPIFY_API_VERSION;
  const base = (opts.baseUrl ?? `https://${opts.shopDomain}`).replace(/\/+$/, '');
  const url = `${base}/admin/api/${apiVersion}/graphql.json`;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? abortableSleep;
  const maxRetries = opts.maxRetries ?? 4;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const shop = opts.shopDomain;

  async function graphqlWithCost<T>(
    query: string,
    variables: Record<string, unknown> = {},
    signal?: AbortSignal,
  ): Promise<ShopifyGraphqlResult<T>> {
    // Throttling (429, GraphQL THROTTLED) exhausts as RATE_LIMITED, anything else as UPSTREAM, naming the last failure.
    const exhausted = (lastFailure: string, throttled: boolean) => () =>
      new DomainError(
        throttled ? 'RATE_LIMITED' : 'UPSTREAM',
        `Shopify ${shop} still failing after ${maxRetries + 1} attempts (last: ${lastFailure}).`,
      );
    return retrying(
      async () => {
        let res: Response;
        try {
          res = await doFetch(url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Accept: 'application/json',
              'X-Shopify-Access-Token': opts.accessToken,
            },
            body: JSON.stringify({ query, variables }),
            signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
          });
        } catch (e) {
          if (signal?.aborted) throw e;
          return retry(exhausted(`network error: ${(e as Error).message}`, false));
        }

        if (res.status === 401 || res.status === 403) {
          await res.body?.cancel();
          throw new DomainError(
            'NEEDS_RECONNECT',
            `Shopify rejected the access token for ${shop} (HTTP ${res.status}); the store must be reconnected.`,
          );
        }
        if (res.status === 429 || res.status === 503) {
          await res.body?.cancel();
          return retry(exhausted(`HTTP ${res.status}`, res.status === 429), parseRetryAfter(res.headers.get('retry-after')));
        }
        if (res.status >= 500) {
          await res.body?.cancel();
          return retry(exhausted(`HTTP ${res.status}`, false));
        }

        const text = await res.text();
        let body: { data?: T; errors?: GraphqlError[] | string; extensions?: { cost?: ShopifyQueryCost } };
        try {
          body = parseShopifyJson(text) as typeof body;
        } catch {
          throw new DomainError('UPSTREAM', `Shopify ${shop} answered HTTP ${res.status} with a body that is not JSON.`);
        }
        if (!res.ok) {
          throw new DomainError('UPSTREAM', `Shopify ${shop} answered HTTP ${res.status}: ${errorText(body.errors)}.`);
        }
        const cost = body.extensions?.cost ?? null;
        const errors = Array.isArray(body.errors) ? body.errors : body.errors ? [{ message: body.errors }] : [];
        if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
          return retry(exhausted('GraphQL THROTTLED', true), throttleWaitMs(cost));
        }
        if (errors.length > 0) {
          throw new DomainError('UPSTREAM', `Shopify ${shop} GraphQL error: ${errorText(errors)}.`);
        }
        if (body.data === undefined || body.data === null) {
          throw new DomainError('UPSTREAM', `Shopify ${shop} returned no data.`);
        }
        return done({ data: body.data, cost });
      },
      { maxAttempts: maxRetries + 1, backoff: jitteredBackoffMs, maxServerWaitMs: maxWaitMs, longServerWait: 'clamp', onlyServerWaits: opts.onlyServerWaits ?? false, sleep, signal },
    );
  }

  return {
    shopDomain: shop,
    graphqlWithCost,
    async graphql<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
      return (await graphqlWithCost<T>(query, variables, signal)).data;
    },
  };
}

function errorText(errors: GraphqlError[] | string | undefined): string {
  if (!errors) return 'no error message';
  if (typeof errors === 'string') return errors;
  return errors.map((e) => e.message ?? JSON.stringify(e)).join('; ');
}
