import type { ChannelOrder } from './channel-order.ts';

/** One page of orders modified after a cursor; `nextCursor` is opaque and stored in Postgres. */
export interface PulledOrders {
  orders: ChannelOrder[];
  /** Cursor to resume from after this page is durably stored (null: same as before). */
  nextCursor: string | null;
  done: boolean;
}

/**
 * The store behind a channel. One implementation per platform; credentials come decrypted from
 * `channels/credentials.ts`. Every method throws `DomainError('NEEDS_RECONNECT')` when the store
 * rejects the credentials (401/403), `DomainError('RATE_LIMITED')` only after its own back-off gave
 * up, and `DomainError('UPSTREAM')` for other failures.
 */
export interface ShopConnector {
  /** Orders updated at or after `cursor` (ISO time or the platform's page cursor), oldest first. */
  pullOrders(cursor: string | null, signal?: AbortSignal): Promise<PulledOrders>;
}
