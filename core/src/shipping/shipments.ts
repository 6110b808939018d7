import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db, Tx } from '../db/connect.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { CourierCode, CreatedShipment, LabelFormat, Money, Parcel, ShipmentRef, TrackingStatus } from './courier-adapter.ts';
import { moveShipment } from './move-shipment.ts';
import type { ShipmentStatus } from './shipment-status.ts';

export { FINAL_SHIPMENT_STATUSES, type ShipmentStatus } from './shipment-status.ts';

/**
 * Shipments: one AWB per packing list (per reference), its label, its tracking status and its
 * cash on delivery. Only the shipping tables are touched here; the flows in core/src/flows join
 * packing lists and orders.
 */
export type Attention = 'unknown_code' | 'failed_attempt' | 'returned_to_sender' | 'exception';
export type CodStatus = 'pending' | 'collected' | 'settled';

export interface Shipment {
  id: string;
  packingListId: string | null;
  orderId: string | null;
  warehouseId: string | null;
  courierAccountId: string;
  courier: CourierCode;
  service: string;
  reference: string;
  awb: string | null;
  parcelAwbs: string[];
  trackingUrl: string | null;
  status: ShipmentStatus;
  lastRawCode: string | null;
  lastEventAt: string | null;
  attention: Attention | null;
  attentionDetail: string | null;
  parcels: Parcel[];
  labelFormat: LabelFormat | null;
  labelSource: 'courier' | 'own' | null;
  hasLabel: boolean;
  cod: Money | null;
  codStatus: CodStatus | null;
  codCollectedAt: string | null;
  codSettledAt: string | null;
  codSettlementRef: string | null;
  price: Money | null;
  shipDate: string;
  courierMeta: Record<string, string | number>;
  nextPollAt: string | null;
  lastPolledAt: string | null;
  lastPollError: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id::text, packing_list_id::text, order_id::text, warehouse_id::text, courier_account_id::text, courier, service, reference, awb,
  parcel_awbs, tracking_url, status, last_raw_code, last_event_at, attention, attention_detail, parcels, label_format, label_source,
  (label is not null) as has_label, cod_amount::text, cod_currency, cod_status, cod_collected_at, cod_settled_at, cod_settlement_ref,
  price_amount::text, price_currency, ship_date::text, courier_payload, next_poll_at, last_polled_at, last_poll_error, delivered_at, cancelled_at,
  created_at, updated_at`;

interface Row {
  id: string;
  packing_list_id: string | null;
  order_id: string | null;
  warehouse_id: string | null;
  courier_account_id: string;
  courier: CourierCode;
  service: string;
  reference: string;
  awb: string | null;
  parcel_awbs: string[];
  tracking_url: string | null;
  status: ShipmentStatus;
  last_raw_code: string | null;
  last_event_at: Date | null;
  attention: Attention | null;
  attention_detail: string | null;
  parcels: Parcel[];
  label_format: LabelFormat | null;
  label_source: 'courier' | 'own' | null;
  has_label: boolean;
  cod_amount: string | null;
  cod_currency: string | null;
  cod_status: CodStatus | null;
  cod_collected_at: Date | null;
  cod_settled_at: Date | null;
  cod_settlement_ref: string | null;
  price_amount: string | null;
  price_currency: string | null;
  ship_date: string;
  courier_payload: Record<string, string | number> | null;
  next_poll_at: Date | null;
  last_polled_at: Date | null;
  last_poll_error: string | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toShipment(r: Row): Shipment {
  return {
    id: r.id,
    packingListId: r.packing_list_id,
    orderId: r.order_id,
    warehouseId: r.warehouse_id,
    courierAccountId: r.courier_account_id,
    courier: r.courier,
    service: r.service,
    reference: r.reference,
    awb: r.awb,
    parcelAwbs: r.parcel_awbs ?? [],
    trackingUrl: r.tracking_url,
    status: r.status,
    lastRawCode: r.last_raw_code,
    lastEventAt: iso(r.last_event_at),
    attention: r.attention,
    attentionDetail: r.attention_detail,
    parcels: r.parcels ?? [],
    labelFormat: r.label_format,
    labelSource: r.label_source,
    hasLabel: r.has_label,
    cod: r.cod_amount ? { amount: r.cod_amount, currency: r.cod_currency ?? 'RON' } : null,
    codStatus: r.cod_status,
    codCollectedAt: iso(r.cod_collected_at),
    codSettledAt: iso(r.cod_settled_at),
    codSettlementRef: r.cod_settlement_ref,
    price: r.price_amount ? { amount: r.price_amount, currency: r.price_currency ?? 'RON' } : null,
    shipDate: r.ship_date,
    courierMeta: r.courier_payload ?? {},
    nextPollAt: iso(r.next_poll_at),
    lastPolledAt: iso(r.last_polled_at),
    lastPollError: r.last_poll_error,
    deliveredAt: iso(r.delivered_at),
    cancelledAt: iso(r.cancelled_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const isId = (s: string) => /^\d{1,18}$/.test(s);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Shipment ${id} does not exist.`, [{ path: 'id', reason: 'unknown shipment' }]);

