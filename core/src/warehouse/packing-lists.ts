import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db, Tx } from '../db/connect.ts';
import { moveOrder, orderShippingAddress } from '../orders/index.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { transition as noteTransition } from './delivery-note-status.ts';
import { lockDeliveryNote } from './delivery-notes.ts';
import { type PackingListEvent, type PackingListStatus, transition } from './packing-list-status.ts';

/** Measures (kg to 3 decimals, cm to 1) as numbers; they are physical sizes, not money. */
export interface Parcel {
  parcelNo: number;
  weightKg: number | null;
  lengthCm: number | null;
  widthCm: number | null;
  heightCm: number | null;
}
/** Each measure a positive number or decimal string ("1.25"); absent or null = not measured yet. */
export type ParcelInput = { [K in 'weightKg' | 'lengthCm' | 'widthCm' | 'heightCm']?: number | string | null };

export interface PackingList {
  id: string;
  deliveryNoteId: string;
  orderId: string;
  orderNumber: string | null;
  type: 'total' | 'partial';
  status: PackingListStatus;
  courier: string | null;
  service: string | null;
  deliveryAddress: Record<string, unknown> | null;
  parcels: Parcel[];
  lines: Array<{ lineNo: number; deliveryNoteLineNo: number; orderLineNo: number; productId: string; sku: string | null; name: string; quantity: number }>;
  /** Sum of the products' catalogue weights: a hint for the packer, never taken as the measured weight. */
  estimatedWeightKg: string | null;
  /** Fields still missing before an AWB can be asked for (empty when ready). */
  missingForAwb: string[];
  createdAt: string;
  updatedAt: string;
}

