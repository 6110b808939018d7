import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { pluginReturnUrl, postWooInstallation } from '../support/woo-connect.ts';
import { addUser, ARTIFACTS, launchChromium } from './ui-support.ts';

// The consent page in a real browser: the plugin's redirect, the login, "Allow", and the way back to
// the store — which the page's Content-Security-Policy (form-action 'self') must not block.
let core: CoreHarness;
let t: TenantFixture;
let woo: FakeWooCommerce;
let chromium: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ name: 'Depozit Cluj' });
  woo = await startFakeWooCommerce({ consumerKey: `ck_${randomBytes(20).toString('hex')}`, consumerSecret: `cs_${randomBytes(20).toString('hex')}`, isSsl: false });
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await woo.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}connect-woocommerce-${name}.png`, fullPage: true });

describe('the WooCommerce consent page in Chromium', () => {
  it('a manager logs in, allows the store, lands back on the plugin with a code that connects it', async () => {
    const manager = await addUser(core, t.tenantId, 'manager@cluj.test', 'manager');
    const context = await chromium.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-GB' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().includes('404') ? problems.push(m.text()) : undefined));

    const state = randomBytes(16).toString('hex');
    const returnUrl = pluginReturnUrl(woo.url);
    await page.goto(`${core.url}/warehouse/connect/woocommerce?${new URLSearchParams({ store_url: woo.url, return_url: returnUrl, state, lang: 'en' })}`);
    await page.waitForURL(/\/warehouse\/login/);
    await page.fill('#email', manager.email);
    await page.fill('#password', manager.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/warehouse\/connect\/woocommerce/);
    expect(await page.locator('[data-store-url]').textContent()).toBe(woo.url);
    expect(await page.locator('[data-page=connect-woocommerce]').textContent()).toContain('Depozit Cluj');
    await shot(page, '01-consent');

    await page.click('button[name=decision]');
    await page.waitForURL((u) => u.href.startsWith(`${woo.url}/wp-admin/admin-post.php`));
    const back = new URL(page.url());
    expect(back.searchParams.get('action')).toBe('expedio_connect_return');
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('expedio_code')!;
    expect(code).toMatch(/^expc_/);
    expect(problems).toEqual([]);
    await context.close();

    const key = woo.addApiKey({ description: 'Expedio - API', permissions: 'read_write' });
    const answer = await postWooInstallation(core, code, { storeUrl: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    expect(answer.status).toBe(201);
    const [channel] = await core.sql`select tenant_id::text from channels where id = ${answer.body.channelId}`;
    expect(channel!.tenant_id).toBe(t.tenantId);
  });
});
