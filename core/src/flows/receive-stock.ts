import type { Tx } from '../db/connect.ts';
import { postStockReceipt, resolveStockReceipt, type StockReceipt, type StockReceiptInput } from '../inventory/index.ts';
import { type DeliveryNote, lockBlockedDeliveryNotes, recheckDeliveryNotes } from '../warehouse/index.ts';

/**
 * Goods received: every line checked before anything is written, the goods put into their bins,
 * and the blocked delivery notes of the products received rechecked in the same transaction, so a
 * receipt releases the notes it covers (reserving what they missed) or none of it happened.
 * Orders are locked before the stock rows, the order a confirm takes them in.
 */
export async function receiveStock(
  tx: Tx,
  tenantId: string,
  input: StockReceiptInput,
): Promise<{ receipt: StockReceipt; releasedDeliveryNotes: DeliveryNote[]; stillBlockedDeliveryNotes: DeliveryNote[] }> {
  const resolved = await resolveStockReceipt(tx, tenantId, input);
  const productIds = [...new Set(resolved.lines.map((l) => l.productId))];
  const noteIds = await lockBlockedDeliveryNotes(tx, tenantId, { warehouseId: resolved.warehouseId, productIds });
  const receipt = await postStockReceipt(tx, tenantId, resolved);
  const notes = noteIds.length > 0 ? await recheckDeliveryNotes(tx, tenantId, { deliveryNoteIds: noteIds }) : [];
  return { receipt, releasedDeliveryNotes: notes.filter((n) => !n.blocked), stillBlockedDeliveryNotes: notes.filter((n) => n.blocked) };
}
