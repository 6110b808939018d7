import { getChannel, readCredentials, shopPlatformFor } from '../channels/index.ts';
import type { OutboxHandler } from '../db/outbox.ts';
import { getOrderDetail } from '../orders/index.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { RETURN_NOTE_KIND } from './return-goods.ts';
import { attempt, STORE_CALL } from './writeback/attempt-writeback.ts';

/**
 * `store.return_note` { orderId, returnId, note, key }: queued with the order's move to returned /
 * partially returned (flows/return-goods.ts). Claim, call (the store read before it writes: the
 * note's key is found on a retry), record, as every write-back; the last failed try is a stall.
 */
export const returnStoreNoteHandler: OutboxHandler = async (db, item, ctx) => {
  const p = item.payload as { orderId?: unknown; note?: unknown; key?: unknown };
  const order = await getOrderDetail(db, item.tenantId, String(p.orderId ?? '')).catch((e: unknown) => {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (!order) return;
  const channel = await getChannel(db, item.tenantId, order.channelId);
  const platform = shopPlatformFor(channel.kind);
  if (!platform) return;
  await attempt(db, item, { what: `return note to ${platform.name}`, channelId: channel.id, topic: 'order.return_note', externalId: order.externalOrderId, storeCredentials: true }, async () => {
    const connector = platform.connect({ channel, credentials: await readCredentials(db, ctx.box, item.tenantId, channel.id), ...(ctx.fetch ? { fetch: ctx.fetch } : {}), inCallRetry: STORE_CALL });
    if (!connector.pushCustomerNote) return { outcome: 'skipped', reason: `${platform.name} takes no customer note` };
    return await connector.pushCustomerNote({ orderId: order.externalOrderId, note: String(p.note ?? ''), key: String(p.key ?? item.id) });
  });
};

export const returnStoreNoteOutboxHandlers: Record<string, OutboxHandler> = { [RETURN_NOTE_KIND]: returnStoreNoteHandler };
