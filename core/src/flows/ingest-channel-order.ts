import type { Channel } from '../channels/channel-repo.ts';
import { intakeStatusFor } from '../channels/channel-repo.ts';
import type { ChannelOrder } from '../channels/channel-order.ts';
import { matchOrCreateClient } from '../clients/match-client.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { releaseOrderStock } from '../inventory/reserve-order-stock.ts';
import { lockOrder, orderRef } from '../orders/order-repo.ts';
import { canTransition, type OrderStatus, transition } from '../orders/order-status.ts';
import { cmp } from '../shared/money.ts';

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
 * unique key makes two deliveries of the same new order converge on one row, and an update whose
 * `updatedAt` is not newer than the stored one changes nothing (retries resend old payloads).
 */
export async function ingestChannelOrder(tx: Tx, channel: Channel, order: ChannelOrder): Promise<IngestResult> {
  const tenantId = channel.tenantId;
  const intakeStatus = intakeStatusFor(channel, order.cancelled ? 'cancelled' : order.platformStatus);

  const inserted = await tx<{ id: string }[]>`
    insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, external_updated_at)
    values (${tenantId}, ${channel.id}, ${order.externalOrderId}, ${order.externalNumber}, 'draft', ${order.currency}, '-infinity')
    on conflict (tenant_id, channel_id, external_order_id) do nothing
    returning id::text`;
  const isNew = inserted.length > 0;
  const orderId = isNew ? inserted[0]!.id : await existingOrderId(tx, tenantId, channel.id, order.externalOrderId);
  // A row this transaction just inserted is already locked by it; only an existing one needs the lock.
  const current = isNew
    ? { status: 'draft' as OrderStatus, externalUpdatedAt: null, approvalStatus: null as string | null }
    : await lockOrder(tx, tenantId, orderId);

  if (!isNew && current.externalUpdatedAt && current.externalUpdatedAt.getTime() >= Date.parse(order.updatedAt)) {
    return { outcome: 'stale', orderId, status: current.status, note: 'the stored order is as new or newer' };
  }
  if (isNew && intakeStatus === 'cancelled') {
    // A store order we never saw that is already cancelled: keep the record, nothing to fulfil.
    await writeOrderFields(tx, tenantId, orderId, order, null);
    await replaceLines(tx, channel, orderId, order, true);
    await tx`update orders set status = 'cancelled', cancelled_at = now() where tenant_id = ${tenantId} and id = ${orderId}`;
    return { outcome: 'created', orderId, status: 'cancelled' };
  }

  const client = await matchOrCreateClient(tx, tenantId, channel.id, order);
  await writeOrderFields(tx, tenantId, orderId, order, client.clientId);

  const ref = orderRef({ id: orderId, externalNumber: order.externalNumber });
  let status = current.status;
  let approval = current.approvalStatus;
  if (isNew || EDITABLE.includes(status)) {
    const unknown = await replaceLines(tx, channel, orderId, order, isNew);
    const holds: string[] = [];
    if (unknown.length > 0) holds.push(`unknown SKU ${unknown.join(', ')}`);
    if (client.clientId === null) holds.push(`client not created: ${client.reason}`);
    if (isNew) {
      status = intakeStatus === 'on_hold' ? 'on_hold' : intakeStatus;
      approval = await approvalFor(tx, channel, order, client.clientId);
    } else if (status === 'draft' && intakeStatus === 'new') {
      status = transition(status, 'submit', ref);
    }
    if (holds.length > 0 && status !== 'cancelled' && status !== 'draft') {
      await tx`update orders set status = 'on_hold', hold_reason = ${holds.join('; ')}, approval_status = ${approval},
          hold_details = ${tx.json({ unknownSkus: unknown } as never)}
        where tenant_id = ${tenantId} and id = ${orderId}`;
      status = 'on_hold';
    } else if (status !== current.status || isNew) {
      await tx`update orders set status = ${status}, approval_status = ${approval} where tenant_id = ${tenantId} and id = ${orderId}`;
    }
  }

  if (!isNew && intakeStatus === 'cancelled' && status !== 'cancelled') {
    if (canTransition(status, 'cancel')) {
      await releaseOrderStock(tx, tenantId, orderId, 'order cancelled in the store');
      status = transition(status, 'cancel', ref);
      await tx`update orders set status = 'cancelled', cancelled_at = now() where tenant_id = ${tenantId} and id = ${orderId}`;
    }
    // A store cancellation after shipping cannot undo the parcel; the order keeps its status and the
    // mismatch is visible in the sync log written by the caller.
  }

  if (status === 'new' && channel.autoConfirm) {
    if (approval !== 'pending') {
      await enqueue(tx, tenantId, 'order.validate', { orderId }, `order.validate:${orderId}:${order.updatedAt}`);
    }
  }
  // Invoicing on payment (create_invoice = on_paid): the first time the store reports the order paid.
  const wasPaid = 'paymentStatus' in current && current.paymentStatus === 'paid';
  if (channel.createInvoice === 'on_paid' && order.paymentStatus === 'paid' && !wasPaid && status !== 'cancelled') {
    await enqueue(tx, tenantId, 'invoice.issue', { orderId, trigger: 'on_paid' }, `invoice.issue:${orderId}:on_paid`);
  }
  return { outcome: isNew ? 'created' : 'updated', orderId, status };
}