export const shipmentRef = (s: Pick<Shipment, 'awb' | 'courierMeta'>): ShipmentRef => ({ awb: s.awb ?? '', meta: s.courierMeta });

export async function getShipment(db: Db, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<Shipment> {
  if (!isId(id)) throw notFound(id);
  const [row] = await db.unsafe<Row[]>(`select ${COLUMNS} from shipments where tenant_id = $1 and id = $2${opts.lock ? ' for update' : ''}`, [tenantId, id]);
  if (!row) throw notFound(id);
  return toShipment(row);
}

export async function findShipmentByAwb(db: Db, tenantId: string, courier: CourierCode, awb: string): Promise<Shipment | null> {
  const [row] = await db.unsafe<Row[]>(`select ${COLUMNS} from shipments where tenant_id = $1 and courier = $2 and awb = $3`, [tenantId, courier, awb]);
  return row ? toShipment(row) : null;
}

export interface ShipmentFilter {
  status?: ShipmentStatus;
  courier?: CourierCode;
  orderId?: string;
  packingListId?: string;
  attention?: boolean;
  /** A channel-bound credential lists its own channel's shipments only. */
  channelId?: string;
  limit?: number;
}

export async function listShipments(db: Db, tenantId: string, f: ShipmentFilter = {}): Promise<Shipment[]> {
  const params: unknown[] = [tenantId];
  const where = presentFilters(params, {
    'status = ?': f.status,
    'courier = ?': f.courier,
    'order_id = ?::bigint': f.orderId,
    'packing_list_id = ?::bigint': f.packingListId,
    'attention is not null': f.attention === true,
    'order_id in (select id from orders where tenant_id = $1 and channel_id = ?::bigint)': f.channelId,
  });
  const rows = await db.unsafe<Row[]>(
    `select ${COLUMNS} from shipments where tenant_id = $1${where} order by shipments.id desc limit ${literalLimit(Math.min(f.limit ?? 100, 500))}`,
    params as never[],
  );
  return rows.map(toShipment);
}

/** Shipments of a packing list, newest first (cancelled ones stay for the record). */
export async function shipmentsOfPackingList(db: Db, tenantId: string, packingListId: string): Promise<Shipment[]> {
  return listShipments(db, tenantId, { packingListId });
}

/** Our idempotency key: one per packing list and attempt after a cancellation (couriers see it as their reference). */
export const referenceFor = (packingListId: string, cancelledBefore: number): string =>
  cancelledBefore === 0 ? `EXP-PL${packingListId}` : `EXP-PL${packingListId}-${cancelledBefore + 1}`;

export interface NewShipment {
  packingListId: string;
  orderId: string;
  warehouseId: string | null;
  courierAccountId: string;
  courier: CourierCode;
  service: string;
  reference: string;
  parcels: Parcel[];
  cod: Money | null;
  shipDate: string;
}

/**
 * Records the attempt before the courier is called, committed: a crash or timeout then leaves a
 * `creating` row, and the next attempt asks the courier about this reference before creating again.
 * A concurrent attempt for the same reference hits the unique key and is refused.
 */
export async function insertCreatingShipment(db: Db, tenantId: string, s: NewShipment): Promise<Shipment> {
  try {
    const [created] = await db<{ id: string }[]>`
      insert into shipments (tenant_id, packing_list_id, order_id, warehouse_id, courier_account_id, courier, service, reference, parcels,
        cod_amount, cod_currency, cod_status, ship_date, status)
      values (${tenantId}, ${s.packingListId}, ${s.orderId}, ${s.warehouseId}, ${s.courierAccountId}, ${s.courier}, ${s.service}, ${s.reference},
        ${db.json(s.parcels as never)}, ${s.cod?.amount ?? null}, ${s.cod?.currency ?? null}, ${s.cod ? 'pending' : null}, ${s.shipDate}, 'creating')
      returning id::text`;
    const [row] = await db.unsafe<Row[]>(`select ${COLUMNS} from shipments where tenant_id = $1 and id = $2`, [tenantId, created!.id]);
    return toShipment(row!);
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new DomainError('CONFLICT', `An AWB for packing list ${s.packingListId} is being generated right now (reference ${s.reference}); try again in a moment.`, [{ path: 'id', reason: 'AWB generation in progress' }]);
    throw e;
  }
}

/** A definite refusal (unknown locality, bad measures): the attempt leaves nothing behind. */
export async function discardCreatingShipment(db: Db, tenantId: string, id: string): Promise<void> {
  await db`delete from shipments where tenant_id = ${tenantId} and id = ${id} and status = 'creating'`;
}

/** Poll soon after creation; the schedule then follows the status (see nextPollDelaySeconds). */
export const FIRST_POLL_SECONDS = 15 * 60;

export async function markShipmentCreated(
  tx: Tx,
  tenantId: string,
  id: string,
  c: Pick<CreatedShipment, 'awb' | 'meta' | 'parcelAwbs' | 'trackingUrl' | 'price' | 'raw'>,
  label: { bytes: Uint8Array; format: LabelFormat; source: 'courier' | 'own' } | null,
): Promise<{ shipment: Shipment; statusLogId: string }> {
  try {
    await moveShipment(tx, tenantId, id, ['confirm_awb'], tx`awb = ${c.awb}, parcel_awbs = ${c.parcelAwbs}, tracking_url = ${c.trackingUrl},
      courier_payload = ${tx.json(c.meta as never)}, price_amount = ${c.price?.amount ?? null}, price_currency = ${c.price?.currency ?? null},
      label = ${label ? Buffer.from(label.bytes) : null}, label_format = ${label?.format ?? null}, label_source = ${label?.source ?? null},
      last_raw_code = 'created', next_poll_at = now() + make_interval(secs => ${FIRST_POLL_SECONDS})`);
  } catch (e) {
    // Another attempt confirmed (or discarded) this row first: the caller lost a race, not a rule.
    if (isDomainError(e) && (e.code === 'INVALID_STATE' || e.code === 'NOT_FOUND'))
      throw new DomainError('CONFLICT', `Shipment ${id} is no longer waiting for its AWB.`, [{ path: 'id', reason: 'not creating' }]);
    throw e;
  }
  const [log] = await tx<{ id: string }[]>`
    insert into shipment_status_log (tenant_id, shipment_id, status, raw_code, raw_description, occurred_at, source, raw_payload)
    values (${tenantId}, ${id}, 'created', 'created', ${`AWB ${c.awb} created`}, now(), 'create', ${tx.json((c.raw ?? {}) as never)})
    returning id::text`;
  return { shipment: await getShipment(tx, tenantId, id), statusLogId: log!.id };
}

export async function storeLabel(db: Db, tenantId: string, id: string, label: { bytes: Uint8Array; format: LabelFormat; source: 'courier' | 'own' }): Promise<void> {
  await db`update shipments set label = ${Buffer.from(label.bytes)}, label_format = ${label.format}, label_source = ${label.source}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${id}`;
}

export async function readStoredLabel(db: Db, tenantId: string, id: string): Promise<{ bytes: Uint8Array; format: LabelFormat; source: 'courier' | 'own' } | null> {
  const [row] = await db<{ label: Buffer | null; label_format: LabelFormat | null; label_source: 'courier' | 'own' | null }[]>`
    select label, label_format, label_source from shipments where tenant_id = ${tenantId} and id = ${id}`;
  if (!row?.label || !row.label_format) return null;
  return { bytes: new Uint8Array(row.label), format: row.label_format, source: row.label_source ?? 'courier' };
}

export async function markShipmentCancelled(tx: Tx, tenantId: string, id: string, source: 'manual' | 'poll' | 'webhook', detail: string): Promise<string> {
  // Cash pending on a cancelled AWB will never be collected; collected or settled cash stays on the record.
  await moveShipment(tx, tenantId, id, ['cancel_awb'], tx`next_poll_at = null, attention = null, attention_detail = null,
      cod_status = case when cod_status = 'pending' then null else cod_status end`);
  const [log] = await tx<{ id: string }[]>`
    insert into shipment_status_log (tenant_id, shipment_id, status, raw_code, raw_description, occurred_at, source, raw_payload)
    values (${tenantId}, ${id}, 'cancelled', 'cancelled', ${detail}, now(), ${source}, ${tx.json({ detail } as never)})
    returning id::text`;
  return log!.id;
}

export interface StatusLogEntry {
  id: string;
  status: TrackingStatus | null;
  rawCode: string;
  rawDescription: string | null;
  reason: string | null;
  occurredAt: string | null;
  source: 'create' | 'poll' | 'webhook' | 'manual';
  rawPayload: unknown;
  recordedAt: string;
}

export async function shipmentStatusLog(db: Db, tenantId: string, shipmentId: string): Promise<StatusLogEntry[]> {
  const rows = await db<{ id: string; status: TrackingStatus | null; raw_code: string; raw_description: string | null; reason: string | null; occurred_at: Date | null; source: StatusLogEntry['source']; raw_payload: unknown; recorded_at: Date }[]>`
    select id::text, status, raw_code, raw_description, reason, occurred_at, source, raw_payload, recorded_at
    from shipment_status_log where tenant_id = ${tenantId} and shipment_id = ${shipmentId} order by coalesce(occurred_at, recorded_at), shipment_status_log.id`;
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    rawCode: r.raw_code,
    rawDescription: r.raw_description,
    reason: r.reason,
    occurredAt: iso(r.occurred_at),
    source: r.source,
    rawPayload: r.raw_payload,
    recordedAt: r.recorded_at.toISOString(),
  }));
}

/** One tracking event of a shipment: when it happened and the courier's words (a store's tracking timeline). */
export async function shipmentStatusEvent(db: Db, tenantId: string, shipmentId: string, statusLogId: string): Promise<{ at: Date; description: string | null } | null> {
  const [log] = await db<{ at: Date; description: string | null }[]>`
    select coalesce(occurred_at, recorded_at) as at, raw_description as description
    from shipment_status_log where tenant_id = ${tenantId} and id = ${statusLogId} and shipment_id = ${shipmentId}`;
  return log ?? null;
}
