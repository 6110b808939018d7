import type { StoreReturnRequest, StoreReturnStatus } from '../../contracts/store-return.ts';
import type { Db, Tx } from '../../db/connect.ts';

/** A store-originated return as received, waiting for the returns flow (taken in: `takenInAs` set). */
export interface ReceivedStoreReturn {
  id: string;
  channelId: string;
  request: StoreReturnRequest;
  storeStatus: StoreReturnStatus;
  receivedAt: Date;
  updatedAt: Date;
  takenInAt: Date | null;
  /** What the returns flow made of it (e.g. `return:42`). */
  takenInAs: string | null;
}

const COLUMNS = `id::text, channel_id::text as "channelId", request, store_status as "storeStatus", received_at as "receivedAt",
  updated_at as "updatedAt", taken_in_at as "takenInAt", taken_in_as as "takenInAs"`;

/**
 * Keeps the store's latest word on one of its returns (one row per store id: `returns/request`
 * then `returns/approve` update the same row). Called in the webhook's transaction, after its
 * delivery was claimed. Returns the row and whether it is new.
 */
export async function recordStoreReturnRequest(tx: Tx, tenantId: string, channelId: string, request: StoreReturnRequest): Promise<{ request: ReceivedStoreReturn; fresh: boolean }> {
  const [row] = await tx<(ReceivedStoreReturn & { fresh: boolean })[]>`
    insert into store_return_requests (tenant_id, channel_id, external_id, external_order_id, platform, store_status, request)
    values (${tenantId}, ${channelId}, ${request.externalId}, ${request.externalOrderId}, ${request.platform}, ${request.storeStatus}, ${tx.json(request as never)})
    on conflict (tenant_id, channel_id, external_id) do update set store_status = excluded.store_status,
      -- A status-only webhook (approve, close) carries no lines: the lines first received are kept.
      request = case when jsonb_array_length(excluded.request -> 'lines') = 0
        then excluded.request || jsonb_build_object('lines', store_return_requests.request -> 'lines') else excluded.request end,
      updated_at = now()
    returning ${tx.unsafe(COLUMNS)}, (xmax = 0) as fresh`;
  if (!row) throw new Error('store return request upsert returned nothing');
  const { fresh, ...rest } = row;
  return { request: rest, fresh };
}

/** Store returns not taken in yet, oldest first (the returns flow's queue), optionally of one channel. */
export async function pendingStoreReturnRequests(db: Db, tenantId: string, opts: { channelId?: string; limit?: number } = {}): Promise<ReceivedStoreReturn[]> {
  return db<ReceivedStoreReturn[]>`select ${db.unsafe(COLUMNS)} from store_return_requests
    where tenant_id = ${tenantId} and taken_in_at is null ${opts.channelId ? db`and channel_id = ${opts.channelId}` : db``}
    order by received_at, store_return_requests.id limit ${opts.limit ?? 100}`;
}

/** The returns flow made a return request of it (in its own transaction): it leaves the queue. False when taken in already. */
export async function markStoreReturnTakenIn(tx: Tx, tenantId: string, id: string, takenInAs: string): Promise<boolean> {
  const rows = await tx`update store_return_requests set taken_in_at = now(), taken_in_as = ${takenInAs}
    where tenant_id = ${tenantId} and id = ${id} and taken_in_at is null returning 1`;
  return rows.length > 0;
}

/** One store return as received, by our id (the operator's take-in reads it under its row lock). */
export async function lockStoreReturnRequest(tx: Tx, tenantId: string, id: string): Promise<ReceivedStoreReturn | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await tx<ReceivedStoreReturn[]>`select ${tx.unsafe(COLUMNS)} from store_return_requests where tenant_id = ${tenantId} and id = ${id} for update`;
  return row ?? null;
}

/** The order a store return was first received for (a status-only webhook names none), or null when it was never received. */
export async function storeReturnOrderId(db: Db, tenantId: string, channelId: string, externalId: string): Promise<string | null> {
  const [row] = await db<{ externalOrderId: string }[]>`select external_order_id as "externalOrderId" from store_return_requests
    where tenant_id = ${tenantId} and channel_id = ${channelId} and external_id = ${externalId}`;
  return row?.externalOrderId ?? null;
}
