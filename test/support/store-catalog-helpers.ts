import { expect } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import type { FakeShopify } from '../fakes/shopify/fake-shopify.ts';
import type { FakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import type { CoreHarness, TenantFixture } from './core-harness.ts';

/** Points the tenant's Shopify channel at a fake Shopify (its access token and URL; optional API version). */
export async function connectShopifyFake(core: CoreHarness, t: TenantFixture, shop: FakeShopify, apiVersion?: string): Promise<void> {
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId, {
    apiKey: t.shopify.apiKey,
    apiSecret: t.shopify.apiSecret,
    accessToken: shop.accessToken,
    adminBaseUrl: shop.url,
    ...(apiVersion ? { apiVersion } : {}),
  });
}

/** Points the tenant's WooCommerce channel at a fake WooCommerce. */
export async function connectWooFake(core: CoreHarness, t: TenantFixture, woo: FakeWooCommerce, keys = { consumerKey: 'ck_test', consumerSecret: 'cs_test' }): Promise<void> {
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { ...keys, adminBaseUrl: woo.url });
}

/** `POST /api/v1/channels/{id}/catalog-sync` as the tenant; the sync's result. */
export async function syncCatalog(core: CoreHarness, t: TenantFixture, channelId: string) {
  const res = await core.api(`/api/v1/channels/${channelId}/catalog-sync`, { method: 'POST', key: t.apiKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** `PUT /api/v1/channels/{id}/locations/{n}` { warehouseId }: the Shopify location (gid://shopify/Location/n) shows that warehouse. */
export async function mapShopifyLocation(core: CoreHarness, t: TenantFixture, locationGid: string, warehouseId: string | null) {
  const n = /(\d+)$/.exec(locationGid)![1]!;
  const res = await core.api(`/api/v1/channels/${t.shopify.channelId}/locations/${n}`, { method: 'PUT', key: t.apiKey, body: JSON.stringify({ warehouseId }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** `PATCH /api/v1/channels/{id}/settings` { pushStock }. */
export async function setPushStock(core: CoreHarness, t: TenantFixture, channelId: string, on: boolean) {
  const res = await core.api(`/api/v1/channels/${channelId}/settings`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ pushStock: on }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.pushStock).toBe(on);
}