async function existingOrderId(tx: Tx, tenantId: string, channelId: string, externalOrderId: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    select id::text from orders where tenant_id = ${tenantId} and channel_id = ${channelId} and external_order_id = ${externalOrderId}`;
  return row!.id;
}

async function writeOrderFields(tx: Tx, tenantId: string, orderId: string, o: ChannelOrder, clientId: string | null) {
  await tx`update orders set
      external_number = ${o.externalNumber}, client_id = coalesce(${clientId}, client_id), platform_status = ${o.platformStatus},
      payment_method = ${o.paymentMethod}, payment_status = ${o.paymentStatus}, currency = ${o.currency},
      prices_include_tax = ${o.pricesIncludeTax}, subtotal = ${o.subtotal}, discount_total = ${o.discountTotal},
      shipping_total = ${o.shippingTotal}, tax_total = ${o.taxTotal}, total = ${o.total},
      billing_address = ${o.billingAddress ? tx.json(o.billingAddress as never) : null},
      shipping_address = ${o.shippingAddress ? tx.json(o.shippingAddress as never) : null},
      email = ${o.email ?? o.customer.email}, note = ${o.note}, tags = ${o.tags},
      external_created_at = ${o.createdAt}, external_updated_at = ${o.updatedAt}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${orderId}`;
}

/** Replaces the lines of an order not yet reserved; returns the SKUs no product matches. */
async function replaceLines(tx: Tx, channel: Channel, orderId: string, o: ChannelOrder, fresh: boolean): Promise<string[]> {
  const tenantId = channel.tenantId;
  const skus = [...new Set(o.lines.map((l) => l.sku).filter((s): s is string => !!s))];
  const products = await tx<{ id: string; sku: string; vat_rate: string; price: string | null }[]>`
    select p.id::text, p.sku, p.vat_rate::text, pli.price::text
    from products p
    left join price_list_items pli on pli.tenant_id = p.tenant_id and pli.product_id = p.id and pli.price_list_id = ${channel.priceListId}
    where p.tenant_id = ${tenantId} and p.sku = any(${skus})`;
  const bySku = new Map(products.map((p) => [p.sku, p]));
  if (!fresh) await tx`delete from order_lines where tenant_id = ${tenantId} and order_id = ${orderId}`;
  const unknown: string[] = [];
  const rows = o.lines
    .filter((l) => l.quantity > 0) // removed in the store (Shopify keeps refunded lines at quantity 0)
    .map((l, i) => {
      const p = l.sku ? bySku.get(l.sku) : undefined;
      if (!p) unknown.push(l.sku ?? `(no SKU: ${l.name})`);
      return {
        tenant_id: tenantId,
        order_id: orderId,
        line_no: i + 1,
        external_line_id: l.externalLineId,
        product_id: p?.id ?? null,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        list_price: p?.price ?? null,
        discount: l.discount,
        total: l.total,
        tax: l.tax,
        vat_rate: p?.vat_rate ?? null,
      };
    });
  if (rows.length > 0) await tx`insert into order_lines ${tx(rows)}`;
  return unknown;
}

/** Approval when the channel asks for it: above an order value, or a client's first order. */
async function approvalFor(tx: Tx, channel: Channel, o: ChannelOrder, clientId: string | null): Promise<'pending' | null> {
  if (!channel.approvalRequired) return null;
  if (channel.approvalMinTotal === null && !channel.approvalFirstOrder) return 'pending';
  if (channel.approvalMinTotal !== null && cmp(o.total, channel.approvalMinTotal) > 0) return 'pending';
  if (channel.approvalFirstOrder && clientId) {
    const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`
      select count(*)::int as n from orders where tenant_id = ${channel.tenantId} and client_id = ${clientId}
        and external_order_id <> ${o.externalOrderId}`;
    if (n === 0) return 'pending';
  }
  return null;
}
