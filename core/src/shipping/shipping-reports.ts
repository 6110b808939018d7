import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { CourierCode } from './courier-adapter.ts';

/** AWBs still on the road (and returns or problems still open), live from the shipments, oldest first. */
export interface InTransitRow {
  shipmentId: string;
  orderId: string | null;
  packingListId: string | null;
  courier: CourierCode;
  awb: string;
  trackingUrl: string | null;
  status: string;
  attention: string | null;
  attentionDetail: string | null;
  createdAt: string;
  ageHours: number;
  lastEvent: { status: string | null; rawCode: string; description: string | null; occurredAt: string | null; recordedAt: string } | null;
  lastPolledAt: string | null;
  lastPollError: string | null;
  cod: { amount: string; currency: string } | null;
}

export async function awbsInTransit(db: Db, tenantId: string, f: { courier?: CourierCode; attentionOnly?: boolean; limit?: number; cursor?: string } = {}): Promise<{ rows: InTransitRow[]; byStatus: Record<string, number>; nextCursor: string | null }> {
  const limit = Math.min(f.limit ?? 100, 2000);
  // Keyset on (created_at, id), oldest first; the cursor's instant travels as text with microseconds.
  const after = f.cursor ? decodeTransitCursor(f.cursor) : null;
  const fetched = await db<
    {
      id: string;
      order_id: string | null;
      packing_list_id: string | null;
      courier: CourierCode;
      awb: string;
      tracking_url: string | null;
      status: string;
      attention: string | null;
      attention_detail: string | null;
      created_at: Date;
      age_hours: string;
      ev_status: string | null;
      ev_code: string | null;
      ev_desc: string | null;
      ev_at: Date | null;
      ev_recorded: Date | null;
      last_polled_at: Date | null;
      last_poll_error: string | null;
      cod_amount: string | null;
      cod_currency: string | null;
      cursor_at: string;
    }[]
  >`
    select s.id::text, s.order_id::text, s.packing_list_id::text, s.courier, s.awb, s.tracking_url, s.status, s.attention, s.attention_detail, s.created_at,
      round(extract(epoch from (now() - s.created_at)) / 3600, 1)::text as age_hours,
      ev.status as ev_status, ev.raw_code as ev_code, ev.raw_description as ev_desc, ev.occurred_at as ev_at, ev.recorded_at as ev_recorded,
      s.last_polled_at, s.last_poll_error, s.cod_amount::text, s.cod_currency,
      to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from shipments s
    left join lateral (
      select status, raw_code, raw_description, occurred_at, recorded_at from shipment_status_log l
      where l.tenant_id = s.tenant_id and l.shipment_id = s.id order by coalesce(l.occurred_at, l.recorded_at) desc, l.id desc limit 1) ev on true
    where s.tenant_id = ${tenantId} and s.awb is not null
      and s.status not in ('creating', 'delivered', 'cancelled') and (s.status <> 'returned_to_sender' or s.attention is not null)
      and (${f.courier ?? null}::text is null or s.courier = ${f.courier ?? null})
      and (not ${f.attentionOnly ?? false} or s.attention is not null)
      ${after ? db`and (s.created_at, s.id) > (${after.at}::text::timestamptz, ${after.id}::bigint)` : db``}
    order by s.created_at, s.id
    limit ${limit + 1}`;
  const rows = fetched.slice(0, limit);
  const last = rows.at(-1);
  const nextCursor = fetched.length > limit && last ? Buffer.from(JSON.stringify({ at: last.cursor_at, id: last.id })).toString('base64url') : null;
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    byStatus,
    nextCursor,
    rows: rows.map((r) => ({
      shipmentId: r.id,
      orderId: r.order_id,
      packingListId: r.packing_list_id,
      courier: r.courier,
      awb: r.awb,
      trackingUrl: r.tracking_url,
      status: r.status,
      attention: r.attention,
      attentionDetail: r.attention_detail,
      createdAt: r.created_at.toISOString(),
      ageHours: Number(r.age_hours),
      lastEvent: r.ev_code
        ? { status: r.ev_status, rawCode: r.ev_code, description: r.ev_desc, occurredAt: r.ev_at?.toISOString() ?? null, recordedAt: r.ev_recorded!.toISOString() }
        : null,
      lastPolledAt: r.last_polled_at?.toISOString() ?? null,
      lastPollError: r.last_poll_error,
      cod: r.cod_amount ? { amount: r.cod_amount, currency: r.cod_currency ?? 'RON' } : null,
    })),
  };
}

function decodeTransitCursor(cursor: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    if (typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) && typeof v.id === 'string' && /^\d{1,18}$/.test(v.id)) return { at: v.at, id: v.id };
  } catch {}
  throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
}

export interface AuditLogRow {
  id: string;
  courier: string;
  courierAccountId: string | null;
  operation: string;
  method: string;
  url: string;
  requestHeaders: unknown;
  requestBody: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  latencyMs: number;
  outcome: string;
  error: string | null;
  createdAt: string;
}

