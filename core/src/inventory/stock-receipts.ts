import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { adjustStock } from './reserve-order-stock.ts';

/** A product named by its id, its SKU or its barcode (exactly one; the first given counts). */
export type ProductRef = { productId?: string | undefined; sku?: string | undefined; barcode?: string | undefined };
/** A bin named by its id or by its code in the receipt's warehouse (exactly one; the first given counts). */
export type BinRef = { binId?: string | undefined; binCode?: string | undefined };

export interface StockReceiptInput {
  warehouseId: string;
  reference?: string | null;
  note?: string | null;
  lines: Array<ProductRef & BinRef & { quantity: number }>;
}

/** A receipt whose every line names a product and a bin of this tenant and warehouse: it can be posted. */
export interface ResolvedStockReceipt {
  warehouseId: string;
  reference: string | null;
  note: string | null;
  lines: Array<{ lineNo: number; productId: string; binId: string; pickSequence: number; quantity: number }>;
}

export interface StockReceipt {
  id: string;
  warehouseId: string;
  warehouseCode: string;
  reference: string | null;
  note: string | null;
  createdAt: string;
  lines: Array<{ lineNo: number; productId: string; sku: string; name: string; binId: string; binCode: string; quantity: number }>;
}

const PRODUCT_KEYS = ['productId', 'sku', 'barcode'] as const;
const BIN_KEYS = ['binId', 'binCode'] as const;
export const refKey = (r: ProductRef) => PRODUCT_KEYS.find((k) => r[k] !== undefined) ?? 'productId';
export const binKey = (r: BinRef) => BIN_KEYS.find((k) => r[k] !== undefined) ?? 'binId';
/** What a reference names, as the caller wrote it (for messages). */
export const refValue = (r: ProductRef & BinRef, key: keyof ProductRef | keyof BinRef) => r[key] ?? '(none)';

export type ResolvedBin = { id: string; warehouseId: string; code: string; pickSequence: number; active: boolean };

export const warehouseNotFound = (id: string) =>
  new DomainError('NOT_FOUND', `Warehouse ${id} does not exist.`, [{ path: 'warehouseId', reason: 'unknown warehouse' }]);

/** The tenant's products a set of references names, keyed `productId:…`, `sku:…`, `barcode:…`. */
export async function resolveProducts(db: Db, tenantId: string, refs: ProductRef[]): Promise<Map<string, { id: string; sku: string }>> {
  const ids = refs.flatMap((r) => (refKey(r) === 'productId' && isId(r.productId) ? [r.productId] : []));
  const skus = refs.flatMap((r) => (refKey(r) === 'sku' ? [r.sku!] : []));
  const barcodes = refs.flatMap((r) => (refKey(r) === 'barcode' ? [r.barcode!] : []));
  const rows = await db<{ id: string; sku: string; barcode: string | null }[]>`
    select id::text, sku, barcode from products
    where tenant_id = ${tenantId} and (id = any(${ids}::bigint[]) or sku = any(${skus}::text[]) or barcode = any(${barcodes}::text[]))`;
  const found = new Map<string, { id: string; sku: string }>();
  for (const p of rows) {
    found.set(`productId:${p.id}`, p);
    found.set(`sku:${p.sku}`, p);
    if (p.barcode !== null) found.set(`barcode:${p.barcode}`, p);
  }
  return found;
}

/**
 * The tenant's bins a set of references names (by id anywhere in the tenant, by code in the warehouse).
 * Read FOR SHARE: a bin being deactivated (updateBin locks it FOR UPDATE) is seen as it ends up.
 */
export async function resolveBins(db: Db, tenantId: string, warehouseId: string, refs: BinRef[]): Promise<Map<string, ResolvedBin>> {
  const ids = refs.flatMap((r) => (binKey(r) === 'binId' && isId(r.binId) ? [r.binId] : []));
  const codes = refs.flatMap((r) => (binKey(r) === 'binCode' ? [r.binCode!] : []));
  const rows = await db<ResolvedBin[]>`
    select id::text, warehouse_id::text as "warehouseId", code, pick_sequence as "pickSequence", active from bins
    where tenant_id = ${tenantId} and (id = any(${ids}::bigint[]) or (warehouse_id = ${warehouseId} and code = any(${codes}::text[])))
    for share`;
  const found = new Map<string, ResolvedBin>();
  for (const b of rows) {
    found.set(`binId:${b.id}`, b);
    if (b.warehouseId === warehouseId) found.set(`binCode:${b.code}`, b);
  }
  return found;
}

/**
 * Checks every line of a receipt before anything is written: each names a product of the tenant and
 * a bin of the receipt's warehouse, with a positive whole quantity. All faults are reported at once
 * (`lines[i].field`), so a long delivery is corrected in one go.
 */
