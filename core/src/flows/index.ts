/** The flows area's one entry point: other areas, flows/, http/ and the worker import from here. */

export { addWarehouse } from './add-warehouse.ts';
export type { WooConnectRequest, WooConnectResult, WooPairing } from './connect-woocommerce.ts';
export { connectWooCommerce } from './connect-woocommerce.ts';
export type { ManualOrderInput, ManualOrderLineInput, ManualPaymentMethod } from './create-manual-order.ts';
export { createManualOrder, MANUAL_PAYMENT_METHODS, submitOrder } from './create-manual-order.ts';
// Exports (what other areas use; keep this list the public surface of the area).
export { cancelAwb, generateAwb, quotePackingList, resolveUnconfirmedShipment } from './generate-awb.ts';
export type { StockImportReport } from './import-stock.ts';
export { importStock } from './import-stock.ts';
export { ingestChannelOrder } from './ingest-channel-order.ts';
export type { ShopifyInstallResult } from './install-shopify-app.ts';
export { installShopifyApp } from './install-shopify-app.ts';
export { issueInvoiceForOrder } from './issue-order-invoice.ts';
export { mergeClients } from './merge-clients.ts';
export { approveOrder, cancelOrder, confirmOrder, holdOrder, rejectOrder } from './order-actions.ts';
export { listOrderBoard } from './order-board.ts';
export type { TimelineEvent } from './order-timeline.ts';
export { orderTimeline, TIMELINE_KINDS } from './order-timeline.ts';
export { outboxHandlers } from './outbox-handlers.ts';
export { awbChoices, closeParcelWithAwb, liveShipmentOfPackingList } from './pack-station.ts';
export { receiveShopifyWebhook } from './receive-shopify-webhook.ts';
export { receiveStock } from './receive-stock.ts';
export { receiveWooWebhook } from './receive-woo-webhook.ts';
export type { ReturnAwbInput } from './return-awb.ts';
export { requestReturnAwb } from './return-awb.ts';
export type { ReceiveReturnInput, StartReturnInput, TakeInStoreReturnInput } from './return-goods.ts';
export { approveReturn, cancelReturn, chooseMoneyBack, decideQuarantinedUnits, orderReturnable, receiveReturnLine, recordIncomingAwb, startReturn, takeInStoreReturn } from './return-goods.ts';
export { retryFailedShipBatch, SHIP_BATCH_ORDER_KIND, shipBatchOrderHandler, startShipBatch } from './ship-batch.ts';
export { getShipmentLabel, renderManifest, runLabelBatch } from './shipping-documents.ts';
export type { CatalogSyncResult } from './sync-catalog.ts';
export { CATALOG_SYNC_KIND, pushChannelStockNow, requestCatalogSync, requestPeriodicCatalogSyncs, setChannelLocationWarehouse, syncChannelCatalog } from './sync-catalog.ts';
export { dueChannels, syncChannel } from './sync-channel.ts';
export { pollShipments, receiveCourierWebhook, recordCodSettlement, refreshShipment, syncStatusFeeds } from './track-shipments.ts';
