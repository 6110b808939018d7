/**
 * Warehouse area: delivery notes, pick lists, packing lists. The one public entry point: import from
 * here, never from the files behind it. Every function takes the database (pool or transaction) and
 * the tenant id first; those that change state take a `Tx` and must be called inside the caller's
 * transaction (`sql.begin(tx => …)`), so the change and the work it causes commit together.
 * Errors are `DomainError`s (VALIDATION, NOT_FOUND, INVALID_STATE, …); ids are decimal strings.
 *
 * Delivery notes
 *   createDeliveryNote(tx, tenantId, orderId, { partial?: boolean }) → { deliveryNotes: DeliveryNote[] }
 *       Lines = what of the order no delivery note covers yet. Blocked (with blockedDetails) when the
 *       order's reservations do not cover them. partial (or an order confirmed partially): ships what is
 *       reserved now and creates the remainder as its own (blocked) delivery note at once, so nothing of
 *       the order is forgotten. Called by the outbox on confirm when channel.auto_create_delivery_note.
 *   getDeliveryNote(db, tenantId, id) → DeliveryNote
 *   listDeliveryNotes(db, tenantId, { blocked?, status?, orderId?, limit?, cursor? }) → { deliveryNotes, nextCursor }
 *   approveDeliveryNote(tx, tenantId, id) → DeliveryNote          issues stock (movements cite the note)
 *   recheckDeliveryNotes(tx, tenantId, { deliveryNoteId?, deliveryNoteIds?, orderId? }) → DeliveryNote[]
 *       re-reserves what a blocked note is short of (after a restock) and unblocks it when covered.
 *       With deliveryNoteIds: returns exactly those notes, rechecked.
 *   lockBlockedDeliveryNotes(tx, tenantId, { warehouseId, productIds }) → string[]
 *       the blocked notes a restock of those products may release, their orders locked (before stock).
 *   ensureDeliveryNotes(tx, tenantId, orderId) → DeliveryNote[]   the outbox 'delivery_note.create' handler
 *
 * Pick lists
 *   createPickList(tx, tenantId, { orderIds: string[], pickerUserId?: string }) → PickList
 *       one order or a wave; lines grouped by bin, sorted by pick sequence, same product merged.
 *   getPickList(db, tenantId, id) → PickList    (lines with `allocations` per order = the split at packing)
 *   listPickLists(db, tenantId, { pickerUserId?, status? }) → PickListSummary[]
 *   assignPicker(tx, tenantId, pickListId, userId | null) → PickList
 *   startPickList(tx, tenantId, pickListId) → PickList            open → picking; orders → picking
 *   confirmPickLine(tx, tenantId, pickListId, { method: 'scan'|'tick', barcode?, binCode?, lineNo?, quantity?, userId? })
 *       → { pickList, line }   scan needs barcode (binCode checked when given); tick needs lineNo.
 *       Wrong item → VALIDATION with details [{ path: 'barcode', reason: 'wrong_item' }]; over-pick →
 *       VALIDATION [{ path: 'quantity', reason: 'over_pick' }]; wrong bin → [{ path: 'binCode', reason: 'wrong_bin' }].
 *       Starts the list on the first confirmation.
 *   recordShortPick(tx, tenantId, pickListId, { lineNo, quantity?, decision: 'partial'|'hold' }) → PickList
 *       quantity = units not found (default: all still open on the line); decision for the orders it hits.
 *   completePickList(tx, tenantId, pickListId) → PickList         picking → picked; orders → picked (or on_hold);
 *       the delivery notes of picked orders are approved (stock issued).
 *
 * Packing lists
 *   createPackingList(tx, tenantId, deliveryNoteId, { lines?: [{ lineNo, quantity }] }) → PackingList
 *       from an approved delivery note; lines given = partial packing. Order picked → packed.
 *   getPackingList(db, tenantId, id) → PackingList
 *   listPackingLists(db, tenantId, { status?, type?, orderId?, deliveryNoteId? }) → PackingList[]
 *   updatePackingList(tx, tenantId, id, { courier?, service?, deliveryAddress?, parcels?: ParcelInput[] }) → PackingList
 *       parcels replace the list; when every parcel has its four measures the order goes packed → ready.
 *       ParcelInput measures: positive number or decimal string, null = not measured; Parcel measures: number | null.
 *       PackingList.missingForAwb: string[] of the paths assertReadyForAwb would name.
 *   assertReadyForAwb(packingList) → void   throws VALIDATION naming each missing field
 *       (parcels[0].weightKg, parcels[0].lengthCm, …, courier, service, deliveryAddress).
 *   transitionPackingList(tx, tenantId, id, 'dispatch'|'deliver') → PackingList   (for shipping)
 *   renderPackingSlip(db, tenantId, id) → Uint8Array (PDF)
 */
export { approveDeliveryNote, createDeliveryNote, ensureDeliveryNotes, getDeliveryNote, listDeliveryNotes, lockBlockedDeliveryNotes, recheckDeliveryNotes } from './delivery-notes.ts';
export type { DeliveryNote, DeliveryNoteLine } from './delivery-notes.ts';
export { assignPicker, completePickList, confirmPickLine, createPickList, getPickList, listPickLists, recordShortPick, startPickList } from './pick-lists.ts';
export type { PickList, PickListLine, PickListSummary } from './pick-lists.ts';
export { assertReadyForAwb, createPackingList, getPackingList, latestPackingListIds, listPackingLists, orderPackingProgress, transitionPackingList, updatePackingList } from './packing-lists.ts';
export type { PackingList, Parcel, ParcelInput } from './packing-lists.ts';
export { renderPackingSlip } from './render-packing-slip.ts';
// The packing station's scan check and the courier's last AWB refusal (packing-scan.ts).
export { assertPackScanned, overridePackScan, packScanState, recordAwbRefusal, scanPackingItem } from './packing-scan.ts';
export type { AwbRefusal, PackScanLine, PackScanState } from './packing-scan.ts';
export { documentOrderIds, type WarehouseDocument } from './document-orders.ts';
export { issuedQuantities } from './issued-quantities.ts';
