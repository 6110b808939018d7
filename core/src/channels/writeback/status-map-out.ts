import { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '../../orders/index.ts';

/**
 * The outbound half of the channel's status mapping (`channels.status_map_out`): Expedio order
 * status → the store's status word. Editable per channel; these defaults apply to a status the
 * channel says nothing about. Shipping keeps a paid WooCommerce order in `processing` (the store
 * has no "shipped" status without a plugin); delivery completes it, which also sends the store's
 * Completed e-mail with the tracking we stored first.
 */
export const DEFAULT_STATUS_MAP_OUT: { woocommerce: Partial<Record<OrderStatus, string>> } = {
  woocommerce: { shipping: 'processing', delivered: 'completed' },
};

/** Statuses a WooCommerce order never leaves because of a shipment event. */
const WOO_FINAL = new Set(['completed', 'cancelled', 'refunded', 'failed', 'trash']);

const wooStatusWord = z
  .string()
  .transform((s) => s.trim().toLowerCase().replace(/^wc-/, ''))
  .pipe(z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a WooCommerce status is a slug like "completed"'));

export const statusMapOutSchema = z.partialRecord(z.enum(ORDER_STATUSES), wooStatusWord);

export function parseStatusMapOut(raw: unknown): { map: Partial<Record<OrderStatus, string>>; problem: string | null } {
  const r = statusMapOutSchema.safeParse(raw ?? {});
  if (r.success) return { map: r.data, problem: null };
  return { map: {}, problem: r.error.issues.map((i) => `status_map_out.${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** The WooCommerce status an order in `orderStatus` should have, or null when the mapping says nothing. */
export function wooStatusFor(orderStatus: string, custom: Partial<Record<OrderStatus, string>>): string | null {
  const s = orderStatus as OrderStatus;
  return custom[s] ?? DEFAULT_STATUS_MAP_OUT.woocommerce[s] ?? null;
}

/**
 * Whether to write `target` over the store's `current` status: not when equal, and never out of a
 * final status (a merchant who completed or refunded the order by hand has the last word).
 */
export function shouldChangeWooStatus(current: string, target: string | null): target is string {
  return target !== null && current !== target && !WOO_FINAL.has(current);
}
