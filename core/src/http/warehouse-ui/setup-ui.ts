import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { completeFirstRunSetup, createSession, hasAnyTenant, type Language } from '../../auth/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError, type ErrorDetail } from '../../shared/domain-error.ts';
import { guardSetup } from '../routes/setup.ts';
import { isLanguage, translator } from './i18n.ts';
import { messagePage, type PageContext } from './layout.ts';
import { setupDoneScreen, type SetupForm, setupScreen } from './screens/setup-screen.ts';
import { setSessionCookie } from './web-session.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ctxFor = (lang: Language): PageContext => ({ lang, t: translator(lang), user: null });

/**
 * GET/POST /setup: the first-run page of an empty install. The one-time setup code (printed on
 * the server console) is what proves the person at the browser runs the server; it also makes a
 * cross-site form useless, as a forged post cannot know it. After setup the page answers 409.
 */
export function setupUi(deps: Deps, setupCode: string | null) {
  const ui = new Hono();
  ui.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'same-origin');
  });
  ui.use('*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('The form is larger than 16 KB.', 413) }));

  ui.get('/', async (c) => {
    const q = c.req.query('lang');
    const ctx = ctxFor(isLanguage(q) ? q : 'ro');
    if (await hasAnyTenant(deps.sql)) return c.html(messagePage(ctx, ctx.t('alreadySetUpTitle'), ctx.t('alreadySetUpText')), 409);
    return c.html(setupScreen(ctx, { form: {}, errors: [] }));
  });

  ui.post('/', async (c) => {
    const body = await c.req.parseBody();
    const f = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const lang = isLanguage(f('lang')) ? (f('lang') as Language) : 'ro';
    const ctx = ctxFor(lang);
    const form: SetupForm = { tenantName: f('tenantName').slice(0, 200), cui: f('cui').slice(0, 14), operatorName: f('operatorName').slice(0, 200), email: f('email').slice(0, 320) };
    try {
      await guardSetup(deps, setupCode, f('setupCode'));
      const r = await completeFirstRunSetup(deps.sql, { tenantName: form.tenantName ?? '', cui: form.cui || null, operatorName: form.operatorName ?? '', email: form.email ?? '', password: f('password').slice(0, 1024), language: lang });
      const s = await createSession(deps.sql, r.tenantId, r.userId, deps.now());
      setSessionCookie(c, s.sessionId);
      return c.html(setupDoneScreen(ctx, { tenantName: r.tenantName, email: r.email, apiKey: r.apiKey }), 201);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.code === 'CONFLICT') return c.html(messagePage(ctx, ctx.t('alreadySetUpTitle'), ctx.t('alreadySetUpText')), 409);
      const errors: ErrorDetail[] = e.details;
      return c.html(setupScreen(ctx, { form, errors, message: e.message }), e.code === 'FORBIDDEN' ? 403 : 400);
    }
  });
  return ui;
}
