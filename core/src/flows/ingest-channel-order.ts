import type { Channel, ChannelOrder } from '../channels/index.ts';
import { intakeStatusFor } from '../channels/index.ts';
import { findClientByCustomerId, matchOrCreateClient } from '../clients/index.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { findProductsBySku } from '../inventory/index.ts';
import { holdLockedOrder, moveLockedOrder, setIntakeStatus, lockOrder, type OrderRow, canTransition, type OrderStatus, claimStoreOrder, clientHasOtherOrders, type OrderLineInput, replaceOrderLines, storeUpdateIsStale, writeStoreOrderFields } from '../orders/index.ts';
import { cmp } from '../shared/money.ts';
import { undoOrder } from './order-steps.ts';
import { buyerVatHold, openBuyerVatStall } from './invoice-holds.ts';

export type IngestOutcome = 'created' | 'updated' | 'stale' | 'ignored';

export interface IngestResult {
  outcome: IngestOutcome;
  orderId: string | null;
  status: OrderStatus | null;
  note?: string;
}

/** Statuses before any stock is taken: the store may still change the lines. */
const EDITABLE: readonly OrderStatus[] = ['draft', 'new', 'on_hold'];

/**
 * Turns one store order (new or updated) into the Expedio order, inside the caller's transaction so
 * the webhook is acknowledged only after the order, its client and the work it causes (validation
 * through the outbox) are committed together. Safe under concurrency: the (channel, external id)
 * unique key makes two deliveries of the same new order converge on one row, and an update older
 * than the stored one, or of the same time and content, changes nothing (retries resend old payloads).
 */
export async function ingestChannelOrder(tx: Tx, channel: Channel, order: ChannelOrder): Promise<IngestResult> {
  const tenantId = channel.tenantId;
  const intakeStatus = intakeStatusFor(channel, order.cancelled ? 'cancelled' : order.platformStatus);

  // Round trips are the cost of an intake: what does not depend on each other goes out together
  // (the driver pipelines the statements of one transaction), and a new row is written once. The
  // customer id lookup and the SKU match are reads, sent with the claim even when unused (stale).
  const [{ orderId, isNew }, byCustomerId, matchedLines] = await Promise.all([
    claimStoreOrder(tx, tenantId, channel.id, order),
    findClientByCustomerId(tx, tenantId, channel.id, order),
    matchLines(tx, channel, order),
  ]);
  // A row this transaction just inserted is already locked by it; only an existing one needs the lock.
  const current: OrderRow | null = isNew ? null : await lockOrder(tx, tenantId, orderId);

  if (current && (await storeUpdateIsStale(tx, tenantId, orderId, current.externalUpdatedAt, order))) {
    return { outcome: 'stale', orderId, status: current.status, note: 'the stored order is newer, or of the same time and content' };
  }
  if (isNew && intakeStatus === 'cancelled') {
    // A store order we never saw that is already cancelled: keep the record, nothing to fulfil.
    await Promise.all([setIntakeStatus(tx, tenantId, orderId, 'cancelled', {}, { order, clientId: null }), replaceOrderLines(tx, tenantId, orderId, matchedLines.lines, true)]);
    return { outcome: 'created', orderId, status: 'cancelled' };
  }

  const matched = !current || EDITABLE.includes(current.status) ? matchedLines : null;
  const client = await matchOrCreateClient(tx, tenantId, channel.id, order, byCustomerId);
  if (current) await writeStoreOrderFields(tx, tenantId, orderId, order, client.clientId);
  if (client.clientId) {
    // Flagged at intake, not at invoicing time: the order goes on, the operator sees the fix now.
    const buyer = { clientId: client.clientId, company: order.customer.company, vatNumber: order.customer.vatNumber, countryCode: (order.billingAddress ?? order.shippingAddress)?.countryCode ?? 'RO' };
    const hold = buyerVatHold(`Order ${orderId}${order.externalNumber ? ` (${order.externalNumber})` : ''}`, buyer);
    if (hold) await openBuyerVatStall(tx, tenantId, orderId, hold, buyer);
  }

  let status: OrderStatus = current?.status ?? 'draft';
  let approval = current?.approvalStatus ?? null;
  // The work the intake causes, through the outbox, for the status the order ends in.
  const enqueueWork = (): Promise<boolean>[] => {
    const work: Promise<boolean>[] = [];
    if (status === 'new' && channel.autoConfirm) {
      if (approval !== 'pending') {
        work.push(enqueue(tx, tenantId, 'order.validate', { orderId }, `order.validate:${orderId}:${order.updatedAt}`));
      }
    }
    // Invoicing on payment (create_invoice = on_paid): the first time the store reports the order paid.
    const wasPaid = current?.paymentStatus === 'paid';
    if (channel.createInvoice === 'on_paid' && order.paymentStatus === 'paid' && !wasPaid && status !== 'cancelled') {
      work.push(enqueue(tx, tenantId, 'invoice.issue', { orderId, trigger: 'on_paid' }, `invoice.issue:${orderId}:on_paid`));
    }
    return work;
  };
  let workSent = false;
  if (matched) {
    const { lines, unknown } = matched;
    if (current) await replaceOrderLines(tx, tenantId, orderId, lines, false);
    const holds: string[] = [];
    if (unknown.length > 0) holds.push(`unknown SKU ${unknown.join(', ')}`);
    if (client.clientId === null) holds.push(`client not created: ${client.reason}`);
    const hold = holds.length > 0 ? { reason: holds.join('; '), details: { unknownSkus: unknown } } : null;
    if (!current) {
      approval = await approvalFor(tx, channel, order, client.clientId);
      status = hold && intakeStatus !== 'cancelled' && intakeStatus !== 'draft' ? 'on_hold' : intakeStatus;
      await Promise.all([
        setIntakeStatus(
          tx,
          tenantId,
          orderId,
          status,
          { approvalStatus: approval, ...(status === 'on_hold' && hold ? { holdReason: hold.reason, holdDetails: hold.details } : {}) },
          { order, clientId: client.clientId },
        ),
        replaceOrderLines(tx, tenantId, orderId, lines, true),
        // A new row's status is final here (nothing below moves it): its work goes out with it.
        ...enqueueWork(),
      ]);
      workSent = true;
    } else {
      if (current.status === 'draft' && intakeStatus === 'new') status = await moveLockedOrder(tx, current, 'submit');
      if (hold && status !== 'draft') status = await holdLockedOrder(tx, current, hold.reason, hold.details);
    }
  }

  if (current && intakeStatus === 'cancelled' && status !== 'cancelled') {
    if (canTransition(status, 'cancel')) {
      await undoOrder(tx, tenantId, orderId, 'order cancelled in the store');
      status = await moveLockedOrder(tx, current, 'cancel');
    }
    // A store cancellation after shipping cannot undo the parcel; the order keeps its status and the
    // mismatch is visible in the sync log written by the caller.
  }

  if (!workSent) await Promise.all(enqueueWork());
  return { outcome: isNew ? 'created' : 'updated', orderId, status };
}

