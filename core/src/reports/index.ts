/**
 * Reports: read-only views across areas.
 *   stockMovementHistory(db, tenantId, { productId?, warehouseId?, causeType?, causeId?, kind?, from?, to?, limit, cursor? })
 *     → { movements, nextCursor }   newest first, keyset pagination
 *   blockedDeliveryNotes(db, tenantId, { limit? }) → { deliveryNotes, missingBySku }
 *   findMovementProduct(db, tenantId, barcodeOrSku) → product | null
 *   stockMovementFilterOptions(db, tenantId) → { warehouses, causeTypes }
 *   packingListsOfDeliveryNotes(db, tenantId, deliveryNoteIds) → Map(deliveryNoteId → packingListId)
 */
export { blockedDeliveryNotes } from './blocked-delivery-notes.ts';
export { type StockMovementFilters, type StockMovementRow, stockMovementHistory } from './stock-movement-history.ts';
export { findMovementProduct, type MovementProduct, packingListsOfDeliveryNotes, stockMovementFilterOptions } from './stock-movement-filters.ts';
