import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db, Tx } from '../db/connect.ts';
import { holdOrderIfPossible, moveOrdersWherePossible, lockOrdersInIdOrder, addLineReservation, markDeliveryPartial } from '../orders/index.ts';
import type { OrderStatus } from '../orders/index.ts';
import { userExists } from '../auth/index.ts';
import { productByBarcode, writeOffShortPick } from '../inventory/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import { approveDeliveryNote, createDeliveryNote, evaluateBlocked } from './delivery-notes.ts';
import { type PickListStatus, transition } from './pick-list-status.ts';

export interface PickAllocation {
  seq: number;
  orderId: string;
  deliveryNoteId: string;
  deliveryNoteLineNo: number;
  orderLineNo: number;
  quantity: number;
  picked: number;
  short: number;
}

export interface PickListLine {
  lineNo: number;
  binId: string;
  binCode: string;
  pickSequence: number;
  productId: string;
  sku: string | null;
  barcode: string | null;
  name: string;
  quantity: number;
  picked: number;
  short: number;
  remaining: number;
  lastMethod: 'scan' | 'tick' | null;
  /** The merged line split back per order line: what packing takes apart again. */
  allocations: PickAllocation[];
}

export interface PickListSummary {
  id: string;
  warehouseId: string;
  status: PickListStatus;
  pickerUserId: string | null;
  pickerName: string | null;
  tickUsed: boolean;
  orderCount: number;
  lineCount: number;
  quantity: number;
  picked: number;
  short: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface PickList extends PickListSummary {
  orders: Array<{ orderId: string; orderNumber: string | null; deliveryNoteId: string; shortDecision: 'partial' | 'hold' | null; active: boolean }>;
  lines: PickListLine[];
}

const isId = (s: string) => /^\d{1,18}$/.test(s);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Pick list ${id} does not exist.`, [{ path: 'id', reason: 'unknown pick list' }]);
const iso = (d: Date | null) => d?.toISOString() ?? null;

const SUMMARY_SELECT = `
  select p.id::text as id, p.warehouse_id::text as "warehouseId", p.status, p.picker_user_id::text as "pickerUserId",
         u.name as "pickerName", p.tick_used as "tickUsed", p.created_at as "createdAt", p.started_at as "startedAt",
         p.completed_at as "completedAt",
         (select count(*)::int from pick_list_orders po where po.tenant_id = p.tenant_id and po.pick_list_id = p.id) as "orderCount",
         t.line_count as "lineCount", t.quantity, t.picked, t.short
  from pick_lists p
  left join users u on u.tenant_id = p.tenant_id and u.id = p.picker_user_id
  cross join lateral (select count(*)::int as line_count, coalesce(sum(quantity),0)::int as quantity, coalesce(sum(picked),0)::int as picked,
                             coalesce(sum(short),0)::int as short
                      from pick_list_lines l where l.tenant_id = p.tenant_id and l.pick_list_id = p.id) t`;

type SummaryRow = Omit<PickListSummary, 'createdAt' | 'startedAt' | 'completedAt'> & { createdAt: Date; startedAt: Date | null; completedAt: Date | null };
const toSummary = (r: SummaryRow): PickListSummary => ({ ...r, createdAt: r.createdAt.toISOString(), startedAt: iso(r.startedAt), completedAt: iso(r.completedAt) });

export async function listPickLists(db: Db, tenantId: string, f: { pickerUserId?: string; status?: PickListStatus; channelId?: string; limit?: number } = {}): Promise<PickListSummary[]> {
  const params: unknown[] = [tenantId];
  const where = presentFilters(params, {
    'p.picker_user_id = ?::bigint': f.pickerUserId,
    'p.status = ?': f.status,
    // A channel-bound credential sees the pick lists made of its own channel's orders only.
    'not exists (select 1 from pick_list_orders po join orders o on o.tenant_id = po.tenant_id and o.id = po.order_id where po.tenant_id = p.tenant_id and po.pick_list_id = p.id and o.channel_id <> ?::bigint)':
      f.channelId,
  });
  const rows = await db.unsafe(`${SUMMARY_SELECT} where p.tenant_id = $1${where} order by p.id desc limit ${literalLimit(f.limit ?? 100)}`, params as never[]);
  return (rows as unknown as SummaryRow[]).map(toSummary);
}

export async function getPickList(db: Db, tenantId: string, id: string): Promise<PickList> {
  if (!isId(id)) throw notFound(id);
  const [head] = await db.unsafe(`${SUMMARY_SELECT} where p.tenant_id = $1 and p.id = $2`, [tenantId, id]);
  if (!head) throw notFound(id);
  const [orders, lines, allocations] = await Promise.all([
    db<PickList['orders']>`
      select po.order_id::text as "orderId", o.external_number as "orderNumber", po.delivery_note_id::text as "deliveryNoteId",
             po.short_decision as "shortDecision", po.active
      from pick_list_orders po join orders o on o.tenant_id = po.tenant_id and o.id = po.order_id
      where po.tenant_id = ${tenantId} and po.pick_list_id = ${id} order by po.order_id, po.delivery_note_id`,
    db<Omit<PickListLine, 'allocations' | 'remaining'>[]>`
      select line_no as "lineNo", bin_id::text as "binId", bin_code as "binCode", pick_sequence as "pickSequence",
             product_id::text as "productId", sku, barcode, name, quantity, picked, short, last_method as "lastMethod"
      from pick_list_lines where tenant_id = ${tenantId} and pick_list_id = ${id} order by line_no`,
    db<(PickAllocation & { lineNo: number })[]>`
      select line_no as "lineNo", seq, order_id::text as "orderId", delivery_note_id::text as "deliveryNoteId",
             delivery_note_line_no as "deliveryNoteLineNo", order_line_no as "orderLineNo", quantity, picked, short
      from pick_list_allocations where tenant_id = ${tenantId} and pick_list_id = ${id} order by line_no, seq`,
  ]);
  const byLine = new Map<number, PickAllocation[]>();
  for (const { lineNo, ...a } of allocations) {
    const list = byLine.get(lineNo);
    if (list) list.push(a);
    else byLine.set(lineNo, [a]);
  }
  return {
    ...toSummary(head as unknown as SummaryRow),
    orders: [...orders],
    lines: lines.map((l) => ({ ...l, remaining: l.quantity - l.picked - l.short, allocations: byLine.get(l.lineNo) ?? [] })),
  };
}

async function requireUser(db: Db, tenantId: string, userId: string, path: string) {
  if (!(await userExists(db, tenantId, userId))) throw new DomainError('VALIDATION', `User ${userId} does not exist in this tenant.`, [{ path, reason: 'unknown user' }]);
}

/**
 * One pick list for one order or a wave. Each order brings its delivery notes that are neither
 * blocked, approved nor on another active pick list; the goods are taken from the bins the order's
 * reservations point at. Lines are one per bin and product (the same product of several orders is
 * merged), ordered by the bins' pick sequence, the walk the picker makes. Set-based SQL: a wave of
 * a thousand orders is a handful of statements.
 */
export async function createPickList(tx: Tx, tenantId: string, input: { orderIds: string[]; pickerUserId?: string | null }): Promise<PickList> {
  const orderIds = [...new Set(input.orderIds)];
  if (orderIds.length === 0) throw new DomainError('VALIDATION', 'Give at least one order id.', [{ path: 'orderIds', reason: 'empty' }]);
  const bad = orderIds.filter((o) => !isId(o));
  if (bad.length > 0) throw new DomainError('VALIDATION', `Not order ids: ${bad.join(', ')}.`, [{ path: 'orderIds', reason: 'must be numeric ids' }]);
  if (input.pickerUserId) await requireUser(tx, tenantId, input.pickerUserId, 'pickerUserId');

  // Orders locked in id order, as everywhere else, so concurrent waves queue instead of deadlocking.
  const locked = await lockOrdersInIdOrder(tx, tenantId, orderIds);
  const counts = await tx<{ order_id: string; notes: number; blocked: number; busy: number }[]>`
    select dn.order_id::text, count(*)::int as notes, (count(*) filter (where dn.blocked))::int as blocked,
      (count(*) filter (where exists (select 1 from pick_list_orders po where po.tenant_id = dn.tenant_id and po.delivery_note_id = dn.id and po.active)))::int as busy
    from delivery_notes dn where dn.tenant_id = ${tenantId} and dn.order_id = any(${orderIds}::bigint[]) and dn.approved_at is null
    group by dn.order_id`;
  const countOf = new Map(counts.map((c) => [c.order_id, c]));
  const orders = locked.map((o) => ({ ...o, status: o.status as OrderStatus, notes: 0, blocked: 0, busy: 0, ...countOf.get(o.id) }));
  const missing = orderIds.filter((id) => !orders.some((o) => o.id === id));
  if (missing.length > 0) throw new DomainError('NOT_FOUND', `Order ${missing.join(', ')} does not exist.`, missing.map((id) => ({ path: 'orderIds', reason: `unknown order ${id}` })));
  const problems: Array<{ path: string; reason: string }> = [];
  for (const o of orders) {
    const i = orderIds.indexOf(o.id);
    if (o.status === 'on_hold' || o.status === 'cancelled' || o.status === 'draft' || o.status === 'new' || o.status === 'processing') {
      problems.push({ path: `orderIds[${i}]`, reason: `order ${o.id} is ${o.status}, not confirmed` });
    } else if (o.notes - o.blocked - o.busy <= 0) {
      const why = o.notes === 0 ? 'has no delivery note ready for packing' : o.blocked > 0 ? 'has its delivery note blocked by stock' : 'is already on another pick list';
      problems.push({ path: `orderIds[${i}]`, reason: `order ${o.id} ${why}` });
    }
  }
  const warehouses = [...new Set(orders.map((o) => o.warehouse_id))];
  if (problems.length === 0 && warehouses.length > 1) problems.push({ path: 'orderIds', reason: `the orders ship from ${warehouses.length} warehouses; a pick list walks one` });
  if (problems.length > 0) {
    throw new DomainError('VALIDATION', `These orders cannot be picked now: ${problems.map((p) => p.reason).join('; ')}.`, problems);
  }

  const [pl] = await tx<{ id: string }[]>`insert into pick_lists (tenant_id, warehouse_id, picker_user_id)
    values (${tenantId}, ${warehouses[0]!}, ${input.pickerUserId ?? null}) returning id::text`;
  const id = pl!.id;
  await tx`insert into pick_list_orders (tenant_id, pick_list_id, order_id, delivery_note_id)
    select ${tenantId}, ${id}, dn.order_id, dn.id from delivery_notes dn
    where dn.tenant_id = ${tenantId} and dn.order_id = any(${orderIds}::bigint[]) and dn.approved_at is null and not dn.blocked
      and not exists (select 1 from pick_list_orders po where po.tenant_id = dn.tenant_id and po.delivery_note_id = dn.id and po.active)`;

  // Reservation ranges per order line (bins in pick sequence) overlapped with the demand ranges of
  // the order's open notes: notes already on another active list come first, so they keep the
  // units they were built with, and this list takes what follows.
  await tx`
    create temporary table pick_alloc on commit drop as
    with res as (
      select r.order_id, r.line_no, r.bin_id, b.code as bin_code, b.pick_sequence, r.product_id, r.quantity,
             sum(r.quantity) over (partition by r.order_id, r.line_no order by b.pick_sequence, r.bin_id) - r.quantity as r_start
      from stock_reservations r join bins b on b.tenant_id = r.tenant_id and b.id = r.bin_id
      where r.tenant_id = ${tenantId} and r.order_id = any(${orderIds}::bigint[])
    ), dem as (
      select dn.order_id, l.order_line_no, l.delivery_note_id, l.line_no as dn_line_no, l.quantity,
             (po.pick_list_id = ${id}) as mine,
             sum(l.quantity) over (partition by dn.order_id, l.order_line_no
                                   order by (po.pick_list_id = ${id}), dn.id, l.line_no) - l.quantity as d_start
      from delivery_notes dn
      join delivery_note_lines l on l.tenant_id = dn.tenant_id and l.delivery_note_id = dn.id
      join pick_list_orders po on po.tenant_id = dn.tenant_id and po.delivery_note_id = dn.id and po.active
      where dn.tenant_id = ${tenantId} and dn.order_id = any(${orderIds}::bigint[]) and dn.approved_at is null
    )
    select res.bin_id, res.bin_code, res.pick_sequence, res.product_id, dem.order_id, dem.delivery_note_id, dem.dn_line_no,
           dem.order_line_no, least(res.r_start + res.quantity, dem.d_start + dem.quantity) - greatest(res.r_start, dem.d_start) as quantity
    from dem join res on res.order_id = dem.order_id and res.line_no = dem.order_line_no
    where dem.mine and least(res.r_start + res.quantity, dem.d_start + dem.quantity) > greatest(res.r_start, dem.d_start)`;

  const uncovered = await tx<{ delivery_note_id: string; sku: string | null; missing: number }[]>`
    select l.delivery_note_id::text, l.sku, (l.quantity - coalesce(sum(a.quantity), 0))::int as missing
    from pick_list_orders po
    join delivery_note_lines l on l.tenant_id = po.tenant_id and l.delivery_note_id = po.delivery_note_id
    left join pick_alloc a on a.delivery_note_id = l.delivery_note_id and a.dn_line_no = l.line_no
    where po.tenant_id = ${tenantId} and po.pick_list_id = ${id}
    group by l.delivery_note_id, l.line_no, l.sku, l.quantity having l.quantity > coalesce(sum(a.quantity), 0)`;
  if (uncovered.length > 0) {
    // Blocked flags are kept current on every stock change; this is the last line of defence.
    throw new DomainError('INSUFFICIENT_STOCK', `The reservations do not cover ${uncovered.map((u) => `${u.sku} on delivery note ${u.delivery_note_id} (${u.missing} missing)`).join('; ')}.`,
      uncovered.map((u) => ({ path: `deliveryNotes.${u.delivery_note_id}`, reason: `${u.sku}: ${u.missing} missing` })));
  }

  await tx`
    insert into pick_list_lines (tenant_id, pick_list_id, line_no, bin_id, bin_code, pick_sequence, product_id, sku, barcode, name, quantity)
    select ${tenantId}, ${id}, row_number() over (order by g.pick_sequence, g.bin_code, p.sku, g.product_id), g.bin_id, g.bin_code, g.pick_sequence,
           g.product_id, p.sku, p.barcode, p.name, g.quantity
    from (select bin_id, bin_code, pick_sequence, product_id, sum(quantity)::int as quantity from pick_alloc
          group by bin_id, bin_code, pick_sequence, product_id) g
    join products p on p.tenant_id = ${tenantId} and p.id = g.product_id`;
  await tx`
    insert into pick_list_allocations (tenant_id, pick_list_id, line_no, seq, order_id, delivery_note_id, delivery_note_line_no, order_line_no, quantity)
    select ${tenantId}, ${id}, l.line_no, row_number() over (partition by l.line_no order by a.order_id, a.delivery_note_id, a.dn_line_no),
           a.order_id, a.delivery_note_id, a.dn_line_no, a.order_line_no, a.quantity
    from pick_alloc a join pick_list_lines l on l.tenant_id = ${tenantId} and l.pick_list_id = ${id} and l.bin_id = a.bin_id and l.product_id = a.product_id`;
  await tx`drop table pick_alloc`;
  return getPickList(tx, tenantId, id);
}

async function lockPickList(tx: Tx, tenantId: string, id: string): Promise<{ status: PickListStatus; warehouse_id: string }> {
  if (!isId(id)) throw notFound(id);
  const [row] = await tx<{ status: PickListStatus; warehouse_id: string }[]>`
    select status, warehouse_id::text from pick_lists where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!row) throw notFound(id);
  return row;
}

