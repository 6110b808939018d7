import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db, Tx } from '../db/connect.ts';
import { reservedByLine, reserveOrderStock, issueOrderStock } from '../inventory/index.ts';
import { orderLines, addLineReservations, markDeliveryPartial, lockOrder, lockOrdersInIdOrder, orderRef } from '../orders/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { DeliveryNoteStatus } from './delivery-note-status.ts';

export interface DeliveryNoteLine {
  lineNo: number;
  orderLineNo: number;
  productId: string;
  sku: string | null;
  name: string;
  quantity: number;
}

export interface BlockedLine {
  lineNo: number;
  orderLineNo: number;
  sku: string | null;
  needed: number;
  available: number;
  missing: number;
}

export interface DeliveryNote {
  id: string;
  orderId: string;
  orderNumber: string | null;
  warehouseId: string;
  type: 'total' | 'partial';
  status: DeliveryNoteStatus;
  blocked: boolean;
  blockedDetails: BlockedLine[] | null;
  approved: boolean;
  approvedAt: string | null;
  createdAt: string;
  lines: DeliveryNoteLine[];
}

const NOTE_SELECT = `
  select dn.id::text as id, dn.order_id::text as "orderId", o.external_number as "orderNumber",
         dn.warehouse_id::text as "warehouseId", dn.type, dn.status, dn.blocked, dn.blocked_details as "blockedDetails",
         dn.approved_at as "approvedAt", dn.created_at as "createdAt",
         coalesce((select json_agg(json_build_object('lineNo', l.line_no, 'orderLineNo', l.order_line_no,
                    'productId', l.product_id::text, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity) order by l.line_no)
                   from delivery_note_lines l where l.tenant_id = dn.tenant_id and l.delivery_note_id = dn.id), '[]'::json) as lines
  from delivery_notes dn join orders o on o.tenant_id = dn.tenant_id and o.id = dn.order_id`;

type NoteRow = Omit<DeliveryNote, 'approved' | 'approvedAt' | 'createdAt'> & { approvedAt: Date | null; createdAt: Date };

function toNote(r: NoteRow): DeliveryNote {
  return { ...r, approved: r.approvedAt !== null, approvedAt: r.approvedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() };
}

const notFound = (id: string) => new DomainError('NOT_FOUND', `Delivery note ${id} does not exist.`, [{ path: 'id', reason: 'unknown delivery note' }]);
const isId = (s: string) => /^\d{1,18}$/.test(s);

export async function getDeliveryNote(db: Db, tenantId: string, id: string): Promise<DeliveryNote> {
  if (!isId(id)) throw notFound(id);
  const [row] = await db.unsafe(`${NOTE_SELECT} where dn.tenant_id = $1 and dn.id = $2`, [tenantId, id]);
  if (!row) throw notFound(id);
  return toNote(row as unknown as NoteRow);
}

