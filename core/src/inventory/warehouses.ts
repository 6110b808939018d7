import type { Db } from '../db/connect.ts';

export interface WarehouseRow {
  id: string;
  code: string;
  name: string;
  address: Record<string, unknown> | null;
}

export async function getWarehouse(db: Db, tenantId: string, warehouseId: string): Promise<WarehouseRow | null> {
  const [w] = await db<WarehouseRow[]>`select id::text, code, name, address from warehouses where tenant_id = ${tenantId} and id = ${warehouseId}`;
  return w ?? null;
}
