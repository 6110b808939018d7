import { randomUUID } from 'node:crypto';
import type { Db, Sql, Tx } from '../db/connect.ts';
import type { CourierCode, TrackEvent, TrackingStatus, TrackResult } from './courier-adapter.ts';
import { moveShipment } from './move-shipment.ts';
import { canTransition, FINAL_SHIPMENT_STATUSES, reportOf, type ShipmentStatus, transition } from './shipment-status.ts';
import { type Attention, getShipment, type Shipment } from './shipments.ts';

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
      order by next_poll_at, tenant_id, shipments.id
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
    // A final status never changes again (the state machine refuses); the event stays in the log.
    if (!canTransition(status, reportOf(e.status))) continue;
    if (!Number.isNaN(t) && t < lastAt) continue;
    if (!Number.isNaN(t)) lastAt = t;
    lastRaw = e.raw.code;
    const next = transition(status, reportOf(e.status));
    if (next === status) continue;
    status = next;
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
    await moveShipment(
      tx,
      tenantId,
      shipmentId,
      changes.map((c) => reportOf(c.status)),
      tx`last_raw_code = ${lastRaw}, last_event_at = coalesce(${lastEventAt}, last_event_at), attention = ${attention}, attention_detail = ${detail}`,
    );
  }
  await schedulePoll(tx, tenantId, shipmentId, status);
  return { shipment: await getShipment(tx, tenantId, shipmentId), newEvents, changes, unknownCodes };
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

/* ---------- Delta feeds (Sameday status-sync): a cursor per courier account, read in windows ---------- */

export type { TrackingFeed } from './courier-adapter.ts';
import type { TrackingFeed } from './courier-adapter.ts';

/** A shipment the feed touched is polled per AWB only after this long without the feed touching it again. */
export const FEED_FALLBACK_POLL_SECONDS = 6 * 3600;
/** A feed whose cursor is this close to now covers its account's shipments (per-AWB polls back off). */
export const FEED_HEALTHY_LAG_SECONDS = 3600;
/** A new cursor starts at the account's oldest open shipment, but never further back than this. */
export const FEED_MAX_LOOKBACK_SECONDS = 24 * 3600;

export interface FeedCursor {
  tenantId: string;
  courierAccountId: string;
  feed: TrackingFeed;
  syncedUntil: Date;
  windowEnd: Date | null;
  pagesDone: number;
  leaseToken: string;
  failures: number;
}

/** Raised when a worker's lease was taken over (it ran past its lease): its page is not committed. */
export class FeedLeaseLost extends Error {}

interface CursorRow {
  tenant_id: string;
  courier_account_id: string;
  feed: TrackingFeed;
  synced_until: Date;
  window_end: Date | null;
  pages_done: number;
  lease_token: string;
  failures: number;
}
const toCursor = (r: CursorRow): FeedCursor => ({
  tenantId: r.tenant_id,
  courierAccountId: r.courier_account_id,
  feed: r.feed,
  syncedUntil: r.synced_until,
  windowEnd: r.window_end,
  pagesDone: r.pages_done,
  leaseToken: r.lease_token,
  failures: r.failures,
});

/**
 * Gives every active account of the courier a cursor (once): it starts just before the account's
 * oldest open shipment (bounded by FEED_MAX_LOOKBACK_SECONDS), so nothing those shipments did is missed.
 */
export async function ensureFeedCursors(db: Db, feed: TrackingFeed, courier: CourierCode, now: Date, opts: { tenantId?: string } = {}): Promise<void> {
  const floor = new Date(Math.floor(now.getTime() / 1000) * 1000 - FEED_MAX_LOOKBACK_SECONDS * 1000);
  const fallback = new Date(Math.floor(now.getTime() / 1000) * 1000 - 300_000);
  await db`
    insert into tracking_cursors (tenant_id, courier_account_id, feed, synced_until)
    select a.tenant_id, a.id, ${feed},
      greatest(${floor}::timestamptz, least(${fallback}::timestamptz, date_trunc('second', coalesce((
        select min(s.created_at) from shipments s
        where s.tenant_id = a.tenant_id and s.courier_account_id = a.id and s.awb is not null
          and s.status not in ('delivered', 'returned_to_sender', 'cancelled')), ${fallback}::timestamptz)) - interval '5 minutes'))
    from courier_accounts a
    where a.courier = ${courier} and a.active
      and (${opts.tenantId ?? null}::bigint is null or a.tenant_id = ${opts.tenantId ?? null})
    on conflict do nothing`;
}

/**
 * Takes the lease of up to `limit` due cursors, across tenants. SKIP LOCKED plus the lease: a
 * second worker never reads the same cursor while the first holds it.
 */
export async function claimFeedCursors(sql: Sql | Tx, feed: TrackingFeed, opts: { limit?: number; leaseSeconds?: number; tenantId?: string } = {}): Promise<FeedCursor[]> {
  const token = randomUUID();
  const rows = await sql<CursorRow[]>`
    with due as (
      select tenant_id, courier_account_id, feed from tracking_cursors
      where feed = ${feed} and next_run_at <= now() and (lease_until is null or lease_until < now())
        and (${opts.tenantId ?? null}::bigint is null or tenant_id = ${opts.tenantId ?? null})
      order by next_run_at, tenant_id, courier_account_id
      limit ${opts.limit ?? 50}
      for update skip locked)
    update tracking_cursors c set lease_token = ${token}, lease_until = now() + make_interval(secs => ${opts.leaseSeconds ?? POLL_LEASE_SECONDS}), updated_at = now()
    from due where c.tenant_id = due.tenant_id and c.courier_account_id = due.courier_account_id and c.feed = due.feed
    returning c.tenant_id::text, c.courier_account_id::text, c.feed, c.synced_until, c.window_end, c.pages_done, c.lease_token, c.failures`;
  return rows.map(toCursor);
}

