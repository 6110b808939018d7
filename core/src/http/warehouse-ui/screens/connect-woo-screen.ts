import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

export interface ConnectWooRequestView {
  storeUrl: string;
  returnUrl: string;
  state: string;
}

/** The operator's consent: which store, which workspace, what the key lets Expedio do. */
export function connectWooScreen(ctx: PageContext, user: SessionUser, req: ConnectWooRequestView, cancelUrl: string): Markup {
  const { t } = ctx;
  return page(
    ctx,
    t('connectWooTitle'),
    html`<section class="card" data-page="connect-woocommerce">
  <h1>${t('connectWooTitle')}</h1>
  <p>${t('connectWooIntro')}</p>
  <dl class="kv"><dt>${t('connectWooStore')}</dt><dd data-store-url>${req.storeUrl}</dd><dt>${t('workspace')}</dt><dd>${user.tenantName}</dd></dl>
  <form method="post" action="${BASE}/connect/woocommerce">
    ${csrfField(user)}
    <input type="hidden" name="store_url" value="${req.storeUrl}">
    <input type="hidden" name="return_url" value="${req.returnUrl}">
    <input type="hidden" name="state" value="${req.state}">
    <div class="actions"><button class="btn block" type="submit" name="decision" value="allow">${t('connectWooAllow')}</button></div>
  </form>
  <p><a href="${cancelUrl}">${t('connectWooDeny')}</a></p>
</section>`,
  );
}

/**
 * After the grant: back to the store with the code. A page, not a 303, because the UI's
 * Content-Security-Policy (form-action 'self') would stop a form's redirect to another site.
 */
export function connectWooGrantedScreen(ctx: PageContext, returnTo: string): Markup {
  const { t } = ctx;
  return page(
    ctx,
    t('connectWooTitle'),
    html`<meta http-equiv="refresh" content="0;url=${returnTo}">
<section class="card message" data-page="connect-woocommerce-granted">
  <h1>${t('connectWooTitle')}</h1>
  <p>${t('connectWooGranted')}</p>
  <p><a class="btn" data-return-url href="${returnTo}">${t('connectWooContinue')}</a></p>
</section>`,
  );
}
