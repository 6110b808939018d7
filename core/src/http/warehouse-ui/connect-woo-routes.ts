import type { Context, Hono } from 'hono';
import { requirePermission } from '../../auth/index.ts';
import { grantConnectCode, normalizeStoreUrl } from '../../channels/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { BASE } from './layout.ts';
import { connectWooGrantedScreen, connectWooScreen, type ConnectWooRequestView } from './screens/connect-woo-screen.ts';
import type { UiEnv } from './web-session.ts';

/**
 * /warehouse/connect/woocommerce — where the Expedio plugin sends the store admin's browser:
 * `?store_url=<home_url>&return_url=<the plugin's admin-post URL>&state=<the plugin's nonce>`.
 * A manager of the tenant logs in (if not yet), sees which store asks, and allows it; the browser
 * goes back to `return_url` with `expedio_code` (one-time, ten minutes, this store only) and `state`.
 * Cancel goes back with `expedio_error=access_denied`.
 */
export function connectWooRoutes(ui: Hono<UiEnv>, deps: Deps): void {
  ui.get('/connect/woocommerce', (c) => {
    const user = c.get('session');
    const url = new URL(c.req.url);
    if (!user) return c.redirect(`${BASE}/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    requirePermission(user, 'channel.connect');
    const req = readRequest((name) => c.req.query(name));
    return c.html(connectWooScreen(ctxOf(c), user, req, backTo(req, { expedio_error: 'access_denied' })));
  });

  ui.post('/connect/woocommerce', async (c) => {
    const user = c.get('session');
    if (!user) throw new DomainError('UNAUTHORIZED', 'Log in to connect a store.', [{ path: 'session', reason: 'no valid session' }]);
    requirePermission(user, 'channel.connect');
    const body = await c.req.parseBody();
    const req = readRequest((name) => (typeof body[name] === 'string' ? (body[name] as string) : undefined));
    const { code } = await grantConnectCode(deps.sql, user.tenantId, { storeUrl: req.storeUrl, userId: user.userId }, deps.now());
    return c.html(connectWooGrantedScreen(ctxOf(c), backTo(req, { expedio_code: code })));
  });
}

const ctxOf = (c: Context<UiEnv>) => ({ lang: c.get('lang'), t: c.get('t'), user: c.get('session') });

/**
 * The code goes back only to the store that asked: `return_url` must be on the store URL's own
 * origin, so a link made by someone else cannot send a manager's grant to their site.
 */
function readRequest(get: (name: string) => string | undefined): ConnectWooRequestView {
  const storeUrl = normalizeStoreUrl(get('store_url') ?? '');
  const returnRaw = get('return_url') ?? '';
  let returnUrl: URL;
  try {
    returnUrl = new URL(returnRaw);
  } catch {
    throw new DomainError('VALIDATION', 'return_url is not a URL.', [{ path: 'return_url', reason: 'not a URL' }]);
  }
  if (returnUrl.origin !== new URL(storeUrl).origin) {
    throw new DomainError('VALIDATION', `return_url must be on the store (${new URL(storeUrl).origin}).`, [{ path: 'return_url', reason: 'not on the store’s origin' }]);
  }
  const state = get('state') ?? '';
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(state)) {
    throw new DomainError('VALIDATION', 'state must be 16–128 letters, digits, - or _.', [{ path: 'state', reason: 'missing or malformed' }]);
  }
  return { storeUrl, returnUrl: returnUrl.toString(), state };
}

function backTo(req: ConnectWooRequestView, params: Record<string, string>): string {
  const url = new URL(req.returnUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  url.searchParams.set('state', req.state);
  return url.toString();
}
