import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { signShopifySessionToken, verifyShopifySessionToken } from '../../../core/src/channels/shopify/verify-session-token.ts';

/**
 * The fake Shopify's side of installing an app, as @shopify/shopify-api 15 speaks it
 * (lib/auth/oauth/{oauth,token-exchange,refresh-token}.ts, lib/utils/hmac-validator.ts):
 *
 * - Shopify-managed install: `GET /store/:store/oauth/install?client_id=` (where the app's login
 *   sends the merchant, `admin.shopify.com/store/<name>/oauth/install`) and
 *   `GET /admin/oauth/install?client_id=&scope=` (where the library sends a shop to grant scopes):
 *   the app is installed with the requested scopes and the admin opens the app's URL embedded, with
 *   `embedded=1&host&id_token&locale&session&shop&timestamp&hmac` (the id_token an App Bridge session token).
 * - Authorization code grant: `GET /admin/oauth/authorize?client_id&scope&redirect_uri&state&grant_options[]`
 *   → 302 to `redirect_uri?code&hmac&host&shop&state&timestamp` (hmac = hex HMAC-SHA256 of the
 *   sorted query without hmac, key = app secret); then `POST /admin/oauth/access_token`
 *   `{ client_id, client_secret, code, expiring }`.
 * - Token exchange: `POST /admin/oauth/access_token` `{ client_id, client_secret, grant_type:
 *   urn:ietf:params:oauth:grant-type:token-exchange, subject_token, subject_token_type,
 *   requested_token_type, expiring }`; a bad session token → 400 `invalid_subject_token`.
 * - Refresh: `{ client_id, client_secret, grant_type: refresh_token, refresh_token }`.
 *
 * Answers: `{ access_token, scope }`, with `expires_in, refresh_token, refresh_token_expires_in`
 * for expiring offline tokens (`expiring: "1"`; 1 h / 90 days) and `expires_in,
 * associated_user_scope, associated_user` for online ones. Every token issued is remembered so
 * the Admin API accepts exactly the live ones; an uninstall revokes them all.
 */
export interface IssuedToken {
  token: string;
  kind: 'offline' | 'online';
  grant: 'authorization_code' | 'token_exchange' | 'refresh_token';
  scopes: string;
  expiresAt: number | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: number | null;
  revoked: boolean;
}

