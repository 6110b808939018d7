import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';

export interface StockLookup {
  product: { id: string; sku: string; barcode: string; name: string };
  stock: Array<{ warehouseId: string; warehouseCode: string; binId: string; binCode: string; onHand: number; reserved: number; available: number }>;
  totals: { onHand: number; reserved: number; available: number };
}

/** What a scanned barcode is and where it lies, bins in pick sequence. */
export async function lookupStockByBarcode(db: Db, tenantId: string, barcode: string): Promise<StockLookup> {
  const code = barcode.trim();
  const [product] = await db<StockLookup['product'][]>`select id::text, sku, barcode, name from products where tenant_id = ${tenantId} and barcode = ${code}`;
  if (!product) throw new DomainError('NOT_FOUND', `No product has the barcode ${code}.`, [{ path: 'barcode', reason: 'unknown barcode' }]);
  const stock = await db<StockLookup['stock']>`
    select s.warehouse_id::text as "warehouseId", w.code as "warehouseCode", s.bin_id::text as "binId", b.code as "binCode",
           s.on_hand as "onHand", s.reserved, s.on_hand - s.reserved as available
    from stock s join bins b on b.tenant_id = s.tenant_id and b.id = s.bin_id
    join warehouses w on w.tenant_id = s.tenant_id and w.id = s.warehouse_id
    where s.tenant_id = ${tenantId} and s.product_id = ${product.id}
    order by w.code, b.pick_sequence, b.code`;
  const sum = (k: 'onHand' | 'reserved' | 'available') => stock.reduce((a, r) => a + r[k], 0);
  return { product, stock: [...stock], totals: { onHand: sum('onHand'), reserved: sum('reserved'), available: sum('available') } };
}
