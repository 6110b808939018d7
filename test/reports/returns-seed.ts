import type { Sql } from '../../core/src/db/index.ts';
import type { TenantFixture } from '../support/core-harness.ts';

/** Returns for the returns report, written straight into the returns area's tables (migration 028). */
/** Three returns on the 21st and 22nd of November 2026 for the orders of seedReports (ids in its order). */
export async function seedReturns(sql: Sql, t: TenantFixture, orderIds: string[]): Promise<void> {
  const ret = async (orderIdx: number, channelId: string, type: string, status: string, at: string, lines: Array<[sku: string, qty: number, reason: string, dest: 'restock' | 'quarantine' | null]>) => {
    const [r] = await sql<{ id: string }[]>`
      insert into returns (tenant_id, order_id, channel_id, warehouse_id, type, status, created_at, updated_at)
      values (${t.tenantId}, ${orderIds[orderIdx]!}, ${channelId}, ${t.warehouseId}, ${type}, ${status}, ${at}, ${at}) returning id::text`;
    const [rc] = await sql<{ id: string }[]>`insert into return_receipts (tenant_id, return_id, warehouse_id, status) values (${t.tenantId}, ${r!.id}, ${t.warehouseId}, 'approved') returning id::text`;
    for (const [i, [sku, qty, reason, dest]] of lines.entries()) {
      await sql`insert into return_lines (tenant_id, return_id, line_no, order_line_no, product_id, sku, name, quantity, reason)
        values (${t.tenantId}, ${r!.id}, ${i + 1}, ${i + 1}, ${t.productIds[sku]!}, ${sku}, ${`Product ${sku}`}, ${qty}, ${reason})`;
      if (dest) {
        await sql`insert into return_receipt_lines (tenant_id, receipt_id, return_line_no, product_id, quantity, destination, bin_id)
          values (${t.tenantId}, ${rc!.id}, ${i + 1}, ${t.productIds[sku]!}, ${qty}, ${dest}, ${dest === 'restock' ? t.binIds[0]! : null})`;
      }
    }
  };
  // The 21st (Romania): Woo's order 4 fully returned, one unit restocked and one quarantined.
  await ret(3, t.woo.channelId, 'fully', 'approved', '2026-11-21T08:00:00Z', [
    ['A-1', 1, 'Mărime greșită', 'restock'],
    ['A-2', 1, 'Produs deteriorat', 'quarantine'],
  ]);
  // The 22nd: Shopify's order 1 partly returned (restocked), and a manual credit on order 2 that moves no stock.
  await ret(0, t.shopify.channelId, 'partially', 'settled', '2026-11-22T09:30:00Z', [['A-1', 2, 'Mărime greșită', 'restock']]);
  await ret(1, t.shopify.channelId, 'manual', 'settled', '2026-11-22T10:00:00Z', [['A-3', 1, 'Produs deteriorat', null]]);
  // Cancelled: not counted anywhere.
  await ret(6, t.shopify.channelId, 'partially', 'cancelled', '2026-11-22T11:00:00Z', [['A-4', 1, 'Răzgândit', null]]);
}
