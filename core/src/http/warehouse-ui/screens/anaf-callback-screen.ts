import { html } from 'hono/html';
import type { Language } from '../../../auth/index.ts';
import { translator } from '../i18n.ts';
import { BASE, type Markup } from '../layout.ts';

/**
 * The page ANAF's OAuth redirect lands on. Standalone (no session needed: the operator may have
 * signed in to SPV in another browser window), in the operator's language.
 */
export function anafCallbackScreen(lang: Language, o: { ok: true } | { ok: false; reason: string }): Markup {
  const t = translator(lang);
  const title = o.ok ? t('anafConnectedTitle') : t('anafFailedTitle');
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Expedio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}/assets/app.css">
</head>
<body data-page="anaf-callback">
<header class="top"><span class="brand">Expedio</span></header>
<main>
<section class="card message" data-result="${o.ok ? 'connected' : 'failed'}">
  <h1>${title}</h1>
  ${o.ok ? html`<p class="alert ok" role="status">${t('anafConnectedText')}</p>` : html`<p class="alert error" role="alert">${t('anafFailedText')} ${o.reason}</p>`}
  <p><a class="btn" href="${BASE}/settings#anaf">${t('backToSettings')}</a></p>
</section>
</main>
</body>
</html>`;
}
