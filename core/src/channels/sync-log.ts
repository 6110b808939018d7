import { literalLimit } from '../db/where.ts';
import type { Db } from '../db/connect.ts';

export type SyncOutcome = 'ok' | 'duplicate' | 'stale' | 'ignored' | 'rejected' | 'error';

export interface SyncLogEntry {
  tenantId: string | null;
  channelId: string | null;
  direction: 'inbound' | 'outbound';
  kind: 'webhook' | 'sync' | 'manual_sync' | 'writeback' | 'install' | 'catalog_sync';
  topic?: string | null;
  externalId?: string | null;
  deliveryId?: string | null;
  outcome: SyncOutcome;
  error?: string | null;
  details?: Record<string, unknown> | null;
}

export async function writeSyncLog(db: Db, e: SyncLogEntry): Promise<void> {
  await db`insert into sync_log (tenant_id, channel_id, direction, kind, topic, external_id, delivery_id, outcome, error, details)
    values (${e.tenantId ?? '0'}, ${e.channelId}, ${e.direction}, ${e.kind}, ${e.topic ?? null}, ${e.externalId ?? null},
            ${e.deliveryId ?? null}, ${e.outcome}, ${e.error ?? null}, ${e.details ? db.json(e.details as never) : null})`;
}

export interface SyncLogRow {
  id: string;
  channelId: string | null;
  direction: string;
  kind: string;
  topic: string | null;
  externalId: string | null;
  deliveryId: string | null;
  outcome: SyncOutcome;
  error: string | null;
  details: unknown;
  createdAt: string;
}

export async function listSyncLog(
  db: Db,
  tenantId: string,
  f: { channelId?: string; outcome?: string; limit: number; before?: string },
): Promise<SyncLogRow[]> {
  return await db<SyncLogRow[]>`
    select id::text, channel_id::text as "channelId", direction, kind, topic, external_id as "externalId",
           delivery_id as "deliveryId", outcome, error, details, created_at as "createdAt"
    from sync_log
    where tenant_id = ${tenantId}
      ${f.channelId ? db`and channel_id = ${f.channelId}` : db``}
      ${f.outcome ? db`and outcome = ${f.outcome}` : db``}
      ${f.before ? db`and id < ${f.before}` : db``}
    order by sync_log.id desc
    limit ${db.unsafe(literalLimit(f.limit))}`;
}

/** What passed between the store and Expedio about one store order (webhooks in, write-backs out), newest first. */
export async function syncLogOfStoreOrder(db: Db, tenantId: string, channelId: string, externalId: string, limit: number): Promise<SyncLogRow[]> {
  return await db<SyncLogRow[]>`
    select id::text, channel_id::text as "channelId", direction, kind, topic, external_id as "externalId",
           delivery_id as "deliveryId", outcome, error, details, created_at as "createdAt"
    from sync_log
    where tenant_id = ${tenantId} and channel_id = ${channelId} and external_id = ${externalId}
    order by sync_log.id desc
    limit ${db.unsafe(literalLimit(limit))}`;
}
