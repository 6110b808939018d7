import type { ChannelKind } from './channel-repo.ts';
import type { ShopPlatform } from './shop-connector.ts';
import { shopifyPlatform } from './shopify/shopify-connector.ts';
import { wooPlatform } from './woocommerce/woo-connector.ts';

const PLATFORMS: Record<ChannelKind, ShopPlatform | null> = {
  shopify: shopifyPlatform,
  woocommerce: wooPlatform,
  manual: null,
};

/** The platform behind a channel kind, chosen once here; null for a manual channel (no store). */
export function shopPlatformFor(kind: ChannelKind): ShopPlatform | null {
  return PLATFORMS[kind] ?? null;
}

/** Every platform, for building the per-platform outbox handler table. */
export const SHOP_PLATFORMS: readonly ShopPlatform[] = [shopifyPlatform, wooPlatform];