/** The store's lines matched to the catalog by SKU, priced from the channel's price list; the SKUs no product matches. */
async function matchLines(tx: Tx, channel: Channel, o: ChannelOrder): Promise<{ lines: OrderLineInput[]; unknown: string[] }> {
  const skus = [...new Set(o.lines.map((l) => l.sku).filter((s): s is string => !!s))];
  const bySku = await findProductsBySku(tx, channel.tenantId, skus, channel.priceListId);
  const unknown: string[] = [];
  const lines = o.lines
    .filter((l) => l.quantity > 0) // removed in the store (Shopify keeps refunded lines at quantity 0)
    .map((l) => {
      const p = l.sku ? bySku.get(l.sku) : undefined;
      if (!p) unknown.push(l.sku ?? `(no SKU: ${l.name})`);
      return {
        externalLineId: l.externalLineId,
        productId: p?.id ?? null,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        listPrice: p?.price ?? null,
        discount: l.discount,
        total: l.total,
        tax: l.tax,
        vatRate: p?.vatRate ?? null,
      };
    });
  return { lines, unknown };
}

/** Approval when the channel asks for it: above an order value, or a client's first order. */
async function approvalFor(tx: Tx, channel: Channel, o: ChannelOrder, clientId: string | null): Promise<'pending' | null> {
  if (!channel.approvalRequired) return null;
  if (channel.approvalMinTotal === null && !channel.approvalFirstOrder) return 'pending';
  if (channel.approvalMinTotal !== null && cmp(o.total, channel.approvalMinTotal) > 0) return 'pending';
  if (channel.approvalFirstOrder && clientId && !(await clientHasOtherOrders(tx, channel.tenantId, clientId, o.externalOrderId))) return 'pending';
  return null;
}
