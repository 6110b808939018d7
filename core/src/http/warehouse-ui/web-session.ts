import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { checkCsrf, findSession, SESSION_TTL_MS, type SessionUser } from '../../auth/index.ts';
import type { Language } from '../../auth/index.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { Deps } from '../../shared/deps.ts';
import { isLanguage, type Translate, translator } from './i18n.ts';
import { BASE } from './layout.ts';

export type UiEnv = { Variables: { session: SessionUser | null; lang: Language; t: Translate } };

export const SESSION_COOKIE = 'expedio_wh_session';
const LOGIN_CSRF_COOKIE = 'expedio_wh_login';

/** Behind a TLS-terminating proxy the request URL is http; the proxy says https in the header. */
export const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

const cookieOpts = (c: Context, maxAgeSeconds: number) =>
  ({ path: BASE, httpOnly: true, sameSite: 'Strict', secure: isHttps(c), maxAge: maxAgeSeconds }) as const;

export function setSessionCookie(c: Context, sessionId: string): void {
  setCookie(c, SESSION_COOKIE, sessionId, cookieOpts(c, Math.floor(SESSION_TTL_MS / 1000)));
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: BASE, secure: isHttps(c) });
}

/**
 * The login form has no session yet, so it is protected by a double-submit token: the same random
 * value in a SameSite=Strict cookie and in the form; a cross-site form cannot read or set the cookie.
 */
export function issueLoginToken(c: Context): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, LOGIN_CSRF_COOKIE, token, cookieOpts(c, 3600));
  return token;
}

export function checkLoginToken(c: Context, sent: string | undefined): void {
  const a = Buffer.from(getCookie(c, LOGIN_CSRF_COOKIE) ?? '');
  const b = Buffer.from(sent ?? '');
  if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new DomainError('FORBIDDEN', 'The login form expired; reload the page and try again.', [{ path: 'csrf', reason: 'login token missing or mismatched' }]);
  }
}

/** JSON for the pick screen's fetch() calls, HTML pages for everything else. */
export const wantsJson = (c: Context): boolean => (c.req.header('accept') ?? '').includes('application/json') || (c.req.header('content-type') ?? '').includes('application/json');

/** Loads the session (if any) and the language: ?lang= first, then the user's preference, else Romanian. */
export function loadSession(deps: Deps): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await findSession(deps.sql, id, deps.now()) : null;
    const q = c.req.query('lang');
    const lang: Language = isLanguage(q) ? q : (session?.language ?? 'ro');
    c.set('session', session);
    c.set('lang', lang);
    c.set('t', translator(lang));
    await next();
  };
}

/**
 * Every POST except the login form needs a session and its synchronizer token: the X-CSRF-Token
 * header for fetch(), the _csrf field for forms. Checked before any handler reads or writes.
 */
export function requireCsrf(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || c.req.path === `${BASE}/login`) return next();
    const session = c.get('session');
    if (!session) {
      if (wantsJson(c)) throw new DomainError('UNAUTHORIZED', 'Your session has ended; log in again.', [{ path: 'session', reason: 'no valid session' }]);
      return c.redirect(`${BASE}/login`, 303);
    }
    let sent = c.req.header('x-csrf-token');
    if (!sent) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody({ all: true });
        const v = body['_csrf'];
        sent = typeof v === 'string' ? v : undefined;
      }
    }
    checkCsrf(session, sent);
    return next();
  };
}

export function requireSession(c: Context<UiEnv>): SessionUser {
  const s = c.get('session');
  if (!s) throw new DomainError('UNAUTHORIZED', 'Log in to use the warehouse screens.', [{ path: 'session', reason: 'no valid session' }]);
  return s;
}
