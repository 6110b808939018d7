import { describe, expect, it } from 'vitest';
import { wooWeightKg } from '../woocommerce/woo-catalog.ts';
import { inventorySetMutation, inventorySetShape, shopifyIdempotencyKey, shopifyWeightKg } from './shopify-catalog.ts';

describe('catalog conversions', () => {
  it("turns Shopify's Weight { unit, value } into kilograms with 3 decimals; none or 0 is no weight", () => {
    expect(shopifyWeightKg({ unit: 'GRAMS', value: 250 })).toBe('0.250');
    expect(shopifyWeightKg({ unit: 'KILOGRAMS', value: 1.2 })).toBe('1.200');
    expect(shopifyWeightKg({ unit: 'POUNDS', value: 1 })).toBe('0.454');
    expect(shopifyWeightKg({ unit: 'OUNCES', value: 16 })).toBe('0.454');
    expect(shopifyWeightKg({ unit: 'GRAMS', value: 0 })).toBeNull();
    expect(shopifyWeightKg(null)).toBeNull();
  });

  it("turns a WooCommerce weight in the store's unit into kilograms", () => {
    expect(wooWeightKg('120', 'g')).toBe('0.120');
    expect(wooWeightKg('0,5', 'kg')).toBe('0.500');
    expect(wooWeightKg('2', 'lbs')).toBe('0.907');
    expect(wooWeightKg('', 'kg')).toBeNull();
    expect(wooWeightKg('abc', 'kg')).toBeNull();
  });
});

describe("inventorySetQuantities by API version (Shopify's concurrency changes)", () => {
  it('uses compareQuantity before 2026-01, changeFromQuantity and @idempotent from 2026-01', () => {
    expect(inventorySetShape('2025-10')).toEqual({ compareField: 'compareQuantity', idempotent: false });
    expect(inventorySetShape('2026-01')).toEqual({ compareField: 'changeFromQuantity', idempotent: true });
    expect(inventorySetShape('2026-10')).toEqual({ compareField: 'changeFromQuantity', idempotent: true });
    expect(inventorySetShape('unstable')).toEqual({ compareField: 'changeFromQuantity', idempotent: true });
  });

  it('the same push gives the same UUID-shaped key; the directive carries it, or is absent', () => {
    const k = shopifyIdempotencyKey('channel.stock_push:1:gid://shopify/ProductVariant/2:3');
    expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(shopifyIdempotencyKey('channel.stock_push:1:gid://shopify/ProductVariant/2:3')).toBe(k);
    expect(shopifyIdempotencyKey('channel.stock_push:1:gid://shopify/ProductVariant/2:4')).not.toBe(k);
    expect(inventorySetMutation(k)).toContain(`inventorySetQuantities(input: $input) @idempotent(key: "${k}")`);
    expect(inventorySetMutation(null)).not.toContain('@idempotent');
  });
});
