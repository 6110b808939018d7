import type { Tx } from '../db/connect.ts';
import { type ImportReport, planStockImport } from '../inventory/index.ts';
import type { DeliveryNote } from '../warehouse/index.ts';
import { receiveStock } from './receive-stock.ts';

export interface StockImportReport extends ImportReport {
  /** One receipt per warehouse of the accepted lines (none in a dry run). */
  stockReceipts: Array<{ id: string; warehouseId: string; fileLines: number[] }>;
  releasedDeliveryNotes: DeliveryNote[];
  stillBlockedDeliveryNotes: DeliveryNote[];
}

/**
 * A stock CSV: the lines checked one by one (inventory's planStockImport), and the accepted ones
 * received exactly as a stock receipt is (receiveStock: 'receipt' movements citing the receipt,
 * with the import's reason; the blocked delivery notes they cover released), one receipt per
 * warehouse, all in the caller's transaction. A dry run only reports.
 */
export async function importStock(tx: Tx, tenantId: string, o: { csv: string; dryRun: boolean; warehouseId?: string | undefined; reason: string }): Promise<StockImportReport> {
  const { report, receipts } = await planStockImport(tx, tenantId, o);
  const out: StockImportReport = { ...report, stockReceipts: [], releasedDeliveryNotes: [], stillBlockedDeliveryNotes: [] };
  if (o.dryRun) return out;
  for (const { fileLines, ...input } of receipts) {
    const r = await receiveStock(tx, tenantId, input);
    out.stockReceipts.push({ id: r.receipt.id, warehouseId: r.receipt.warehouseId, fileLines });
    out.releasedDeliveryNotes.push(...r.releasedDeliveryNotes);
    out.stillBlockedDeliveryNotes.push(...r.stillBlockedDeliveryNotes);
  }
  return out;
}
