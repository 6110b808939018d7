import { inOneTransaction, type OutboxHandler } from '../db/outbox.ts';
import { isDomainError } from '../shared/domain-error.ts';
import type { InvoiceTrigger } from '../invoicing/index.ts';
import { invoiceOutboxHandlers } from '../invoicing/index.ts';
import { issueInvoiceForOrder } from './issue-order-invoice.ts';
import { ensureDeliveryNotes } from '../warehouse/index.ts';
import { confirmOrder } from './order-actions.ts';
import { flowOutboxHandlers } from './steps.ts';
import { installationOutboxHandlers } from './install-shopify-app.ts';
import { writebackOutboxHandlers } from './writeback-handlers.ts';
import { CATALOG_SYNC_KIND, catalogSyncHandler } from './sync-catalog.ts';
import { stockPushHandler } from './stock-push.ts';
import { STOCK_PUSH_KIND } from '../inventory/index.ts';
import { orderWritebackOutboxHandlers } from './order-writeback-handlers.ts';
import { storeMoneyBackOutboxHandlers } from './store-money-back.ts';
import { SHIP_BATCH_ORDER_KIND, shipBatchOrderHandler } from './ship-batch.ts';
import { returnStoreNoteOutboxHandlers } from './return-store-note.ts';

const TRIGGERS: readonly InvoiceTrigger[] = ['on_paid', 'on_shipping', 'manual'];

/** The worker's table of outbox kinds. Handlers are tiny: a typed payload, one domain call. */
export const outboxHandlers: Record<string, OutboxHandler> = {
  ...invoiceOutboxHandlers, // invoice.email
  ...flowOutboxHandlers, // flow.undo_step: the undo of a step that calls another system
  ...installationOutboxHandlers, // channel.register_webhooks: the shop's webhooks, after an install
  ...writebackOutboxHandlers, // shipment.created/status_changed fan-out, writeback.shopify.*, writeback.woocommerce.*, notify.*
  // Payload: { orderId, trigger: 'on_paid' | 'on_shipping', awbNumber?, trackingUrl? }. The shipping
  // flow enqueues it with trigger 'on_shipping' and the AWB; the paid intake with 'on_paid'.
  'invoice.issue': inOneTransaction(async (tx, item) => {
    const p = item.payload;
    const trigger = TRIGGERS.includes(p.trigger as InvoiceTrigger) ? (p.trigger as InvoiceTrigger) : 'on_shipping';
    try {
      await issueInvoiceForOrder(tx, item.tenantId, String(p.orderId), trigger, {
        awbNumber: typeof p.awbNumber === 'string' ? p.awbNumber : null,
        trackingUrl: typeof p.trackingUrl === 'string' ? p.trackingUrl : null,
      });
    } catch (e) {
      // The order was cancelled or removed before the worker got to it: nothing to invoice.
      if (isDomainError(e) && (e.code === 'INVALID_STATE' || e.code === 'NOT_FOUND')) return;
      throw e;
    }
  }),
  'order.validate': inOneTransaction(async (tx, item) => {
    const orderId = String(item.payload.orderId);
    try {
      await confirmOrder(tx, item.tenantId, orderId);
    } catch (e) {
      // The operator (or a store cancellation) moved the order on before the worker got to it:
      // there is nothing left to validate, which is success, not a failure to retry.
      if (isDomainError(e) && (e.code === 'INVALID_STATE' || e.code === 'NOT_FOUND')) return;
      throw e;
    }
  }),
  // Enqueued by confirmOrder when the channel auto-creates delivery notes; creates only what no note
  // covers yet (else rechecks blocked notes), so a redelivery is a no-op.
  'delivery_note.create': inOneTransaction(async (tx, item) => {
    await ensureDeliveryNotes(tx, item.tenantId, String(item.payload.orderId));
  }),
  // Payload { channelId, cursor? }: the store's locations and catalog into Expedio (flows/sync-catalog.ts).
  [CATALOG_SYNC_KIND]: catalogSyncHandler,
  // Payload { channelId, externalVariantId, seq }: available stock to the store (flows/stock-push.ts).
  [STOCK_PUSH_KIND]: stockPushHandler,
  ...orderWritebackOutboxHandlers, // order.store_state → writeback.shopify.order_state: holds, releases, cancellations in the store
  ...storeMoneyBackOutboxHandlers, // store.money_back { channelId, moneyBackId }: refund / voucher at the store; notify.email.voucher { moneyBackId }
  // Payload { batchId, orderId, attempt }: one order of a bulk AWB run (flows/ship-batch.ts).
  [SHIP_BATCH_ORDER_KIND]: shipBatchOrderHandler,
  ...returnStoreNoteOutboxHandlers, // store.return_note { orderId, returnId, note, key }: the customer's note when a return moves the order
};
