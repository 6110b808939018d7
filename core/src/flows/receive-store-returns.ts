import { type Channel, mapShopifyReturnWebhook, mapWooRefunds, recordStoreReturnRequest, SHOPIFY_RETURN_TOPICS, storeReturnOrderId } from '../channels/index.ts';
import type { Tx } from '../db/connect.ts';

/*
 * Returns begun in the store, taken in as store return requests (channels/, table
 * store_return_requests) in the webhook's transaction, after its delivery was claimed: the
 * operator turns one into a return (`takeInStoreReturn`, flows/return-goods.ts).
 */

export const isShopifyReturnTopic = (topic: string): boolean => (SHOPIFY_RETURN_TOPICS as readonly string[]).includes(topic);

/** A Shopify Return API webhook: the store's latest word on one of its returns, kept on one row per return. */
export async function recordShopifyReturnWebhook(tx: Tx, channel: Channel, topic: string, payload: unknown) {
  const m = mapShopifyReturnWebhook(topic, payload);
  const externalOrderId = m.externalOrderId ?? (await storeReturnOrderId(tx, channel.tenantId, channel.id, m.externalId));
  if (!externalOrderId) return { outcome: 'ignored' as const, externalId: m.externalId, details: { reason: `return ${m.externalId} names no order and was never requested here` } };
  const { request, fresh } = await recordStoreReturnRequest(tx, channel.tenantId, channel.id, { ...m, externalOrderId });
  return { outcome: 'ok' as const, externalId: externalOrderId, details: { storeReturnId: request.id, fresh, storeStatus: m.storeStatus } };
}

/** The refunds an admin made in wp-admin, from an order webhook; Expedio's own refunds are left out. Returns the ids recorded. */
export async function recordWooRefunds(tx: Tx, channel: Channel, payload: unknown): Promise<string[]> {
  const ids: string[] = [];
  for (const r of mapWooRefunds(payload)) ids.push((await recordStoreReturnRequest(tx, channel.tenantId, channel.id, r)).request.id);
  return ids;
}
