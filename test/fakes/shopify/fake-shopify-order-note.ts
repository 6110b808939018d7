/**
 * The order's note on the fake Shopify: `order(id:) { id note }` and `orderUpdate(input: OrderInput!)`
 * with `{ id, note }` (Admin GraphQL: the note is replaced whole; `{ order, userErrors }`). An
 * unknown order is a userError on `id`, as Shopify answers it. Orders upserted into the fake and
 * orders only known by their fulfillment orders both count as existing.
 */
type Node = Record<string, unknown>;

export interface OrderNoteStore {
  /** The current note of each order (by GID), as the shop admin shows it. */
  notes: Map<string, string>;
  /** Every orderUpdate that changed a note, in order. */
  updates: Array<{ orderId: string; note: string }>;
  route(query: string, variables: Node): { cost: number; run: () => unknown } | null;
}

export function createOrderNoteStore(exists: (orderGid: string) => boolean): OrderNoteStore {
  const notes = new Map<string, string>();
  const updates: Array<{ orderId: string; note: string }> = [];
  return {
    notes,
    updates,
    route(query, variables) {
      if (/\borderUpdate\s*\(/.test(query)) {
        const input = (variables['input'] ?? {}) as Node;
        const id = String(input['id'] ?? '');
        return {
          cost: 10,
          run: () => {
            if (!exists(id)) return { orderUpdate: { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] } };
            if (typeof input['note'] === 'string') {
              notes.set(id, input['note']);
              updates.push({ orderId: id, note: input['note'] });
            }
            return { orderUpdate: { order: { id, note: notes.get(id) ?? null }, userErrors: [] } };
          },
        };
      }
      const m = /\border\s*\(\s*id\s*:\s*\$(\w+)\s*\)\s*\{\s*id\s+note\s*\}/.exec(query);
      if (m) {
        const id = String(variables[m[1]!] ?? '');
        return { cost: 1, run: () => ({ order: exists(id) ? { id, note: notes.get(id) ?? null } : null }) };
      }
      return null;
    },
  };
}
