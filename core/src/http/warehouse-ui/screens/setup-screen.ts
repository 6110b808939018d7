import { html } from 'hono/html';
import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';

export interface SetupForm {
  tenantName?: string;
  cui?: string;
  operatorName?: string;
  email?: string;
}

const errorFor = (errors: ErrorDetail[], path: string) => {
  const e = errors.find((d) => d.path === path);
  return e ? html`<p class="field-error" id="${path}-error" role="alert">${e.reason}</p>` : '';
};

/** GET /setup: the first-run form of an empty install. */
export function setupScreen(ctx: PageContext, o: { form: SetupForm; errors: ErrorDetail[]; message?: string }): Markup {
  const { t } = ctx;
  const input = (name: string, label: string, type: string, value: string | undefined, extra: { required?: boolean; autocomplete?: string } = {}) => html`<label for="${name}">${label}</label>
    <input id="${name}" name="${name}" type="${type}" value="${value ?? ''}" ${extra.required === false ? '' : 'required'} autocomplete="${extra.autocomplete ?? 'off'}" aria-invalid="${o.errors.some((e) => e.path === name) ? 'true' : 'false'}">
    ${errorFor(o.errors, name)}`;
  return page(
    ctx,
    t('setupTitle'),
    html`<section class="card">
  <h1>${t('setupTitle')}</h1>
  <p class="muted">${t('setupIntro')}</p>
  ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ''}
  <form method="post" action="/setup" autocomplete="off">
    <input type="hidden" name="lang" value="${ctx.lang}">
    ${input('setupCode', t('setupCode'), 'text', undefined)}
    ${input('tenantName', t('tenantName'), 'text', o.form.tenantName, { autocomplete: 'organization' })}
    ${input('cui', t('cuiOptional'), 'text', o.form.cui, { required: false })}
    ${input('operatorName', t('yourName'), 'text', o.form.operatorName, { autocomplete: 'name' })}
    ${input('email', t('email'), 'email', o.form.email, { autocomplete: 'username' })}
    ${input('password', t('passwordHint'), 'password', undefined, { autocomplete: 'new-password' })}
    <div class="actions"><button class="btn block" type="submit">${t('setupSubmit')}</button></div>
  </form>
</section>`,
  );
}

/** After setup: the API key, once, and the way into the settings. */
export function setupDoneScreen(ctx: PageContext, o: { tenantName: string; email: string; apiKey: string }): Markup {
  const { t } = ctx;
  return page(
    ctx,
    t('setupDoneTitle'),
    html`<section class="card" data-result="set-up">
  <h1>${t('setupDoneTitle')}</h1>
  <p class="alert ok" role="status">${o.tenantName} · ${o.email}</p>
  <p>${t('setupDoneText')}</p>
  <label for="apiKey">${t('apiKey')}</label>
  <input id="apiKey" readonly value="${o.apiKey}" data-api-key>
  <p><a class="btn block" href="${BASE}/settings">${t('openSettings')}</a></p>
</section>`,
  );
}
