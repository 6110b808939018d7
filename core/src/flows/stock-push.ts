import { type Channel, getChannel, readCredentials, shopPlatformFor } from '../channels/index.ts';
import type { OutboxHandler } from '../db/outbox.ts';
import { STOCK_PUSH_KIND, stockToPush } from '../inventory/index.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { attempt, STORE_CALL } from './writeback/attempt-writeback.ts';

/**
 * `channel.stock_push` { channelId, externalVariantId, seq }: queued by inventory/ in the
 * transaction of every change of available stock (reservation, release, receipt, adjustment, count)
 * of a product tied to a store unit, on a channel whose `pushStock` setting is on. The stock is read
 * now, not when the item was queued; an item whose `seq` is older than the unit's latest does
 * nothing (the latest item pushes), so a burst of changes makes one call. Like the write-backs: a
 * single try of at most 10 s, then the outbox's back-off; a 401 marks the channel "needs
 * reconnect"; every attempt is in the sync log (topic `stock.push`).
 */
export const stockPushHandler: OutboxHandler = async (db, item, ctx) => {
  const channelId = String(item.payload.channelId ?? '');
  const externalVariantId = String(item.payload.externalVariantId ?? '');
  const seq = String(item.payload.seq ?? '0');
  let channel: Channel;
  try {
    channel = await getChannel(db, item.tenantId, channelId);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return;
    throw e;
  }
  const platform = shopPlatformFor(channel.kind);
  // Turned off or disconnected since it was queued: nothing to write (the catalog sync after a reconnect pushes everything).
  if (!platform || !channel.pushStock || channel.status !== 'active') return;
  const state = await stockToPush(db, item.tenantId, channelId, externalVariantId, platform.stockByLocation ? null : channel.defaultWarehouseId);
  if (!state || BigInt(state.seq) > BigInt(/^\d+$/.test(seq) ? seq : '0')) return;
  await attempt(db, item, { what: `stock push of ${state.sku} to ${platform.name}`, channelId, topic: 'stock.push', externalId: externalVariantId, storeCredentials: true }, async () => {
    const connector = platform.connect({
      channel,
      credentials: await readCredentials(db, ctx.box, item.tenantId, channelId),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      inCallRetry: STORE_CALL,
    });
    const r = await connector.pushStock({
      externalVariantId: state.externalVariantId,
      externalProductId: state.externalProductId,
      inventoryItemId: state.inventoryItemId,
      sku: state.sku,
      available: Math.max(0, state.available),
      locations: state.locations.map((l) => ({ externalLocationId: l.externalLocationId, available: Math.max(0, l.available) })),
      idempotencyKey: `${STOCK_PUSH_KIND}:${channelId}:${externalVariantId}:${seq}`,
    });
    return { ...r, seq };
  });
};
