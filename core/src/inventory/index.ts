/** The inventory area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { findProductsBySku, productByBarcode, productVatRates, productVatTreatments } from './find-products.ts';
export { issueOrderStock, writeOffShortPick } from './issue-order-stock.ts';
export { lookupStockByBarcode } from './lookup-stock.ts';
export { adjustStock, releaseOrderStock, reserveOrderStock, reservedByLine } from './reserve-order-stock.ts';
export type { Shortage, StockNeed } from './reserve-order-stock.ts';
export { getWarehouse } from './warehouses.ts';
export { adjustBinStock } from './adjust-bin-stock.ts';
export type { StockAdjustment, StockAdjustmentInput } from './adjust-bin-stock.ts';
export { getStockReceipt, listStockReceipts, postStockReceipt, resolveStockReceipt } from './stock-receipts.ts';
export type { ResolvedStockReceipt, StockReceipt, StockReceiptInput } from './stock-receipts.ts';
export { addVariant, archiveProduct, createProduct, getProduct, listProducts, updateProduct, updateVariant } from './catalog.ts';
export type { CatalogProduct, NewProduct, Variant, VariantFields, VariantPatch } from './catalog.ts';
export { createBin, createWarehouse, getBin, getWarehouseDetail, listBins, listWarehouses, updateBin, updateWarehouse, WAREHOUSE_ADDRESS_KEYS } from './manage-warehouses.ts';
export type { Bin, Warehouse, WarehouseAddress } from './manage-warehouses.ts';
export { importBins, importProducts, planStockImport } from './import-catalog.ts';
export type { ImportKind, ImportLine, ImportReport } from './import-catalog.ts';
export { catalogClock, emptyCatalogResult, forgetUnseenChannelVariants, listChannelLocations, listChannelVariants, mapChannelLocation, noteStockChanged, requestChannelStockPush, STOCK_PUSH_KIND, stockToPush, upsertChannelLocations, upsertChannelVariants } from './channel-catalog.ts';
export type { CatalogUpsertResult, ChannelLocation, ChannelVariant, KeptLocalValue, StockToPush, StoreLocation, StoreVariant } from './channel-catalog.ts';
export { catalogChoices, catalogProducts, createPriceList, getPriceList, listPriceLists, priceListCurrency, resolvePrices, soleWarehouseId, updatePriceList } from './price-lists.ts';
export type { PriceList, PriceListInput, PriceListItemInput } from './price-lists.ts';
export { setWarehouseScanning, warehouseScanning, warehousesForScanning } from './warehouse-scanning.ts';
export type { WarehouseScanning } from './warehouse-scanning.ts';
export { productsReturnable, restockReturnedUnits, returnBin, unstockReturnedUnits } from './restock-return.ts';
