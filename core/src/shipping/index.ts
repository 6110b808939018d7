/** The shipping area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { listCourierAccounts, loadCourierAccount, resolveCourierAccount, resolveCourierAccounts, saveCourierAccount, COURIER_STATUS_FEEDS } from './courier-accounts.ts';
export type { CourierAccount, CourierAccountSummary } from './courier-accounts.ts';
export { COURIER_CODES, isCourierError, todayIso, totalWeightKg } from './courier-adapter.ts';
export type { CourierCode, CourierWebhookResolution, CreatedShipment, Label, LabelFormat, Money, Parcel, ShipmentAddress, ShipmentRequest, TrackResult } from './courier-adapter.ts';
export { adapterFor, deactivateCourierAccount } from './courier-clients.ts';
export { BOSTA_WEBHOOK_HEADER } from './couriers/bosta/bosta-mapper.ts';
export { finishedLabelBatchPdf } from './finished-label-batch.ts';
export { renderHandoverManifest } from './handover-manifest.ts';
export type { ManifestShipment } from './handover-manifest.ts';
export { claimLabelBatch, createLabelBatch, finishLabelBatch, getLabelBatch, reportLabelBatchProgress } from './label-batches.ts';
export { mergeLabels } from './labels/merge-labels.ts';
export { renderOwnLabel } from './labels/own-label.ts';
export { liveShipmentsOfOrder, orderHasCodShipment, shipmentIdsForManifest } from './order-shipments.ts';
export { quoteAll } from './rate-shopping.ts';
export type { RateShoppingResult } from './rate-shopping.ts';
export { getShipmentWithStatusLog } from './shipment-with-log.ts';
export { discardCreatingShipment, findShipmentByAwb, getShipment, insertCreatingShipment, listShipments, markShipmentCancelled, markShipmentCreated, readStoredLabel, referenceFor, shipmentRef, shipmentsOfPackingList, storeLabel } from './shipments.ts';
export type { Shipment } from './shipments.ts';
export { awbsInTransit, courierAuditLog, outstandingCod } from './shipping-reports.ts';
export { FeedLeaseLost, claimDueShipments, claimFeedCursors, codSignalOf, commitFeedPage, deferPollsToFeed, ensureFeedCursors, feedIsCurrent, lockFeedCursor, markTouchedByFeed, recordCodProgress, recordPollFailure, recordTrackResult, releaseFeedCursor, schedulePoll, shipmentsByAwbs } from './tracking.ts';
export type { DueShipment, FeedCursor, RecordedTrack } from './tracking.ts';
export { shipmentStatusEvent } from './shipments.ts';
export { courierAccountServices, testCourierCredentials } from './check-courier-account.ts';
export type { CredentialTestResult } from './check-courier-account.ts';
export { checkSenderAddress } from './sender-address.ts';
export type { SenderAddress, SenderAddressInput } from './sender-address.ts';
export type { CourierServiceOption } from './courier-adapter.ts';
// What each courier account offers (one vocabulary for the pack screen and the AWB step) and the RO address as couriers spell it.
export { assertServiceOffered, COURIER_SERVICE_CATALOGUE, courierChoiceOf, servicesOfAccount } from './courier-services.ts';
export type { CourierChoice, OfferedService } from './courier-services.ts';
export { courierRoAddress } from './ro-address.ts';
export { courierAccountChannelId, shipmentOrderId } from './document-scope.ts';
export { lastDeliveredShipmentId, orderDeliveredAt } from './order-delivered-at.ts';
export { getShipBatch, insertShipBatch, lockPendingShipBatchOrder, MAX_SHIP_BATCH, recordShipBatchOrder, reopenFailedShipBatchOrders, shipmentsOfOrders } from './ship-batches.ts';
export type { ShipBatch, ShipBatchOrder } from './ship-batches.ts';
export { insertCreatingReturnShipment, returnReferenceFor, returnShipments } from './return-shipments.ts';
export type { ReturnPickupOptions, ReturnPickupRequest } from './courier-adapter.ts';
