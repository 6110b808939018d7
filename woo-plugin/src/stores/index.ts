/**
 * The nine Expedio stores of the wp-admin app, one per resource, each named `expedio/<resource>`.
 * Rows are typed by the core's contracts where the generated types have them (orders); the others
 * name the fields the screens read (the core sends more, passthrough).
 */
import type { Query } from '../api';
import type { OrderSummary, ReportChart, ReportPage, ReturnSummary, Stall } from '../generated/expedio-api';

export type { OrderSummary };
import { send } from '../api';
import { createResourceStore } from './resource';

export type { CommandResult } from './resource';

/** GET /orders/{id}: the summary plus lines with what is reserved and what is missing. */
export type OrderDetail = OrderSummary & {
	email: string | null;
	shippingAddress: unknown;
	note: string | null;
	lines: { lineNo: number; sku: string | null; name: string; quantity: number; quantityReserved: number; unreserved: number; unitPrice: string; total: string }[];
};
/** GET /pick-lists: one summary per pick list (the core's PickListSummary). */
export type PickList = { id: string; warehouseId: string; status: string; pickerUserId: string | null; pickerName: string | null; orderCount: number; lineCount: number; quantity: number; picked: number; short: number; createdAt: string };
export type PackingList = { id: string; deliveryNoteId: string; orderId: string; type: string; status: string; courier: string | null; service: string | null; parcels: unknown[]; missingForAwb: string[] };
export type Shipment = { id: string; packingListId: string | null; orderId: string | null; courier: string; service: string; awb: string | null; trackingUrl: string | null; status: string; attention: string | null };
export type Invoice = { id: string; orderId: string | null; series: string; number: number | string; issuedAt: string; total: string; currency: string; eInvoiceState?: string | null; kind?: string };
/** One row of the core's returns list (generated from its contracts). */
export type ReturnRequest = ReturnSummary;
export type { Stall };
export type { ReportChart, ReportPage };
export type Returnable = { orderStatus: string; deliveredAt: string | null; windowDays: number; withinWindow: boolean; reason: string | null; lines: { orderLineNo: number; sku: string | null; name: string; delivered: number; alreadyReturned: number; returnable: number; reasons: string[] }[] };
export type Quote = { courier: string; service: string; price: string; currency: string; days?: number | null; courierAccountId?: string };

const field =
	<T>(name: string) =>
	(body: unknown): { items: T[]; nextCursor: string | null } => {
		const b = (body ?? {}) as Record<string, unknown>;
		const items = Array.isArray(b[name]) ? (b[name] as T[]) : [];
		return { items, nextCursor: typeof b.nextCursor === 'string' ? b.nextCursor : null };
	};
const plain = (path: string) => (query: Query) => ({ path, query });
const byId = (item: { id: string }) => item.id;

/** Orders: the list (status tab, search, keyset pages), one order, and its commands. */
export const ordersStore = createResourceStore<OrderDetail | OrderSummary, {
	confirm: (id: string, partial?: boolean) => unknown;
	hold: (id: string, reason: string) => unknown;
	cancel: (id: string, reason: string) => unknown;
	issueInvoice: (id: string) => unknown;
	prepareShipment: (id: string) => unknown;
}>(
	{ name: 'expedio/orders', listPath: plain('/orders'), pick: field<OrderSummary>('orders'), itemPath: (id) => `/orders/${encodeURIComponent(id)}`, idOf: byId },
	({ command, run }) => ({
		confirm: (id: string, partial = false) => command('POST', `/orders/${encodeURIComponent(id)}/confirm`, { partial }),
		hold: (id: string, reason: string) => command('POST', `/orders/${encodeURIComponent(id)}/hold`, { reason }),
		cancel: (id: string, reason: string) => command('POST', `/orders/${encodeURIComponent(id)}/cancel`, { reason }),
		issueInvoice: (id: string) => command('POST', `/orders/${encodeURIComponent(id)}/invoice`, {}),
		/** Delivery note and packing list for a confirmed order: what an AWB is created from. */
		prepareShipment: (id: string) =>
			run(async () => {
				const note = await send<{ id: string }>('POST', `/orders/${encodeURIComponent(id)}/delivery-notes`, {});
				return send<{ id: string }>('POST', `/delivery-notes/${encodeURIComponent(note.id)}/packing-lists`, {});
			}),
	}),
);

/** Waves and pick lists. */
export const pickListsStore = createResourceStore<PickList, { createWave: (orderIds: string[]) => unknown }>(
	{ name: 'expedio/pick-lists', listPath: plain('/pick-lists'), pick: field<PickList>('pickLists'), itemPath: (id) => `/pick-lists/${encodeURIComponent(id)}`, idOf: byId },
	({ command }) => ({ createWave: (orderIds: string[]) => command('POST', '/pick-lists', { orderIds }) }),
);

/** Packing lists, their rate quotes and the AWB made from one of them. */
export const packingListsStore = createResourceStore<PackingList, { createAwb: (id: string, quote: { courier: string; service: string; courierAccountId?: string }) => unknown }>(
	{ name: 'expedio/packing-lists', listPath: plain('/packing-lists'), pick: field<PackingList>('packingLists'), itemPath: (id) => `/packing-lists/${encodeURIComponent(id)}`, idOf: byId },
	({ command }) => ({ createAwb: (id: string, quote: { courier: string; service: string; courierAccountId?: string }) => command('POST', `/packing-lists/${encodeURIComponent(id)}/awb`, quote) }),
);

