import { html } from 'hono/html';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';

export function loginScreen(
  ctx: PageContext,
  o: { token: string; email?: string; error?: string; tenants?: Array<{ id: string; name: string }>; next?: string; langChosen?: boolean },
): Markup {
  const { t } = ctx;
  return page(
    ctx,
    t('login'),
    html`<section class="card">
  <h1>${t('login')}</h1>
  ${o.error ? html`<p class="alert error" role="alert">${o.error}</p>` : ''}
  ${o.tenants ? html`<p class="alert warn">${t('chooseWorkspace')}</p>` : ''}
  <form method="post" action="${BASE}/login" autocomplete="on">
    <input type="hidden" name="_login" value="${o.token}">
    ${o.langChosen ? html`<input type="hidden" name="lang" value="${ctx.lang}">` : ''}
    ${o.next ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
    <label for="email">${t('email')}</label>
    <input id="email" name="email" type="email" inputmode="email" autocomplete="username" required value="${o.email ?? ''}">
    <label for="password">${t('password')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    ${
      o.tenants
        ? html`<label for="tenant">${t('workspace')}</label>
    <select id="tenant" name="tenant" required>${o.tenants.map((w) => html`<option value="${w.id}">${w.name}</option>`)}</select>`
        : ''
    }
    <div class="actions"><button class="btn block" type="submit">${t('login')}</button></div>
  </form>
</section>`,
  );
}
