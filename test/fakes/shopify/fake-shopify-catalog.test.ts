import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from './fake-shopify.ts';

let shop: FakeShopify;
beforeAll(async () => {
  shop = await startFakeShopify({ shopDomain: 'catalog-fake.myshopify.com', accessToken: 'shpat_fake' });
});
afterAll(() => shop.close());

const gql = async (version: string, query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${shop.url}/admin/api/${version}/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_fake' },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies field by field
  return (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string }> };
};
const SET = (directive = '') => `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input)${directive} { inventoryAdjustmentGroup { id } userErrors { field message code } } }`;

describe('fake Shopify: catalog and inventorySetQuantities', () => {
  it('2025-10: compareQuantity is required (or ignoreCompareQuantity) and must match; changeFromQuantity and @idempotent do not exist', async () => {
    const loc = shop.catalog.addLocation('A');
    const [v] = shop.catalog.addProduct({ title: 'P', variants: [{ sku: 'P-1', available: 4 }] });
    const q = (extra: Record<string, unknown>) => ({ input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: v!.inventoryItemId, locationId: loc.id, quantity: 9, ...extra }] } });
    expect((await gql('2025-10', SET(), q({}))).data!.inventorySetQuantities.userErrors[0].code).toBe('COMPARE_QUANTITY_REQUIRED');
    expect((await gql('2025-10', SET(), q({ compareQuantity: 3 }))).data!.inventorySetQuantities.userErrors[0].code).toBe('COMPARE_QUANTITY_STALE');
    expect((await gql('2025-10', SET(), q({ changeFromQuantity: 4 }))).errors).toBeDefined();
    expect((await gql('2025-10', SET(' @idempotent(key: "k1")'), q({ compareQuantity: 4 }))).errors?.[0]?.message).toMatch(/idempotent/);
    expect(shop.catalog.available(v!.inventoryItemId, loc.id)).toBe(4);
    expect((await gql('2025-10', SET(), q({ compareQuantity: 4 }))).data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(shop.catalog.available(v!.inventoryItemId, loc.id)).toBe(9);
  });

  it('2026-04: the directive and changeFromQuantity are mandatory; a repeated key replays the first answer', async () => {
    const loc = shop.catalog.addLocation('B');
    const [v] = shop.catalog.addProduct({ title: 'Q', variants: [{ sku: 'Q-1', available: 2 }] });
    const q = (extra: Record<string, unknown>, quantity = 5) => ({ input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: v!.inventoryItemId, locationId: loc.id, quantity, ...extra }] } });
    expect((await gql('2026-04', SET(), q({ changeFromQuantity: 2 }))).errors?.[0]?.message).toMatch(/@idempotent/);
    expect((await gql('2026-04', SET(' @idempotent(key: "k2")'), q({ compareQuantity: 2 }))).errors).toBeDefined();
    const first = await gql('2026-04', SET(' @idempotent(key: "k3")'), q({ changeFromQuantity: 2 }));
    expect(first.data!.inventorySetQuantities.userErrors).toEqual([]);
    const replay = await gql('2026-04', SET(' @idempotent(key: "k3")'), q({ changeFromQuantity: 2 }));
    expect(replay.data).toEqual(first.data);
    expect(shop.catalog.inventorySets.filter((s) => s.idempotencyKey === 'k3' && s.applied)).toHaveLength(1);
    const other = await gql('2026-04', SET(' @idempotent(key: "k3")'), q({ changeFromQuantity: 5 }, 6));
    expect(other.data!.inventorySetQuantities.userErrors[0].code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
    expect((await gql('2026-04', SET(' @idempotent(key: "k4")'), q({ changeFromQuantity: 1 }))).data!.inventorySetQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
    expect(shop.catalog.available(v!.inventoryItemId, loc.id)).toBe(5);
  });

  it('pages productVariants by cursor and lists only active locations unless asked', async () => {
    const page = await gql('2025-10', 'query($first: Int!, $after: String) { productVariants(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id sku } } }', { first: 1 });
    expect(page.data!.productVariants.pageInfo.hasNextPage).toBe(true);
    const next = await gql('2025-10', 'query($first: Int!, $after: String) { productVariants(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id sku } } }', { first: 1, after: page.data!.productVariants.pageInfo.endCursor });
    expect(next.data!.productVariants.nodes[0].id).not.toBe(page.data!.productVariants.nodes[0].id);
    shop.catalog.addLocation('Closed', false);
    const active = await gql('2025-10', 'query($first: Int!) { locations(first: $first) { pageInfo { hasNextPage endCursor } nodes { id name isActive } } }', { first: 50 });
    const all = await gql('2025-10', 'query($first: Int!) { locations(first: $first, includeInactive: true) { pageInfo { hasNextPage endCursor } nodes { id name isActive } } }', { first: 50 });
    expect(all.data!.locations.nodes.length).toBe(active.data!.locations.nodes.length + 1);
  });
});
