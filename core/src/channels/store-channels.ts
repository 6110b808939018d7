import type { Db } from '../db/connect.ts';

/** Every connected store channel of every tenant (Shopify, WooCommerce), for the periodic catalog sync. */
export async function listActiveStoreChannels(db: Db): Promise<Array<{ tenantId: string; channelId: string }>> {
  return await db<{ tenantId: string; channelId: string }[]>`
    select tenant_id::text as "tenantId", id::text as "channelId" from channels
    where kind in ('shopify', 'woocommerce') and status = 'active' order by tenant_id, channels.id`;
}
