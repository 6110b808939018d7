import type { Db } from '../db/connect.ts';
import { openStall, resolveStalls } from '../stalls/index.ts';

/** A stall about a shipment (opened once per kind; resolved when the cause goes away), in the stalls area. */
export const openShipmentStall = (db: Db, tenantId: string, shipmentId: string, kind: string, message: string, fix: string, details: Record<string, unknown>) =>
  openStall(db, tenantId, { kind, subjectType: 'shipment', subjectId: shipmentId, message, fix, details });

export const resolveShipmentStalls = (db: Db, tenantId: string, shipmentId: string, kinds: string[]) =>
  resolveStalls(db, tenantId, { subjectType: 'shipment', subjectId: shipmentId }, kinds);