/** Every courier call, newest first (secrets were redacted when the row was written). `before` pages by id. */
export async function courierAuditLog(db: Db, tenantId: string, f: { courier?: string; outcome?: string; operation?: string; before?: string; limit?: number } = {}): Promise<{ entries: AuditLogRow[]; nextBefore: string | null }> {
  const limit = Math.min(f.limit ?? 100, 500);
  const rows = await db<{ id: string; courier: string; courier_account_id: string | null; operation: string; method: string; url: string; request_headers: unknown; request_body: string | null; response_status: number | null; response_body: string | null; latency_ms: number; outcome: string; error: string | null; created_at: Date }[]>`
    select id::text, courier, courier_account_id::text, operation, method, url, request_headers, request_body, response_status, response_body, latency_ms, outcome, error, created_at
    from courier_audit_log
    where tenant_id = ${tenantId}
      and (${f.courier ?? null}::text is null or courier = ${f.courier ?? null})
      and (${f.outcome ?? null}::text is null or outcome = ${f.outcome ?? null})
      and (${f.operation ?? null}::text is null or operation = ${f.operation ?? null})
      and (${f.before ?? null}::bigint is null or id < ${f.before ?? null})
    order by courier_audit_log.id desc limit ${limit}`;
  return {
    entries: rows.map((r) => ({
      id: r.id,
      courier: r.courier,
      courierAccountId: r.courier_account_id,
      operation: r.operation,
      method: r.method,
      url: r.url,
      requestHeaders: r.request_headers,
      requestBody: r.request_body,
      responseStatus: r.response_status,
      responseBody: r.response_body,
      latencyMs: r.latency_ms,
      outcome: r.outcome,
      error: r.error,
      createdAt: r.created_at.toISOString(),
    })),
    nextBefore: rows.length === limit ? rows.at(-1)!.id : null,
  };
}

export interface OutstandingCod {
  courier: string;
  currency: string;
  /** Not collected yet (parcel still on the road). */
  pendingCount: number;
  pendingAmount: string;
  /** Collected by the courier, not paid over to us yet. */
  collectedCount: number;
  collectedAmount: string;
  totalAmount: string;
  oldestCollectedAt: string | null;
}

/** Cash on delivery the couriers still owe, per courier and currency (cancelled and returned parcels owe nothing). */
export async function outstandingCod(db: Db, tenantId: string): Promise<{ couriers: OutstandingCod[]; shipments: Array<{ shipmentId: string; orderId: string | null; courier: string; awb: string | null; status: string; codStatus: string; amount: string; currency: string; collectedAt: string | null }> }> {
  const rows = await db<{ courier: string; currency: string; pending_count: number; pending_amount: string; collected_count: number; collected_amount: string; total_amount: string; oldest: Date | null }[]>`
    select courier, coalesce(cod_currency, 'RON') as currency,
      count(*) filter (where cod_status = 'pending')::int as pending_count,
      coalesce(sum(cod_amount) filter (where cod_status = 'pending'), 0)::numeric(14,2)::text as pending_amount,
      count(*) filter (where cod_status = 'collected')::int as collected_count,
      coalesce(sum(cod_amount) filter (where cod_status = 'collected'), 0)::numeric(14,2)::text as collected_amount,
      coalesce(sum(cod_amount), 0)::numeric(14,2)::text as total_amount,
      min(cod_collected_at) filter (where cod_status = 'collected') as oldest
    from shipments
    where tenant_id = ${tenantId} and cod_status in ('pending', 'collected') and status not in ('creating', 'cancelled', 'returned_to_sender')
    group by 1, 2 order by 1, 2`;
  const items = await db<{ id: string; order_id: string | null; courier: string; awb: string | null; status: string; cod_status: string; amount: string; currency: string; collected: Date | null }[]>`
    select id::text, order_id::text, courier, awb, status, cod_status, cod_amount::text as amount, coalesce(cod_currency, 'RON') as currency, cod_collected_at as collected
    from shipments where tenant_id = ${tenantId} and cod_status in ('pending', 'collected') and status not in ('creating', 'cancelled', 'returned_to_sender')
    order by courier, cod_collected_at nulls last, shipments.id limit 200`;
  return {
    couriers: rows.map((r) => ({
      courier: r.courier,
      currency: r.currency,
      pendingCount: r.pending_count,
      pendingAmount: r.pending_amount,
      collectedCount: r.collected_count,
      collectedAmount: r.collected_amount,
      totalAmount: r.total_amount,
      oldestCollectedAt: r.oldest?.toISOString() ?? null,
    })),
    shipments: items.map((i) => ({ shipmentId: i.id, orderId: i.order_id, courier: i.courier, awb: i.awb, status: i.status, codStatus: i.cod_status, amount: i.amount, currency: i.currency, collectedAt: i.collected?.toISOString() ?? null })),
  };
}
