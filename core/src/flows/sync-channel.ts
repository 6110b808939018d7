import { randomUUID } from 'node:crypto';
import { type Channel, type ChannelCredentials, getChannel, markNeedsReconnect, readCredentials, shopPlatformFor, writeSyncLog, advanceSyncCursor, dueChannels as dueChannelsIn, recordSyncError, recordSyncSuccess, releaseSyncLease, takeSyncLease, isIgnoredWooStatus } from '../channels/index.ts';
import type { ShopConnector } from '../channels/index.ts';
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
  const leaseSeconds = opts.leaseSeconds ?? 300;
  if (!(await takeSyncLease(deps.sql, tenantId, channelId, owner, leaseSeconds))) return { ...result, skipped: 'leased' };
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
        await advanceSyncCursor(tx, tenantId, channelId, owner, next, leaseSeconds);
        cursor = next;
      });
      if (pulled.done) break;
    }
    await recordSyncSuccess(deps.sql, tenantId, channelId);
    await writeSyncLog(deps.sql, { ...base, outcome: 'ok', details: { ...result } });
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (isDomainError(e) && e.code === 'NEEDS_RECONNECT') await markNeedsReconnect(deps.sql, tenantId, channelId, message);
    await recordSyncError(deps.sql, tenantId, channelId, message);
    await writeSyncLog(deps.sql, { ...base, outcome: 'error', error: message, details: { ...result } });
    throw e;
  } finally {
    await releaseSyncLease(deps.sql, tenantId, channelId, owner);
  }
}

/** Channels whose interval has passed; the worker calls syncChannel for each. */
export const dueChannels = (deps: Deps): Promise<Array<{ tenantId: string; channelId: string }>> => dueChannelsIn(deps.sql);
