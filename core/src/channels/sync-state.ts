import type { Db } from '../db/connect.ts';

/**
 * A channel's sync bookkeeping: the lease that lets one worker sync a channel at a time, the cursor
 * that advances only after a page is committed, and the outcome of the last run.
 */

/** Takes the channel's sync lease for `owner` unless another holder's lease is still running. */
export async function takeSyncLease(db: Db, tenantId: string, channelId: string, owner: string, seconds: number): Promise<boolean> {
  const leased = await db`update channels set sync_lease_owner = ${owner}, sync_lease_until = now() + make_interval(secs => ${seconds})
    where tenant_id = ${tenantId} and id = ${channelId} and (sync_lease_until is null or sync_lease_until < now())
    returning id`;
  return leased.length > 0;
}

/** Stores the cursor after a committed page and extends the lease, only while `owner` still holds it. */
export async function advanceSyncCursor(db: Db, tenantId: string, channelId: string, owner: string, cursor: string | null, leaseSeconds: number): Promise<void> {
  await db`update channels set sync_cursor = ${cursor}, sync_lease_until = now() + make_interval(secs => ${leaseSeconds})
    where tenant_id = ${tenantId} and id = ${channelId} and sync_lease_owner = ${owner}`;
}

/** A run that got through: the time, no error, and a channel that needed reconnecting is active again. */
export async function recordSyncSuccess(db: Db, tenantId: string, channelId: string): Promise<void> {
  await db`update channels set last_sync_at = now(), last_sync_error = null,
      status = case when status = 'needs_reconnect' then 'active' else status end,
      status_reason = case when status = 'needs_reconnect' then null else status_reason end
    where tenant_id = ${tenantId} and id = ${channelId}`;
}

export async function recordSyncError(db: Db, tenantId: string, channelId: string, message: string): Promise<void> {
  await db`update channels set last_sync_error = ${message} where tenant_id = ${tenantId} and id = ${channelId}`;
}

export async function releaseSyncLease(db: Db, tenantId: string, channelId: string, owner: string): Promise<void> {
  await db`update channels set sync_lease_owner = null, sync_lease_until = null
    where tenant_id = ${tenantId} and id = ${channelId} and sync_lease_owner = ${owner}`;
}

/** Channels whose interval has passed and that no worker is syncing; the worker syncs each. */
export async function dueChannels(db: Db): Promise<Array<{ tenantId: string; channelId: string }>> {
  return await db<{ tenantId: string; channelId: string }[]>`
    select tenant_id::text as "tenantId", id::text as "channelId" from channels
    where kind in ('shopify','woocommerce') and status = 'active'
      and credentials_enc is not null
      and (last_sync_at is null or last_sync_at < now() - make_interval(mins => sync_interval_minutes))
      and (sync_lease_until is null or sync_lease_until < now())
    order by last_sync_at nulls first limit 50`;
}
