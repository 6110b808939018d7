import { shouldChangeWooStatus } from '../writeback/status-map-out.ts';
import type { WooRestClient } from './woo-rest-client.ts';

const ON_HOLD = 'on-hold';

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

/** Puts a held order back to `previousStatus`; an order someone already moved off on-hold is left alone. */
export async function pushWooReleaseHold(client: WooRestClient, orderId: string, previousStatus: string | null): Promise<{ outcome: 'released' | 'already_done'; from: string }> {
  const { body: order } = await client.get<{ status: string }>(`orders/${orderId}`);
  if (order.status !== ON_HOLD || !previousStatus) return { outcome: 'already_done', from: order.status };
  await client.put(`orders/${orderId}`, { status: previousStatus });
  return { outcome: 'released', from: order.status };
}
