import type { WooRestClient } from './woo-rest-client.ts';

interface WooNoteLite {
  id: number;
  note: string;
}

/**
 * A note to the customer on the WooCommerce order (`POST /orders/{id}/notes` with
 * `customer_note: true`, which the store e-mails). It carries `[expedio:<key>]`: the customer notes
 * are read first, so a retry after a lost answer posts nothing twice.
 */
export async function pushWooCustomerNote(client: WooRestClient, input: { orderId: string; note: string; key: string }): Promise<{ outcome: 'noted' | 'already_done'; noteId: number | null }> {
  const marker = `[expedio:${input.key}]`;
  const { body: notes } = await client.get<WooNoteLite[]>(`orders/${input.orderId}/notes`, { type: 'customer' });
  const existing = (notes ?? []).find((n) => n.note.includes(marker));
  if (existing) return { outcome: 'already_done', noteId: existing.id };
  const { body: note } = await client.post<WooNoteLite>(`orders/${input.orderId}/notes`, { note: `${input.note} ${marker}`, customer_note: true });
  return { outcome: 'noted', noteId: note?.id ?? null };
}
