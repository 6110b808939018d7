import type postgres from 'postgres';
import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type ShipmentEvent, type ShipmentStatus, transition } from './shipment-status.ts';

export interface ShipmentMove {
  from: ShipmentStatus;
  to: ShipmentStatus;
}

/**
 * The one writer of `shipments.status`: locks the row, runs the events through the state machine
 * (in order; none means "status unchanged", for a courier answer that only adds to the log), then
 * writes the status in one UPDATE with `set` — the columns that go with this move (AWB, tracking
 * bookkeeping…) as a fragment, e.g. tx`awb = ${awb}, last_raw_code = 'created'`. The timestamps that
 * follow the status (delivered_at, cancelled_at: first time reached) are written here, not by callers.
 * Must run inside the caller's transaction; a refused event throws INVALID_STATE and writes nothing.
 */
export async function moveShipment(tx: Tx, tenantId: string, shipmentId: string, events: readonly ShipmentEvent[], set?: postgres.Fragment): Promise<ShipmentMove> {
  const [row] = await tx<{ status: ShipmentStatus }[]>`select status from shipments where tenant_id = ${tenantId} and id = ${shipmentId} for update`;
  if (!row) throw new DomainError('NOT_FOUND', `Shipment ${shipmentId} does not exist.`, [{ path: 'id', reason: 'unknown shipment' }]);
  const to = events.reduce<ShipmentStatus>((s, e) => transition(s, e, `Shipment ${shipmentId}`), row.status);
  await tx`update shipments set status = ${to}${set ? tx`, ${set}` : tx``},
      delivered_at = case when ${to} = 'delivered' and delivered_at is null then now() else delivered_at end,
      cancelled_at = case when ${to} = 'cancelled' and cancelled_at is null then now() else cancelled_at end,
      updated_at = now()
    where tenant_id = ${tenantId} and id = ${shipmentId}`;
  return { from: row.status, to };
}
