import type { Db } from '../db/connect.ts';

export interface OrderInvoice {
  id: string;
  kind: 'invoice' | 'credit_note';
  fullNumber: string;
  createdAt: string;
  eInvoice: { state: string; uploadIndex: string | null; lastError: string | null; updatedAt: string } | null;
}

/** The order's invoice and credit notes with their e-Factura state, oldest first (an order has a handful). */
export async function orderInvoices(db: Db, tenantId: string, orderId: string): Promise<OrderInvoice[]> {
  const rows = await db<{ id: string; kind: OrderInvoice['kind']; full_number: string; created_at: Date; state: string | null; upload_index: string | null; last_error: string | null; e_updated_at: Date | null }[]>`
    select i.id::text, i.kind, i.full_number, i.created_at, e.state, e.upload_index, e.last_error, e.updated_at as e_updated_at
    from invoices i left join e_invoices e on e.tenant_id = i.tenant_id and e.invoice_id = i.id
    where i.tenant_id = ${tenantId} and i.order_id = ${orderId} order by i.id limit 50`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    fullNumber: r.full_number,
    createdAt: r.created_at.toISOString(),
    eInvoice: r.state ? { state: r.state, uploadIndex: r.upload_index, lastError: r.last_error, updatedAt: (r.e_updated_at ?? r.created_at).toISOString() } : null,
  }));
}
