import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';

export interface StockMovementRow {
  id: string;
  createdAt: string;
  warehouseId: string;
  warehouseCode: string;
  binId: string;
  binCode: string;
  productId: string;
  sku: string;
  productName: string;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  causeType: string;
  causeId: string;
  note: string | null;
}

export interface StockMovementFilters {
  productId?: string;
  warehouseId?: string;
  causeType?: string;
  causeId?: string;
  kind?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

function decode(cursor: string): { createdAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { createdAt?: unknown; id?: unknown };
    if (typeof v.createdAt === 'string' && !Number.isNaN(Date.parse(v.createdAt)) && typeof v.id === 'string' && /^\d{1,18}$/.test(v.id)) {
      return { createdAt: v.createdAt, id: v.id };
    }
  } catch {}
  throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
}

/**
 * The stock ledger, newest first: every change of on hand or reserved with the document that caused
 * it. Keyset pagination on (created_at, id) so pages stay stable while movements keep arriving.
 * A report reads across areas (inventory's ledger, the catalogue, bins); it never writes.
 */
export async function stockMovementHistory(db: Db, tenantId: string, f: StockMovementFilters): Promise<{ movements: StockMovementRow[]; nextCursor: string | null }> {
  const c = f.cursor ? decode(f.cursor) : null;
  // The cursor's timestamp travels as text with microseconds: bound as a timestamptz, the driver
  // would round it through a JS Date to milliseconds and the next page would skip rows.
  const rows = await db.unsafe(
    `select m.id::text as id, to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
            m.warehouse_id::text as "warehouseId", w.code as "warehouseCode", m.bin_id::text as "binId", b.code as "binCode",
            m.product_id::text as "productId", p.sku, p.name as "productName", m.kind, m.on_hand_delta as "onHandDelta",
            m.reserved_delta as "reservedDelta", m.cause_type as "causeType", m.cause_id as "causeId", m.note
     from stock_movements m
     join products p on p.tenant_id = m.tenant_id and p.id = m.product_id
     left join bins b on b.tenant_id = m.tenant_id and b.id = m.bin_id
     left join warehouses w on w.tenant_id = m.tenant_id and w.id = m.warehouse_id
     where m.tenant_id = $1
       and ($2::bigint is null or m.product_id = $2)
       and ($3::bigint is null or m.warehouse_id = $3)
       and ($4::text is null or m.cause_type = $4)
       and ($5::text is null or m.cause_id = $5)
       and ($6::text is null or m.kind = $6)
       and ($7::timestamptz is null or m.created_at >= $7)
       and ($8::timestamptz is null or m.created_at < $8)
       and ($9::text is null or (m.created_at, m.id) < ($9::text::timestamptz, $10::bigint))
     order by m.created_at desc, m.id desc
     limit $11`,
    [
      tenantId,
      f.productId ?? null,
      f.warehouseId ?? null,
      f.causeType ?? null,
      f.causeId ?? null,
      f.kind ?? null,
      f.from ?? null,
      f.to ?? null,
      c?.createdAt ?? null,
      c?.id ?? null,
      f.limit + 1,
    ] as never[],
  );
  const page = (rows as unknown as StockMovementRow[]).slice(0, f.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > f.limit && last ? Buffer.from(JSON.stringify({ createdAt: last.createdAt, id: last.id })).toString('base64url') : null;
  return { movements: page, nextCursor };
}
