import { DomainError } from '../../shared/domain-error.ts';
import { toGid } from './push-shopify-fulfillment.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';

export const ORDER_NOTE_QUERY = `query ExpedioOrderNote($id: ID!) { order(id: $id) { id note } }`;
export const ORDER_NOTE_UPDATE = `mutation ExpedioOrderNoteUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id note } userErrors { field message } }
}`;

/**
 * A line added to the Shopify order's note (`orderUpdate(input: { id, note })` replaces the whole
 * note, so the current one is read first and kept). The line carries `[expedio:<key>]`: a retry
 * after a lost answer finds it and writes nothing.
 */
export async function pushShopifyOrderNote(client: ShopifyAdminClient, input: { orderId: string; note: string; key: string }): Promise<{ outcome: 'noted' | 'already_done' }> {
  const id = toGid('Order', input.orderId);
  const marker = `[expedio:${input.key}]`;
  const { order } = await client.graphql<{ order: { id: string; note: string | null } | null }>(ORDER_NOTE_QUERY, { id });
  if (!order) throw new DomainError('NOT_FOUND', `Shopify has no order ${id}.`, [{ path: 'orderId', reason: 'unknown order' }]);
  if ((order.note ?? '').includes(marker)) return { outcome: 'already_done' };
  const note = [order.note?.trimEnd(), `${input.note} ${marker}`].filter(Boolean).join('\n');
  const data = await client.graphql<{ orderUpdate: { order: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } }>(ORDER_NOTE_UPDATE, { input: { id, note } });
  if (data.orderUpdate.userErrors.length > 0) {
    const why = data.orderUpdate.userErrors.map((e) => e.message).join('; ');
    throw new DomainError('VALIDATION', `Shopify refused the note on order ${id}: ${why}.`, [{ path: 'orderUpdate', reason: why }]);
  }
  return { outcome: 'noted' };
}
