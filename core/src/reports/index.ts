/**
 * Reports: read-only views across areas.
 *   stockMovementHistory(db, tenantId, { productId?, warehouseId?, causeType?, causeId?, kind?, from?, to?, limit, cursor? })
 *     → { movements, nextCursor }   newest first, keyset pagination
 *   blockedDeliveryNotes(db, tenantId, { limit? }) → { deliveryNotes, missingBySku }
 */
export { blockedDeliveryNotes } from './blocked-delivery-notes.ts';
export { type StockMovementFilters, type StockMovementRow, stockMovementHistory } from './stock-movement-history.ts';
