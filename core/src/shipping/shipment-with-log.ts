import type { Db } from '../db/connect.ts';
import { getShipment, type Shipment, type StatusLogEntry, shipmentStatusLog } from './shipments.ts';

/** One shipment with its status log (the raw courier payloads), as the operator inspects it. */
export async function getShipmentWithStatusLog(db: Db, tenantId: string, shipmentId: string): Promise<Shipment & { statusLog: StatusLogEntry[] }> {
  const shipment = await getShipment(db, tenantId, shipmentId);
  return { ...shipment, statusLog: await shipmentStatusLog(db, tenantId, shipmentId) };
}