export interface FakeShopifyOAuth {
  /** Whether the app is installed on the shop (managed install, or an authorization code exchanged). */
  installed: boolean;
  /** The scopes the shop granted the app. */
  grantedScopes: string;
  /** Where the admin opens the app (application_url of shopify.app.toml); the managed install redirects there. */
  appUrl: string | null;
  tokens: IssuedToken[];
  /** The token-endpoint calls, secrets left out. */
  tokenRequests: { grantType: string; expiring: string | null; requestedTokenType: string | null }[];
  isLiveToken(token: string | null): boolean;
  /** An App Bridge session token for the shop (what the admin puts in id_token and the Bearer header). */
  sessionToken(o?: { ttlSeconds?: number; secret?: string; userId?: string }): string;
  /** The URL the admin frames when the merchant opens the app: application_url + the embedded params. */
  embeddedAppUrl(path?: string): string;
  /** The shop's admin host parameter, base64url of `admin.shopify.com/store/<name>`. */
  readonly host: string;
  /** Expires every live access token now (the clock of the fake jumps past their expiry). */
  expireAccessTokens(): void;
  revokeAll(): void;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ONLINE = 'urn:shopify:params:oauth:token-type:online-access-token';
const OFFLINE_TTL_S = 3600;
const REFRESH_TTL_S = 7_776_000;

/** Shopify's query HMAC: hex HMAC-SHA256 over `k=v` pairs sorted by key, joined with `&`, hmac and signature left out. */
export function shopifyQueryHmac(params: URLSearchParams, secret: string): string {
  const pairs = [...params.entries()].filter(([k]) => k !== 'hmac' && k !== 'signature').sort(([a], [b]) => a.localeCompare(b));
  const message = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function installOAuthRoutes(
  app: Hono,
  o: { shopDomain: string; apiKey: string; apiSecret: string; scopes: string; appUrl: string | null; now: () => number; preinstalled: boolean; fixedAccessToken: string },
): FakeShopifyOAuth {
  const storeName = o.shopDomain.replace(/\.myshopify\.com$/, '');
  const host = Buffer.from(`admin.shopify.com/store/${storeName}`).toString('base64url');
  const codes = new Map<string, { scopes: string; online: boolean; expiresAt: number }>();
  const nowS = () => Math.floor(o.now() / 1000);
  let skewMs = 0;

  const state: FakeShopifyOAuth = {
    installed: o.preinstalled,
    grantedScopes: o.scopes,
    appUrl: o.appUrl,
    tokens: [],
    tokenRequests: [],
    host,
    isLiveToken(token) {
      if (!token) return false;
      // The token a test gave the fake up front (connections made before it spoke OAuth).
      if (token === o.fixedAccessToken) return state.installed;
      const t = state.tokens.find((x) => x.token === token);
      return !!t && !t.revoked && (t.expiresAt === null || t.expiresAt > o.now() + skewMs);
    },
    sessionToken(s = {}) {
      const now = nowS();
      return signShopifySessionToken(
        {
          iss: `https://${o.shopDomain}/admin`,
          dest: `https://${o.shopDomain}`,
          aud: o.apiKey,
          sub: s.userId ?? '42',
          exp: now + (s.ttlSeconds ?? 60),
          nbf: now - 1,
          iat: now - 1,
          jti: randomUUID(),
          sid: randomUUID(),
        },
        s.secret ?? o.apiSecret,
      );
    },
    embeddedAppUrl(path = '') {
      if (!state.appUrl) throw new Error('the fake Shopify has no appUrl: the admin does not know where the app lives');
      const params = new URLSearchParams({
        embedded: '1',
        host,
        id_token: state.sessionToken(),
        locale: 'en',
        session: randomBytes(16).toString('hex'),
        shop: o.shopDomain,
        timestamp: String(nowS()),
      });
      params.set('hmac', shopifyQueryHmac(params, o.apiSecret));
      return `${state.appUrl.replace(/\/+$/, '')}${path}?${params}`;
    },
    expireAccessTokens() {
      const latest = Math.max(0, ...state.tokens.filter((t) => t.expiresAt !== null).map((t) => t.expiresAt! - o.now()));
      skewMs += latest + 1000;
    },
    revokeAll() {
      for (const t of state.tokens) t.revoked = true;
    },
  };

  function issue(kind: 'offline' | 'online', grant: IssuedToken['grant'], scopes: string, expiring: boolean) {
    const t: IssuedToken = {
      token: `shpat_${randomBytes(16).toString('hex')}`,
      kind,
      grant,
      scopes,
      expiresAt: kind === 'online' ? o.now() + skewMs + 86_399_000 : expiring ? o.now() + skewMs + OFFLINE_TTL_S * 1000 : null,
      refreshToken: kind === 'offline' && expiring ? `shprt_${randomBytes(16).toString('hex')}` : null,
      refreshTokenExpiresAt: kind === 'offline' && expiring ? o.now() + skewMs + REFRESH_TTL_S * 1000 : null,
      revoked: false,
    };
    state.tokens.push(t);
    const body: Record<string, unknown> = { access_token: t.token, scope: scopes };
    if (kind === 'online') {
      Object.assign(body, {
        expires_in: 86_399,
        associated_user_scope: scopes,
        associated_user: { id: 42, first_name: 'Ana', last_name: 'Pop', email: 'ana@example.test', email_verified: true, account_owner: true, locale: 'ro', collaborator: false },
      });
    } else if (t.refreshToken) {
      Object.assign(body, { expires_in: OFFLINE_TTL_S, refresh_token: t.refreshToken, refresh_token_expires_in: REFRESH_TTL_S });
    }
    return body;
  }

  const install = (scopes: string | undefined) => {
    state.installed = true;
    if (scopes) state.grantedScopes = scopes;
  };

  // The admin's install page of a Shopify-managed install: approve, then open the app embedded.
  const managedInstall = (clientId: string | undefined, scopes: string | undefined) => {
    if (clientId !== o.apiKey) return null;
    install(scopes);
    return state.embeddedAppUrl();
  };
  app.get('/store/:store/oauth/install', (c) => {
    if (c.req.param('store') !== storeName) return c.text(`No store ${c.req.param('store')}`, 404);
    const next = managedInstall(c.req.query('client_id'), undefined);
    return next ? c.redirect(next, 302) : c.text('Unknown client_id', 400);
  });
  app.get('/admin/oauth/install', (c) => {
    const next = managedInstall(c.req.query('client_id'), c.req.query('scope'));
    return next ? c.redirect(next, 302) : c.text('Unknown client_id', 400);
  });

  app.get('/admin/oauth/authorize', (c) => {
    const q = new URL(c.req.url).searchParams;
    if (q.get('client_id') !== o.apiKey) return c.text('Oauth error invalid_request: The client_id is invalid', 400);
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return c.text('Oauth error invalid_request: The redirect_uri is missing or not whitelisted', 400);
    const scopes = q.get('scope') || o.scopes;
    install(scopes);
    const code = randomBytes(16).toString('hex');
    codes.set(code, { scopes, online: q.get('grant_options[]') === 'per-user', expiresAt: o.now() + 60_000 });
    const back = new URL(redirectUri);
    const params = new URLSearchParams({ code, host, shop: o.shopDomain, state: q.get('state') ?? '', timestamp: String(nowS()) });
    params.set('hmac', shopifyQueryHmac(params, o.apiSecret));
    back.search = params.toString();
    return c.redirect(back.toString(), 302);
  });

  app.post('/admin/oauth/access_token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    let body: Record<string, unknown>;
    try {
      body = /x-www-form-urlencoded/i.test(type) ? Object.fromEntries(new URLSearchParams(await c.req.text())) : await c.req.json();
    } catch {
      return c.json({ error: 'invalid_request', error_description: 'body must be JSON' }, 400);
    }
    const grantType = typeof body.grant_type === 'string' ? body.grant_type : 'authorization_code';
    const expiring = body.expiring === '1' || body.expiring === 1;
    state.tokenRequests.push({ grantType, expiring: body.expiring === undefined ? null : String(body.expiring), requestedTokenType: (body.requested_token_type as string | undefined) ?? null });
    if (body.client_id !== o.apiKey || body.client_secret !== o.apiSecret) {
      return c.json({ error: 'invalid_client', error_description: 'Client credentials are invalid' }, 401);
    }
    if (grantType === TOKEN_EXCHANGE) {
      try {
        const session = verifyShopifySessionToken(String(body.subject_token ?? ''), { apiKey: o.apiKey, apiSecret: o.apiSecret, now: o.now });
        if (session.shopDomain !== o.shopDomain) throw new Error('token for another shop');
      } catch {
        // Shopify answers an expired or forged session token with 400 Bad Request.
        return c.json({ error: 'invalid_subject_token', error_description: 'Session token is invalid' }, 400);
      }
      if (!state.installed) return c.json({ error: 'invalid_request', error_description: 'The app is not installed on this shop' }, 400);
      const online = body.requested_token_type === ONLINE;
      return c.json(issue(online ? 'online' : 'offline', 'token_exchange', state.grantedScopes, expiring));
    }
    if (grantType === 'refresh_token') {
      const old = state.tokens.find((t) => t.refreshToken && t.refreshToken === body.refresh_token);
      if (!old || old.revoked || (old.refreshTokenExpiresAt ?? 0) <= o.now() + skewMs || !state.installed) {
        return c.json({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' }, 400);
      }
      // The refresh token is used once: the old pair is replaced by the new one.
      old.revoked = true;
      return c.json(issue('offline', 'refresh_token', old.scopes, true));
    }
    if (grantType === 'authorization_code') {
      const grant = codes.get(String(body.code ?? ''));
      codes.delete(String(body.code ?? ''));
      if (!grant || grant.expiresAt < o.now()) return c.json({ error: 'invalid_request', error_description: 'The authorization code was not found or was already used' }, 400);
      return c.json(issue(grant.online ? 'online' : 'offline', 'authorization_code', grant.scopes, expiring));
    }
    return c.json({ error: 'unsupported_grant_type' }, 400);
  });

  return state;
}
