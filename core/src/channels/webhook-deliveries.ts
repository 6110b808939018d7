import type { Db } from '../db/connect.ts';

/**
 * Records a delivery of a store's or courier's webhook; false when it was recorded before. Every
 * inbound callback is deduplicated by its delivery id so a redelivery is a no-op, and the record is
 * written in the same transaction as what the delivery causes.
 */
export async function claimWebhookDelivery(db: Db, tenantId: string, channelId: string, deliveryId: string | null, topic: string | null): Promise<boolean> {
  const fresh = await db`insert into webhook_deliveries (tenant_id, channel_id, delivery_id, topic)
    values (${tenantId}, ${channelId}, ${deliveryId}, ${topic}) on conflict do nothing returning 1`;
  return fresh.length > 0;
}

/** The channel's delivery records go with the shop's data (shop/redact). */
export async function forgetWebhookDeliveries(db: Db, tenantId: string, channelId: string): Promise<void> {
  await db`delete from webhook_deliveries where tenant_id = ${tenantId} and channel_id = ${channelId}`;
}
