/**
 * What the order page's extensions know of one Shopify order, read from the core: Expedio's order
 * (found by the Shopify GID), its packing lists, shipments, invoice and open stalls. The core's
 * state machines decide what is allowed; this only gathers what the buttons are chosen from.
 */
import { core, findOrder } from './core-client.ts';
import type { OrderListRow, OrderTimeline } from './generated/expedio-api.ts';

export type PackingList = { id: string; status: string; courier: string | null; service: string | null; missingForAwb: string[] };
export type Shipment = { id: string; packingListId: string | null; courier: string; service: string; awb: string | null; trackingUrl: string | null; status: string; hasLabel?: boolean };
export type Quote = { courier: string; service: string; price: { amount: string; currency: string }; estimatedDays: number | null };
export type Quotes = { cheapest: Quote[]; fastest: Quote[]; failures: Array<{ courier: string; code: string; message: string }> };
export type Invoice = { id: string; fullNumber: string; kind: string; eInvoice: { state: string; uploadIndex?: string | null } | null };
export type Stall = { kind: string; subjectType: string; subjectId: string; message: string; why: string; fix: string; since: string | null };

export interface OrderState {
  order: OrderListRow;
  packingLists: PackingList[];
  shipments: Shipment[];
  invoice: Invoice | null;
  stalls: Stall[];
}

/** A shipment that is a real AWB (not an attempt in flight, not cancelled). */
export const isLive = (s: Shipment) => s.status !== 'creating' && s.status !== 'cancelled';

/** Packing lists that wait for their AWB: ready to deliver and no live shipment yet. */
export const awaitingAwb = (s: OrderState) => s.packingLists.filter((pl) => pl.status === 'ready_to_deliver' && !s.shipments.some((sh) => sh.packingListId === pl.id && isLive(sh)));

/** No invoice yet and the order is one that can be invoiced (the core refuses the rest with its reason). */
export const canInvoice = (s: OrderState) => !s.invoice && s.order.status !== 'cancelled' && s.order.status !== 'draft';

export async function loadOrderState(orderGid: string): Promise<OrderState | null> {
  const order = await findOrder(orderGid);
  if (!order) return null;
  const [packing, shipments, timeline, stalls] = await Promise.all([
    core<{ packingLists: PackingList[] }>('/packing-lists', { query: { orderId: order.id } }),
    core<{ shipments: Shipment[] }>('/shipments', { query: { orderId: order.id } }),
    core<OrderTimeline>(`/orders/${order.id}/timeline`),
    core<{ stalls: Stall[] }>('/stalls'),
  ]);
  const invoiceDoc = timeline.events.find((e) => e.document?.type === 'invoice' && e.code === 'invoice')?.document;
  const invoice = invoiceDoc ? await core<Invoice>(`/invoices/${invoiceDoc.id}`) : null;
  const shipmentIds = new Set(shipments.shipments.map((s) => s.id));
  const packingIds = new Set(packing.packingLists.map((p) => p.id));
  const mine = (s: Stall) =>
    (s.subjectType === 'order' && s.subjectId === order.id) || (s.subjectType === 'shipment' && shipmentIds.has(s.subjectId)) || (s.subjectType === 'packing_list' && packingIds.has(s.subjectId)) || (s.subjectType === 'invoice' && s.subjectId === invoice?.id);
  return { order, packingLists: packing.packingLists, shipments: shipments.shipments, invoice, stalls: stalls.stalls.filter(mine) };
}
