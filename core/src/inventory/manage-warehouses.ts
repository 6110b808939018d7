import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { warehouseNotFound } from './stock-receipts.ts';

/*
 * Warehouses and their bins, managed by the merchant. A warehouse's address is the sender address
 * of its AWBs (the keys flows/generate-awb.ts reads). A bin has a code unique in its warehouse, an
 * optional zone and the pick sequence the picker walks; a bin that holds stock cannot be
 * deactivated, and a deactivated bin takes no goods.
 */

/** The sender address keys an AWB reads (see toShipmentAddress). */
export const WAREHOUSE_ADDRESS_KEYS = ['name', 'contactPerson', 'company', 'phone', 'email', 'addressLine', 'street', 'streetNo', 'locality', 'county', 'postalCode', 'countryCode'] as const;
export type WarehouseAddress = Partial<Record<(typeof WAREHOUSE_ADDRESS_KEYS)[number], string>>;

export interface Warehouse {
  id: string;
  code: string;
  name: string;
  address: WarehouseAddress | null;
  bins: number;
  activeBins: number;
}

export interface Bin {
  id: string;
  warehouseId: string;
  code: string;
  zone: string | null;
  pickSequence: number;
  active: boolean;
  onHand: number;
  reserved: number;
}

function checkText(path: string, v: string | undefined, max: number, faults: ErrorDetail[], opts: { code?: boolean } = {}): string | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s === '' || s.length > max) faults.push({ path, reason: `required: 1-${max} characters` });
  else if (opts.code && /\s/.test(s)) faults.push({ path, reason: 'a code has no spaces' });
  return s;
}

function fail(what: string, faults: ErrorDetail[]) {
  if (faults.length > 0) throw new DomainError('VALIDATION', `${what} was not saved: ${faults.map((f) => `${f.path} ${f.reason}`).join('; ')}.`, faults);
}

const WAREHOUSE_SELECT = `
  select w.id::text, w.code, w.name, w.address,
         (select count(*)::int from bins b where b.tenant_id = w.tenant_id and b.warehouse_id = w.id) as bins,
         (select count(*)::int from bins b where b.tenant_id = w.tenant_id and b.warehouse_id = w.id and b.active) as "activeBins"
  from warehouses w where w.tenant_id = $1`;

export async function listWarehouses(db: Db, tenantId: string): Promise<Warehouse[]> {
  return (await db.unsafe(`${WAREHOUSE_SELECT} order by w.code`, [tenantId])) as unknown as Warehouse[];
}

export async function getWarehouseDetail(db: Db, tenantId: string, id: string): Promise<Warehouse> {
  if (!isId(id)) throw warehouseNotFound(id);
  const [w] = (await db.unsafe(`${WAREHOUSE_SELECT} and w.id = $2`, [tenantId, id])) as unknown as Warehouse[];
  if (!w) throw warehouseNotFound(id);
  return w;
}

const codeTaken = (what: string, code: string, where: string) =>
  new DomainError('CONFLICT', `${what} code ${code} is already used ${where}.`, [{ path: 'code', reason: `${code} is already used ${where}` }]);

/** A unique index refused the code (a race past the check): the same 409. */
const onUnique = (what: string, code: string, where: string) => (e: unknown) => {
  if ((e as { code?: string }).code === '23505') throw codeTaken(what, code, where);
  throw e;
};

export async function createWarehouse(tx: Tx, tenantId: string, w: { code: string; name: string; address?: WarehouseAddress | null }): Promise<Warehouse> {
  const faults: ErrorDetail[] = [];
  const code = checkText('code', w.code, 20, faults, { code: true })!;
  const name = checkText('name', w.name, 200, faults)!;
  fail(`Warehouse ${w.code}`, faults);
  const [taken] = await tx`select 1 from warehouses where tenant_id = ${tenantId} and code = ${code}`;
  if (taken) throw codeTaken('Warehouse', code, 'by another warehouse');
  const [row] = await tx<{ id: string }[]>`insert into warehouses (tenant_id, code, name, address)
    values (${tenantId}, ${code}, ${name}, ${w.address ? tx.json(w.address) : null}) returning id::text`.catch(onUnique('Warehouse', code, 'by another warehouse'));
  return getWarehouseDetail(tx, tenantId, row!.id);
}

