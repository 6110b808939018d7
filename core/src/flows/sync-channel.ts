import { randomUUID } from 'node:crypto';
import { type Channel, type ChannelCredentials, getChannel, markNeedsReconnect, readCredentials } from '../channels/channel-repo.ts';
import type { ShopConnector } from '../channels/shop-connector.ts';
import { shopPlatformFor } from '../channels/shop-platforms.ts';
import { writeSyncLog } from '../channels/sync-log.ts';
import { isIgnoredWooStatus } from '../channels/woocommerce/map-woo-order.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { ingestChannelOrder } from './ingest-channel-order.ts';

export type ConnectorFactory = (channel: Channel, creds: ChannelCredentials, deps: Deps) => ShopConnector;

export const defaultConnectorFactory: ConnectorFactory = (channel, creds, deps) => {
  const platform = shopPlatformFor(channel.kind);
  if (platform) return platform.connect({ channel, credentials: creds, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  throw new DomainError('VALIDATION', `Channel ${channel.name} is a manual channel; there is no store to sync.`, [
    { path: 'channelId', reason: 'manual channel' },
  ]);
};

export interface SyncRunResult {
  channelId: string;
  skipped?: 'leased';
  pages: number;
  created: number;
  updated: number;
  stale: number;
  ignored: number;
  errors: number;
}

/**
 * Pulls orders changed since the channel's cursor and feeds each through the same intake as the
 * webhooks. A lease on the channel row lets only one worker sync a channel at a time; even if two
 * overlapped (a lease expired mid-run), intake converges on one order per store order. The cursor
 * advances only after each page is committed, so a crash resumes where it stopped.
 */
export async function syncChannel(
  deps: Deps,
  tenantId: string,
  channelId: string,
  opts: { trigger: 'sync' | 'manual_sync'; factory?: ConnectorFactory; leaseSeconds?: number; maxPages?: number } = { trigger: 'sync' },
): Promise<SyncRunResult> {
  const owner = randomUUID();
  const result: SyncRunResult = { channelId, pages: 0, created: 0, updated: 0, stale: 0, ignored: 0, errors: 0 };
  const channel = await getChannel(deps.sql, tenantId, channelId);
  const leased = await deps.sql`update channels set sync_lease_owner = ${owner},
      sync_lease_until = now() + make_interval(secs => ${opts.leaseSeconds ?? 300})
    where tenant_id = ${tenantId} and id = ${channelId} and (sync_lease_until is null or sync_lease_until < now())
    returning id`;
  if (leased.length === 0) return { ...result, skipped: 'leased' };
  const base = { tenantId, channelId, direction: 'inbound' as const, kind: opts.trigger };
  try {
    const creds = await readCredentials(deps.sql, deps.box, tenantId, channelId);
    const connector = (opts.factory ?? defaultConnectorFactory)(channel, creds, deps);
    let cursor = channel.syncCursor;
    for (let page = 0; page < (opts.maxPages ?? 1000); page++) {
      const pulled = await connector.pullOrders(cursor);
      result.pages++;
      await deps.sql.begin(async (tx) => {
        for (const order of pulled.orders) {
          if (channel.kind === 'woocommerce' && isIgnoredWooStatus(order.platformStatus)) {
            result.ignored++;
            continue;
          }
          try {
            const r = await tx.savepoint((sp) => ingestChannelOrder(sp as never, channel, order));
            if (r.outcome === 'created') result.created++;
            else if (r.outcome === 'updated') result.updated++;
            else if (r.outcome === 'stale') result.stale++;
            else result.ignored++;
          } catch (e) {
            if (!isDomainError(e)) throw e;
            result.errors++;
            await writeSyncLog(tx, { ...base, outcome: 'error', externalId: order.externalOrderId, error: e.message });
          }
        }
        const next = pulled.nextCursor ?? cursor;
        await tx`update channels set sync_cursor = ${next}, sync_lease_until = now() + make_interval(secs => ${opts.leaseSeconds ?? 300})
          where tenant_id = ${tenantId} and id = ${channelId} and sync_lease_owner = ${owner}`;
        cursor = next;
      });
      if (pulled.done) break;
    }
    await deps.sql`update channels set last_sync_at = now(), last_sync_error = null,
        status = case when status = 'needs_reconnect' then 'active' else status end,
        status_reason = case when status = 'needs_reconnect' then null else status_reason end
      where tenant_id = ${tenantId} and id = ${channelId}`;
    await writeSyncLog(deps.sql, { ...base, outcome: 'ok', details: { ...result } });
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (isDomainError(e) && e.code === 'NEEDS_RECONNECT') await markNeedsReconnect(deps.sql, tenantId, channelId, message);
    await deps.sql`update channels set last_sync_error = ${message} where tenant_id = ${tenantId} and id = ${channelId}`;
    await writeSyncLog(deps.sql, { ...base, outcome: 'error', error: message, details: { ...result } });
    throw e;
  } finally {
    await deps.sql`update channels set sync_lease_owner = null, sync_lease_until = null
      where tenant_id = ${tenantId} and id = ${channelId} and sync_lease_owner = ${owner}`;
  }
}

/** Channels whose interval has passed; the worker calls syncChannel for each. */
export async function dueChannels(deps: Deps): Promise<Array<{ tenantId: string; channelId: string }>> {
  return await deps.sql<{ tenantId: string; channelId: string }[]>`
    select tenant_id::text as "tenantId", id::text as "channelId" from channels
    where kind in ('shopify','woocommerce') and status = 'active'
      and credentials_enc is not null
      and (last_sync_at is null or last_sync_at < now() - make_interval(mins => sync_interval_minutes))
      and (sync_lease_until is null or sync_lease_until < now())
    order by last_sync_at nulls first limit 50`;
}
