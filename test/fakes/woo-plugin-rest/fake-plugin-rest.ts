/**
 * A fake of the plugin's REST routes (`/wp-json/expedio/v1/...`, woo-plugin/includes/class-rest-*.php)
 * as the wp-admin bundles see them, for the store unit tests (as apiFetch's fetch handler) and the
 * Chromium tests (served over HTTP on 127.0.0.1). The contract it follows:
 * - every route needs the `X-WP-Nonce` header (or `_wpnonce` query) of the logged-in manager:
 *   a wrong one is 403 `rest_cookie_invalid_nonce` (rest_cookie_check_errors), none makes the
 *   request anonymous and the permission check answers 401 `rest_forbidden`;
 * - `X-HTTP-Method-Override` turns a POST into PATCH/PUT/DELETE (apiFetch sends PATCH that way);
 *   `_locale=user` (apiFetch adds it) is accepted and ignored;
 * - a route answers the core's own body and status for `/api/v1/<same path>` (the plugin adds the
 *   channel id and the key); a core error arrives as a WordPress REST error
 *   `{ code: 'expedio_<core code, lower case>', message, data: { status, details } }`;
 * - only the paths below exist; anything else is WordPress's 404 `rest_no_route`.
 * Self-contained (no imports) so the woo-plugin package (DOM, bundler resolution) and the test
 * package (Node) can both load it.
 */

export interface FakeLine { lineNo: number; sku: string; name: string; quantity: number; inStock: number; unitPrice: string }
export interface FakeOrder {
	id: string;
	externalOrderId: string;
	externalNumber: string;
	status: string;
	holdReason: string | null;
	clientName: string;
	total: string;
	currency: string;
	createdAt: string;
	lines: (FakeLine & { quantityReserved: number })[];
	/** What the store charged when it differs from the invoice's total (the core holds the invoice: invoice.total_mismatch). */
	storeTotal: string | null;
}
export interface FakeRequest { method: string; path: string; headers?: Record<string, string>; data?: unknown }
export interface FakeResponse { status: number; body: unknown; pdf?: boolean }

export interface FakePluginRestSeed {
	nonce: string;
	orders: { externalOrderId: string; status?: string; clientName?: string; storeTotal?: string; lines: FakeLine[] }[];
	/** How many label-batch polls a label takes (progress is deterministic: one label per poll). */
	labelsPerPoll?: number;
}

export interface FakePluginRest {
	handle(req: FakeRequest): FakeResponse;
	orders: FakeOrder[];
	shipments: { id: string; packingListId: string; orderId: string; courier: string; service: string; awb: string; trackingUrl: string; status: string; attention: null }[];
	/** Every request the fake answered, for assertions on what the bundle sent. */
	log: { method: string; path: string; data: unknown; status: number }[];
}

const ORDER_CONFIRMABLE = ['new', 'processing', 'on_hold'];
const ORDER_HOLDABLE = ['new', 'processing', 'confirmed', 'picking', 'picked'];
const ORDER_FINAL = ['shipping', 'delivered', 'cancelled'];

function error(status: number, code: string, message: string, details: { path: string; reason: string }[] = []): FakeResponse {
	return { status, body: { code: `expedio_${code.toLowerCase()}`, message, data: { status, details } } };
}