/** Renames, recodes or re-addresses a warehouse: only the keys given; a null address clears it. */
export async function updateWarehouse(tx: Tx, tenantId: string, id: string, p: { code?: string | undefined; name?: string | undefined; address?: WarehouseAddress | null | undefined }): Promise<Warehouse> {
  await getWarehouseDetail(tx, tenantId, id);
  const faults: ErrorDetail[] = [];
  const code = checkText('code', p.code, 20, faults, { code: true });
  const name = checkText('name', p.name, 200, faults);
  fail(`Warehouse ${id}`, faults);
  if (code !== undefined) {
    const [taken] = await tx`select 1 from warehouses where tenant_id = ${tenantId} and code = ${code} and id <> ${id}`;
    if (taken) throw codeTaken('Warehouse', code, 'by another warehouse');
  }
  const set: Record<string, unknown> = {};
  if (code !== undefined) set.code = code;
  if (name !== undefined) set.name = name;
  if (p.address !== undefined) set.address = p.address === null ? null : tx.json(p.address);
  if (Object.keys(set).length > 0) await tx`update warehouses set ${tx(set)} where tenant_id = ${tenantId} and id = ${id}`.catch(onUnique('Warehouse', code ?? '', 'by another warehouse'));
  return getWarehouseDetail(tx, tenantId, id);
}

const BIN_SELECT = `
  select b.id::text, b.warehouse_id::text as "warehouseId", b.code, b.zone, b.pick_sequence as "pickSequence", b.active,
         coalesce((select sum(s.on_hand) from stock s where s.tenant_id = b.tenant_id and s.bin_id = b.id), 0)::int as "onHand",
         coalesce((select sum(s.reserved) from stock s where s.tenant_id = b.tenant_id and s.bin_id = b.id), 0)::int as reserved
  from bins b`;

/** A warehouse's bins in pick sequence (the picker's walk). */
export async function listBins(db: Db, tenantId: string, warehouseId: string, f: { active?: boolean | undefined } = {}): Promise<Bin[]> {
  await getWarehouseDetail(db, tenantId, warehouseId);
  return (await db.unsafe(`${BIN_SELECT} where b.tenant_id = $1 and b.warehouse_id = $2 and ($3::boolean is null or b.active = $3) order by b.pick_sequence, b.code`, [
    tenantId,
    warehouseId,
    f.active ?? null,
  ] as never[])) as unknown as Bin[];
}

const binNotFound = (id: string) => new DomainError('NOT_FOUND', `Bin ${id} does not exist.`, [{ path: 'id', reason: 'unknown bin' }]);

export async function getBin(db: Db, tenantId: string, id: string): Promise<Bin> {
  if (!isId(id)) throw binNotFound(id);
  const [b] = (await db.unsafe(`${BIN_SELECT} where b.tenant_id = $1 and b.id = $2`, [tenantId, id])) as unknown as Bin[];
  if (!b) throw binNotFound(id);
  return b;
}

function checkBin(p: { code?: string | undefined; zone?: string | null | undefined; pickSequence?: number | undefined }) {
  const faults: ErrorDetail[] = [];
  const code = checkText('code', p.code, 50, faults, { code: true });
  const zone = p.zone === undefined || p.zone === null ? p.zone : p.zone.trim() === '' ? null : checkText('zone', p.zone, 50, faults);
  if (p.pickSequence !== undefined && (!Number.isSafeInteger(p.pickSequence) || p.pickSequence < 0 || p.pickSequence > 1_000_000_000)) {
    faults.push({ path: 'pickSequence', reason: 'must be a whole number from 0 to 1000000000' });
  }
  return { code, zone, faults };
}

