import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';

/**
 * The packing station's check: every unit packed is scanned (barcode or SKU) against the packing
 * list before the parcel closes, so a wrong item never leaves in a box. A supervisor may close a
 * parcel with units unscanned (a damaged barcode), and that override is kept on the packing list.
 */

export interface PackScanLine {
  lineNo: number;
  productId: string;
  sku: string | null;
  barcode: string | null;
  name: string;
  quantity: number;
  scanned: number;
}

export interface PackScanState {
  packingListId: string;
  lines: PackScanLine[];
  units: number;
  scanned: number;
  /** Every unit scanned. */
  complete: boolean;
  override: { userId: string; at: string; reason: string } | null;
}

const isId = (s: string) => /^\d{1,18}$/.test(s);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Packing list ${id} does not exist.`, [{ path: 'id', reason: 'unknown packing list' }]);

export async function packScanState(db: Db, tenantId: string, id: string): Promise<PackScanState> {
  if (!isId(id)) throw notFound(id);
  const [pl] = await db<{ by: string | null; at: Date | null; reason: string | null }[]>`
    select scan_override_by::text as by, scan_override_at as at, scan_override_reason as reason from packing_lists where tenant_id = ${tenantId} and id = ${id}`;
  if (!pl) throw notFound(id);
  const lines = await db<PackScanLine[]>`
    select l.line_no as "lineNo", l.product_id::text as "productId", l.sku, p.barcode, l.name, l.quantity, l.scanned
    from packing_list_lines l left join products p on p.tenant_id = l.tenant_id and p.id = l.product_id
    where l.tenant_id = ${tenantId} and l.packing_list_id = ${id} order by l.line_no`;
  const units = lines.reduce((a, l) => a + l.quantity, 0);
  const scanned = lines.reduce((a, l) => a + l.scanned, 0);
  return {
    packingListId: id,
    lines: [...lines],
    units,
    scanned,
    complete: scanned === units,
    override: pl.by && pl.at ? { userId: pl.by, at: pl.at.toISOString(), reason: pl.reason ?? '' } : null,
  };
}

async function lockOpen(tx: Tx, tenantId: string, id: string): Promise<void> {
  if (!isId(id)) throw notFound(id);
  const [row] = await tx<{ status: string }[]>`select status from packing_lists where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!row) throw notFound(id);
  if (row.status !== 'ready_to_deliver') throw new DomainError('INVALID_STATE', `Packing list ${id} is ${row.status}; its parcel is closed.`, [{ path: 'status', reason: row.status }]);
}

/**
 * One scan at the packing station: the code is an item's barcode or SKU. A code of no line is a
 * wrong item (VALIDATION, reason wrong_item); more units than the line holds is refused (over_scan).
 * A refused scan changes nothing.
 */
export async function scanPackingItem(tx: Tx, tenantId: string, id: string, input: { code: string; quantity?: number }): Promise<{ line: PackScanLine; state: PackScanState }> {
  const code = input.code.trim();
  const quantity = input.quantity ?? 1;
  if (!code) throw new DomainError('VALIDATION', 'Scan a barcode or type a SKU.', [{ path: 'code', reason: 'required' }]);
  if (!Number.isInteger(quantity) || quantity < 1) throw new DomainError('VALIDATION', 'The quantity must be a whole number of at least 1.', [{ path: 'quantity', reason: 'must be ≥ 1' }]);
  await lockOpen(tx, tenantId, id);
  const state = await packScanState(tx, tenantId, id);
  const matching = state.lines.filter((l) => l.barcode === code || (l.sku !== null && l.sku.toLowerCase() === code.toLowerCase()));
  if (matching.length === 0) {
    throw new DomainError('VALIDATION', `Packing list ${id} holds no item with barcode or SKU ${code}.`, [{ path: 'code', reason: 'wrong_item' }]);
  }
  const line = matching.find((l) => l.quantity - l.scanned >= quantity);
  if (!line) {
    const left = matching.reduce((a, l) => a + l.quantity - l.scanned, 0);
    const first = matching[0]!;
    throw new DomainError('VALIDATION', `Packing list ${id} holds ${matching.reduce((a, l) => a + l.quantity, 0)} × ${first.sku ?? first.name}; ${left} left to scan, not ${quantity}.`, [
      { path: 'quantity', reason: 'over_scan' },
    ]);
  }
  await tx`update packing_list_lines set scanned = scanned + ${quantity} where tenant_id = ${tenantId} and packing_list_id = ${id} and line_no = ${line.lineNo}`;
  const after = await packScanState(tx, tenantId, id);
  return { line: after.lines.find((l) => l.lineNo === line.lineNo)!, state: after };
}

/** A supervisor closes the parcel with units unscanned; who, when and why stay on the packing list. */
export async function overridePackScan(tx: Tx, tenantId: string, id: string, input: { userId: string; reason: string }): Promise<PackScanState> {
  const reason = input.reason.trim().slice(0, 200);
  if (!reason) throw new DomainError('VALIDATION', 'Say why the parcel closes without every item scanned.', [{ path: 'reason', reason: 'required' }]);
  await lockOpen(tx, tenantId, id);
  await tx`update packing_lists set scan_override_by = ${input.userId}, scan_override_at = now(), scan_override_reason = ${reason}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${id}`;
  return packScanState(tx, tenantId, id);
}

/** Closing the parcel: refused while a unit is unscanned and no supervisor override is on record (VALIDATION, reason unscanned). */
export function assertPackScanned(state: PackScanState): void {
  if (state.complete || state.override) return;
  const open: ErrorDetail[] = state.lines
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.scanned < l.quantity)
    .map(({ i }) => ({ path: `lines[${i}].scanned`, reason: 'unscanned' }));
  const names = state.lines.filter((l) => l.scanned < l.quantity).map((l) => `${l.sku ?? l.name} ${l.scanned}/${l.quantity}`);
  throw new DomainError('VALIDATION', `Packing list ${state.packingListId} still has items to scan before the parcel closes: ${names.join(', ')}.`, open);
}

export interface AwbRefusal {
  courier: string;
  message: string;
  details: ErrorDetail[];
  at: string;
}

/** The courier's last refusal of this packing list's AWB (null clears it): read by the unknown-locality stall. */
export async function recordAwbRefusal(db: Db, tenantId: string, id: string, refusal: AwbRefusal | null): Promise<void> {
  await db`update packing_lists set awb_refusal = ${refusal ? db.json(refusal as never) : null} where tenant_id = ${tenantId} and id = ${id}`;
}
