import type { Db } from '../db/connect.ts';
import { type Channel, getChannel, readCredentials, SHOP_PLATFORMS, shopPlatformFor } from '../channels/index.ts';
import { enqueue, inOneTransaction, type OutboxHandler, PermanentFailure } from '../db/outbox.ts';
import { ORDER_STORE_STATE_KIND, orderStoreState } from '../orders/index.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { attempt, STORE_CALL } from './writeback/attempt-writeback.ts';

/**
 * An order's hold, release and cancellation in its store. orders/ queues `order.store_state`
 * { orderId, status } with every move into or out of on_hold and into cancelled (reject included);
 * here it becomes the platform's own write-back (`ShopPlatform.orderState`), one per move, run one
 * after the other per order. That write-back makes the store match the order as it is when it
 * runs, so a hold released before its write-back ran costs the store nothing, retries are
 * harmless (each connector reads before it writes), and a permanent refusal (Shopify will not
 * cancel an order with a live fulfillment) becomes a stall after the attempt that met it.
 */
async function channelOf(db: Db, tenantId: string, channelId: string): Promise<Channel | null> {
  try {
    return await getChannel(db, tenantId, channelId);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

const storeState: OutboxHandler = async (db, item, ctx) => {
  const order = await orderStoreState(db, item.tenantId, String(item.payload.orderId ?? ''));
  if (!order) return;
  const channel = await channelOf(db, item.tenantId, order.channelId);
  const platform = channel ? shopPlatformFor(channel.kind) : null;
  if (!channel || !platform?.orderState) return;
  const kind = platform.orderState;
  await attempt(db, item, { what: kind.what, channelId: channel.id, topic: kind.topic, externalId: order.externalOrderId, storeCredentials: true }, async () => {
    if (channel.status === 'disconnected') return { outcome: 'skipped', reason: `channel ${channel.name} is disconnected` };
    const connector = platform.connect({
      channel,
      credentials: await readCredentials(db, ctx.box, item.tenantId, channel.id),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      inCallRetry: STORE_CALL,
    });
    const base = { orderStatus: order.status, orderNumber: order.orderNumber };
    if (order.status === 'cancelled') {
      if (!connector.pushOrderCancelled) throw new PermanentFailure(`${platform.name} takes no order cancellation`);
      const r = await connector.pushOrderCancelled({
        orderId: order.externalOrderId,
        reason: order.cancelReason ?? (order.rejected ? 'rejected in Expedio' : 'cancelled in Expedio'),
        rejected: order.rejected,
        // The merchant tells the customer (a cancellation usually comes with a refund, which is its own step).
        notifyCustomer: false,
        // Where Expedio pushes the stock, the store's available count is Expedio's to set; restocking there too would count the units twice until the next push.
        restock: !channel.pushStock,
      });
      return { ...r, action: 'cancel', ...base };
    }
    if (order.status === 'on_hold') {
      const r = await connector.pushHold(order.externalOrderId, order.holdReason ?? 'held in Expedio', { outOfStock: order.outOfStock });
      return { ...r, action: 'hold', ...base };
    }
    if (order.status === 'draft') return { outcome: 'skipped', reason: `order ${order.orderNumber} is a draft`, ...base };
    const r = await connector.releaseHold(order.externalOrderId, { heldIds: [], previousStatus: null });
    return { ...r, action: 'release', ...base };
  });
};

/**
 * The one sequence of an order's write-backs that change what the store may do with it: a hold, its
 * release, a cancel, and the shipped parcel's fulfillment reach the store one after the other, in
 * the order Expedio queued them (a fulfillment never races the hold or the release before it).
 */
export const orderStoreSequence = (orderId: string): string => `order-state:${orderId}`;

export const orderWritebackOutboxHandlers: Record<string, OutboxHandler> = {
  // Payload { orderId, status }: fans out to the order's store, if its platform takes holds and cancellations.
  [ORDER_STORE_STATE_KIND]: inOneTransaction(async (tx, item) => {
    const order = await orderStoreState(tx, item.tenantId, String(item.payload.orderId ?? ''));
    if (!order) return;
    const channel = await channelOf(tx, item.tenantId, order.channelId);
    const kind = channel ? shopPlatformFor(channel.kind)?.orderState : undefined;
    if (!channel || !kind) return;
    await enqueue(tx, item.tenantId, kind.outboxKind, { orderId: order.orderId, status: String(item.payload.status ?? '') }, `${kind.outboxKind}:${item.id}`, {
      target: `channel:${channel.id}`,
      // A hold, its release and a cancel reach the store in the order they happened.
      sequence: orderStoreSequence(order.orderId),
    });
  }),
};

for (const p of SHOP_PLATFORMS) {
  if (p.orderState) orderWritebackOutboxHandlers[p.orderState.outboxKind] = storeState;
}
