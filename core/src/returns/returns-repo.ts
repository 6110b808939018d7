import type { Db, Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { type ReturnEvent, type ReturnStatus, transition } from './return-status.ts';

/** The returns area's tables: returns, return_lines, return_receipts (+lines), quarantine_records. */

export type ReturnType = 'fully' | 'partially' | 'manual';
export type MoneyBack = 'credit_note' | 'voucher' | 'refund';
export type Destination = 'restock' | 'quarantine';

export interface ReturnLine {
  lineNo: number;
  orderLineNo: number;
  productId: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  reason: string;
  received: number;
  restocked: number;
  quarantined: number;
}

export interface ReceiptLine {
  id: string;
  returnLineNo: number;
  productId: string;
  quantity: number;
  destination: Destination;
  binId: string | null;
  createdAt: string;
}

export interface QuarantineRecord {
  id: string;
  returnId: string;
  warehouseId: string;
  productId: string;
  quantity: number;
  status: 'held' | 'released' | 'scrapped';
  releasedBinId: string | null;
  decisionNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface Return {
  id: string;
  orderId: string;
  channelId: string;
  warehouseId: string | null;
  type: ReturnType;
  status: ReturnStatus;
  note: string | null;
  returnCourier: string | null;
  returnAwb: string | null;
  /** A locker return (Innoship + Sameday/FAN): the locker the customer drops the parcel in, and the PIN that opens it when the courier gave one. */
  returnLockerId: string | null;
  returnLockerPin: string | null;
  moneyBack: MoneyBack | null;
  creditNoteId: string | null;
  moneyBackRef: string | null;
  moneyBackError: string | null;
  receivedAt: string | null;
  approvedAt: string | null;
  settledAt: string | null;
  createdAt: string;
  lines: ReturnLine[];
  receipt: { id: string; status: 'open' | 'approved'; warehouseId: string; approvedAt: string | null; lines: ReceiptLine[] } | null;
  quarantine: QuarantineRecord[];
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Return ${id} does not exist.`, [{ path: 'id', reason: 'unknown return' }]);

export const returnRef = (id: string) => `Return ${id}`;

interface Head {
  id: string;
  orderId: string;
  channelId: string;
  warehouseId: string | null;
  type: ReturnType;
  status: ReturnStatus;
}

/** Locks the return's row (the one writer of its status works on a locked row). */
export async function lockReturn(tx: Tx, tenantId: string, id: string): Promise<Head> {
  if (!isId(id)) throw notFound(id);
  const [r] = await tx<Head[]>`
    select id::text, order_id::text as "orderId", channel_id::text as "channelId", warehouse_id::text as "warehouseId", type, status
    from returns where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!r) throw notFound(id);
  return r;
}

/** The order a return belongs to, read without a lock (the flow locks the order first, then the return). */
export async function returnOrderId(db: Db, tenantId: string, id: string): Promise<string | null> {
  if (!isId(id)) return null;
  const [r] = await db<{ orderId: string }[]>`select order_id::text as "orderId" from returns where tenant_id = ${tenantId} and id = ${id}`;
  return r?.orderId ?? null;
}

/** What moves with a status: the timestamps and the money-back fields. */
export interface ReturnMoveFields {
  moneyBack?: MoneyBack | null;
  creditNoteId?: string | null;
  moneyBackRef?: string | null;
  moneyBackError?: string | null;
}

/** The one writer of a return's status, over the pure state machine, on a row the caller locked. */
export async function moveReturn(tx: Tx, tenantId: string, r: Head, event: ReturnEvent, set: ReturnMoveFields = {}): Promise<ReturnStatus> {
  const next = transition(r.status, event, returnRef(r.id));
  const cols: Record<string, unknown> = { status: next };
  if ('moneyBack' in set) cols.money_back = set.moneyBack;
  if ('creditNoteId' in set) cols.credit_note_id = set.creditNoteId;
  if ('moneyBackRef' in set) cols.money_back_ref = set.moneyBackRef;
  if ('moneyBackError' in set) cols.money_back_error = set.moneyBackError;
  await tx`update returns set ${tx(cols)}, updated_at = now(),
      received_at = case when ${next} in ('receiving','received') then coalesce(received_at, now()) else received_at end,
      approved_at = case when ${next} = 'approved' then coalesce(approved_at, now()) else approved_at end,
      settled_at = case when ${next} = 'settled' then now() else settled_at end
    where tenant_id = ${tenantId} and id = ${r.id}`;
  r.status = next;
  return next;
}

export interface NewReturn {
  orderId: string;
  channelId: string;
  warehouseId: string | null;
  type: ReturnType;
  note: string | null;
  createdBy: string | null;
  lines: Array<{ orderLineNo: number; productId: string | null; sku: string | null; name: string; quantity: number; reason: string }>;
}

export async function insertReturn(tx: Tx, tenantId: string, n: NewReturn): Promise<string> {
  const [r] = await tx<{ id: string }[]>`
    insert into returns (tenant_id, order_id, channel_id, warehouse_id, type, note, created_by)
    values (${tenantId}, ${n.orderId}, ${n.channelId}, ${n.warehouseId}, ${n.type}, ${n.note}, ${n.createdBy}) returning id::text`;
  const id = r!.id;
  await tx`insert into return_lines ${tx(
    n.lines.map((l, i) => ({ tenant_id: tenantId, return_id: id, line_no: i + 1, order_line_no: l.orderLineNo, product_id: l.productId, sku: l.sku, name: l.name, quantity: l.quantity, reason: l.reason })),
  )}`;
  return id;
}

/**
 * Units of each order line on the order's returns that are not cancelled: what an approved return
 * took back (received; a manual one: what it credited), else what an open return asks for.
 * `cameBack`: only the units approved physical returns brought back (what the order's status follows).
 */
export async function returnedQuantities(db: Db, tenantId: string, orderId: string, o: { exceptReturnId?: string | null; cameBack?: boolean } = {}): Promise<Map<number, number>> {
  const exceptReturnId = o.exceptReturnId ?? null;
  const cameBack = o.cameBack ?? false;
  const rows = await db<{ orderLineNo: number; quantity: number }[]>`
    select l.order_line_no as "orderLineNo",
      sum(case when r.type <> 'manual' and r.status in ('approved','settling','settled')
               then coalesce((select sum(rl.quantity) from return_receipts rc join return_receipt_lines rl on rl.tenant_id = rc.tenant_id and rl.receipt_id = rc.id
                              where rc.tenant_id = r.tenant_id and rc.return_id = r.id and rl.return_line_no = l.line_no), 0)
               else l.quantity end)::int as quantity
    from returns r join return_lines l on l.tenant_id = r.tenant_id and l.return_id = r.id
    where r.tenant_id = ${tenantId} and r.order_id = ${orderId} and r.status <> 'cancelled'
      and (not ${cameBack} or (r.type <> 'manual' and r.status in ('approved','settling','settled')))
      and (${exceptReturnId}::bigint is null or r.id <> ${exceptReturnId}::bigint)
    group by l.order_line_no`;
  return new Map(rows.map((r) => [r.orderLineNo, r.quantity]));
}

export async function getReturn(db: Db, tenantId: string, id: string): Promise<Return> {
  if (!isId(id)) throw notFound(id);
  const [r] = await db`
    select id::text, order_id::text as "orderId", channel_id::text as "channelId", warehouse_id::text as "warehouseId", type, status, note,
      return_courier as "returnCourier", return_awb as "returnAwb", return_locker_id as "returnLockerId", return_locker_pin as "returnLockerPin", money_back as "moneyBack", credit_note_id::text as "creditNoteId",
      money_back_ref as "moneyBackRef", money_back_error as "moneyBackError", received_at as "receivedAt", approved_at as "approvedAt",
      settled_at as "settledAt", created_at as "createdAt"
    from returns where tenant_id = ${tenantId} and id = ${id}`;
  if (!r) throw notFound(id);
  const [lines, receipts, receiptLines, quarantine] = await Promise.all([
    db<Omit<ReturnLine, 'received' | 'restocked' | 'quarantined'>[]>`
      select line_no as "lineNo", order_line_no as "orderLineNo", product_id::text as "productId", sku, name, quantity, reason
      from return_lines where tenant_id = ${tenantId} and return_id = ${id} order by line_no`,
    db<{ id: string; status: 'open' | 'approved'; warehouseId: string; approvedAt: Date | null }[]>`
      select id::text, status, warehouse_id::text as "warehouseId", approved_at as "approvedAt" from return_receipts where tenant_id = ${tenantId} and return_id = ${id}`,
    db<(Omit<ReceiptLine, 'createdAt'> & { createdAt: Date })[]>`
      select rl.id::text, rl.return_line_no as "returnLineNo", rl.product_id::text as "productId", rl.quantity, rl.destination, rl.bin_id::text as "binId", rl.created_at as "createdAt"
      from return_receipts rc join return_receipt_lines rl on rl.tenant_id = rc.tenant_id and rl.receipt_id = rc.id
      where rc.tenant_id = ${tenantId} and rc.return_id = ${id} order by rl.id`,
    db<(Omit<QuarantineRecord, 'createdAt' | 'decidedAt'> & { createdAt: Date; decidedAt: Date | null })[]>`
      select id::text, return_id::text as "returnId", warehouse_id::text as "warehouseId", product_id::text as "productId", quantity, status,
        released_bin_id::text as "releasedBinId", decision_note as "decisionNote", created_at as "createdAt", decided_at as "decidedAt"
      from quarantine_records where tenant_id = ${tenantId} and return_id = ${id} order by quarantine_records.id`,
  ]);
  const rec = receipts[0];
  const sum = (lineNo: number, d?: Destination) => receiptLines.filter((x) => x.returnLineNo === lineNo && (!d || x.destination === d)).reduce((a, x) => a + x.quantity, 0);
  return {
    ...(r as unknown as Omit<Return, 'lines' | 'receipt' | 'quarantine'>),
    receivedAt: iso(r.receivedAt),
    approvedAt: iso(r.approvedAt),
    settledAt: iso(r.settledAt),
    createdAt: iso(r.createdAt)!,
    lines: lines.map((l) => ({ ...l, received: sum(l.lineNo), restocked: sum(l.lineNo, 'restock'), quarantined: sum(l.lineNo, 'quarantine') })),
    receipt: rec
      ? { id: rec.id, status: rec.status, warehouseId: rec.warehouseId, approvedAt: iso(rec.approvedAt), lines: receiptLines.map((x) => ({ ...x, createdAt: iso(x.createdAt)! })) }
      : null,
    quarantine: quarantine.map((q) => ({ ...q, createdAt: iso(q.createdAt)!, decidedAt: iso(q.decidedAt) })),
  };
}

export interface ReturnSummary {
  id: string;
  orderId: string;
  channelId: string;
  type: ReturnType;
  status: ReturnStatus;
  moneyBack: MoneyBack | null;
  units: number;
  createdAt: string;
}

/** Newest first, keyset on id: O(page) whatever the count. */
export async function listReturns(
  db: Db,
  tenantId: string,
  o: { limit: number; cursor?: string; status?: ReturnStatus; orderId?: string; channelId?: string; createdFrom?: Date; createdTo?: Date; returnAwb?: string },
): Promise<{ returns: ReturnSummary[]; nextCursor: string | null }> {
  const rows = await db<(Omit<ReturnSummary, 'createdAt'> & { createdAt: Date })[]>`
    select r.id::text, r.order_id::text as "orderId", r.channel_id::text as "channelId", r.type, r.status, r.money_back as "moneyBack",
      (select coalesce(sum(quantity), 0)::int from return_lines l where l.tenant_id = r.tenant_id and l.return_id = r.id) as units, r.created_at as "createdAt"
    from returns r
    where r.tenant_id = ${tenantId}
      and (${o.cursor ?? null}::bigint is null or r.id < ${o.cursor ?? null}::bigint)
      and (${o.status ?? null}::text is null or r.status = ${o.status ?? null})
      and (${o.orderId ?? null}::bigint is null or r.order_id = ${o.orderId ?? null}::bigint)
      and (${o.channelId ?? null}::bigint is null or r.channel_id = ${o.channelId ?? null}::bigint)
      and (${o.createdFrom ?? null}::timestamptz is null or r.created_at >= ${o.createdFrom ?? null}::timestamptz)
      and (${o.createdTo ?? null}::timestamptz is null or r.created_at < ${o.createdTo ?? null}::timestamptz)
      and (${o.returnAwb ?? null}::text is null or r.return_awb = ${o.returnAwb ?? null})
    order by r.id desc limit ${o.limit + 1}`;
  const page = rows.slice(0, o.limit).map((r) => ({ ...r, createdAt: iso(r.createdAt)! }));
  return { returns: page, nextCursor: rows.length > o.limit ? page.at(-1)!.id : null };
}

/** The channel of a return (a channel-bound credential reaches only its own channel's returns). */
export async function returnChannelId(db: Db, tenantId: string, id: string): Promise<string | null> {
  if (!isId(id)) return null;
  const [r] = await db<{ channelId: string }[]>`select channel_id::text as "channelId" from returns where tenant_id = ${tenantId} and id = ${id}`;
  return r?.channelId ?? null;
}

export async function recordReturnAwb(tx: Tx, tenantId: string, r: Head, a: { courier: string | null; awb: string; lockerId?: string | null; lockerPin?: string | null }): Promise<void> {
  if (r.status === 'cancelled' || r.status === 'settled' || r.type === 'manual') {
    throw new DomainError('INVALID_STATE', `${returnRef(r.id)} is ${r.type === 'manual' ? 'manual (no parcel comes back)' : r.status}; no return AWB is recorded on it.`, [{ path: 'awb', reason: `return is ${r.type === 'manual' ? 'manual' : r.status}` }]);
  }
  // Another AWB replaces a locker return's: its locker and PIN go with it.
  await tx`update returns set return_courier = ${a.courier}, return_awb = ${a.awb}, return_locker_id = ${a.lockerId ?? null}, return_locker_pin = ${a.lockerPin ?? null}, updated_at = now() where tenant_id = ${tenantId} and id = ${r.id}`;
}

/** The return's receipt, made at its first scan in the warehouse the goods came to. */
export async function openReceipt(tx: Tx, tenantId: string, returnId: string, warehouseId: string): Promise<{ id: string; status: 'open' | 'approved'; warehouseId: string }> {
  await tx`insert into return_receipts (tenant_id, return_id, warehouse_id) values (${tenantId}, ${returnId}, ${warehouseId}) on conflict (tenant_id, return_id) do nothing`;
  const [rc] = await tx<{ id: string; status: 'open' | 'approved'; warehouseId: string }[]>`
    select id::text, status, warehouse_id::text as "warehouseId" from return_receipts where tenant_id = ${tenantId} and return_id = ${returnId} for update`;
  return rc!;
}

export async function insertReceiptLine(tx: Tx, tenantId: string, receiptId: string, l: { returnLineNo: number; productId: string; quantity: number; destination: Destination; binId: string | null }): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into return_receipt_lines (tenant_id, receipt_id, return_line_no, product_id, quantity, destination, bin_id)
    values (${tenantId}, ${receiptId}, ${l.returnLineNo}, ${l.productId}, ${l.quantity}, ${l.destination}, ${l.binId}) returning id::text`;
  return row!.id;
}

/** The receive step's undo: a scan taken back while the receipt is still open. */
export async function deleteOpenReceiptLine(tx: Tx, tenantId: string, receiptLineId: string): Promise<number> {
  const rows = await tx`
    delete from return_receipt_lines rl using return_receipts rc
    where rl.tenant_id = ${tenantId} and rl.id = ${receiptLineId} and rc.tenant_id = rl.tenant_id and rc.id = rl.receipt_id and rc.status = 'open'
    returning rl.id`;
  return rows.length;
}

export async function markReceiptApproved(tx: Tx, tenantId: string, receiptId: string): Promise<void> {
  await tx`update return_receipts set status = 'approved', approved_at = now() where tenant_id = ${tenantId} and id = ${receiptId} and status = 'open'`;
}

export async function holdInQuarantine(tx: Tx, tenantId: string, q: { returnId: string; receiptLineId: string; warehouseId: string; productId: string; quantity: number }): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into quarantine_records (tenant_id, return_id, receipt_line_id, warehouse_id, product_id, quantity)
    values (${tenantId}, ${q.returnId}, ${q.receiptLineId}, ${q.warehouseId}, ${q.productId}, ${q.quantity}) returning id::text`;
  return row!.id;
}