/** Rate quotes per packing list (a list keyed by packing list id). */
export const quotesStore = createResourceStore<Quote>({
	name: 'expedio/quotes',
	listPath: (query) => ({ path: `/packing-lists/${encodeURIComponent(String(query.packingListId))}/quotes`, query: {} }),
	pick: (body) => {
		const b = (body ?? {}) as { cheapest?: Quote[]; fastest?: Quote[] };
		const seen = new Set<string>();
		const items = [...(b.cheapest ?? []), ...(b.fastest ?? [])].filter((q) => {
			const key = `${q.courier}/${q.service}/${q.courierAccountId ?? ''}`;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		});
		return { items, nextCursor: null };
	},
});

/** Shipments (AWBs), manifests and label batches. */
export const shipmentsStore = createResourceStore<Shipment, { cancelShipment: (id: string) => unknown; printLabels: (shipmentIds: string[]) => unknown }>(
	{ name: 'expedio/shipments', listPath: plain('/shipments'), pick: field<Shipment>('shipments'), itemPath: (id) => `/shipments/${encodeURIComponent(id)}`, idOf: byId },
	({ command }) => ({
		cancelShipment: (id: string) => command('POST', `/shipments/${encodeURIComponent(id)}/cancel`, {}),
		printLabels: (shipmentIds: string[]) => command('POST', '/label-batches', { shipmentIds }),
	}),
);

/** Invoices of a period (the core answers totals beside the rows) and e-Factura states. */
export const invoicesStore = createResourceStore<Invoice, { resubmitEInvoice: (id: string) => unknown }>(
	{ name: 'expedio/invoices', listPath: plain('/invoices'), pick: field<Invoice>('invoices'), itemPath: (id) => `/invoices/${encodeURIComponent(id)}`, idOf: byId },
	({ command }) => ({ resubmitEInvoice: (id: string) => command('POST', `/invoices/${encodeURIComponent(id)}/e-invoice/resubmit`, {}) }),
);

/** Returns: the list, and a return started for a delivered order (POST /returns, the core's body). */
export type ReturnStart = { orderId: string; type: 'fully' | 'partially'; lines: { orderLineNo: number; quantity: number; reason: string }[]; reason: string };
export const returnsStore = createResourceStore<ReturnRequest, { startReturn: (body: ReturnStart) => unknown }>(
	{ name: 'expedio/returns', listPath: plain('/returns'), pick: field<ReturnRequest>('returns'), itemPath: (id) => `/returns/${encodeURIComponent(id)}`, idOf: byId },
	({ command }) => ({ startReturn: (body: ReturnStart) => command('POST', '/returns', body) }),
);

/** The one-click fixes: the core call that does what a stall's `fix` says (the Shopify app's list). */
export const STALL_FIXES: Record<string, (s: Stall) => string> = {
	'delivery_note.not_generated': (s) => `/orders/${encodeURIComponent(s.subjectId)}/delivery-notes`,
	'delivery_note.blocked': () => '/delivery-notes/recheck',
	'invoice.not_generated': (s) => `/orders/${encodeURIComponent(s.subjectId)}/invoice`,
	'einvoice.rejected': (s) => `/invoices/${encodeURIComponent(s.subjectId)}/e-invoice/resubmit`,
	'shipment.failed_attempt': (s) => `/shipments/${encodeURIComponent(s.subjectId)}/refresh`,
};

/** Where the flow is stuck, with the fix (and the fix's core call where there is one). */
export const stallsStore = createResourceStore<Stall, { fix: (stall: Stall) => unknown; acceptDifference: (stall: Stall, reason: string) => unknown }>(
	{ name: 'expedio/stalls', listPath: plain('/stalls'), pick: field<Stall>('stalls') },
	({ command }) => ({
		fix: (stall: Stall) => {
			const path = STALL_FIXES[stall.kind]?.(stall);
			return path ? command('POST', path, {}) : async () => ({ ok: false, message: stall.fix });
		},
		/** An invoice held for a store difference, issued as computed at the total shown, with the merchant's reason kept with it. */
		acceptDifference: (stall: Stall, reason: string) =>
			command('POST', `/orders/${encodeURIComponent(stall.subjectId)}/invoice`, {
				acceptStoreDifference: { invoiceTotal: stall.storeDifference?.invoiceTotal ?? '', reason, acceptedBy: 'WordPress admin' },
			}),
	}),
);

/** Reports: `query.report` names the report (REPORT_NAMES); the one row is the core's page with its rows and its chart. */
export const reportsStore = createResourceStore<ReportPage>({
	name: 'expedio/reports',
	listPath: ({ report, ...query }) => ({ path: `/reports/${encodeURIComponent(String(report))}`, query }),
	pick: (body) => {
		const b = (body ?? {}) as Partial<ReportPage>;
		if (Array.isArray(b.rows) && b.chart && Array.isArray(b.chart.series)) return { items: [b as ReportPage], nextCursor: b.nextCursor ?? null };
		return { items: [], nextCursor: null };
	},
});

/** The channel's settings: one item, `channel`. */
export const settingsStore = createResourceStore<Record<string, unknown>, { saveSettings: (patch: Record<string, unknown>) => unknown }>(
	{ name: 'expedio/settings', listPath: plain('/settings'), pick: (body) => ({ items: body && typeof body === 'object' ? [body as Record<string, unknown>] : [], nextCursor: null }), itemPath: () => '/settings' },
	({ command }) => ({ saveSettings: (patch: Record<string, unknown>) => command('PATCH', '/settings', patch) }),
);

/** The workspace's warehouses (the channel's default warehouse, the manifest's warehouse). */
export type Warehouse = { id: string; code: string; name: string };
export const warehousesStore = createResourceStore<Warehouse>({ name: 'expedio/warehouses', listPath: plain('/warehouses'), pick: field<Warehouse>('warehouses') });

export const STORES = [ordersStore, pickListsStore, packingListsStore, quotesStore, shipmentsStore, invoicesStore, returnsStore, stallsStore, reportsStore, settingsStore, warehousesStore];

export type { Query };
