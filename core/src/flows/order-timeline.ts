import { syncLogOfStoreOrder } from '../channels/index.ts';
import { TIMELINE_EVENT_KINDS } from '../contracts/order.ts';
import type { Db } from '../db/connect.ts';
import { orderInvoices } from '../invoicing/index.ts';
import { getOrderDetail, orderStatusLog } from '../orders/index.ts';
import { getShipmentWithStatusLog, listShipments } from '../shipping/index.ts';
import { listDeliveryNotes, listPackingLists } from '../warehouse/index.ts';

/*
 * One order's story across the areas, newest first: what the store sent and what Expedio wrote
 * back (sync log), every status it was moved to, its documents (delivery notes, packing lists,
 * AWBs, invoices and their e-Factura state) and the courier's tracking events. Bounded: each
 * source gives at most TIMELINE_PER_SOURCE entries, so an order with years of webhooks still
 * answers in a page; the sources are read one after the other on one connection.
 */

export const TIMELINE_PER_SOURCE = 100;
export const TIMELINE_KINDS = TIMELINE_EVENT_KINDS;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  at: string;
  kind: TimelineKind;
  /** A short domain word (status name, topic, document type) the app translates. */
  code: string;
  summary: string;
  outcome: string | null;
  document: { type: 'delivery_note' | 'packing_list' | 'shipment' | 'invoice'; id: string } | null;
}

export async function orderTimeline(db: Db, tenantId: string, orderId: string): Promise<{ events: TimelineEvent[]; truncated: boolean }> {
  const order = await getOrderDetail(db, tenantId, orderId);
  const events: TimelineEvent[] = [];
  let truncated = false;
  const bounded = <T>(rows: T[]): T[] => {
    if (rows.length >= TIMELINE_PER_SOURCE) truncated = true;
    return rows;
  };

  events.push({ at: order.createdAt, kind: 'order', code: 'created', summary: `Order ${order.externalNumber ?? order.id} received`, outcome: null, document: null });
  for (const s of bounded(await orderStatusLog(db, tenantId, orderId, TIMELINE_PER_SOURCE))) {
    events.push({ at: s.at, kind: 'status', code: s.status, summary: s.reason ? `${s.status}: ${s.reason}` : s.status, outcome: null, document: null });
  }
  if (order.externalOrderId) {
    for (const r of bounded(await syncLogOfStoreOrder(db, tenantId, order.channelId, order.externalOrderId, TIMELINE_PER_SOURCE))) {
      const inbound = r.direction === 'inbound';
      events.push({
        at: new Date(r.createdAt).toISOString(),
        kind: inbound ? 'webhook' : 'writeback',
        code: r.topic ?? r.kind,
        summary: `${inbound ? 'From the store' : 'To the store'}: ${r.topic ?? r.kind}${r.error ? ` (${r.error})` : ''}`,
        outcome: r.outcome,
        document: null,
      });
    }
  }
  const notes = await listDeliveryNotes(db, tenantId, { orderId, limit: 50 });
  for (const n of notes.deliveryNotes) {
    events.push({ at: n.createdAt, kind: 'document', code: 'delivery_note', summary: `Delivery note ${n.id} (${n.type}${n.blocked ? ', waiting for stock' : ''})`, outcome: n.status, document: { type: 'delivery_note', id: n.id } });
  }
  for (const p of await listPackingLists(db, tenantId, { orderId, limit: 50 })) {
    events.push({ at: p.createdAt, kind: 'document', code: 'packing_list', summary: `Packing list ${p.id}, ${p.parcels.length} parcel(s)`, outcome: p.status, document: { type: 'packing_list', id: p.id } });
  }
  for (const s of await listShipments(db, tenantId, { orderId, limit: 20 })) {
    events.push({ at: s.createdAt, kind: 'document', code: 'shipment', summary: `AWB ${s.awb ?? '(being created)'} with ${s.courier}`, outcome: s.status, document: { type: 'shipment', id: s.id } });
    const { statusLog } = await getShipmentWithStatusLog(db, tenantId, s.id);
    for (const t of bounded(statusLog.slice(-TIMELINE_PER_SOURCE))) {
      events.push({
        at: t.occurredAt ?? t.recordedAt,
        kind: 'tracking',
        code: t.status ?? t.rawCode,
        summary: `${s.awb ?? s.courier}: ${t.rawDescription ?? t.rawCode}`,
        outcome: t.status,
        document: { type: 'shipment', id: s.id },
      });
    }
  }
  for (const i of await orderInvoices(db, tenantId, orderId)) {
    events.push({ at: i.createdAt, kind: 'document', code: i.kind, summary: `${i.kind === 'invoice' ? 'Invoice' : 'Credit note'} ${i.fullNumber}`, outcome: null, document: { type: 'invoice', id: i.id } });
    if (i.eInvoice) {
      events.push({
        at: i.eInvoice.updatedAt,
        kind: 'e_invoice',
        code: i.eInvoice.state,
        summary: `e-Factura ${i.eInvoice.state}${i.eInvoice.uploadIndex ? ` (index ${i.eInvoice.uploadIndex})` : ''}${i.eInvoice.lastError ? `: ${i.eInvoice.lastError}` : ''}`,
        outcome: i.eInvoice.state,
        document: { type: 'invoice', id: i.id },
      });
    }
  }
  // Newest first; at the same instant the order of the story (status after the document that caused it) is kept.
  const indexed = events.map((e, i) => ({ e, i }));
  indexed.sort((a, b) => (a.e.at === b.e.at ? b.i - a.i : a.e.at < b.e.at ? 1 : -1));
  return { events: indexed.map((x) => x.e), truncated };
}