/** Locks the cursor row for a page's commit; refuses when another worker holds the lease now. */
export async function lockFeedCursor(tx: Tx, c: FeedCursor): Promise<FeedCursor> {
  const [row] = await tx<CursorRow[]>`
    select tenant_id::text, courier_account_id::text, feed, synced_until, window_end, pages_done, lease_token, failures
    from tracking_cursors where tenant_id = ${c.tenantId} and courier_account_id = ${c.courierAccountId} and feed = ${c.feed}
    for update`;
  if (!row || row.lease_token !== c.leaseToken) throw new FeedLeaseLost(`The ${c.feed} cursor of courier account ${c.courierAccountId} was taken over by another worker.`);
  return toCursor(row);
}

/**
 * Records a page as applied, in the transaction that applied its events: a middle page keeps the
 * window and counts the page; the last page moves the cursor to the window's end. The lease is renewed.
 */
export async function commitFeedPage(tx: Tx, c: FeedCursor, p: { windowEnd: Date; page: number; last: boolean }, leaseSeconds = POLL_LEASE_SECONDS): Promise<FeedCursor> {
  const [row] = p.last
    ? await tx<CursorRow[]>`update tracking_cursors set synced_until = ${p.windowEnd}, window_end = null, pages_done = 0,
          lease_until = now() + make_interval(secs => ${leaseSeconds}), failures = 0, last_error = null, updated_at = now()
        where tenant_id = ${c.tenantId} and courier_account_id = ${c.courierAccountId} and feed = ${c.feed} and lease_token = ${c.leaseToken}
        returning tenant_id::text, courier_account_id::text, feed, synced_until, window_end, pages_done, lease_token, failures`
    : await tx<CursorRow[]>`update tracking_cursors set window_end = ${p.windowEnd}, pages_done = ${p.page},
          lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
        where tenant_id = ${c.tenantId} and courier_account_id = ${c.courierAccountId} and feed = ${c.feed} and lease_token = ${c.leaseToken}
        returning tenant_id::text, courier_account_id::text, feed, synced_until, window_end, pages_done, lease_token, failures`;
  if (!row) throw new FeedLeaseLost(`The ${c.feed} cursor of courier account ${c.courierAccountId} was taken over by another worker.`);
  return toCursor(row);
}

/** Gives the lease back: the next run is due after `nextRunSeconds`; a failure is counted and kept visible. */
export async function releaseFeedCursor(db: Db, c: FeedCursor, opts: { nextRunSeconds: number; error?: string }): Promise<void> {
  if (opts.error) {
    await db`update tracking_cursors set lease_token = null, lease_until = null, last_run_at = now(), failures = failures + 1, last_error = ${opts.error.slice(0, 500)},
        next_run_at = now() + make_interval(secs => least(21600, ${opts.nextRunSeconds} * power(2, least(failures, 10))::int)), updated_at = now()
      where tenant_id = ${c.tenantId} and courier_account_id = ${c.courierAccountId} and feed = ${c.feed} and lease_token = ${c.leaseToken}`;
    return;
  }
  await db`update tracking_cursors set lease_token = null, lease_until = null, last_run_at = now(), next_run_at = now() + make_interval(secs => ${opts.nextRunSeconds}), updated_at = now()
    where tenant_id = ${c.tenantId} and courier_account_id = ${c.courierAccountId} and feed = ${c.feed} and lease_token = ${c.leaseToken}`;
}

/** The tenant's shipments of this courier carrying these AWBs (the feed answers per account, not per tenant row). */
export async function shipmentsByAwbs(db: Db, tenantId: string, courier: CourierCode, awbs: string[]): Promise<{ id: string; awb: string }[]> {
  if (awbs.length === 0) return [];
  return db<{ id: string; awb: string }[]>`
    select id::text, awb from shipments where tenant_id = ${tenantId} and courier = ${courier} and awb = any(${awbs}::text[]) and status <> 'creating'
    order by shipments.id`;
}

/** The feed brought these shipments news: per-AWB polling steps back to the fallback interval. */
export async function markTouchedByFeed(db: Db, tenantId: string, shipmentIds: string[]): Promise<void> {
  if (shipmentIds.length === 0) return;
  await db`update shipments set last_synced_at = now(),
      next_poll_at = case when next_poll_at is null then null else now() + make_interval(secs => ${FEED_FALLBACK_POLL_SECONDS}) end
    where tenant_id = ${tenantId} and id = any(${shipmentIds}::bigint[])`;
}

/** Whether the account's feed is current (its cursor near now), so its shipments need per-AWB polls only as a fallback. */
export async function feedIsCurrent(db: Db, tenantId: string, courierAccountId: string, feed: TrackingFeed): Promise<boolean> {
  const rows = await db`select 1 from tracking_cursors where tenant_id = ${tenantId} and courier_account_id = ${courierAccountId} and feed = ${feed}
    and synced_until > now() - make_interval(secs => ${FEED_HEALTHY_LAG_SECONDS})`;
  return rows.length > 0;
}

/** After a per-AWB poll of shipments a current feed covers: the next poll only at the fallback interval. */
export async function deferPollsToFeed(db: Db, tenantId: string, shipmentIds: string[]): Promise<void> {
  if (shipmentIds.length === 0) return;
  await db`update shipments set next_poll_at = now() + make_interval(secs => ${FEED_FALLBACK_POLL_SECONDS})
    where tenant_id = ${tenantId} and id = any(${shipmentIds}::bigint[]) and next_poll_at is not null`;
}
