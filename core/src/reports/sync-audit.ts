import type { Db } from '../db/connect.ts';
import { literalLimit } from '../db/where.ts';
import { DomainError } from '../shared/domain-error.ts';
import { chartOf, type ReportPage } from './report-page.ts';

export interface SyncAuditRow {
  [k: string]: string | number | null;
  id: string;
  createdAt: string;
  channelId: string | null;
  channelName: string | null;
  direction: string;
  kind: string;
  topic: string | null;
  externalId: string | null;
  outcome: string;
  error: string | null;
}

/**
 * The store sync log, newest first by id as a number (never as text: '9' sorted above '10' once).
 * Keyset on id; the channel and outcome filters each ride their own (tenant, x, id desc) index.
 */
export async function syncAudit(db: Db, tenantId: string, f: { channelId?: string; outcome?: string; limit: number; cursor?: string }): Promise<ReportPage<SyncAuditRow>> {
  if (f.cursor !== undefined && !/^\d{1,18}$/.test(f.cursor)) throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
  // Only the filters given reach the SQL, so each one's index is the plan's, custom or generic.
  const rows = await db<SyncAuditRow[]>`
    select l.id::text as id, to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt", l.channel_id::text as "channelId",
           c.name as "channelName", l.direction, l.kind, l.topic, l.external_id as "externalId", l.outcome, l.error
    from sync_log l
    left join channels c on c.tenant_id = l.tenant_id and c.id = l.channel_id
    where l.tenant_id = ${tenantId}
      ${f.channelId ? db`and l.channel_id = ${f.channelId}` : db``}
      ${f.outcome ? db`and l.outcome = ${f.outcome}` : db``}
      ${f.cursor ? db`and l.id < ${f.cursor}` : db``}
    order by l.id desc
    limit ${db.unsafe(literalLimit(f.limit + 1))}`;
  const page = rows.slice(0, f.limit);
  return {
    report: 'sync-audit',
    columns: ['id', 'createdAt', 'channelId', 'channelName', 'direction', 'kind', 'topic', 'externalId', 'outcome', 'error'],
    rows: page,
    nextCursor: rows.length > f.limit ? page.at(-1)!.id : null,
    chart: chartOf(page, { scope: 'page', stacked: true, label: (r) => r.outcome, series: (r) => r.kind, value: () => 1 }),
  };
}
