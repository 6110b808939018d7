import type { Db } from '../db/connect.ts';

/** What a delivery note led to, for its detail screen: where its stock is reserved and its documents. */
export interface DeliveryNoteDocuments {
  reservations: Array<{ orderLineNo: number; sku: string | null; binCode: string; quantity: number }>;
  pickLists: Array<{ id: string; status: string; active: boolean }>;
  packingLists: Array<{ id: string; status: string; type: string }>;
  shipments: Array<{ id: string; packingListId: string | null; courier: string; awb: string | null; status: string; trackingUrl: string | null }>;
  invoices: Array<{ id: string; kind: string; fullNumber: string; issueDate: string }>;
}

/** A read model across warehouse, inventory, shipping and invoicing: one query each, for one note. */
export async function deliveryNoteDocuments(db: Db, tenantId: string, deliveryNoteId: string): Promise<DeliveryNoteDocuments> {
  const [reservations, pickLists, packingLists, shipments, invoices] = await Promise.all([
    db<DeliveryNoteDocuments['reservations']>`
      select l.order_line_no as "orderLineNo", l.sku, b.code as "binCode", r.quantity
      from delivery_note_lines l
      join delivery_notes dn on dn.tenant_id = l.tenant_id and dn.id = l.delivery_note_id
      join stock_reservations r on r.tenant_id = l.tenant_id and r.order_id = dn.order_id and r.line_no = l.order_line_no and r.warehouse_id = dn.warehouse_id
      join bins b on b.tenant_id = r.tenant_id and b.id = r.bin_id
      where l.tenant_id = ${tenantId} and l.delivery_note_id = ${deliveryNoteId}
      order by l.line_no, b.code`,
    db<DeliveryNoteDocuments['pickLists']>`
      select p.id::text, p.status, o.active from pick_list_orders o join pick_lists p on p.tenant_id = o.tenant_id and p.id = o.pick_list_id
      where o.tenant_id = ${tenantId} and o.delivery_note_id = ${deliveryNoteId} order by p.id`,
    db<DeliveryNoteDocuments['packingLists']>`
      select id::text, status, type from packing_lists where tenant_id = ${tenantId} and delivery_note_id = ${deliveryNoteId} order by packing_lists.id`,
    db<DeliveryNoteDocuments['shipments']>`
      select s.id::text, s.packing_list_id::text as "packingListId", s.courier, s.awb, s.status, s.tracking_url as "trackingUrl"
      from shipments s join packing_lists pl on pl.tenant_id = s.tenant_id and pl.id = s.packing_list_id
      where s.tenant_id = ${tenantId} and pl.delivery_note_id = ${deliveryNoteId} order by s.id`,
    db<Array<{ id: string; kind: string; fullNumber: string; issueDate: string }>>`
      select i.id::text, i.kind, i.full_number as "fullNumber", i.issue_date::text as "issueDate"
      from invoices i join delivery_notes dn on dn.tenant_id = i.tenant_id and dn.order_id = i.order_id
      where i.tenant_id = ${tenantId} and dn.id = ${deliveryNoteId} order by i.id`,
  ]);
  return { reservations: [...reservations], pickLists: [...pickLists], packingLists: [...packingLists], shipments: [...shipments], invoices: [...invoices] };
}
