import type { Db, Sql, Tx } from '../db/connect.ts';
import type { CourierCode, TrackEvent, TrackingStatus, TrackResult } from './courier-adapter.ts';
import { type Attention, FINAL_SHIPMENT_STATUSES, getShipment, type Shipment, type ShipmentStatus } from './shipments.ts';

/**
 * Tracking: which shipments are due for a poll (a lease per row, so several workers split the work),
 * and recording a courier's answer as status-log rows (deduplicated by the unique event index) plus
 * the status moves it implies. Everything an answer changes happens under the shipment's row lock,
 * so two workers (or a poll and a webhook) never apply one event twice.
 */

export interface DueShipment {
  tenantId: string;
  id: string;
  courierAccountId: string;
  courier: CourierCode;
  awb: string;
  courierMeta: Record<string, string | number>;
}

/** How long a claimed shipment is left alone while its worker polls it. */
export const POLL_LEASE_SECONDS = 300;

/**
 * Claims up to `limit` shipments due for a poll, across tenants, by pushing their next_poll_at past
 * the lease. SKIP LOCKED: a second worker running the same query takes the next rows, not these.
 */
export async function claimDueShipments(sql: Sql | Tx, opts: { limit?: number; leaseSeconds?: number; courier?: CourierCode; tenantId?: string } = {}): Promise<DueShipment[]> {
  const rows = await sql<{ tenant_id: string; id: string; courier_account_id: string; courier: CourierCode; awb: string; courier_payload: Record<string, string | number> | null }[]>`
    with due as (
      select tenant_id, id from shipments
      where next_poll_at <= now() and awb is not null
        and status not in ('creating', 'delivered', 'returned_to_sender', 'cancelled')
        and (${opts.courier ?? null}::text is null or courier = ${opts.courier ?? null})
        and (${opts.tenantId ?? null}::bigint is null or tenant_id = ${opts.tenantId ?? null})
      order by next_poll_at, tenant_id, id
      limit ${opts.limit ?? 500}
      for update skip locked)
    update shipments s set next_poll_at = now() + make_interval(secs => ${opts.leaseSeconds ?? POLL_LEASE_SECONDS}), last_polled_at = now()
    from due where s.tenant_id = due.tenant_id and s.id = due.id
    returning s.tenant_id::text, s.id::text, s.courier_account_id::text, s.courier, s.awb, s.courier_payload`;
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, courierAccountId: r.courier_account_id, courier: r.courier, awb: r.awb, courierMeta: r.courier_payload ?? {} }));
}

/** Next poll by status: close to the door more often; final statuses are not polled again. */
export function nextPollDelaySeconds(status: ShipmentStatus): number | null {
  if (FINAL_SHIPMENT_STATUSES.includes(status)) return null;
  switch (status) {
    case 'out_for_delivery':
    case 'failed_attempt':
      return 15 * 60;
    case 'created':
      return 60 * 60;
    default:
      return 30 * 60;
  }
}

export async function schedulePoll(db: Db, tenantId: string, id: string, status: ShipmentStatus): Promise<void> {
  const delay = nextPollDelaySeconds(status);
  await db`update shipments set next_poll_at = case when ${delay}::int is null then null else now() + make_interval(secs => ${delay}::int) end,
      poll_failures = 0, last_poll_error = null
    where tenant_id = ${tenantId} and id = ${id}`;
}

/** A failed poll backs off (5 min doubling, capped at 6 h) and keeps the error visible on the shipment. */
export async function recordPollFailure(db: Db, tenantId: string, ids: string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db`update shipments set poll_failures = poll_failures + 1, last_poll_error = ${error.slice(0, 500)},
      next_poll_at = now() + make_interval(secs => least(21600, 300 * power(2, least(poll_failures, 10))::int))
    where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`;
}

export interface AppliedStatus {
  status: TrackingStatus;
  statusLogId: string;
  event: TrackEvent;
}

