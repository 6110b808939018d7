import { defaultWarehouseWhereMissing } from '../channels/index.ts';
import type { Db, Tx } from '../db/connect.ts';
import { createWarehouse, listWarehouses } from '../inventory/index.ts';

type NewWarehouse = Parameters<typeof createWarehouse>[2];

/**
 * A new warehouse; when it is the tenant's only one, the store channels that have no warehouse to
 * ship from get it (a workspace made by installing the Shopify app has its channel before any
 * warehouse, and its orders would wait on hold for "no default warehouse").
 */
export async function addWarehouse(tx: Tx, tenantId: string, w: NewWarehouse) {
  const warehouse = await createWarehouse(tx, tenantId, w);
  await defaultToSoleWarehouse(tx, tenantId);
  return warehouse;
}

/** Where the tenant has exactly one warehouse, channels without one (or only `channelId`) ship from it. */
export async function defaultToSoleWarehouse(tx: Db, tenantId: string, channelId?: string): Promise<void> {
  const warehouses = await listWarehouses(tx, tenantId);
  if (warehouses.length === 1) await defaultWarehouseWhereMissing(tx, tenantId, warehouses[0]!.id, channelId);
}