export async function assignPicker(tx: Tx, tenantId: string, id: string, userId: string | null): Promise<PickList> {
  const pl = await lockPickList(tx, tenantId, id);
  if (pl.status === 'picked') throw new DomainError('INVALID_STATE', `Pick list ${id} is picked; its picker can no longer change.`, [{ path: 'status', reason: 'picked' }]);
  if (userId) await requireUser(tx, tenantId, userId, 'userId');
  await tx`update pick_lists set picker_user_id = ${userId} where tenant_id = ${tenantId} and id = ${id}`;
  return getPickList(tx, tenantId, id);
}

/** Orders on the list move along the order state machine where they can (a remainder note's order has moved on). */
async function moveOrders(tx: Tx, tenantId: string, pickListId: string, event: 'start_picking' | 'complete_pick', onlyOrders?: string[]) {
  const onList = await tx<{ order_id: string }[]>`
    select distinct order_id::text from pick_list_orders where tenant_id = ${tenantId} and pick_list_id = ${pickListId} and active`;
  const ids = onList.map((r) => r.order_id).filter((o) => !onlyOrders || onlyOrders.includes(o));
  await moveOrdersWherePossible(tx, tenantId, ids, event);
}

export async function startPickList(tx: Tx, tenantId: string, id: string): Promise<PickList> {
  const pl = await lockPickList(tx, tenantId, id);
  await start(tx, tenantId, id, pl.status);
  return getPickList(tx, tenantId, id);
}

