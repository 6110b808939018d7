import { Hono } from 'hono';
import type { Language } from '../auth/index.ts';
import { completeAnafAuthorization, tenantOfAnafState } from '../invoicing/index.ts';
import type { Deps } from '../shared/deps.ts';
import { DomainError } from '../shared/domain-error.ts';
import { anafCallbackScreen } from './warehouse-ui/screens/anaf-callback-screen.ts';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** ?lang= first, then the browser's first preference between Romanian and English; Romanian by default. */
function languageOf(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query === 'ro' || query === 'en') return query;
  const first = /\b(ro|en)\b/i.exec(acceptLanguage ?? '')?.[1]?.toLowerCase();
  return first === 'en' ? 'en' : 'ro';
}

/**
 * GET /invoicing/anaf/callback: where ANAF's authorize page sends the operator's browser back with
 * `code` and `state` (or `error`). The state, random per started authorization, names the tenant;
 * the code is exchanged through the ANAF adapter at once, and the page says what happened.
 */
export function anafCallbackRouter(deps: Deps) {
  const r = new Hono();
  r.get('/callback', async (c) => {
    const lang = languageOf(c.req.query('lang'), c.req.header('accept-language'));
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    const fail = (status: 400 | 502, reason: string) => c.html(anafCallbackScreen(lang, { ok: false, reason }), status);
    const error = c.req.query('error');
    if (error) return fail(400, `${error}${c.req.query('error_description') ? `: ${c.req.query('error_description')}` : ''}`.slice(0, 300));
    const code = c.req.query('code') ?? '';
    const state = c.req.query('state') ?? '';
    if (!code || code.length > 4000) return fail(400, lang === 'ro' ? 'ANAF nu a trimis codul de autorizare.' : 'ANAF sent no authorization code.');
    const tenantId = await tenantOfAnafState(deps.sql, state);
    if (!tenantId) return fail(400, lang === 'ro' ? 'Răspunsul nu corespunde ultimei autorizări pornite (sau a fost deja folosit).' : 'The answer does not match the last authorization started (or was already used).');
    try {
      await completeAnafAuthorization(deps.sql, deps.box, tenantId, code, state, deps.fetch ? { fetch: deps.fetch } : {});
    } catch (e) {
      if (e instanceof DomainError) return fail(e.code === 'UPSTREAM' ? 502 : 400, e.message);
      throw e;
    }
    return c.html(anafCallbackScreen(lang, { ok: true }), 200);
  });
  return r;
}