export function createFakePluginRest(seed: FakePluginRestSeed): FakePluginRest {
	let nextId = 100;
	const id = () => String(nextId++);
	const orders: FakeOrder[] = seed.orders.map((o, i) => ({
		id: String(i + 1),
		externalOrderId: o.externalOrderId,
		externalNumber: o.externalOrderId,
		status: o.status ?? 'new',
		holdReason: null,
		clientName: o.clientName ?? `Client ${i + 1}`,
		total: o.lines.reduce((n, l) => n + Number(l.unitPrice) * l.quantity, 0).toFixed(2),
		currency: 'RON',
		createdAt: new Date(Date.UTC(2026, 11, 1, 8, i)).toISOString(),
		lines: o.lines.map((l) => ({ ...l, quantityReserved: 0 })),
		storeTotal: o.storeTotal ?? null,
	}));
	const deliveryNotes: { id: string; orderId: string }[] = [];
	const packingLists: { id: string; deliveryNoteId: string; orderId: string; type: string; status: string; courier: string | null; service: string | null; parcels: unknown[]; missingForAwb: string[] }[] = [];
	const shipments: FakePluginRest['shipments'] = [];
	const invoices: { id: string; orderId: string; series: string; number: number; issuedAt: string; total: string; currency: string; eInvoiceState: string }[] = [];
	const batches: { id: string; shipmentIds: string[]; done: number }[] = [];
	// The core's PickListSummary (GET /pick-lists answers summaries; the orders and lines come with GET /pick-lists/{id}).
	const pickLists: { id: string; warehouseId: string; status: string; pickerUserId: null; pickerName: null; tickUsed: boolean; orderCount: number; lineCount: number; quantity: number; picked: number; short: number; createdAt: string }[] = [];
	const settings = { channelId: '7', kind: 'woocommerce', autoConfirm: false, approvalRequired: false, createInvoice: 'off', returnWindowDays: 14, invoiceSeries: 'EXP' };
	const log: FakePluginRest['log'] = [];
	const perPoll = seed.labelsPerPoll ?? 1;

	const summary = (o: FakeOrder) => ({
		id: o.id,
		channelId: '7',
		externalOrderId: o.externalOrderId,
		externalNumber: o.externalNumber,
		status: o.status,
		statusCode: 0,
		paid: false,
		paidStatusCode: null,
		approvalStatus: null,
		deliveryType: 'total',
		paymentStatus: 'pending',
		paymentMethod: 'cod',
		holdReason: o.holdReason,
		total: o.total,
		currency: o.currency,
		clientName: o.clientName,
		createdAt: o.createdAt,
		updatedAt: o.createdAt,
	});
	const detail = (o: FakeOrder) => ({
		...summary(o),
		email: 'client@example.test',
		shippingAddress: null,
		note: null,
		lines: o.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, name: l.name, quantity: l.quantity, quantityReserved: l.quantityReserved, unreserved: l.quantity - l.quantityReserved, unitPrice: l.unitPrice, total: (Number(l.unitPrice) * l.quantity).toFixed(2) })),
	});

	function route(method: string, path: string, query: URLSearchParams, data: Record<string, unknown>): FakeResponse {
		let m: RegExpMatchArray | null;
		if (method === 'GET' && path === '/orders') {
			const limit = Number(query.get('limit') ?? 50);
			if (!Number.isInteger(limit) || limit < 1 || limit > 200) return error(400, 'VALIDATION', 'Invalid query', [{ path: 'limit', reason: 'must be 1..200' }]);
			const after = query.get('cursor');
			const rows = orders
				.filter((o) => !query.get('status') || o.status === query.get('status'))
				.filter((o) => !query.get('externalOrderId') || o.externalOrderId === query.get('externalOrderId'))
				.sort((a, b) => Number(b.id) - Number(a.id))
				.filter((o) => !after || Number(o.id) < Number(after));
			const page = rows.slice(0, limit);
			return { status: 200, body: { orders: page.map(summary), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null } };
		}
		m = method === 'GET' ? path.match(/^\/orders\/(\d+)$/) : null;
		if (m) {
			const o = orders.find((x) => x.id === m?.[1]);
			return o ? { status: 200, body: detail(o) } : error(404, 'NOT_FOUND', `Order ${m[1]} not found`);
		}
		m = method === 'POST' ? path.match(/^\/orders\/(\d+)\/(confirm|hold|cancel|invoice|delivery-notes)$/) : null;
		if (m) {
			const o = orders.find((x) => x.id === m?.[1]);
			if (!o) return error(404, 'NOT_FOUND', `Order ${m[1]} not found`);
			const action = m[2];
			if (action === 'confirm') {
				if (!ORDER_CONFIRMABLE.includes(o.status)) return error(409, 'CONFLICT', `An order in status ${o.status} cannot be confirmed.`, [{ path: 'status', reason: o.status }]);
				const short = o.lines.some((l) => l.inStock < l.quantity);
				if (short && data.partial !== true) return error(409, 'INSUFFICIENT_STOCK', 'Not enough stock to confirm the whole order; confirm partially or wait.', [{ path: 'lines', reason: 'short' }]);
				for (const l of o.lines) l.quantityReserved = Math.min(l.quantity, l.inStock);
				o.status = 'confirmed';
				o.holdReason = null;
				return { status: 200, body: { orderId: o.id, status: o.status } };
			}
			if (action === 'hold') {
				if (typeof data.reason !== 'string' || data.reason.trim() === '') return error(400, 'VALIDATION', 'Invalid body', [{ path: 'reason', reason: 'must be a non-empty text' }]);
				if (!ORDER_HOLDABLE.includes(o.status)) return error(409, 'CONFLICT', `An order in status ${o.status} cannot be put on hold.`);
				o.status = 'on_hold';
				o.holdReason = data.reason;
				return { status: 200, body: { orderId: o.id, status: o.status } };
			}
			if (action === 'cancel') {
				if (ORDER_FINAL.includes(o.status)) return error(409, 'CONFLICT', `An order in status ${o.status} cannot be cancelled.`);
				o.status = 'cancelled';
				for (const l of o.lines) l.quantityReserved = 0;
				return { status: 200, body: { orderId: o.id, status: o.status } };
			}
			if (action === 'invoice') {
				if (invoices.some((i) => i.orderId === o.id)) return error(409, 'CONFLICT', 'This order already has an invoice.');
				// The core's rule: an invoice that differs from what the store charged is issued only with the total accepted.
				const accept = (data as { acceptStoreDifference?: { invoiceTotal?: string } }).acceptStoreDifference;
				if (o.storeTotal !== null && o.storeTotal !== o.total && !accept) return error(409, 'CONFLICT', `The store charged ${o.storeTotal} ${o.currency}, the invoice would be ${o.total} ${o.currency}.`, [{ path: 'total', reason: `store ${o.storeTotal}, invoice ${o.total} ${o.currency}` }]);
				if (o.storeTotal !== null && accept && accept.invoiceTotal !== o.total) return error(409, 'CONFLICT', `The invoice would now be ${o.total} ${o.currency}.`, [{ path: 'acceptStoreDifference.invoiceTotal', reason: `the invoice would be ${o.total} ${o.currency}` }]);
				const inv = { id: id(), orderId: o.id, series: 'EXP', number: invoices.length + 1, issuedAt: '2026-12-02T08:00:00.000Z', total: o.total, currency: o.currency, eInvoiceState: 'queued' };
				invoices.push(inv);
				return { status: 201, body: inv };
			}
			if (o.status !== 'confirmed') return error(409, 'CONFLICT', 'Only a confirmed order gets a delivery note.');
			const dn = { id: id(), orderId: o.id };
			deliveryNotes.push(dn);
			return { status: 201, body: { ...dn, approved: true, lines: [] } };
		}
		m = method === 'POST' ? path.match(/^\/delivery-notes\/(\d+)\/packing-lists$/) : null;
		if (m) {
			const dn = deliveryNotes.find((d) => d.id === m?.[1]);
			if (!dn) return error(404, 'NOT_FOUND', `Delivery note ${m[1]} not found`);
			const pl = { id: id(), deliveryNoteId: dn.id, orderId: dn.orderId, type: 'delivery', status: 'open', courier: null, service: null, parcels: [{ parcelNo: 1, weightKg: 1, lengthCm: 30, widthCm: 20, heightCm: 10 }], missingForAwb: [] };
			packingLists.push(pl);
			return { status: 201, body: pl };
		}
		if (method === 'GET' && path === '/packing-lists') {
			return { status: 200, body: { packingLists: packingLists.filter((p) => !query.get('orderId') || p.orderId === query.get('orderId')) } };
		}
		m = method === 'GET' ? path.match(/^\/packing-lists\/(\d+)\/quotes$/) : null;
		if (m) {
			if (!packingLists.some((p) => p.id === m?.[1])) return error(404, 'NOT_FOUND', `Packing list ${m[1]} not found`);
			const cargus = { courier: 'cargus', service: 'standard', price: '18.50', currency: 'RON', days: 2, courierAccountId: '1' };
			const sameday = { courier: 'sameday', service: 'express', price: '24.00', currency: 'RON', days: 1, courierAccountId: '2' };
			return { status: 200, body: { cheapest: [cargus, sameday], fastest: [sameday, cargus], failures: [], pick: cargus } };
		}
		m = method === 'POST' ? path.match(/^\/packing-lists\/(\d+)\/awb$/) : null;
		if (m) {
			const pl = packingLists.find((p) => p.id === m?.[1]);
			if (!pl) return error(404, 'NOT_FOUND', `Packing list ${m[1]} not found`);
			if (typeof data.courier !== 'string') return error(400, 'VALIDATION', 'Invalid body', [{ path: 'courier', reason: 'required' }]);
			if (shipments.some((s) => s.packingListId === pl.id && s.status !== 'cancelled')) return error(409, 'CONFLICT', 'This packing list already has an AWB.');
			const awb = `${data.courier === 'cargus' ? '1170' : '4EMG'}${String(shipments.length + 1).padStart(6, '0')}`;
			const s = { id: id(), packingListId: pl.id, orderId: pl.orderId, courier: data.courier, service: String(data.service ?? 'standard'), awb, trackingUrl: `https://tracking.example.test/${awb}`, status: 'created', attention: null };
			shipments.push(s);
			pl.status = 'closed';
			pl.courier = s.courier;
			return { status: 201, body: s };
		}
		if (method === 'GET' && path === '/shipments') {
			return { status: 200, body: { shipments: shipments.filter((s) => !query.get('orderId') || s.orderId === query.get('orderId')) } };
		}
		m = method === 'POST' ? path.match(/^\/shipments\/(\d+)\/cancel$/) : null;
		if (m) {
			const s = shipments.find((x) => x.id === m?.[1]);
			if (!s) return error(404, 'NOT_FOUND', `Shipment ${m[1]} not found`);
			s.status = 'cancelled';
			return { status: 200, body: s };
		}
		m = method === 'GET' ? path.match(/^\/shipments\/(\d+)\/label$/) : null;
		if (m) {
			return shipments.some((s) => s.id === m?.[1]) ? { status: 200, body: `label ${m[1]}`, pdf: true } : error(404, 'NOT_FOUND', 'No such shipment');
		}
		if (method === 'POST' && path === '/label-batches') {
			const ids = data.shipmentIds;
			if (!Array.isArray(ids) || ids.length === 0) return error(400, 'VALIDATION', 'Invalid body', [{ path: 'shipmentIds', reason: 'must list at least one shipment' }]);
			const unknown = ids.find((x) => !shipments.some((s) => s.id === x));
			if (unknown !== undefined) return error(404, 'NOT_FOUND', `Shipment ${String(unknown)} not found`, [{ path: 'shipmentIds', reason: String(unknown) }]);
			const b = { id: id(), shipmentIds: ids.map(String), done: 0 };
			batches.push(b);
			return { status: 202, body: { id: b.id, status: 'running', done: 0, total: ids.length } };
		}
		m = method === 'GET' ? path.match(/^\/label-batches\/(\d+)$/) : null;
		if (m) {
			const b = batches.find((x) => x.id === m?.[1]);
			if (!b) return error(404, 'NOT_FOUND', 'No such batch');
			b.done = Math.min(b.shipmentIds.length, b.done + perPoll);
			const done = b.done === b.shipmentIds.length;
			return { status: 200, body: { id: b.id, status: done ? 'done' : 'running', done: b.done, total: b.shipmentIds.length, pdfUrl: done ? `/api/v1/label-batches/${b.id}/pdf` : null } };
		}
		m = method === 'GET' ? path.match(/^\/label-batches\/(\d+)\/pdf$/) : null;
		if (m) {
			const b = batches.find((x) => x.id === m?.[1]);
			return b && b.done === b.shipmentIds.length ? { status: 200, body: `labels ${b.shipmentIds.join(',')}`, pdf: true } : error(409, 'CONFLICT', 'The batch is not done yet.');
		}
		if (method === 'GET' && path === '/invoices') {
			if (!query.get('from') || !query.get('to')) return error(400, 'VALIDATION', 'Invalid query', [{ path: query.get('from') ? 'to' : 'from', reason: 'required' }]);
			return { status: 200, body: { totals: [], invoices } };
		}
		m = method === 'GET' ? path.match(/^\/invoices\/(\d+)\/pdf$/) : null;
		if (m) return { status: 200, body: `invoice ${m[1]}`, pdf: true };
		if (method === 'GET' && path === '/pick-lists') return { status: 200, body: { pickLists } };
		if (method === 'POST' && path === '/pick-lists') {
			const ids = data.orderIds;
			if (!Array.isArray(ids) || ids.length === 0) return error(400, 'VALIDATION', 'Invalid body', [{ path: 'orderIds', reason: 'must list at least one order' }]);
			const p = { id: id(), warehouseId: '1', status: 'open', pickerUserId: null, pickerName: null, tickUsed: false, orderCount: ids.length, lineCount: 0, quantity: 0, picked: 0, short: 0, createdAt: new Date(0).toISOString() };
			pickLists.push(p);
			return { status: 201, body: p };
		}
		if (method === 'GET' && path === '/stalls') {
			const stalls = [
				...orders
					.filter((o) => o.status === 'confirmed' && o.lines.some((l) => l.quantityReserved < l.quantity))
					.map((o) => ({ kind: 'order.backorder', subjectType: 'order', subjectId: o.id, message: `Order ${o.externalNumber} waits for stock`, why: 'Some lines are not reserved.', fix: 'Receive the missing stock or ship partially.', link: null, since: o.createdAt, storeDifference: null })),
				...orders
					.filter((o) => o.storeTotal !== null && o.storeTotal !== o.total && !invoices.some((i) => i.orderId === o.id))
					.map((o) => ({
						kind: 'invoice.total_mismatch',
						subjectType: 'order',
						subjectId: o.id,
						message: `Order ${o.externalNumber}: the store charged ${o.storeTotal} ${o.currency}, the invoice would be ${o.total} ${o.currency}. The invoice is held, not issued.`,
						why: 'see the message',
						fix: 'Make the two agree, or issue it as computed with a reason.',
						link: `/api/v1/orders/${o.id}`,
						since: o.createdAt,
						storeDifference: { storeTotal: o.storeTotal!, invoiceTotal: o.total, currency: o.currency },
					})),
			];
			return { status: 200, body: { stalls } };
		}
		if (method === 'GET' && path === '/returns') return { status: 200, body: { returns: [] } };
		if (method === 'GET' && path === '/reports/awbs-in-transit') {
			// The core's ReportPage: rows, columns, the next cursor and the chart (counts per status).
			const byStatus: Record<string, number> = {};
			for (const s of shipments) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
			return { status: 200, body: { report: 'awbs-in-transit', columns: ['awb', 'status'], rows: shipments.map((s) => ({ awb: s.awb, status: s.status })), nextCursor: null, chart: { kind: 'doughnut', stacked: false, scope: 'page', labels: Object.keys(byStatus), series: [{ name: 'AWBs', values: Object.values(byStatus) }] }, byStatus } };
		}
		if (method === 'GET' && path === '/reports/orders-per-channel') {
			return { status: 200, body: { report: 'orders-per-channel', columns: ['day', 'orders'], rows: [{ day: '2026-12-02', orders: orders.length }], nextCursor: null, chart: { kind: 'bar', stacked: true, scope: 'page', labels: ['2026-11-30', '2026-12-01', '2026-12-02'], series: [{ name: 'new', values: [3, orders.length, 1] }] } } };
		}
		if (path === '/settings' && method === 'GET') return { status: 200, body: settings };
		if (path === '/settings' && method === 'PATCH') {
			if ('returnWindowDays' in data && (!Number.isInteger(data.returnWindowDays) || Number(data.returnWindowDays) < 0)) return error(400, 'VALIDATION', 'Invalid body', [{ path: 'returnWindowDays', reason: 'must be a whole number of days' }]);
			Object.assign(settings, data);
			return { status: 200, body: settings };
		}
		return { status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } };
	}

	return {
		orders,
		shipments,
		log,
		handle(req) {
			const url = new URL(req.path, 'http://wp.test');
			const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
			const nonce = headers['x-wp-nonce'] ?? url.searchParams.get('_wpnonce');
			const restPath = url.pathname.replace(/^\/wp-json/, '');
			let res: FakeResponse;
			if (!restPath.startsWith('/expedio/v1/')) {
				res = { status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } };
			} else if (nonce === undefined || nonce === null || nonce === '') {
				res = { status: 401, body: { code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.', data: { status: 401 } } };
			} else if (nonce !== seed.nonce) {
				res = { status: 403, body: { code: 'rest_cookie_invalid_nonce', message: 'Cookie check failed', data: { status: 403 } } };
			} else {
				const data = typeof req.data === 'string' ? (JSON.parse(req.data || '{}') as Record<string, unknown>) : ((req.data ?? {}) as Record<string, unknown>);
				const override = headers['x-http-method-override'];
				const method = req.method.toUpperCase() === 'POST' && override ? override.toUpperCase() : req.method.toUpperCase();
				url.searchParams.delete('_locale');
				res = route(method, restPath.slice('/expedio/v1'.length), url.searchParams, data);
			}
			log.push({ method: req.method.toUpperCase(), path: req.path, data: req.data ?? null, status: res.status });
			return res;
		},
	};
}
