/** The orders area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { findOrderChannelId, findOrderChannelIds, orderNumbers } from './find-order-channel.ts';
export { holdLockedOrder, holdOrderIfPossible, isStoreNews, moveLockedOrder, moveOrder, moveOrdersWherePossible, ORDER_STORE_STATE_KIND, setIntakeStatus } from './move-order.ts';
export { orderStoreState } from './order-store-state.ts';
export type { OrderStoreState } from './order-store-state.ts';
export { addLineReservation, addLineReservations, clearLineReservations, markDeliveryPartial, markOrderPaid, setApprovalStatus } from './order-field-writes.ts';
export { orderForInvoice } from './order-for-invoice.ts';
export type { InvoiceAddress } from './order-for-invoice.ts';
export { lockOrdersInIdOrder, orderForShipping, orderLines, orderShippingAddress } from './order-lines.ts';
export type { OrderForShipping } from './order-lines.ts';
export { decodeCursor, getOrderDetail, listOrders, lockOrder, orderRef } from './order-repo.ts';
export type { OrderRow } from './order-repo.ts';
export { ORDER_STATUSES, canTransition, transition } from './order-status.ts';
export type { OrderEvent, OrderStatus } from './order-status.ts';
export { claimStoreOrder, clientHasOtherOrders, replaceOrderLines, storeOrderContentHash, storeOrderRow, storeUpdateIsStale, writeStoreOrderFields } from './store-order-writes.ts';
export type { OrderLineInput } from './store-order-writes.ts';
export { findStoreOrder } from './order-lines.ts';
export { channelOrderFacts, clientsWithOrders, deleteChannelOrders, exportCustomerOrders, redactCustomerOrders } from './compliance.ts';
export { insertManualOrder, reassignOrdersClient } from './manual-order-writes.ts';
export type { ManualOrderRow } from './manual-order-writes.ts';
export { orderStatusLog } from './order-status-log.ts';
export type { OrderStatusChange } from './order-status-log.ts';
export { foldOrderDayTotals } from './day-totals.ts';