/** A new bin; without a pick sequence it goes last (10 after the warehouse's highest). */
export async function createBin(tx: Tx, tenantId: string, warehouseId: string, b: { code: string; zone?: string | null | undefined; pickSequence?: number | undefined }): Promise<Bin> {
  const w = await getWarehouseDetail(tx, tenantId, warehouseId);
  const { code, zone, faults } = checkBin(b);
  fail(`Bin ${b.code}`, faults);
  const where = `in warehouse ${w.code}`;
  const [taken] = await tx`select 1 from bins where tenant_id = ${tenantId} and warehouse_id = ${warehouseId} and code = ${code!}`;
  if (taken) throw codeTaken('Bin', code!, where);
  const [row] = await tx<{ id: string }[]>`insert into bins (tenant_id, warehouse_id, code, zone, pick_sequence)
    values (${tenantId}, ${warehouseId}, ${code!}, ${zone ?? null},
            coalesce(${b.pickSequence ?? null}::int,
              (select coalesce(max(pick_sequence), 0) + 10 from bins where tenant_id = ${tenantId} and warehouse_id = ${warehouseId})))
    returning id::text`.catch(onUnique('Bin', code!, where));
  return getBin(tx, tenantId, row!.id);
}

/**
 * Edits a bin: code, zone (null clears), pick sequence, active. Deactivating a bin that holds stock
 * (on hand or reserved) is refused, naming the bin and what it holds; the bin's stock rows are
 * locked first, so a receipt cannot put goods in while the check runs.
 */
export async function updateBin(
  tx: Tx,
  tenantId: string,
  id: string,
  p: { code?: string | undefined; zone?: string | null | undefined; pickSequence?: number | undefined; active?: boolean | undefined },
): Promise<Bin> {
  const [locked] = await tx<{ warehouse_id: string }[]>`select warehouse_id::text from bins where tenant_id = ${tenantId} and id = ${isId(id) ? id : '0'} for update`;
  if (!locked) throw binNotFound(id);
  const bin = await getBin(tx, tenantId, id);
  const { code, zone, faults } = checkBin(p);
  fail(`Bin ${bin.code}`, faults);
  const w = await getWarehouseDetail(tx, tenantId, bin.warehouseId);
  if (code !== undefined) {
    const [taken] = await tx`select 1 from bins where tenant_id = ${tenantId} and warehouse_id = ${bin.warehouseId} and code = ${code} and id <> ${id}`;
    if (taken) throw codeTaken('Bin', code, `in warehouse ${w.code}`);
  }
  if (p.active === false && bin.active) {
    const held = await tx<{ sku: string; on_hand: number; reserved: number }[]>`
      select p.sku, s.on_hand, s.reserved from stock s join products p on p.tenant_id = s.tenant_id and p.id = s.product_id
      where s.tenant_id = ${tenantId} and s.bin_id = ${id} and (s.on_hand > 0 or s.reserved > 0)
      order by p.sku for update of s`;
    if (held.length > 0) {
      const shown = held.slice(0, 5).map((h) => `${h.on_hand} × ${h.sku}${h.reserved > 0 ? ` (${h.reserved} reserved)` : ''}`);
      const what = held.length > 5 ? `${shown.join(', ')} and ${held.length - 5} more SKUs` : shown.join(', ');
      throw new DomainError('INVALID_STATE', `Bin ${bin.code} in warehouse ${w.code} holds stock (${what}); move or count it out before deactivating the bin.`, [
        { path: 'active', reason: `bin ${bin.code} holds ${what}` },
      ]);
    }
  }
  const set: Record<string, unknown> = {};
  if (code !== undefined) set.code = code;
  if (zone !== undefined) set.zone = zone;
  if (p.pickSequence !== undefined) set.pick_sequence = p.pickSequence;
  if (p.active !== undefined) set.active = p.active;
  if (Object.keys(set).length > 0) await tx`update bins set ${tx(set)} where tenant_id = ${tenantId} and id = ${id}`.catch(onUnique('Bin', code ?? '', `in warehouse ${w.code}`));
  return getBin(tx, tenantId, id);
}
