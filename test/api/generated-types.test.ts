import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILES, renderApiTypes } from '../../core/src/contracts/api-types.ts';
import { ORDER_STATUSES } from '../../core/src/contracts/order.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the apps’ generated API types', () => {
  const expected = renderApiTypes();

  it.each(API_TYPES_FILES)('%s is what the contracts generate today (else: node scripts/generate-api-types.ts)', (file) => {
    expect(readFileSync(resolve(ROOT, file), 'utf8')).toBe(expected);
  });

  it('carries the order statuses and the OrderSummary fields of the contract', () => {
    expect(expected).toContain(`export const ORDER_STATUSES = [${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')}] as const;`);
    expect(expected).toMatch(/export type OrderSummary = \{[^}]*\n {2}status: OrderStatus;/);
    // A row of the list is the summary and its live AWBs (OrderListRow).
    expect(expected).toMatch(/export type OrdersPage = \{\n {2}orders: Array<OrderListRow>;\n {2}nextCursor: string \| null;\n\};/);
    expect(expected).toMatch(/export type OrderListRow = \{[^}]*\n {2}status: OrderStatus;[^}]*\n {2}awbs: Array<OrderAwb>;/);
  });
});