async function start(tx: Tx, tenantId: string, id: string, status: PickListStatus) {
  const next = transition(status, 'start', `Pick list ${id}`);
  await tx`update pick_lists set status = ${next}, started_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  await moveOrders(tx, tenantId, id, 'start_picking');
}

type LineRow = { line_no: number; bin_code: string; product_id: string; bin_id: string; sku: string | null; barcode: string | null; name: string; quantity: number; picked: number; short: number };

/**
 * Confirms picked units by scan (the product's barcode; the bin's code first when the scanner sends
 * it) or by a manual tick of a line. Refuses a wrong item, a wrong bin and an over-pick with a
 * message the picker can act on; nothing changes then. Starts the list on its first confirmation.
 */
export async function confirmPickLine(
  tx: Tx,
  tenantId: string,
  id: string,
  input: { method: 'scan' | 'tick'; barcode?: string; binCode?: string; lineNo?: number; quantity?: number; userId?: string },
): Promise<{ pickList: PickList; line: PickListLine }> {
  const pl = await lockPickList(tx, tenantId, id);
  if (pl.status === 'picked') throw new DomainError('INVALID_STATE', `Pick list ${id} is already picked.`, [{ path: 'status', reason: 'picked' }]);
  const lines = await tx<LineRow[]>`select line_no, bin_code, bin_id::text, product_id::text, sku, barcode, name, quantity, picked, short
    from pick_list_lines where tenant_id = ${tenantId} and pick_list_id = ${id} order by line_no for update`;
  const remaining = (l: LineRow) => l.quantity - l.picked - l.short;
  const describe = (l: LineRow) => `line ${l.line_no} (${l.sku ?? l.name} at bin ${l.bin_code})`;
  if (input.quantity !== undefined && (!Number.isInteger(input.quantity) || input.quantity < 1)) {
    throw new DomainError('VALIDATION', 'The quantity must be a whole number of at least 1.', [{ path: 'quantity', reason: 'must be ≥ 1' }]);
  }

  let line: LineRow | undefined;
  if (input.lineNo !== undefined) {
    line = lines.find((l) => l.line_no === input.lineNo);
    if (!line) throw new DomainError('VALIDATION', `Pick list ${id} has no line ${input.lineNo}.`, [{ path: 'lineNo', reason: 'unknown line' }]);
  }
  if (input.method === 'tick') {
    if (!line) throw new DomainError('VALIDATION', 'A manual tick names the line it confirms.', [{ path: 'lineNo', reason: 'required for a tick' }]);
  } else {
    const barcode = input.barcode?.trim();
    if (!barcode) throw new DomainError('VALIDATION', 'Scan the product barcode.', [{ path: 'barcode', reason: 'required for a scan' }]);
    const scanned = async () => {
      const p = await productByBarcode(tx, tenantId, barcode);
      return p ? `${p.sku} (${p.name})` : `an unknown barcode`;
    };
    if (line) {
      if (line.barcode !== barcode) {
        throw new DomainError('VALIDATION', `Wrong item: scanned ${barcode}, ${await scanned()}; ${describe(line)} wants ${line.barcode}.`, [{ path: 'barcode', reason: 'wrong_item' }]);
      }
    } else {
      const same = lines.filter((l) => l.barcode === barcode);
      if (same.length === 0) {
        throw new DomainError('VALIDATION', `Wrong item: ${barcode} is ${await scanned()}, which is not on pick list ${id}.`, [{ path: 'barcode', reason: 'wrong_item' }]);
      }
      const inBin = input.binCode ? same.filter((l) => l.bin_code === input.binCode) : same;
      if (inBin.length === 0) {
        throw new DomainError('VALIDATION', `Wrong bin: ${barcode} is picked from ${same.map((l) => l.bin_code).join(', ')}, not ${input.binCode}.`, [{ path: 'binCode', reason: 'wrong_bin' }]);
      }
      line = inBin.find((l) => remaining(l) > 0) ?? inBin[0];
    }
  }
  if (!line) throw new DomainError('VALIDATION', 'Nothing to confirm.', [{ path: 'lineNo', reason: 'required' }]);
  if (input.binCode && line.bin_code !== input.binCode) {
    throw new DomainError('VALIDATION', `Wrong bin: ${describe(line)} is picked from ${line.bin_code}, not ${input.binCode}.`, [{ path: 'binCode', reason: 'wrong_bin' }]);
  }
  const qty = input.quantity ?? (input.method === 'tick' ? remaining(line) : 1);
  if (qty > remaining(line) || qty === 0) {
    throw new DomainError('VALIDATION', `Over-pick refused: ${describe(line)} needs ${remaining(line)} more of ${line.quantity}; ${qty} confirmed.`, [
      { path: 'quantity', reason: 'over_pick' },
    ]);
  }
  if (pl.status === 'open') await start(tx, tenantId, id, pl.status);
  await tx`update pick_list_lines set picked = picked + ${qty}, last_method = ${input.method}
    where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no}`;
  if (input.method === 'tick') await tx`update pick_lists set tick_used = true where tenant_id = ${tenantId} and id = ${id}`;
  // Picked units fill the orders of a merged line in allocation order (the wave's order).
  let left = qty;
  for (const a of await tx<{ seq: number; free: number }[]>`select seq, quantity - picked - short as free from pick_list_allocations
      where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no} order by seq`) {
    if (left === 0) break;
    const q = Math.min(left, a.free);
    if (q <= 0) continue;
    left -= q;
    await tx`update pick_list_allocations set picked = picked + ${q} where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no} and seq = ${a.seq}`;
  }
  const pickList = await getPickList(tx, tenantId, id);
  return { pickList, line: pickList.lines.find((l) => l.lineNo === line.line_no)! };
}

/**
 * Units not found in the bin. They land on the wave's last orders first (the first orders of a
 * wave are completed first), are written off the books, and the operator's decision applies to each
 * order they hit: `partial` ships what was picked and makes the rest a delivery note of its own;
 * `hold` puts the order on hold at completion with its delivery note blocked. A hold wins over a
 * partial for an order hit twice.
 */
export async function recordShortPick(
  tx: Tx,
  tenantId: string,
  id: string,
  input: { lineNo: number; quantity?: number; decision: 'partial' | 'hold' },
): Promise<PickList> {
  const pl = await lockPickList(tx, tenantId, id);
  if (pl.status === 'picked') throw new DomainError('INVALID_STATE', `Pick list ${id} is already picked.`, [{ path: 'status', reason: 'picked' }]);
  const [line] = await tx<LineRow[]>`select line_no, bin_code, bin_id::text, product_id::text, sku, barcode, name, quantity, picked, short
    from pick_list_lines where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${input.lineNo} for update`;
  if (!line) throw new DomainError('VALIDATION', `Pick list ${id} has no line ${input.lineNo}.`, [{ path: 'lineNo', reason: 'unknown line' }]);
  const open = line.quantity - line.picked - line.short;
  const qty = input.quantity ?? open;
  if (!Number.isInteger(qty) || qty < 1 || qty > open) {
    throw new DomainError('VALIDATION', `Line ${line.line_no} (${line.sku} at bin ${line.bin_code}) has ${open} unit(s) still open; a short of ${qty} cannot be recorded.`, [
      { path: 'quantity', reason: `must be between 1 and ${open}` },
    ]);
  }
  if (pl.status === 'open') await start(tx, tenantId, id, pl.status);
  await tx`update pick_list_lines set short = short + ${qty} where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no}`;
  let left = qty;
  for (const a of await tx<{ seq: number; free: number; order_id: string; order_line_no: number; delivery_note_id: string }[]>`
      select seq, quantity - picked - short as free, order_id::text, order_line_no, delivery_note_id::text from pick_list_allocations
      where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no} order by seq desc`) {
    if (left === 0) break;
    const q = Math.min(left, a.free);
    if (q <= 0) continue;
    left -= q;
    await tx`update pick_list_allocations set short = short + ${q} where tenant_id = ${tenantId} and pick_list_id = ${id} and line_no = ${line.line_no} and seq = ${a.seq}`;
    await tx`update pick_list_orders set short_decision = case when short_decision = 'hold' then 'hold' else ${input.decision} end
      where tenant_id = ${tenantId} and pick_list_id = ${id} and delivery_note_id = ${a.delivery_note_id}`;
    await writeOffShortPick(tx, tenantId, {
      orderId: a.order_id,
      warehouseId: pl.warehouse_id,
      orderLineNo: a.order_line_no,
      binId: line.bin_id,
      productId: line.product_id,
      quantity: q,
      pickListId: id,
    });
    await addLineReservation(tx, tenantId, a.order_id, a.order_line_no, -q);
  }
  return getPickList(tx, tenantId, id);
}

/**
 * Every line picked or recorded short → the list is picked. Orders without a short (or with
 * `partial`) become picked and their delivery notes are approved for what was picked, which issues
 * the stock; a partial one's remainder becomes its own blocked delivery note. Orders with `hold` go
 * on hold and leave the list; their picked goods go back to the bin (still reserved).
 */
export async function completePickList(tx: Tx, tenantId: string, id: string): Promise<PickList> {
  const pl = await lockPickList(tx, tenantId, id);
  const open = await tx<{ line_no: number; sku: string | null; bin_code: string; left: number }[]>`
    select line_no, sku, bin_code, quantity - picked - short as left from pick_list_lines
    where tenant_id = ${tenantId} and pick_list_id = ${id} and quantity > picked + short order by line_no`;
  if (open.length > 0 && pl.status !== 'picked') {
    throw new DomainError('INVALID_STATE', `Pick list ${id} still has ${open.length} line(s) open: ${open.map((l) => `line ${l.line_no} (${l.sku} at ${l.bin_code}, ${l.left} left)`).join(', ')}. Pick them or record them short.`,
      open.map((l) => ({ path: `lines[${l.line_no - 1}]`, reason: `${l.left} left` })));
  }
  const next = transition(pl.status, 'complete', `Pick list ${id}`);
  await tx`update pick_lists set status = ${next}, completed_at = now() where tenant_id = ${tenantId} and id = ${id}`;

  const notes = await tx<{ order_id: string; delivery_note_id: string; short_decision: 'partial' | 'hold' | null; short: number; picked: number }[]>`
    select po.order_id::text, po.delivery_note_id::text, po.short_decision,
           coalesce(sum(a.short), 0)::int as short, coalesce(sum(a.picked), 0)::int as picked
    from pick_list_orders po
    left join pick_list_allocations a on a.tenant_id = po.tenant_id and a.pick_list_id = po.pick_list_id and a.delivery_note_id = po.delivery_note_id
    where po.tenant_id = ${tenantId} and po.pick_list_id = ${id} and po.active
    group by po.order_id, po.delivery_note_id, po.short_decision order by po.order_id, po.delivery_note_id`;
  const held = new Set(notes.filter((n) => n.short > 0 && (n.short_decision === 'hold' || n.picked === 0)).map((n) => n.order_id));
  for (const orderId of held) {
    await tx`update pick_list_orders set active = false where tenant_id = ${tenantId} and pick_list_id = ${id} and order_id = ${orderId}`;
    const missing = await tx<{ sku: string | null; short: number }[]>`select l.sku, sum(a.short)::int as short from pick_list_allocations a
      join pick_list_lines l on l.tenant_id = a.tenant_id and l.pick_list_id = a.pick_list_id and l.line_no = a.line_no
      where a.tenant_id = ${tenantId} and a.pick_list_id = ${id} and a.order_id = ${orderId} and a.short > 0 group by l.sku order by l.sku`;
    const reason = `short pick on pick list ${id}: ${missing.map((m) => `${m.sku} ${m.short} missing`).join(', ')}`;
    await holdOrderIfPossible(tx, tenantId, orderId, reason, { shortPick: { pickListId: id, missing } });
    await evaluateBlocked(tx, tenantId, orderId);
  }

  const shipping = notes.filter((n) => !held.has(n.order_id));
  await moveOrders(tx, tenantId, id, 'complete_pick', [...new Set(shipping.map((n) => n.order_id))]);
  for (const n of shipping) {
    if (n.short > 0) {
      // The note ships what was picked; the rest becomes a delivery note of its own below.
      await tx`update delivery_note_lines l set quantity = s.picked
        from (select delivery_note_line_no, sum(picked)::int as picked from pick_list_allocations
              where tenant_id = ${tenantId} and pick_list_id = ${id} and delivery_note_id = ${n.delivery_note_id} group by delivery_note_line_no) s
        where l.tenant_id = ${tenantId} and l.delivery_note_id = ${n.delivery_note_id} and l.line_no = s.delivery_note_line_no and s.picked > 0`;
      await tx`delete from delivery_note_lines l using (select delivery_note_line_no, sum(picked)::int as picked from pick_list_allocations
              where tenant_id = ${tenantId} and pick_list_id = ${id} and delivery_note_id = ${n.delivery_note_id} group by delivery_note_line_no) s
        where l.tenant_id = ${tenantId} and l.delivery_note_id = ${n.delivery_note_id} and l.line_no = s.delivery_note_line_no and s.picked = 0`;
      await tx`update delivery_notes set type = 'partial' where tenant_id = ${tenantId} and id = ${n.delivery_note_id}`;
      await markDeliveryPartial(tx, tenantId, n.order_id);
    }
    await approveDeliveryNote(tx, tenantId, n.delivery_note_id);
    if (n.short > 0) await createDeliveryNote(tx, tenantId, n.order_id, { partial: true });
  }
  return getPickList(tx, tenantId, id);
}
