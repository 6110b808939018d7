import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { can } from '../../auth/index.ts';
import type { SessionUser, Language } from '../../auth/index.ts';
import type { Translate } from './i18n.ts';
import { returnWords } from './return-words.ts';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageContext {
  lang: Language;
  t: Translate;
  user: SessionUser | null;
  /** Path without the /warehouse prefix, to mark the active tab. */
  active?: 'pick' | 'notes' | 'stock' | 'movements' | 'catalog' | 'settings' | 'orders' | 'clients' | 'receive' | 'reports' | 'returns' | 'quarantine';
}

export const BASE = '/warehouse';

/**
 * The page shell. Scripts and styles are files under /warehouse/assets so the CSP can forbid every
 * inline script and style; the CSRF token reaches scripts through a meta tag, never a global.
 */
export function page(ctx: PageContext, title: string, body: Markup, opts: { scripts?: string[]; pageId?: string } = {}): Markup {
  const { t, user } = ctx;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light">
${user ? html`<meta name="csrf-token" content="${user.csrfToken}">` : ''}
<title>${title} · ${t('appName')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}/assets/app.css">
${(opts.scripts ?? []).map((s) => html`<script src="${BASE}/assets/${s}" defer></script>`)}
</head>
<body data-page="${opts.pageId ?? ''}">
<header class="top">
  <a class="brand" href="${BASE}/">${t('appName')}</a>
  ${
    user
      ? html`<form method="post" action="${BASE}/logout" class="logout">
      <input type="hidden" name="_csrf" value="${user.csrfToken}">
      <span class="who">${user.name}</span>
      <button type="submit" class="link">${t('logout')}</button>
    </form>`
      : html`<nav class="lang"><a href="?lang=ro">RO</a> · <a href="?lang=en">EN</a></nav>`
  }
</header>
${
  user
    ? html`<nav class="tabs">
  <a href="${BASE}/pick-lists" class="${ctx.active === 'pick' ? 'on' : ''}">${t('pickLists')}</a>
  <a href="${BASE}/delivery-notes" class="${ctx.active === 'notes' ? 'on' : ''}">${t('deliveryNotes')}</a>
  <a href="${BASE}/stock" class="${ctx.active === 'stock' ? 'on' : ''}">${t('stock')}</a>
  ${!can(user.role, 'stock_movement.view') ? '' : html`<a href="${BASE}/stock-movements" class="${ctx.active === 'movements' ? 'on' : ''}">${t('movementsTab')}</a>`}
  ${!can(user.role, 'stock.receive') ? '' : html`<a href="${BASE}/receive" class="${ctx.active === 'receive' ? 'on' : ''}" id="tab-receive">${t('receiveTab')}</a>`}
  ${!can(user.role, 'order.view') ? '' : html`<a href="${BASE}/orders" class="${ctx.active === 'orders' ? 'on' : ''}">${t('ordersTab')}</a>`}
  ${!can(user.role, 'client.manage') ? '' : html`<a href="${BASE}/clients" class="${ctx.active === 'clients' ? 'on' : ''}">${t('clientsTab')}</a>`}
  ${!can(user.role, 'catalog.manage') ? '' : html`<a href="${BASE}/catalog" class="${ctx.active === 'catalog' ? 'on' : ''}">${t('catalogTab')}</a>`}
  ${!can(user.role, 'settings.manage') ? '' : html`<a href="${BASE}/settings" class="${ctx.active === 'settings' ? 'on' : ''}">${t('settings')}</a>`}
  ${!can(user.role, 'report.view') ? '' : html`<a href="${BASE}/reports" class="${ctx.active === 'reports' ? 'on' : ''}" id="tab-reports">${t('reportsTab')}</a>`}
  ${!can(user.role, 'return.view') ? '' : html`<a href="${BASE}/returns" class="${ctx.active === 'returns' ? 'on' : ''}" id="tab-returns">${returnWords(ctx.lang)('returnsTab')}</a>`}
  ${!can(user.role, 'return.receive') ? '' : html`<a href="${BASE}/quarantine" class="${ctx.active === 'quarantine' ? 'on' : ''}" id="tab-quarantine">${returnWords(ctx.lang)('quarantineTab')}</a>`}
</nav>`
    : ''
}
<main>
${body}
</main>
${
  user
    ? html`<footer class="foot">
  <form method="post" action="${BASE}/language">
    <input type="hidden" name="_csrf" value="${user.csrfToken}">
    <span>${t('language')}:</span>
    <button name="language" value="ro" class="link ${ctx.lang === 'ro' ? 'on' : ''}">RO</button>
    <button name="language" value="en" class="link ${ctx.lang === 'en' ? 'on' : ''}">EN</button>
  </form>
  <span class="tenant">${user.tenantName}</span>
</footer>`
    : ''
}
</body>
</html>`;
}

export const csrfField = (user: SessionUser) => html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;

export function messagePage(ctx: PageContext, title: string, message: string): Markup {
  return page(ctx, title, html`<section class="card message"><h1>${title}</h1><p>${message}</p><p><a class="btn" href="${BASE}/">${ctx.t('back')}</a></p></section>`);
}
