import { expect } from 'vitest';
import { signShopifySessionToken } from '../../core/src/channels/shopify/verify-session-token.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import type { CoreHarness, TenantFixture } from './core-harness.ts';
import { shopifyOrderBody } from './orders.ts';

/** A new paid order placed in the tenant's Shopify shop (a signed orders/create webhook); its Expedio id. */
export async function placeShopifyOrder(core: CoreHarness, t: TenantFixture, lines: Array<[string, number]>): Promise<string> {
  const { raw, id } = shopifyOrderBody({ lines, email: `buyer${Math.random()}@example.com` });
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  return o!.id as string;
}

/** The embedded app's session token of the tenant's shop, as App Bridge signs it (claims can be overridden). */
export function shopSessionToken(t: TenantFixture, over: Record<string, unknown> = {}, secret = t.shopify.apiSecret): string {
  const now = Math.floor(Date.now() / 1000);
  return signShopifySessionToken(
    {
      iss: `https://${t.shopify.shopDomain}/admin`,
      dest: `https://${t.shopify.shopDomain}`,
      aud: t.shopify.apiKey,
      sub: '42',
      exp: now + 60,
      nbf: now - 1,
      iat: now - 1,
      jti: crypto.randomUUID(),
      sid: 'session-1',
      ...over,
    },
    secret,
  );
}

/** `post`, `get` and `patch` of /api/v1 with a tenant's API key, on the core a test file started. */
export function tenantCalls(core: () => CoreHarness) {
  const call = (t: TenantFixture, method: string, path: string, body?: unknown) =>
    core().api(`/api/v1${path}`, { method, key: t.apiKey, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return {
    post: (t: TenantFixture, path: string, body?: unknown) => call(t, 'POST', path, body),
    get: (t: TenantFixture, path: string) => call(t, 'GET', path),
    patch: (t: TenantFixture, path: string, body: unknown) => call(t, 'PATCH', path, body),
  };
}
