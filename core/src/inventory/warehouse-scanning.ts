import type { Db, Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';

/** How a warehouse's pickers scan: the bin first, then the item (location-first), or the item alone. */
export interface WarehouseScanning {
  warehouseId: string;
  code: string;
  name: string;
  scanLocationFirst: boolean;
}

const isId = (s: string) => /^\d{1,18}$/.test(s);
const notFound = (id: string) => new DomainError('NOT_FOUND', `Warehouse ${id} does not exist.`, [{ path: 'id', reason: 'unknown warehouse' }]);

export async function warehouseScanning(db: Db, tenantId: string, warehouseId: string): Promise<WarehouseScanning> {
  if (!isId(warehouseId)) throw notFound(warehouseId);
  const [w] = await db<WarehouseScanning[]>`select id::text as "warehouseId", code, name, scan_location_first as "scanLocationFirst"
    from warehouses where tenant_id = ${tenantId} and id = ${warehouseId}`;
  if (!w) throw notFound(warehouseId);
  return w;
}

export async function setWarehouseScanning(tx: Tx, tenantId: string, warehouseId: string, input: { scanLocationFirst: boolean }): Promise<WarehouseScanning> {
  if (!isId(warehouseId)) throw notFound(warehouseId);
  const [w] = await tx<{ id: string }[]>`update warehouses set scan_location_first = ${input.scanLocationFirst}
    where tenant_id = ${tenantId} and id = ${warehouseId} returning id::text`;
  if (!w) throw notFound(warehouseId);
  return warehouseScanning(tx, tenantId, warehouseId);
}

/** The tenant's warehouses as the receive screen offers them (code order). */
export async function warehousesForScanning(db: Db, tenantId: string): Promise<WarehouseScanning[]> {
  return [...(await db<WarehouseScanning[]>`select id::text as "warehouseId", code, name, scan_location_first as "scanLocationFirst"
    from warehouses where tenant_id = ${tenantId} order by code`)];
}