export async function resolveStockReceipt(db: Db, tenantId: string, input: StockReceiptInput): Promise<ResolvedStockReceipt> {
  const [wh] = await db<{ id: string }[]>`select id::text from warehouses where tenant_id = ${tenantId} and id = ${isId(input.warehouseId) ? input.warehouseId : '0'}`;
  if (!wh) throw warehouseNotFound(input.warehouseId);
  if (input.lines.length === 0) throw new DomainError('VALIDATION', 'A stock receipt needs at least one line.', [{ path: 'lines', reason: 'empty' }]);
  const [products, bins] = await Promise.all([resolveProducts(db, tenantId, input.lines), resolveBins(db, tenantId, input.warehouseId, input.lines)]);
  const faults: ErrorDetail[] = [];
  const lines: ResolvedStockReceipt['lines'] = [];
  input.lines.forEach((line, i) => {
    const pk = refKey(line);
    const bk = binKey(line);
    const product = products.get(`${pk}:${refValue(line, pk)}`);
    const bin = bins.get(`${bk}:${refValue(line, bk)}`);
    if (!product) faults.push({ path: `lines[${i}].${pk}`, reason: `unknown product ${refValue(line, pk)}` });
    if (!bin) faults.push({ path: `lines[${i}].${bk}`, reason: bk === 'binCode' ? `no bin ${refValue(line, bk)} in warehouse ${input.warehouseId}` : `unknown bin ${refValue(line, bk)}` });
    else if (bin.warehouseId !== input.warehouseId) faults.push({ path: `lines[${i}].${bk}`, reason: `bin ${bin.code} is in warehouse ${bin.warehouseId}, not ${input.warehouseId}` });
    else if (!bin.active) faults.push({ path: `lines[${i}].${bk}`, reason: `bin ${bin.code} is deactivated` });
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) faults.push({ path: `lines[${i}].quantity`, reason: 'must be a positive whole number' });
    if (product && bin) lines.push({ lineNo: i + 1, productId: product.id, binId: bin.id, pickSequence: bin.pickSequence, quantity: line.quantity });
  });
  if (faults.length > 0) {
    throw new DomainError('VALIDATION', `The stock receipt was not recorded: ${faults.map((f) => `${f.path} ${f.reason}`).join('; ')}.`, faults);
  }
  return { warehouseId: input.warehouseId, reference: input.reference ?? null, note: input.note ?? null, lines };
}

/**
 * Records the receipt and puts its goods into the bins: on hand up, one 'receipt' movement per line
 * citing the receipt. Bins are written in the reservation's lock order (product id, then pick
 * sequence), so a receipt and a confirm touching the same products queue instead of deadlocking.
 */
export async function postStockReceipt(tx: Tx, tenantId: string, r: ResolvedStockReceipt): Promise<StockReceipt> {
  const [row] = await tx<{ id: string }[]>`insert into stock_receipts (tenant_id, warehouse_id, reference, note)
    values (${tenantId}, ${r.warehouseId}, ${r.reference}, ${r.note}) returning id::text`;
  const id = row!.id;
  for (const l of r.lines) {
    await tx`insert into stock_receipt_lines (tenant_id, receipt_id, line_no, product_id, bin_id, quantity)
      values (${tenantId}, ${id}, ${l.lineNo}, ${l.productId}, ${l.binId}, ${l.quantity})`;
  }
  const ordered = [...r.lines].sort((a, b) => cmpId(a.productId, b.productId) || a.pickSequence - b.pickSequence || cmpId(a.binId, b.binId) || a.lineNo - b.lineNo);
  for (const l of ordered) {
    await adjustStock(tx, tenantId, { warehouseId: r.warehouseId, binId: l.binId, productId: l.productId, delta: l.quantity, kind: 'receipt', causeType: 'stock_receipt', causeId: id, ...(r.reference ? { note: r.reference } : {}) });
  }
  return getStockReceipt(tx, tenantId, id);
}

const cmpId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

const RECEIPT_SELECT = `
  select r.id::text as id, r.warehouse_id::text as "warehouseId", w.code as "warehouseCode", r.reference, r.note, r.created_at as "createdAt",
         coalesce((select json_agg(json_build_object('lineNo', l.line_no, 'productId', l.product_id::text, 'sku', p.sku, 'name', p.name,
                                                     'binId', l.bin_id::text, 'binCode', b.code, 'quantity', l.quantity) order by l.line_no)
                   from stock_receipt_lines l
                   join products p on p.tenant_id = l.tenant_id and p.id = l.product_id
                   join bins b on b.tenant_id = l.tenant_id and b.id = l.bin_id
                   where l.tenant_id = r.tenant_id and l.receipt_id = r.id), '[]'::json) as lines
  from stock_receipts r join warehouses w on w.tenant_id = r.tenant_id and w.id = r.warehouse_id`;

type ReceiptRow = Omit<StockReceipt, 'createdAt'> & { createdAt: Date };
const toReceipt = (r: ReceiptRow): StockReceipt => ({ ...r, createdAt: r.createdAt.toISOString() });

export async function getStockReceipt(db: Db, tenantId: string, id: string): Promise<StockReceipt> {
  const notFound = new DomainError('NOT_FOUND', `Stock receipt ${id} does not exist.`, [{ path: 'id', reason: 'unknown stock receipt' }]);
  if (!isId(id)) throw notFound;
  const [row] = await db.unsafe(`${RECEIPT_SELECT} where r.tenant_id = $1 and r.id = $2`, [tenantId, id]);
  if (!row) throw notFound;
  return toReceipt(row as unknown as ReceiptRow);
}

/** Receipts newest first, keyset-paged on the id (the cursor is the last id of the page). */
export async function listStockReceipts(
  db: Db,
  tenantId: string,
  f: { warehouseId?: string; limit?: number; cursor?: string } = {},
): Promise<{ stockReceipts: StockReceipt[]; nextCursor: string | null }> {
  const limit = f.limit ?? 50;
  if (f.cursor !== undefined && !isId(f.cursor)) {
    throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
  }
  const rows = await db.unsafe(
    `${RECEIPT_SELECT}
     where r.tenant_id = $1 and ($2::bigint is null or r.warehouse_id = $2) and ($3::bigint is null or r.id < $3)
     order by r.id desc limit $4`,
    [tenantId, f.warehouseId ?? null, f.cursor ?? null, limit + 1] as never[],
  );
  const page = (rows as unknown as ReceiptRow[]).slice(0, limit).map(toReceipt);
  return { stockReceipts: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
