import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { onFileTeardown } from '../support/file-teardown.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import type { FakeStores } from '../shipping/flow-support.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';

/*
 * The plugin inside a real WordPress (Debian's, installed by woo-plugin/tests/wordpress/site.php,
 * served by `php -S` with WordPress's router), with the WooCommerce stand-in for the parts of
 * WooCommerce the plugin calls, connected to a real core's WooCommerce channel. Shared by the
 * wp-admin Chromium tests; call it in a beforeAll (it registers its own clean-ups with onFileTeardown).
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const SITE = join(ROOT, 'woo-plugin/tests/wordpress/site.php');

export interface WordPressSite {
  home: string;
  /** The site's WordPress folder (a test may add a must-use plugin there). */
  wpDir: string;
  /** PHP run inside the test WordPress (as its admin): users, orders, options. */
  wp(code: string): string;
  /** A WooCommerce order in WordPress with this id, and the same order sent to the core by its signed webhook; the core's order id. */
  placeOrder(id: number, customer?: string): Promise<string>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh site with the plugin connected as "Connect to Expedio" leaves it, a shop manager `manager` and a customer `ana`. */
export async function startWordPressSite(o: { core: CoreHarness; t: TenantFixture; stores: FakeStores; users?: string }): Promise<WordPressSite> {
  const { core, t, stores } = o;
  const port = await freePort();
  const home = `http://127.0.0.1:${port}`;
  const site = JSON.parse(execFileSync('php', [SITE, 'up', home], { encoding: 'utf8' }).trim()) as Record<string, string>;
  onFileTeardown(() => {
    execFileSync('php', [SITE, 'down', JSON.stringify(site)]);
  });
  const server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', site.wpDir!, execFileSync('php', [SITE, 'router'], { encoding: 'utf8' }).trim()], {
    stdio: 'ignore',
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    // Its own process group: the server and the workers it forks end together.
    detached: true,
  });
  onFileTeardown(() => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {}
  });
  const wp = (code: string) => execFileSync('php', [SITE, 'eval', JSON.stringify(site)], { input: code, encoding: 'utf8' });
  wp(`update_option( 'expedio_core_url', '${core.url}' ); update_option( 'expedio_channel_id', '${t.woo.channelId}' ); update_option( 'expedio_api_key', '${t.apiKey}', false );
      wp_insert_user( array( 'user_login' => 'manager', 'user_pass' => 'manager-password', 'user_email' => 'manager@shop.test', 'role' => 'shop_manager' ) );
      wp_insert_user( array( 'user_login' => 'ana', 'user_pass' => 'ana-password', 'user_email' => 'ana@example.com', 'role' => 'customer' ) );
      ${o.users ?? ''}`);

  async function placeOrder(id: number, customer = 'ana'): Promise<string> {
    expect(wp(`echo expedio_test_create_order( 'processing', get_user_by( 'login', '${customer}' )->ID, 'ana@example.com', ${id} )->get_id();`)).toBe(String(id));
    const order = { ...wooOrder({ id, lines: [['Bar3', 1]] }), payment_method: 'cod', payment_method_title: 'Cash on delivery', date_paid: null, date_paid_gmt: null };
    stores.woo.upsertOrder(order);
    const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic: 'order.created', body: order, secret: t.woo.webhookSecret, webhookId: 42 });
    expect(res.status).toBe(200);
    const [row] = await core.sql<{ id: string }[]>`select id::text from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(id)}`;
    return row!.id;
  }

  return { home, wpDir: site.wpDir!, wp, placeOrder };
}

/** WordPress's own login form. */
export async function logInToWordPress(page: Page, home: string, user: string, password: string): Promise<void> {
  await page.goto(`${home}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
}
