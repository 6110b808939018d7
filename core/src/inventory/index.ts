/** The inventory area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { findProductsBySku, productByBarcode, productVatRates } from './find-products.ts';
export { issueOrderStock, writeOffShortPick } from './issue-order-stock.ts';
export { lookupStockByBarcode } from './lookup-stock.ts';
export { adjustStock, releaseOrderStock, reserveOrderStock, reservedByLine } from './reserve-order-stock.ts';
export type { Shortage, StockNeed } from './reserve-order-stock.ts';
export { getWarehouse } from './warehouses.ts';
export { adjustBinStock } from './adjust-bin-stock.ts';
export type { StockAdjustment, StockAdjustmentInput } from './adjust-bin-stock.ts';
export { getStockReceipt, listStockReceipts, postStockReceipt, resolveStockReceipt } from './stock-receipts.ts';
export type { ResolvedStockReceipt, StockReceipt, StockReceiptInput } from './stock-receipts.ts';
export { setWarehouseScanning, warehouseScanning, warehousesForScanning } from './warehouse-scanning.ts';
export type { WarehouseScanning } from './warehouse-scanning.ts';