/** Locks a quarantine record that is still held; a decided one is refused (nothing is released twice). */
export async function lockHeldQuarantine(tx: Tx, tenantId: string, id: string): Promise<QuarantineRecord> {
  if (!isId(id)) throw new DomainError('NOT_FOUND', `Quarantine record ${id} does not exist.`, [{ path: 'id', reason: 'unknown quarantine record' }]);
  const [q] = await tx<(QuarantineRecord & { createdAt: Date })[]>`
    select id::text, return_id::text as "returnId", warehouse_id::text as "warehouseId", product_id::text as "productId", quantity, status,
      released_bin_id::text as "releasedBinId", decision_note as "decisionNote", created_at as "createdAt", decided_at as "decidedAt"
    from quarantine_records where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!q) throw new DomainError('NOT_FOUND', `Quarantine record ${id} does not exist.`, [{ path: 'id', reason: 'unknown quarantine record' }]);
  if (q.status !== 'held') throw new DomainError('INVALID_STATE', `Quarantine record ${id} is ${q.status} already.`, [{ path: 'id', reason: `already ${q.status}` }]);
  return { ...q, createdAt: iso(q.createdAt)!, decidedAt: null };
}

export async function decideQuarantine(tx: Tx, tenantId: string, id: string, d: { status: 'released' | 'scrapped'; binId: string | null; note: string | null }): Promise<void> {
  await tx`update quarantine_records set status = ${d.status}, released_bin_id = ${d.binId}, decision_note = ${d.note}, decided_at = now()
    where tenant_id = ${tenantId} and id = ${id} and status = 'held'`;
}

export async function listQuarantine(db: Db, tenantId: string, o: { status?: 'held' | 'released' | 'scrapped'; limit: number; cursor?: string }): Promise<{ quarantine: QuarantineRecord[]; nextCursor: string | null }> {
  const rows = await db<(QuarantineRecord & { createdAt: Date; decidedAt: Date | null })[]>`
    select id::text, return_id::text as "returnId", warehouse_id::text as "warehouseId", product_id::text as "productId", quantity, status,
      released_bin_id::text as "releasedBinId", decision_note as "decisionNote", created_at as "createdAt", decided_at as "decidedAt"
    from quarantine_records where tenant_id = ${tenantId}
      and (${o.status ?? null}::text is null or status = ${o.status ?? null})
      and (${o.cursor ?? null}::bigint is null or id < ${o.cursor ?? null}::bigint)
    order by quarantine_records.id desc limit ${o.limit + 1}`;
  const page = rows.slice(0, o.limit).map((q) => ({ ...q, createdAt: iso(q.createdAt)!, decidedAt: iso(q.decidedAt) }));
  return { quarantine: page, nextCursor: rows.length > o.limit ? page.at(-1)!.id : null };
}

/** What the units of quarantine records are, by return and product (the quarantine screen names them): one query for a page. */
export async function returnedItemNames(db: Db, tenantId: string, returnIds: string[]): Promise<Array<{ returnId: string; productId: string; sku: string | null; name: string; reason: string }>> {
  const ids = [...new Set(returnIds.filter(isId))];
  if (ids.length === 0) return [];
  return await db<{ returnId: string; productId: string; sku: string | null; name: string; reason: string }[]>`
    select distinct on (l.return_id, l.product_id) l.return_id::text as "returnId", l.product_id::text as "productId", l.sku, l.name, l.reason
    from return_lines l
    where l.tenant_id = ${tenantId} and l.return_id = any(${ids}::bigint[]) and l.product_id is not null
    order by l.return_id, l.product_id, l.line_no`;
}
