/**
 * The app tells the Expedio core that a shop installed it (or authorised it again), and asks the
 * core whether it can still work with the shop. The core owns the tenant, the channel and the
 * shop's offline token; this app only obtains the token from Shopify and hands it over.
 *
 * The calls are authenticated the way the core already checks the embedded app: a session token
 * (HS256 with the app secret, `aud` = the API key, `dest` = the shop). afterAuth has no request
 * token at hand, so the app signs one with the same claims for its own call; the core verifies it
 * with the app's one secret, the shop being possibly new to it.
 */

import { createHmac, randomUUID } from 'node:crypto';
import type { Session } from '@shopify/shopify-api';
import { ExpedioCoreError } from './expedio-core.server';
import type { ShopifyInstallation, ShopifyInstallationRequest, ShopifyInstallationState } from './generated/expedio-api';

export type { ShopifyInstallation, ShopifyInstallationState };

export type CoreCallOptions = { coreUrl?: string; apiKey?: string; apiSecret?: string; fetch?: typeof fetch };

/** A session token for the shop signed by this app's server (one minute), as App Bridge would sign it. */
export function signAppSessionToken(shop: string, options: { apiKey?: string; apiSecret?: string } = {}): string {
  const apiKey = options.apiKey ?? process.env.SHOPIFY_API_KEY ?? '';
  const apiSecret = options.apiSecret ?? process.env.SHOPIFY_API_SECRET ?? '';
  const now = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    exp: now + 60,
    nbf: now - 1,
    iat: now - 1,
    jti: randomUUID(),
  })}`;
  return `${unsigned}.${createHmac('sha256', apiSecret).update(unsigned).digest('base64url')}`;
}

/** What afterAuth hands the core: the offline token with its expiry and refresh token (expiring offline tokens). */
export function installationRequest(session: Session): ShopifyInstallationRequest {
  if (!session.accessToken) throw new ExpedioCoreError(`The session of ${session.shop} has no access token to hand to the Expedio core.`, 500, 'INVALID_SESSION');
  return {
    shop: session.shop,
    accessToken: session.accessToken,
    scope: session.scope ?? '',
    expires: session.expires ? session.expires.toISOString() : null,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ? session.refreshTokenExpires.toISOString() : null,
  };
}

/** POST /api/v1/installations/shopify: the core creates or reuses the shop's tenant and channel and stores the token. */
export async function reportInstallation(session: Session, options: CoreCallOptions = {}): Promise<ShopifyInstallation> {
  const body = installationRequest(session);
  return (await callCore('POST', session.shop, options, body)) as ShopifyInstallation;
}

/** GET /api/v1/installations/shopify with the request's own session token: is the shop connected, or must it be authorised again. */
export async function getInstallationState(sessionToken: string, shop: string, options: CoreCallOptions = {}): Promise<ShopifyInstallationState> {
  return (await callCore('GET', shop, { ...options, bearer: sessionToken })) as ShopifyInstallationState;
}

async function callCore(method: 'GET' | 'POST', shop: string, options: CoreCallOptions & { bearer?: string }, body?: unknown): Promise<unknown> {
  const coreUrl = options.coreUrl ?? process.env.EXPEDIO_CORE_URL;
  if (!coreUrl) throw new ExpedioCoreError('EXPEDIO_CORE_URL is not set; the app cannot reach the Expedio core.', 500, 'UNREACHABLE');
  const url = new URL('/api/v1/installations/shopify', coreUrl);
  const bearer = options.bearer ?? signAppSessionToken(shop, options);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new ExpedioCoreError(`The Expedio core at ${url.origin} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}.`, 502, 'UNREACHABLE');
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = typeof error?.message === 'string' ? error.message : `The Expedio core answered HTTP ${response.status} without an error message.`;
    throw new ExpedioCoreError(message, response.status, typeof error?.code === 'string' ? error.code : 'UPSTREAM');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ExpedioCoreError('The Expedio core sent an installation answer that is not a JSON object.', 502, 'INVALID_RESPONSE');
  return parsed;
}
