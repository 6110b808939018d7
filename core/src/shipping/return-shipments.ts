import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { CourierCode, Parcel } from './courier-adapter.ts';

/** The reference of a return's pickup AWB (one per attempt that was not cancelled, as for a packing list). */
export const returnReferenceFor = (returnId: string, cancelledBefore: number): string => (cancelledBefore === 0 ? `EXP-RET${returnId}` : `EXP-RET${returnId}-${cancelledBefore + 1}`);

/** The return's pickup shipments, oldest first (the live one is the last not cancelled). */
export async function returnShipments(db: Db, tenantId: string, returnId: string): Promise<Array<{ id: string; status: string; reference: string; awb: string | null; courier: string }>> {
  return db`select id::text, status, reference, awb, courier from shipments where tenant_id = ${tenantId} and return_id = ${returnId} order by shipments.id` as never;
}

/**
 * Records the return pickup before the courier is called, committed (as `insertCreatingShipment`):
 * a lost answer leaves a `creating` row whose reference the next try looks up before creating again.
 */
export async function insertCreatingReturnShipment(
  db: Db,
  tenantId: string,
  s: { returnId: string; warehouseId: string | null; courierAccountId: string; courier: CourierCode; service: string; reference: string; parcels: Parcel[]; shipDate: string },
): Promise<{ id: string; reference: string }> {
  try {
    const [row] = await db<{ id: string; reference: string }[]>`
      insert into shipments (tenant_id, return_id, warehouse_id, courier_account_id, courier, service, reference, parcels, ship_date, status)
      values (${tenantId}, ${s.returnId}, ${s.warehouseId}, ${s.courierAccountId}, ${s.courier}, ${s.service}, ${s.reference}, ${db.json(s.parcels as never)}, ${s.shipDate}, 'creating')
      returning id::text, reference`;
    return row!;
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new DomainError('CONFLICT', `A return AWB for return ${s.returnId} is being made right now (reference ${s.reference}); try again in a moment.`, [{ path: 'id', reason: 'return AWB in progress' }]);
    throw e;
  }
}
