/**
 * Client for the Expedio core's HTTP API. The core owns all orders; this app only renders them.
 *
 * The core authenticates the merchant itself from the App Bridge session token (HS256 with the
 * app secret, aud = API key, dest → shop → tenant), so the app forwards the raw JWT of the
 * current request instead of sharing a service credential that could read every tenant.
 */

import { APPROVAL_STATUSES, type ApprovalStatus, type OrderAwb, type OrderListRow as CoreOrderSummary, type OrderStatus } from './generated/expedio-api';

export type { ApprovalStatus, OrderStatus };

/** The fields of the core's OrderSummary (generated from its contracts) that this app reads. */
export type OrderSummary = Pick<
  CoreOrderSummary,
  'id' | 'channelId' | 'externalOrderId' | 'externalNumber' | 'statusCode' | 'approvalStatus' | 'paymentStatus' | 'holdReason' | 'total' | 'currency' | 'clientName' | 'createdAt'
> & {
  // Open beyond the known statuses: a status added to the core before this app is redeployed
  // must not break the list; the UI shows unknown ones with a neutral badge.
  status: OrderStatus | (string & {});
  /** The order's live AWBs; a core from before the AWB column sends none. */
  awbs: OrderAwb[];
};

export type OrdersPage = { orders: OrderSummary[]; nextCursor: string | null };

export class ExpedioCoreError extends Error {
  override readonly name = 'ExpedioCoreError';
  constructor(
    message: string,
    readonly status: number,
    // The core's own error code when it sent one; otherwise UNAUTHENTICATED, UPSTREAM,
    // UNREACHABLE or INVALID_RESPONSE, decided here.
    readonly code: string,
  ) {
    super(message);
  }
}

export type ListOrdersOptions = {
  cursor?: string | null;
  status?: string | null;
  /** A tab of several statuses, comma-separated. */
  statuses?: string | null;
  /** The store's order number or id. */
  q?: string | null;
  limit?: number;
  coreUrl?: string;
  fetch?: typeof fetch;
};

export async function listOrders(sessionToken: string, options: ListOrdersOptions = {}): Promise<OrdersPage> {
  const coreUrl = options.coreUrl ?? process.env.EXPEDIO_CORE_URL;
  if (!coreUrl) throw new ExpedioCoreError('EXPEDIO_CORE_URL is not set; the app cannot reach the Expedio core.', 500, 'UNREACHABLE');

  const url = new URL('/api/v1/orders', coreUrl);
  url.searchParams.set('limit', String(options.limit ?? 50));
  if (options.cursor) url.searchParams.set('cursor', options.cursor);
  if (options.status) url.searchParams.set('status', options.status);
  if (options.statuses) url.searchParams.set('statuses', options.statuses);
  if (options.q) url.searchParams.set('q', options.q);

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${sessionToken}`, Accept: 'application/json' },
      // A loader waiting on a hung core would leave the merchant on a blank admin frame.
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, timeout) in cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ExpedioCoreError(`The Expedio core at ${url.origin} could not be reached: ${reason}.`, 502, 'UNREACHABLE');
  }

  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const coreError = readCoreError(body);
    const message = coreError?.message ?? `The Expedio core answered HTTP ${response.status} without an error message.`;
    throw new ExpedioCoreError(message, response.status, coreError?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'UPSTREAM'));
  }
  return parseOrdersPage(body);
}

/**
 * The raw session token of this request: App Bridge sends it as `Authorization: Bearer` on
 * fetches and as the `id_token` query parameter on document loads. Call after
 * `authenticate.admin(request)`, which has already verified it.
 */
export function sessionTokenFromRequest(request: Request): string {
  const header = request.headers.get('authorization');
  const bearer = header?.match(/^Bearer (.+)$/i)?.[1];
  const token = bearer ?? new URL(request.url).searchParams.get('id_token');
  if (!token) throw new Response('Missing session token', { status: 401 });
  return token;
}

function readCoreError(body: unknown): { code: string; message: string } | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message } = body.error;
  if (typeof message !== 'string') return undefined;
  return { code: typeof code === 'string' ? code : 'UPSTREAM', message };
}

// Hand-written rather than zod: zod is not a dependency of the app and this is the only shape
// it reads. The error names the first bad path so a contract drift is obvious in the logs.
export function parseOrdersPage(body: unknown): OrdersPage {
  const fail = (path: string, expected: string): never => {
    throw new ExpedioCoreError(`The Expedio core sent an unexpected orders list: ${path} should be ${expected}.`, 502, 'INVALID_RESPONSE');
  };
  if (!isRecord(body)) return fail('the body', 'an object');
  if (!Array.isArray(body.orders)) return fail('orders', 'an array');
  const nextCursor = body.nextCursor ?? null;
  if (nextCursor !== null && typeof nextCursor !== 'string') return fail('nextCursor', 'a string or null');

  const orders = body.orders.map((raw: unknown, i): OrderSummary => {
    const at = `orders[${i}]`;
    if (!isRecord(raw)) return fail(at, 'an object');
    const str = (key: string): string => {
      const value = raw[key];
      return typeof value === 'string' ? value : fail(`${at}.${key}`, 'a string');
    };
    const strOrNull = (key: string): string | null => {
      const value = raw[key] ?? null;
      return value === null || typeof value === 'string' ? value : fail(`${at}.${key}`, 'a string or null');
    };
    const statusCode = raw.statusCode;
    if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) return fail(`${at}.statusCode`, 'an integer');
    const approvalStatus = strOrNull('approvalStatus');
    if (approvalStatus !== null && !isApprovalStatus(approvalStatus)) return fail(`${at}.approvalStatus`, `${APPROVAL_STATUSES.join(', ')} or null`);
    const total = str('total');
    if (!/^-?\d+(\.\d+)?$/.test(total)) return fail(`${at}.total`, 'a decimal string');
    const createdAt = str('createdAt');
    if (Number.isNaN(Date.parse(createdAt))) return fail(`${at}.createdAt`, 'an ISO date');
    return {
      id: str('id'),
      channelId: str('channelId'),
      externalOrderId: str('externalOrderId'),
      externalNumber: strOrNull('externalNumber'),
      status: str('status'),
      statusCode,
      approvalStatus,
      paymentStatus: str('paymentStatus'),
      holdReason: strOrNull('holdReason'),
      total,
      currency: str('currency'),
      clientName: strOrNull('clientName'),
      createdAt,
      awbs: parseAwbs(raw.awbs, `${at}.awbs`, fail),
    };
  });
  return { orders, nextCursor };
}

function parseAwbs(value: unknown, at: string, fail: (path: string, expected: string) => never): OrderAwb[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(at, 'an array');
  return value.map((a: unknown, i): OrderAwb => {
    if (!isRecord(a) || typeof a.shipmentId !== 'string' || typeof a.courier !== 'string' || typeof a.status !== 'string') return fail(`${at}[${i}]`, 'an AWB (shipmentId, courier, status)');
    const awb = typeof a.awb === 'string' ? a.awb : null;
    const trackingUrl = typeof a.trackingUrl === 'string' && /^https?:\/\//.test(a.trackingUrl) ? a.trackingUrl : null;
    return { shipmentId: a.shipmentId, courier: a.courier, awb, trackingUrl, status: a.status };
  });
}

function isApprovalStatus(value: string): value is ApprovalStatus {
  return (APPROVAL_STATUSES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
