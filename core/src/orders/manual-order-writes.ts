import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type OrderLineInput, replaceOrderLines } from './store-order-writes.ts';

/** An order an operator typed in, priced and checked by the flow (`flows/create-manual-order.ts`). */
export interface ManualOrderRow {
  externalOrderId: string;
  externalNumber: string | null;
  clientId: string;
  currency: string;
  pricesIncludeTax: boolean;
  paymentMethod: string;
  paymentStatus: 'pending' | 'paid';
  subtotal: string;
  discountTotal: string;
  shippingTotal: string;
  taxTotal: string;
  total: string;
  billingAddress: Record<string, unknown>;
  shippingAddress: Record<string, unknown>;
  email: string | null;
  note: string | null;
  warehouseId: string | null;
  lines: OrderLineInput[];
}

/**
 * Inserts the order row as a draft with its lines; the flow then gives it its first status
 * (`setIntakeStatus`). A reference the channel has already is a 409 naming it, so a retried
 * request with the same reference cannot make a second order.
 */
export async function insertManualOrder(tx: Tx, tenantId: string, channelId: string, o: ManualOrderRow): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, payment_method, payment_status,
      currency, prices_include_tax, subtotal, discount_total, shipping_total, tax_total, total, billing_address, shipping_address,
      email, note, warehouse_id, external_created_at, external_updated_at)
    values (${tenantId}, ${channelId}, ${o.externalOrderId}, ${o.externalNumber}, ${o.clientId}, 'draft', ${o.paymentMethod}, ${o.paymentStatus},
      ${o.currency}, ${o.pricesIncludeTax}, ${o.subtotal}, ${o.discountTotal}, ${o.shippingTotal}, ${o.taxTotal}, ${o.total},
      ${tx.json(o.billingAddress as never)}, ${tx.json(o.shippingAddress as never)}, ${o.email}, ${o.note}, ${o.warehouseId}, now(), now())
    on conflict (tenant_id, channel_id, external_order_id) do nothing
    returning id::text`;
  if (!row) {
    const [other] = await tx<{ id: string }[]>`select id::text from orders where tenant_id = ${tenantId} and channel_id = ${channelId} and external_order_id = ${o.externalOrderId}`;
    throw new DomainError('CONFLICT', `Order ${other?.id} already has the reference ${o.externalOrderId}.`, [{ path: 'reference', reason: `used by order ${other?.id}` }]);
  }
  await replaceOrderLines(tx, tenantId, row.id, o.lines, true);
  return row.id;
}

/** A client merge points the merged client's orders at the kept client; the ids moved, for the merge's record. */
export async function reassignOrdersClient(tx: Tx, tenantId: string, fromClientId: string, toClientId: string): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`update orders set client_id = ${toClientId}, updated_at = now()
    where tenant_id = ${tenantId} and client_id = ${fromClientId} returning id::text`;
  return rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
}
