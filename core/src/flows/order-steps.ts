import type { Tx } from '../db/connect.ts';
import { releaseOrderStock, reserveOrderStock, type Shortage, type StockNeed } from '../inventory/index.ts';
import { addLineReservations, clearLineReservations } from '../orders/index.ts';
import { defineStep, undoSubject } from './steps.ts';

export interface ReserveInput {
  tenantId: string;
  orderId: string;
  warehouseId: string;
  needs: StockNeed[];
  mode: 'all_or_nothing' | 'partial';
}

/**
 * Reserve ↔ release: stock reserved for an order (and the lines' allocated counts) is given back
 * by the undo. The undo releases everything the order holds, not only this run's units: a
 * re-confirm after a hold and the delivery note's recheck add to the same reservation, and a
 * cancellation gives all of it back; a second undo finds nothing to release.
 */
export const reserveStockStep = defineStep({
  id: 'order.reserve_stock',
  async run(tx: Tx, i: ReserveInput) {
    const r = await reserveOrderStock(tx, i.tenantId, i.orderId, i.warehouseId, i.needs, i.mode);
    await addLineReservations(tx, i.tenantId, i.orderId, r.reservedByLine);
    return { output: r as { shortages: Shortage[]; reservedUnits: number }, undo: r.reservedUnits > 0 ? { orderId: i.orderId } : null };
  },
  async undo(tx: Tx, tenantId: string, u: { orderId: string }, why: string) {
    const units = await releaseOrderStock(tx, tenantId, u.orderId, why);
    await clearLineReservations(tx, tenantId, u.orderId);
    return units;
  },
});

/**
 * Takes back what was done for an order before it is cancelled (by the operator, a rejection or
 * the store): every recorded step, newest first. Returns the units released.
 */
export async function undoOrder(tx: Tx, tenantId: string, orderId: string, why: string): Promise<number> {
  const { undone } = await undoSubject(tx, tenantId, { type: 'order', id: orderId }, why);
  const released = undone.filter((u) => u.step === reserveStockStep.id).reduce((a, u) => a + Number(u.result), 0);
  if (undone.some((u) => u.step === reserveStockStep.id)) return released;
  // Reservations no step recorded: orders confirmed before steps were recorded (migration 008).
  const units = await releaseOrderStock(tx, tenantId, orderId, why);
  if (units > 0) await clearLineReservations(tx, tenantId, orderId);
  return units;
}