export async function listDeliveryNotes(
  db: Db,
  tenantId: string,
  f: { blocked?: boolean; status?: DeliveryNoteStatus; orderId?: string; channelId?: string; limit?: number; cursor?: string; oldestFirst?: boolean } = {},
): Promise<{ deliveryNotes: DeliveryNote[]; nextCursor: string | null }> {
  const limit = f.limit ?? 50;
  const [after, order] = f.oldestFirst ? ['>', 'asc'] : ['<', 'desc'];
  if (f.cursor !== undefined && !isId(f.cursor)) {
    throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
  }
  const params: unknown[] = [tenantId];
  const where = presentFilters(params, {
    // Literal, not a parameter: the partial index on blocked notes is then usable in a generic plan too.
    'dn.blocked': f.blocked === true,
    'not dn.blocked': f.blocked === false,
    'dn.status = ?': f.status,
    'dn.order_id = ?::bigint': f.orderId,
    // A channel-bound credential lists its own channel's notes only.
    'dn.order_id in (select id from orders where tenant_id = $1 and channel_id = ?::bigint)': f.channelId,
    [`dn.id ${after} ?::bigint`]: f.cursor,
  });
  const rows = await db.unsafe(`${NOTE_SELECT} where dn.tenant_id = $1${where} order by dn.id ${order} limit ${literalLimit(limit + 1)}`, params as never[]);
  const page = (rows as unknown as NoteRow[]).slice(0, limit).map(toNote);
  return { deliveryNotes: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}

interface OrderLineState {
  line_no: number;
  product_id: string;
  sku: string | null;
  name: string;
  quantity: number;
  covered: number;
  reserved_now: number;
  open_demand: number;
}

/** Per order line: ordered, already on a delivery note, reserved and not yet issued, wanted by open notes. */
async function orderLineState(tx: Tx, tenantId: string, orderId: string): Promise<OrderLineState[]> {
  return tx<OrderLineState[]>`
    select ol.line_no, ol.product_id::text, ol.sku, ol.name, ol.quantity,
      coalesce((select sum(l.quantity) from delivery_note_lines l join delivery_notes dn on dn.tenant_id = l.tenant_id and dn.id = l.delivery_note_id
                where l.tenant_id = ol.tenant_id and dn.order_id = ol.order_id and l.order_line_no = ol.line_no), 0)::int as covered,
      coalesce((select sum(r.quantity) from stock_reservations r
                where r.tenant_id = ol.tenant_id and r.order_id = ol.order_id and r.line_no = ol.line_no), 0)::int as reserved_now,
      coalesce((select sum(l.quantity) from delivery_note_lines l join delivery_notes dn on dn.tenant_id = l.tenant_id and dn.id = l.delivery_note_id
                where l.tenant_id = ol.tenant_id and dn.order_id = ol.order_id and l.order_line_no = ol.line_no and dn.approved_at is null), 0)::int as open_demand
    from order_lines ol
    where ol.tenant_id = ${tenantId} and ol.order_id = ${orderId} and ol.product_id is not null
    order by ol.line_no`;
}

// Statuses in which an order holds (or has shipped part of) its goods: a delivery note makes sense.
const NOTE_STATUSES = new Set(['confirmed', 'picking', 'picked', 'packed', 'ready', 'shipping', 'delivered']);

/**
 * Delivery note(s) for what of the order no delivery note covers yet. A total note is blocked when
 * the order's reservations do not cover it (the short quantities are listed). A partial one ships
 * what is reserved now and the rest becomes its own blocked note at once: listed as blocked, it is
 * not forgotten, and a restock (recheckDeliveryNotes) releases it.
 */
export async function createDeliveryNote(
  tx: Tx,
  tenantId: string,
  orderId: string,
  opts: { partial?: boolean } = {},
): Promise<{ deliveryNotes: DeliveryNote[] }> {
  const order = await lockOrder(tx, tenantId, orderId);
  const ref = orderRef(order);
  if (!NOTE_STATUSES.has(order.status)) {
    throw new DomainError('INVALID_STATE', `${ref} is ${order.status}; a delivery note is created from a confirmed order.`, [
      { path: 'orderId', reason: `order is ${order.status}` },
    ]);
  }
  if (!order.warehouseId) {
    throw new DomainError('INVALID_STATE', `${ref} has no source warehouse; confirm it first.`, [{ path: 'orderId', reason: 'no warehouse' }]);
  }
  const lines = await orderLineState(tx, tenantId, orderId);
  const todo = lines.filter((l) => l.quantity > l.covered);
  if (todo.length === 0) {
    throw new DomainError('INVALID_STATE', `Every line of ${ref} is already on a delivery note.`, [{ path: 'orderId', reason: 'fully covered' }]);
  }
  const anyBefore = lines.some((l) => l.covered > 0);
  const partial = opts.partial === true || order.deliveryType === 'partial';
  const created: string[] = [];
  if (!partial) {
    created.push(await insertNote(tx, tenantId, orderId, order.warehouseId, anyBefore ? 'partial' : 'total', todo.map((l) => ({ l, quantity: l.quantity - l.covered }))));
  } else {
    const now = todo
      .map((l) => ({ l, quantity: Math.min(l.quantity - l.covered, Math.max(0, l.reserved_now - l.open_demand)) }))
      .filter((x) => x.quantity > 0);
    const later = todo
      .map((l) => ({ l, quantity: l.quantity - l.covered - (now.find((x) => x.l.line_no === l.line_no)?.quantity ?? 0) }))
      .filter((x) => x.quantity > 0);
    if (now.length > 0) created.push(await insertNote(tx, tenantId, orderId, order.warehouseId, later.length > 0 || anyBefore ? 'partial' : 'total', now));
    if (later.length > 0) created.push(await insertNote(tx, tenantId, orderId, order.warehouseId, 'partial', later));
    if (later.length > 0 && order.deliveryType !== 'partial') {
      await markDeliveryPartial(tx, tenantId, orderId);
    }
  }
  await evaluateBlocked(tx, tenantId, orderId);
  return { deliveryNotes: await Promise.all(created.map((id) => getDeliveryNote(tx, tenantId, id))) };
}

async function insertNote(
  tx: Tx,
  tenantId: string,
  orderId: string,
  warehouseId: string,
  type: 'total' | 'partial',
  lines: Array<{ l: OrderLineState; quantity: number }>,
): Promise<string> {
  const [note] = await tx<{ id: string }[]>`insert into delivery_notes (tenant_id, order_id, warehouse_id, type)
    values (${tenantId}, ${orderId}, ${warehouseId}, ${type}) returning id::text`;
  let n = 0;
  for (const { l, quantity } of lines) {
    await tx`insert into delivery_note_lines (tenant_id, delivery_note_id, line_no, order_line_no, product_id, sku, name, quantity)
      values (${tenantId}, ${note!.id}, ${++n}, ${l.line_no}, ${l.product_id}, ${l.sku}, ${l.name}, ${quantity})`;
  }
  return note!.id;
}

/**
 * Recomputes `blocked` for the order's notes not yet approved: the order's unissued reservations
 * are handed to those notes oldest first; whatever a note does not get is its short quantity.
 */
export async function evaluateBlocked(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  const pool = await reservedByLine(tx, tenantId, orderId);
  const notes = await tx<{ id: string; lines: DeliveryNoteLine[] }[]>`
    select dn.id::text, json_agg(json_build_object('lineNo', l.line_no, 'orderLineNo', l.order_line_no, 'sku', l.sku, 'quantity', l.quantity) order by l.line_no) as lines
    from delivery_notes dn join delivery_note_lines l on l.tenant_id = dn.tenant_id and l.delivery_note_id = dn.id
    where dn.tenant_id = ${tenantId} and dn.order_id = ${orderId} and dn.approved_at is null
    group by dn.id order by dn.id`;
  for (const note of notes) {
    const short: BlockedLine[] = [];
    for (const l of note.lines) {
      const available = pool.get(l.orderLineNo) ?? 0;
      const take = Math.min(available, l.quantity);
      pool.set(l.orderLineNo, available - take);
      if (take < l.quantity) short.push({ lineNo: l.lineNo, orderLineNo: l.orderLineNo, sku: l.sku, needed: l.quantity, available: take, missing: l.quantity - take });
    }
    await tx`update delivery_notes set blocked = ${short.length > 0}, blocked_details = ${short.length > 0 ? tx.json(short as never) : null}, updated_at = now()
      where tenant_id = ${tenantId} and id = ${note.id}`;
  }
}

/**
 * After a restock: reserves what blocked notes are short of (in the order's warehouse) and unblocks
 * those now covered. Orders on hold are left to the operator, who re-confirms them (that reserves).
 */
export async function recheckDeliveryNotes(tx: Tx, tenantId: string, f: { deliveryNoteId?: string; deliveryNoteIds?: string[]; orderId?: string } = {}): Promise<DeliveryNote[]> {
  if (f.deliveryNoteId !== undefined) await getDeliveryNote(tx, tenantId, f.deliveryNoteId);
  const targets = await tx<{ order_id: string }[]>`
    select distinct order_id::text from delivery_notes
    where tenant_id = ${tenantId} and blocked and approved_at is null
      and (${f.deliveryNoteId ?? null}::bigint is null or id = ${f.deliveryNoteId ?? null})
      and (${f.deliveryNoteIds ?? null}::bigint[] is null or id = any(${f.deliveryNoteIds ?? null}::bigint[]))
      and (${f.orderId ?? null}::bigint is null or order_id = ${f.orderId ?? null})
    order by 1`;
  for (const { order_id } of targets) {
    const order = await lockOrder(tx, tenantId, order_id);
    if (order.status === 'on_hold' || order.status === 'cancelled' || !order.warehouseId) continue;
    const [state, reservedTotals] = await Promise.all([orderLineState(tx, tenantId, order_id), orderLines(tx, tenantId, order_id)]);
    const needs = state
      .map((l) => {
        const allocated = reservedTotals.find((r) => r.line_no === l.line_no)?.quantity_reserved ?? 0;
        const missing = Math.max(0, l.open_demand - l.reserved_now);
        return { lineNo: l.line_no, productId: l.product_id, quantity: Math.min(missing, Math.max(0, l.quantity - allocated)) };
      })
      .filter((n) => n.quantity > 0);
    if (needs.length > 0) {
      const { reservedByLine } = await reserveOrderStock(tx, tenantId, order_id, order.warehouseId, needs, 'partial');
      await addLineReservations(tx, tenantId, order_id, reservedByLine);
    }
    await evaluateBlocked(tx, tenantId, order_id);
  }
  if (f.deliveryNoteIds !== undefined) return Promise.all(f.deliveryNoteIds.map((id) => getDeliveryNote(tx, tenantId, id)));
  const { deliveryNotes } = f.deliveryNoteId
    ? { deliveryNotes: [await getDeliveryNote(tx, tenantId, f.deliveryNoteId)] }
    : await listDeliveryNotes(tx, tenantId, { ...(f.orderId ? { orderId: f.orderId } : {}), limit: 200 });
  return deliveryNotes;
}

/**
 * The blocked delivery notes a restock of these products in this warehouse may release, with their
 * orders locked (in id order) now: a receipt locks the orders before it touches stock rows, the
 * order a confirm takes them in, so the two queue instead of deadlocking.
 */
export async function lockBlockedDeliveryNotes(tx: Tx, tenantId: string, f: { warehouseId: string; productIds: string[] }): Promise<string[]> {
  const notes = await tx<{ id: string; order_id: string }[]>`
    select dn.id::text, dn.order_id::text from delivery_notes dn
    where dn.tenant_id = ${tenantId} and dn.blocked and dn.approved_at is null and dn.warehouse_id = ${f.warehouseId}
      and exists (select 1 from delivery_note_lines l where l.tenant_id = dn.tenant_id and l.delivery_note_id = dn.id
                  and l.product_id = any(${f.productIds}::bigint[]))
    order by dn.id`;
  if (notes.length === 0) return [];
  await lockOrdersInIdOrder(tx, tenantId, [...new Set(notes.map((n) => n.order_id))]);
  return notes.map((n) => n.id);
}

/**
 * What the outbox does on confirm: a note for whatever is not covered yet, else a recheck of the
 * order's blocked notes (a re-confirm after a hold reserved the missing goods). Idempotent.
 */
export async function ensureDeliveryNotes(tx: Tx, tenantId: string, orderId: string): Promise<DeliveryNote[]> {
  const order = await lockOrder(tx, tenantId, orderId);
  if (!NOTE_STATUSES.has(order.status)) return [];
  const lines = await orderLineState(tx, tenantId, orderId);
  if (lines.some((l) => l.quantity > l.covered)) return (await createDeliveryNote(tx, tenantId, orderId)).deliveryNotes;
  return recheckDeliveryNotes(tx, tenantId, { orderId });
}

/** Locks a note for a state change. */
export async function lockDeliveryNote(tx: Tx, tenantId: string, id: string): Promise<DeliveryNote> {
  if (!isId(id)) throw notFound(id);
  const [row] = await tx`select 1 from delivery_notes where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!row) throw notFound(id);
  return getDeliveryNote(tx, tenantId, id);
}

/**
 * Approving issues the goods: on hand and reserved go down bin by bin, consuming the order's
 * reservations, each movement citing the delivery note. Refused while blocked or if already done.
 */
export async function approveDeliveryNote(tx: Tx, tenantId: string, id: string): Promise<DeliveryNote> {
  const note = await lockDeliveryNote(tx, tenantId, id);
  if (note.approved) throw new DomainError('INVALID_STATE', `Delivery note ${id} was already approved; its stock is issued.`, [{ path: 'id', reason: 'already approved' }]);
  await lockOrder(tx, tenantId, note.orderId);
  await evaluateBlocked(tx, tenantId, note.orderId);
  const fresh = await getDeliveryNote(tx, tenantId, id);
  if (fresh.blocked) {
    const list = (fresh.blockedDetails ?? []).map((b) => `${b.sku}: ${b.missing} missing`).join('; ');
    throw new DomainError('INSUFFICIENT_STOCK', `Delivery note ${id} is blocked by stock (${list}); restock and recheck it, or ship partially.`, (fresh.blockedDetails ?? []).map((b) => ({ path: `lines[${b.lineNo - 1}].quantity`, reason: `${b.missing} missing` })));
  }
  await issueOrderStock(tx, tenantId, {
    orderId: note.orderId,
    warehouseId: note.warehouseId,
    lines: note.lines.map((l) => ({ orderLineNo: l.orderLineNo, productId: l.productId, quantity: l.quantity })),
    causeType: 'delivery_note',
    causeId: id,
  });
  await tx`update delivery_notes set approved_at = now(), updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  return getDeliveryNote(tx, tenantId, id);
}
