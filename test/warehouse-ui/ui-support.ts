import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { createUser } from '../../core/src/auth/users.ts';
import type { Role } from '../../core/src/auth/permissions.ts';
import { createPickList } from '../../core/src/warehouse/index.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

export const ARTIFACTS = new URL('../artifacts/warehouse-ui/', import.meta.url).pathname;

/**
 * Debian's Chromium, headless. `launch` gives every run a fresh temporary profile (Playwright makes
 * its own user-data-dir and deletes it on close; passing --user-data-dir is refused), so no cookie
 * or cache leaks between runs.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return { browser, close: () => browser.close() };
}

/** A phone: the viewport of an iPhone 12–15 class device, touch, and Romanian as the page default. */
export const phoneContext = (browser: Browser): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ro-RO' });

export async function addUser(core: CoreHarness, tenantId: string, email: string, role: Role, password = 'correct horse battery') {
  const u = await createUser(core.sql, tenantId, { email, name: `${role} ${email.split('@')[0]}`, role, password });
  return { ...u, password };
}

/** Orders through the real Shopify webhook; the outbox confirms them and creates their delivery notes. */
export async function placeConfirmedOrders(core: CoreHarness, t: TenantFixture, specs: Array<Array<[string, number]>>): Promise<string[]> {
  const ids: string[] = [];
  for (const lines of specs) {
    const { raw, id } = shopifyOrderBody({ lines, email: `buyer-${ids.length}-${t.tenantId}@example.com` });
    const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    expect(res.status).toBe(200);
    const [o] = await core.sql<{ id: string }[]>`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    ids.push(o!.id);
  }
  await core.drainOutbox();
  return ids;
}

export async function makePickList(core: CoreHarness, tenantId: string, orderIds: string[], pickerUserId: string | null) {
  return await core.sql.begin((tx) => createPickList(tx, tenantId, { orderIds, pickerUserId }));
}

/** Logs in over plain HTTP (as a browser would) and returns the session cookie and the page's CSRF token. */
export async function httpLogin(url: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${url}/warehouse/login`);
  const loginCookie = cookiePair(form.headers.getSetCookie(), 'expedio_wh_login');
  const token = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${url}/warehouse/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _login: token, email, password }),
  });
  expect(res.status).toBe(303);
  const cookie = cookiePair(res.headers.getSetCookie(), 'expedio_wh_session');
  const page = await fetch(`${url}/warehouse/stock`, { headers: { cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await page.text())![1]!;
  return { cookie, csrf };
}

export function cookiePair(setCookies: string[], name: string): string {
  const c = setCookies.find((s) => s.startsWith(`${name}=`));
  if (!c) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookies)}`);
  return c.split(';')[0]!;
}