const isId = (s: string) => /^\d{1,18}$/.test(s);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Packing list ${id} does not exist.`, [{ path: 'id', reason: 'unknown packing list' }]);
const MEASURES = ['weightKg', 'lengthCm', 'widthCm', 'heightCm'] as const;

/** Every field an AWB needs that the packing list lacks, by its path in the API. */
export function missingForAwb(pl: Pick<PackingList, 'parcels' | 'courier' | 'service' | 'deliveryAddress'>): ErrorDetail[] {
  const missing: ErrorDetail[] = [];
  if (pl.parcels.length === 0) missing.push({ path: 'parcels', reason: 'at least one parcel with weight and dimensions is required' });
  pl.parcels.forEach((p, i) => {
    for (const m of MEASURES) if (!positive(p[m])) missing.push({ path: `parcels[${i}].${m}`, reason: 'required for an AWB' });
  });
  if (!pl.courier) missing.push({ path: 'courier', reason: 'choose the courier' });
  if (!pl.service) missing.push({ path: 'service', reason: 'choose the courier service' });
  if (!pl.deliveryAddress) missing.push({ path: 'deliveryAddress', reason: 'required for an AWB' });
  return missing;
}

const positive = (v: string | number | null | undefined) => v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v)) && Number(v) > 0;
const measured = (parcels: Parcel[]) => parcels.length > 0 && parcels.every((p) => MEASURES.every((m) => positive(p[m])));

/** Throws VALIDATION naming each missing field (parcels[0].weightKg, …, courier, service). */
export function assertReadyForAwb(pl: Pick<PackingList, 'id' | 'parcels' | 'courier' | 'service' | 'deliveryAddress'>): void {
  const missing = missingForAwb(pl);
  if (missing.length > 0) {
    throw new DomainError('VALIDATION', `Packing list ${pl.id} cannot get an AWB yet; missing: ${missing.map((m) => m.path).join(', ')}.`, missing);
  }
}

export async function getPackingList(db: Db, tenantId: string, id: string): Promise<PackingList> {
  if (!isId(id)) throw notFound(id);
  const [pl] = await packingListsByIds(db, tenantId, [id]);
  if (!pl) throw notFound(id);
  return pl;
}

/** Packing lists with their parcels, lines and estimated weight: four queries for any number of them. */
async function packingListsByIds(db: Db, tenantId: string, ids: string[]): Promise<PackingList[]> {
  if (ids.length === 0) return [];
  const [rows, parcels, lines, weights] = await Promise.all([
    db`
      select pl.id::text, pl.delivery_note_id::text as "deliveryNoteId", pl.order_id::text as "orderId", o.external_number as "orderNumber",
             pl.type, pl.status, pl.courier, pl.service, pl.delivery_address as "deliveryAddress", pl.created_at as "createdAt", pl.updated_at as "updatedAt"
      from packing_lists pl join orders o on o.tenant_id = pl.tenant_id and o.id = pl.order_id
      where pl.tenant_id = ${tenantId} and pl.id = any(${ids}::bigint[])`,
    db<{ packingListId: string; parcelNo: number; weightKg: string | null; lengthCm: string | null; widthCm: string | null; heightCm: string | null }[]>`
      select packing_list_id::text as "packingListId", parcel_no as "parcelNo", weight_kg::text as "weightKg", length_cm::text as "lengthCm",
             width_cm::text as "widthCm", height_cm::text as "heightCm"
      from packing_list_parcels where tenant_id = ${tenantId} and packing_list_id = any(${ids}::bigint[]) order by packing_list_id, parcel_no`,
    db<Array<PackingList['lines'][number] & { packingListId: string }>>`
      select packing_list_id::text as "packingListId", line_no as "lineNo", delivery_note_line_no as "deliveryNoteLineNo", order_line_no as "orderLineNo",
             product_id::text as "productId", sku, name, quantity
      from packing_list_lines where tenant_id = ${tenantId} and packing_list_id = any(${ids}::bigint[]) order by packing_list_id, line_no`,
    db<{ packingListId: string; kg: string | null }[]>`
      select l.packing_list_id::text as "packingListId", sum(p.weight_kg * l.quantity)::numeric(12,3)::text as kg from packing_list_lines l
      join products p on p.tenant_id = l.tenant_id and p.id = l.product_id
      where l.tenant_id = ${tenantId} and l.packing_list_id = any(${ids}::bigint[]) group by l.packing_list_id`,
  ]);
  const num = (v: string | null) => (v === null ? null : Number(v));
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const pl = {
      ...(row as unknown as Omit<PackingList, 'parcels' | 'lines' | 'estimatedWeightKg' | 'missingForAwb' | 'createdAt' | 'updatedAt'>),
      parcels: parcels
        .filter((p) => p.packingListId === id)
        .map((p) => ({ parcelNo: p.parcelNo, weightKg: num(p.weightKg), lengthCm: num(p.lengthCm), widthCm: num(p.widthCm), heightCm: num(p.heightCm) })),
      lines: lines.filter((l) => l.packingListId === id).map(({ packingListId: _, ...l }) => l),
      estimatedWeightKg: weights.find((w) => w.packingListId === id)?.kg ?? null,
      createdAt: (row.createdAt as Date).toISOString(),
      updatedAt: (row.updatedAt as Date).toISOString(),
    };
    return [{ ...pl, missingForAwb: missingForAwb(pl).map((m) => m.path) }];
  });
}

export async function listPackingLists(
  db: Db,
  tenantId: string,
  f: { status?: PackingListStatus; type?: 'total' | 'partial'; orderId?: string; deliveryNoteId?: string; channelId?: string; limit?: number } = {},
): Promise<PackingList[]> {
  const params: unknown[] = [tenantId];
  const where = presentFilters(params, {
    'status = ?': f.status,
    'type = ?': f.type,
    'order_id = ?::bigint': f.orderId,
    'delivery_note_id = ?::bigint': f.deliveryNoteId,
    'order_id in (select id from orders where tenant_id = $1 and channel_id = ?::bigint)': f.channelId,
  });
  const ids = (await db.unsafe(`select id::text from packing_lists where tenant_id = $1${where} order by packing_lists.id desc limit ${literalLimit(f.limit ?? 100)}`, params as never[])) as unknown as Array<{ id: string }>;
  return packingListsByIds(db, tenantId, ids.map((r) => r.id));
}

/** The newest packing list of each delivery note, in one query (the pick screen links them). */
export async function latestPackingListIds(db: Db, tenantId: string, deliveryNoteIds: string[]): Promise<Map<string, string>> {
  if (deliveryNoteIds.length === 0) return new Map();
  const rows = await db<{ deliveryNoteId: string; id: string }[]>`
    select distinct on (delivery_note_id) delivery_note_id::text as "deliveryNoteId", id::text
    from packing_lists where tenant_id = ${tenantId} and delivery_note_id = any(${deliveryNoteIds}::bigint[])
    order by delivery_note_id, packing_lists.id desc`;
  return new Map(rows.map((r) => [r.deliveryNoteId, r.id]));
}

// A remainder delivery note's order may already be further on; it does not move back.
const advanceOrder = (tx: Tx, tenantId: string, orderId: string, event: 'pack' | 'mark_ready') => moveOrder(tx, tenantId, orderId, event, { ifAllowed: true });

/**
 * A packing list from an approved (picked) delivery note; the delivery address is copied from the
 * order and stays editable. Without `lines` it packs everything of the note not packed yet; with
 * `lines` it packs those quantities now (type partial) and the rest waits for another packing list.
 * The note becomes packed once its lines are all packed; the order goes picked → packed.
 */
export async function createPackingList(
  tx: Tx,
  tenantId: string,
  deliveryNoteId: string,
  input: { lines?: Array<{ lineNo: number; quantity: number }> } = {},
): Promise<PackingList> {
  const note = await lockDeliveryNote(tx, tenantId, deliveryNoteId);
  if (!note.approved) {
    throw new DomainError('INVALID_STATE', `Delivery note ${deliveryNoteId} is not picked yet; complete its pick list (or approve it) before packing.`, [{ path: 'deliveryNoteId', reason: 'not approved' }]);
  }
  const ref = `Delivery note ${deliveryNoteId}`;
  noteTransition(note.status, 'pack', ref);
  const packed = new Map<number, number>();
  for (const r of await tx<{ dn_line: number; q: number }[]>`select l.delivery_note_line_no as dn_line, sum(l.quantity)::int as q
      from packing_list_lines l join packing_lists p on p.tenant_id = l.tenant_id and p.id = l.packing_list_id
      where p.tenant_id = ${tenantId} and p.delivery_note_id = ${deliveryNoteId} group by 1`) {
    packed.set(r.dn_line, r.q);
  }
  const left = note.lines.map((l) => ({ line: l, left: l.quantity - (packed.get(l.lineNo) ?? 0) }));
  let take: Array<{ line: (typeof note.lines)[number]; quantity: number }>;
  if (input.lines && input.lines.length > 0) {
    const problems: ErrorDetail[] = [];
    take = [];
    input.lines.forEach((req, i) => {
      const l = left.find((x) => x.line.lineNo === req.lineNo);
      if (!l) problems.push({ path: `lines[${i}].lineNo`, reason: `${ref} has no line ${req.lineNo}` });
      else if (!Number.isInteger(req.quantity) || req.quantity < 1 || req.quantity > l.left) problems.push({ path: `lines[${i}].quantity`, reason: `must be between 1 and ${l.left}` });
      else take.push({ line: l.line, quantity: req.quantity });
    });
    if (problems.length > 0) throw new DomainError('VALIDATION', `These lines cannot be packed: ${problems.map((p) => `${p.path} ${p.reason}`).join('; ')}.`, problems);
  } else {
    take = left.filter((x) => x.left > 0).map((x) => ({ line: x.line, quantity: x.left }));
  }
  const allPacked = left.every((x) => x.left === (take.find((t) => t.line.lineNo === x.line.lineNo)?.quantity ?? 0));
  const type = note.type === 'partial' || !allPacked || packed.size > 0 ? 'partial' : 'total';
  const address = await orderShippingAddress(tx, tenantId, note.orderId);
  const [pl] = await tx<{ id: string }[]>`insert into packing_lists (tenant_id, delivery_note_id, order_id, type, delivery_address)
    values (${tenantId}, ${deliveryNoteId}, ${note.orderId}, ${type}, ${address ? tx.json(address as never) : null})
    returning id::text`;
  const id = pl!.id;
  let n = 0;
  for (const t of take) {
    await tx`insert into packing_list_lines (tenant_id, packing_list_id, line_no, delivery_note_line_no, order_line_no, product_id, sku, name, quantity)
      values (${tenantId}, ${id}, ${++n}, ${t.line.lineNo}, ${t.line.orderLineNo}, ${t.line.productId}, ${t.line.sku}, ${t.line.name}, ${t.quantity})`;
  }
  await tx`insert into packing_list_parcels (tenant_id, packing_list_id, parcel_no) values (${tenantId}, ${id}, 1)`;
  if (allPacked) await tx`update delivery_notes set status = ${noteTransition(note.status, 'pack', ref)}, updated_at = now() where tenant_id = ${tenantId} and id = ${deliveryNoteId}`;
  await advanceOrder(tx, tenantId, note.orderId, 'pack');
  return getPackingList(tx, tenantId, id);
}

/**
 * Measures, courier, service, address. `parcels` replaces the parcel list (each parcel its own
 * measures). Once every parcel is measured the order is ready (15) and waits for its AWB.
 */
export async function updatePackingList(
  tx: Tx,
  tenantId: string,
  id: string,
  input: { courier?: string | null; service?: string | null; deliveryAddress?: Record<string, unknown> | null; parcels?: ParcelInput[] },
): Promise<PackingList> {
  if (!isId(id)) throw notFound(id);
  const [row] = await tx<{ status: PackingListStatus; order_id: string }[]>`select status, order_id::text from packing_lists where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!row) throw notFound(id);
  if (row.status !== 'ready_to_deliver') {
    throw new DomainError('INVALID_STATE', `Packing list ${id} is ${row.status}; it can no longer be edited.`, [{ path: 'status', reason: row.status }]);
  }
  const dec = (v: number | string | null | undefined) => (v === undefined || v === null || v === '' ? null : String(v).trim());
  if (input.parcels) {
    const problems: ErrorDetail[] = [];
    if (input.parcels.length === 0) problems.push({ path: 'parcels', reason: 'at least one parcel' });
    input.parcels.forEach((p, i) => {
      for (const m of MEASURES) {
        const v = p[m];
        const ok = typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && /^\d{1,6}(\.\d{1,3})?$/.test(v.trim());
        if (v !== undefined && v !== null && v !== '' && !(ok && Number(v) > 0 && Number(v) < 100000)) problems.push({ path: `parcels[${i}].${m}`, reason: 'must be a positive number' });
      }
    });
    if (problems.length > 0) throw new DomainError('VALIDATION', `Invalid ${problems[0]!.path}: ${problems[0]!.reason}.`, problems);
    await tx`delete from packing_list_parcels where tenant_id = ${tenantId} and packing_list_id = ${id}`;
    let n = 0;
    for (const p of input.parcels) {
      await tx`insert into packing_list_parcels (tenant_id, packing_list_id, parcel_no, weight_kg, length_cm, width_cm, height_cm)
        values (${tenantId}, ${id}, ${++n}, ${dec(p.weightKg)}, ${dec(p.lengthCm)}, ${dec(p.widthCm)}, ${dec(p.heightCm)})`;
    }
  }
  if (input.courier !== undefined) await tx`update packing_lists set courier = ${input.courier} where tenant_id = ${tenantId} and id = ${id}`;
  if (input.service !== undefined) await tx`update packing_lists set service = ${input.service} where tenant_id = ${tenantId} and id = ${id}`;
  if (input.deliveryAddress !== undefined) {
    // A corrected address answers the courier's last refusal (the unknown-locality stall goes away).
    await tx`update packing_lists set delivery_address = ${input.deliveryAddress === null ? null : tx.json(input.deliveryAddress as never)}, awb_refusal = null where tenant_id = ${tenantId} and id = ${id}`;
  }
  await tx`update packing_lists set updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  const pl = await getPackingList(tx, tenantId, id);
  if (measured(pl.parcels)) await advanceOrder(tx, tenantId, row.order_id, 'mark_ready');
  return pl;
}

/** For shipping: AWB generated (dispatch → in_transit), courier confirmed delivery (deliver → delivered). */
export async function transitionPackingList(tx: Tx, tenantId: string, id: string, event: PackingListEvent): Promise<PackingList> {
  if (!isId(id)) throw notFound(id);
  const [row] = await tx<{ status: PackingListStatus }[]>`select status from packing_lists where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!row) throw notFound(id);
  const next = transition(row.status, event, `Packing list ${id}`);
  await tx`update packing_lists set status = ${next}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  return getPackingList(tx, tenantId, id);
}

/**
 * What of an order is still on its way or still in the warehouse: packing lists not delivered, and
 * the units packed per order line (lines packed short of their quantity are still to ship).
 */
export async function orderPackingProgress(db: Db, tenantId: string, orderId: string): Promise<{ undelivered: number; packedByLine: Map<number, number> }> {
  const [[left], packed] = await Promise.all([
    db<{ n: number }[]>`select count(*)::int as n from packing_lists where tenant_id = ${tenantId} and order_id = ${orderId} and status <> 'delivered'`,
    db<{ line: number; q: number }[]>`select l.order_line_no as line, sum(l.quantity)::int as q
      from packing_list_lines l join packing_lists p on p.tenant_id = l.tenant_id and p.id = l.packing_list_id
      where p.tenant_id = ${tenantId} and p.order_id = ${orderId} group by l.order_line_no`,
  ]);
  return { undelivered: left!.n, packedByLine: new Map(packed.map((r) => [r.line, r.q])) };
}