export interface RecordedTrack {
  shipment: Shipment;
  /** New status-log rows (events not seen before). */
  newEvents: number;
  /** Status moves in courier time order; the last one is the shipment's status now. */
  changes: AppliedStatus[];
  unknownCodes: { code: string; description: string; statusLogId: string }[];
}

const time = (e: TrackEvent) => (e.occurredAt ? Date.parse(e.occurredAt) : Number.NaN);

/**
 * Records a courier answer for one shipment. Must run inside a transaction: the shipment row is
 * locked first, each event is inserted with ON CONFLICT DO NOTHING on (shipment, raw code, time),
 * and only events inserted now move the status. Events older than the last applied one are logged
 * but do not move the status back; a final status never changes again.
 */
export async function recordTrackResult(tx: Tx, tenantId: string, shipmentId: string, result: TrackResult, source: 'poll' | 'webhook' | 'manual'): Promise<RecordedTrack> {
  const before = await getShipment(tx, tenantId, shipmentId, { lock: true });
  let status: ShipmentStatus = before.status;
  let lastAt = before.lastEventAt ? Date.parse(before.lastEventAt) : Number.NEGATIVE_INFINITY;
  let lastRaw = before.lastRawCode;
  const changes: AppliedStatus[] = [];
  const unknownCodes: RecordedTrack['unknownCodes'] = [];
  let newEvents = 0;
  for (const e of result.events) {
    const payload = { event: { code: e.raw.code, description: e.raw.description, status: e.status, reason: e.reason ?? null, occurredAt: e.occurredAt, location: e.location }, courier: result.raw ?? null };
    const [row] = await tx<{ id: string }[]>`
      insert into shipment_status_log (tenant_id, shipment_id, status, raw_code, raw_description, reason, occurred_at, source, raw_payload)
      values (${tenantId}, ${shipmentId}, ${e.status}, ${e.raw.code}, ${e.raw.description || null}, ${e.reason ?? null}, ${e.occurredAt}, ${source}, ${tx.json(payload as never)})
      on conflict do nothing
      returning id::text`;
    if (!row) continue;
    newEvents++;
    if (e.unknown) {
      unknownCodes.push({ code: e.raw.code, description: e.raw.description, statusLogId: row.id });
      continue;
    }
    const t = time(e);
    if (FINAL_SHIPMENT_STATUSES.includes(status)) continue;
    if (!Number.isNaN(t) && t < lastAt) continue;
    if (!Number.isNaN(t)) lastAt = t;
    lastRaw = e.raw.code;
    if (e.status === status) continue;
    status = e.status;
    changes.push({ status: e.status, statusLogId: row.id, event: e });
  }
  if (newEvents > 0) {
    const lastEventAt = Number.isFinite(lastAt) ? new Date(lastAt) : null;
    const attention: Attention | null =
      unknownCodes.length > 0 ? 'unknown_code' : status === 'failed_attempt' || status === 'returned_to_sender' || status === 'exception' ? status : changes.length > 0 ? null : before.attention;
    const detail =
      attention === 'unknown_code'
        ? `Courier code ${unknownCodes.map((u) => `${u.code} (${u.description || 'no description'})`).join(', ')} is not mapped; the status was kept at ${status}.`
        : attention && changes.length > 0
          ? `${changes.at(-1)!.event.raw.description || changes.at(-1)!.event.raw.code}${changes.at(-1)!.event.reason ? ` — ${changes.at(-1)!.event.reason}` : ''}`
          : attention ? before.attentionDetail : null;
    await tx`update shipments set status = ${status}, last_raw_code = ${lastRaw}, last_event_at = coalesce(${lastEventAt}, last_event_at),
        attention = ${attention}, attention_detail = ${detail},
        delivered_at = case when ${status} = 'delivered' and delivered_at is null then now() else delivered_at end,
        cancelled_at = case when ${status} = 'cancelled' and cancelled_at is null then now() else cancelled_at end,
        updated_at = now()
      where tenant_id = ${tenantId} and id = ${shipmentId}`;
  }
  await schedulePoll(tx, tenantId, shipmentId, status);
  return { shipment: await getShipment(tx, tenantId, shipmentId), newEvents, changes, unknownCodes };
}

