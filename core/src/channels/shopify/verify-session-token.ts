import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../shared/domain-error.ts';
import { isShopifyGid } from './map-shopify-order.ts';

/**
 * App Bridge session tokens: HS256 JWTs signed with the app's API secret, valid for one minute.
 * Checked the way Shopify's own library does (`decode-session-token.ts`): HS256 only, 10 s clock
 * tolerance on exp/nbf, then `aud` must be our API key — a token minted for another app with the
 * same secret handling must not open our API.
 */
export interface ShopifySessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid?: string;
}

export interface VerifiedShopifySession {
  shopDomain: string;
  userId: string | null;
  sessionId: string | null;
}

const LEEWAY_SECONDS = 10;

const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');

function reject(reason: string, claim?: string): never {
  throw new DomainError('UNAUTHORIZED', `Shopify session token rejected: ${reason}.`, claim ? [{ path: `token.${claim}`, reason }] : []);
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the rejection below
  }
  return reject(`${what} is not a JSON object`);
}

export function verifyShopifySessionToken(
  token: string,
  opts: { apiKey: string; apiSecret: string; now?: () => number },
): VerifiedShopifySession {
  const parts = token.trim().split('.');
  if (parts.length !== 3) reject('not a JWT');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  // Pinning the algorithm is what stops `alg: none` and key-confusion tokens.
  if (header['alg'] !== 'HS256') reject(`algorithm ${String(header['alg'])} is not HS256`);

  const expected = createHmac('sha256', opts.apiSecret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) reject('bad signature');

  const claims = decodeJson(p, 'payload');
  const nowSec = Math.floor((opts.now ? opts.now() : Date.now()) / 1000);
  const exp = claims['exp'];
  const nbf = claims['nbf'];
  if (typeof exp !== 'number') reject('exp claim missing');
  if (nowSec - LEEWAY_SECONDS >= exp) reject('expired');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') reject('nbf claim is not a number');
    // A clock running a little behind Shopify's is the known cause of '"nbf" claim timestamp check failed'.
    if (nowSec + LEEWAY_SECONDS < nbf) reject('not yet valid (nbf)');
  }
  if (claims['aud'] !== opts.apiKey) reject('audience is not this app');

  const dest = claims['dest'];
  if (typeof dest !== 'string') reject('dest claim missing');
  let shopDomain: string;
  try {
    shopDomain = new URL(dest).hostname;
  } catch {
    return reject('dest is not a URL');
  }
  if (!shopDomain) reject('dest has no host');
  // dest is the shop's origin and nothing else: a path, a port or a non-myshopify host is not a shop.
  if (!/^https:\/\/[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/.test(dest)) reject('dest is not https://<shop>.myshopify.com', 'dest');

  const sub = claims['sub'];
  // The staff member's numeric id (or its gid://shopify/User/N); anything else is not Shopify's.
  if (sub !== undefined && sub !== '' && (typeof sub !== 'string' || !(/^\d{1,20}$/.test(sub) || isShopifyGid(sub, 'User')))) reject('sub is not a Shopify user id', 'sub');
  const sid = claims['sid'];
  return {
    shopDomain,
    userId: typeof sub === 'string' && sub !== '' ? sub : null,
    sessionId: typeof sid === 'string' && sid !== '' ? sid : null,
  };
}

/** Signs claims as App Bridge would; for tests and the fake Shopify. */
export function signShopifySessionToken(
  claims: Partial<ShopifySessionTokenClaims> & Record<string, unknown>,
  apiSecret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const h = b64url(JSON.stringify(header));
  const p = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', apiSecret).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${sig}`;
}
