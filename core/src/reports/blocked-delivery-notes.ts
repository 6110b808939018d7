import type { Db } from '../db/connect.ts';
import { listDeliveryNotes } from '../warehouse/index.ts';

/**
 * Delivery notes blocked by stock (the CRM's flag_export_warehouse = 0), oldest first: the ones
 * waiting longest come first, each with its short quantities summed per SKU for the buyer.
 */
export async function blockedDeliveryNotes(db: Db, tenantId: string, opts: { limit?: number; cursor?: string } = {}) {
  // Oldest first from the database, so a limit cuts the newest, never the ones blocked longest.
  const { deliveryNotes: notes, nextCursor } = await listDeliveryNotes(db, tenantId, { blocked: true, limit: opts.limit ?? 200, oldestFirst: true, ...(opts.cursor ? { cursor: opts.cursor } : {}) });
  const missingBySku = new Map<string, number>();
  for (const n of notes) for (const b of n.blockedDetails ?? []) missingBySku.set(b.sku ?? '?', (missingBySku.get(b.sku ?? '?') ?? 0) + b.missing);
  return {
    deliveryNotes: notes,
    nextCursor,
    missingBySku: [...missingBySku].map(([sku, missing]) => ({ sku, missing })).sort((a, b) => a.sku.localeCompare(b.sku)),
  };
}