/** Opens (once) a stall the operator sees in the stalls list; resolved when the cause goes away. */
export async function openShipmentStall(db: Db, tenantId: string, shipmentId: string, kind: string, message: string, fix: string, details: Record<string, unknown>): Promise<void> {
  await db`insert into stalls (tenant_id, kind, subject_type, subject_id, message, fix, link, details)
    values (${tenantId}, ${kind}, 'shipment', ${shipmentId}, ${message}, ${fix}, ${`/api/v1/shipments/${shipmentId}`}, ${db.json(details as never)})
    on conflict do nothing`;
}

export async function resolveShipmentStalls(db: Db, tenantId: string, shipmentId: string, kinds: string[]): Promise<void> {
  await db`update stalls set resolved_at = now() where tenant_id = ${tenantId} and subject_type = 'shipment' and subject_id = ${shipmentId}
    and kind = any(${kinds}) and resolved_at is null`;
}

/** Raw courier data of one AWB as the adapter returned it (for COD history, re-weigh…). */
export type RawTrack = Record<string, unknown>;

export interface CodSignal {
  status: 'collected' | 'settled';
  at: string | null;
  reference: string | null;
}

/**
 * COD progress as the courier reports it, where it does:
 * - Innoship `cashOnDeliveryHistory` (COD statuses 1 New, 2 Collected, 3 Paid; the item field names
 *   are UNVERIFIED, so the status id is read from the usual keys);
 * - Bosta: a confirmed delivery carrying `cod` (collection; Bosta has no settlement API we know of).
 * Sameday, FAN Courier and Cargus expose settlements only in separate reports not wired here; those
 * settle through POST /shipments/{id}/cod-settlement (the courier's statement, entered or imported).
 */
export function codSignalOf(courier: CourierCode, raw: unknown, status: ShipmentStatus): CodSignal | null {
  const r = (raw ?? {}) as RawTrack;
  if (courier === 'innoship') {
    const hist = Array.isArray(r.cashOnDeliveryHistory) ? (r.cashOnDeliveryHistory as Record<string, unknown>[]) : [];
    let best: CodSignal | null = null;
    for (const h of hist) {
      const id = Number(h.statusId ?? h.codStatusId ?? h.clientStatusId ?? h.status ?? h.id);
      const at = typeof h.eventDate === 'string' ? h.eventDate : typeof h.date === 'string' ? h.date : null;
      const ref = h.reference ?? h.paymentReference ?? h.opNumber ?? null;
      if (id === 3) best = { status: 'settled', at, reference: ref == null ? null : String(ref) };
      else if (id === 2 && best?.status !== 'settled') best = { status: 'collected', at, reference: null };
    }
    return best;
  }
  if (courier === 'bosta') {
    const cod = Number(r.cod ?? 0);
    if (status === 'delivered' && Number.isFinite(cod) && cod > 0) return { status: 'collected', at: typeof r.updatedAt === 'string' ? r.updatedAt : null, reference: null };
  }
  return null;
}

/** Moves the shipment's COD forward (pending → collected → settled); returns true when it moved. */
export async function recordCodProgress(tx: Tx, tenantId: string, shipmentId: string, signal: CodSignal): Promise<boolean> {
  const rows = await tx`
    update shipments set
      cod_status = ${signal.status},
      cod_collected_at = coalesce(cod_collected_at, ${signal.at ? new Date(signal.at) : null}, now()),
      cod_settled_at = case when ${signal.status} = 'settled' then coalesce(${signal.at ? new Date(signal.at) : null}, now()) else cod_settled_at end,
      cod_settlement_ref = case when ${signal.status} = 'settled' then ${signal.reference} else cod_settlement_ref end,
      updated_at = now()
    where tenant_id = ${tenantId} and id = ${shipmentId} and cod_amount is not null
      and (cod_status = 'pending' or (cod_status = 'collected' and ${signal.status} = 'settled'))
    returning id`;
  return rows.length > 0;
}
