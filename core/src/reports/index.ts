/**
 * Reports: read-only views across areas.
 *   stockMovementHistory(db, tenantId, { productId?, warehouseId?, causeType?, causeId?, kind?, from?, to?, limit, cursor? })
 *     → { movements, nextCursor }   newest first, keyset pagination
 *   blockedDeliveryNotes(db, tenantId, { limit? }) → { deliveryNotes, missingBySku }
 *   findMovementProduct(db, tenantId, barcodeOrSku) → product | null
 *   stockMovementFilterOptions(db, tenantId) → { warehouses, causeTypes }
 *   packingListsOfDeliveryNotes(db, tenantId, deliveryNoteIds) → Map(deliveryNoteId → packingListId)
 */

// Exports (what other areas use; keep this list the public surface of the area).
export { blockedDeliveryNotes } from './blocked-delivery-notes.ts';
export { ordersWithoutInvoiceBecauseOff } from './orders-without-invoice.ts';
export { findMovementProduct, packingListsOfDeliveryNotes, stockMovementFilterOptions } from './stock-movement-filters.ts';
export type { MovementProduct } from './stock-movement-filters.ts';
export { stockMovementHistory } from './stock-movement-history.ts';
export type { StockMovementFilters, StockMovementRow } from './stock-movement-history.ts';
export { invoicesWaitingForProfile } from './invoices-waiting-for-profile.ts';
export { invoicesWaitingForFxRate } from './invoices-waiting-for-fx-rate.ts';
export { deliveryNoteDocuments } from './delivery-note-documents.ts';
export type { DeliveryNoteDocuments } from './delivery-note-documents.ts';
export { chartOf, dayPage, daysBetween } from './report-page.ts';
export type { Cell, ReportChart, ReportPage } from './report-page.ts';
export { ordersPerChannel, reportChannels } from './orders-per-channel.ts';
export type { DayPeriodFilters, OrdersPerChannelRow } from './orders-per-channel.ts';
export { invoicesPerChannel } from './invoices-per-channel.ts';
export type { InvoicesPerChannelRow } from './invoices-per-channel.ts';
export { syncAudit } from './sync-audit.ts';
export type { SyncAuditRow } from './sync-audit.ts';
export { AGE_BUCKETS, awbsInTransitReport, blockedDeliveryNotesReport, courierAuditReport, stockMovementsReport } from './report-pages.ts';
export { returnsReport } from './returns-report.ts';
export type { ReturnsReportRow } from './returns-report.ts';
