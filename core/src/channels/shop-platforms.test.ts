import { describe, expect, it } from 'vitest';
import { SHOP_PLATFORMS, shopPlatformFor } from './shop-platforms.ts';

describe('shopPlatformFor', () => {
  it('gives each store kind its platform and a manual channel none', () => {
    expect(shopPlatformFor('shopify')?.name).toBe('Shopify');
    expect(shopPlatformFor('woocommerce')?.name).toBe('WooCommerce');
    expect(shopPlatformFor('manual')).toBeNull();
  });

  it('no two platforms share an outbox kind', () => {
    const kinds = SHOP_PLATFORMS.flatMap((p) => [p.shipped, p.shipmentCancelled, p.trackingEvent, p.orderStatus].filter((k) => k !== undefined).map((k) => k.outboxKind));
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toHaveLength(6);
  });
});
