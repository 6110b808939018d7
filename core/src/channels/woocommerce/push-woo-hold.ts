import { shouldChangeWooStatus } from '../writeback/status-map-out.ts';
import type { WooRestClient } from './woo-rest-client.ts';

const ON_HOLD = 'on-hold';
const CANCELLED = 'cancelled';

/**
 * Moves the WooCommerce order to on-hold while Expedio holds it, and says the status it had, which
 * releasing restores. An order already on hold, or in a final status, is left alone.
 */
export async function pushWooHold(client: WooRestClient, orderId: string): Promise<{ outcome: 'held' | 'already_done'; from: string; previousStatus: string | null }> {
  const { body: order } = await client.get<{ status: string }>(`orders/${orderId}`);
  if (!shouldChangeWooStatus(order.status, ON_HOLD)) return { outcome: 'already_done', from: order.status, previousStatus: null };
  await client.put(`orders/${orderId}`, { status: ON_HOLD });
  return { outcome: 'held', from: order.status, previousStatus: order.status };
}

/**
 * The status a held order goes back to when nobody kept the one it had: the order-state write-back
 * reads the order when it runs and keeps no history, and an order Expedio fulfils is `processing`
 * in WooCommerce (paid, or cash on delivery) until it is delivered.
 */
export const WOO_RELEASED_STATUS = 'processing';

/** Puts a held order back to `previousStatus` (else processing); an order someone already moved off on-hold is left alone. */
export async function pushWooReleaseHold(client: WooRestClient, orderId: string, previousStatus: string | null): Promise<{ outcome: 'released' | 'already_done'; from: string; to?: string }> {
  const { body: order } = await client.get<{ status: string }>(`orders/${orderId}`);
  if (order.status !== ON_HOLD) return { outcome: 'already_done', from: order.status };
  const to = previousStatus && previousStatus !== ON_HOLD ? previousStatus : WOO_RELEASED_STATUS;
  await client.put(`orders/${orderId}`, { status: to });
  return { outcome: 'released', from: order.status, to };
}

/**
 * Cancels the WooCommerce order Expedio cancelled (or rejected), with a private order note saying
 * why. Reads first, so a retry or an order already cancelled, refunded or completed by the merchant
 * changes nothing. WooCommerce itself puts the stock of a cancelled order back (wc_maybe_increase_stock_levels)
 * and sends the shop's "Cancelled order" e-mail; the customer is told by the merchant.
 */
export async function pushWooOrderCancelled(client: WooRestClient, c: { orderId: string; reason: string; rejected: boolean }): Promise<{ outcome: 'cancelled' | 'already_done'; from: string }> {
  const { body: order } = await client.get<{ status: string }>(`orders/${c.orderId}`);
  if (!shouldChangeWooStatus(order.status, CANCELLED)) return { outcome: 'already_done', from: order.status };
  await client.put(`orders/${c.orderId}`, { status: CANCELLED });
  await client.post(`orders/${c.orderId}/notes`, { note: `${c.rejected ? 'Rejected' : 'Cancelled'} in Expedio: ${c.reason}`, customer_note: false });
  return { outcome: 'cancelled', from: order.status };
}
