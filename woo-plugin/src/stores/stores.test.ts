/**
 * The wp-admin stores against a fake of the plugin's REST routes: the real reducers, selectors,
 * resolvers and command thunks, the real apiFetch with its nonce middleware; only the network is
 * the fake (test/fakes/woo-plugin-rest), which answers what class-rest-*.php forwards from the core.
 */
import apiFetch from '@wordpress/api-fetch';
import { dispatch, resolveSelect, select } from '@wordpress/data';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakePluginRest, type FakePluginRest } from '../../../test/fakes/woo-plugin-rest/fake-plugin-rest.ts';
import { restPath } from '../api';
import './index';
import { createReducer, queryKey } from './resource';

const NONCE = 'nonce-for-tests';
let fake: FakePluginRest;
let nonceSent: string | null = NONCE;

apiFetch.use((options, next) => (nonceSent === null ? next(options) : apiFetch.createNonceMiddleware(nonceSent)(options, next)));
apiFetch.setFetchHandler(async (options) => {
	const res = fake.handle({ method: options.method ?? 'GET', path: `/wp-json${options.path ?? ''}`, headers: (options.headers ?? {}) as Record<string, string>, data: options.data });
	if (res.status >= 400) throw res.body;
	return res.body;
});
/** What the bundle asked for, without the `_locale=user` apiFetch adds to every request. */
const sent = () => fake.log.map((l) => ({ ...l, path: l.path.replace(/[?&]_locale=user$/, '') }));

// biome-ignore lint/suspicious/noExplicitAny: the registry's per-store selectors are untyped here.
const sel = (name: string): any => select(name);
// biome-ignore lint/suspicious/noExplicitAny: see above.
const resolve = (name: string): any => resolveSelect(name);
// biome-ignore lint/suspicious/noExplicitAny: see above.
const act = (name: string): any => dispatch(name);

function seed(): FakePluginRest {
	return createFakePluginRest({
		nonce: NONCE,
		orders: [
			{ externalOrderId: '1001', lines: [{ lineNo: 1, sku: 'MUG-1', name: 'Mug', quantity: 2, inStock: 5, unitPrice: '30.00' }] },
			{ externalOrderId: '1002', lines: [{ lineNo: 1, sku: 'TEE-M', name: 'T-shirt M', quantity: 3, inStock: 1, unitPrice: '80.00' }] },
			{ externalOrderId: '1003', status: 'cancelled', lines: [{ lineNo: 1, sku: 'CAP', name: 'Cap', quantity: 1, inStock: 9, unitPrice: '40.00' }] },
		],
	});
}

beforeEach(async () => {
	fake = seed();
	nonceSent = NONCE;
	for (const name of ['expedio/orders', 'expedio/shipments', 'expedio/packing-lists', 'expedio/quotes', 'expedio/invoices', 'expedio/stalls', 'expedio/settings', 'expedio/reports', 'expedio/pick-lists']) await act(name).refresh();
});

describe('resource reducer', () => {
	it('keeps a list per query, fills the item cache from it and clears that query’s error', () => {
		const reducer = createReducer<{ id: string }>();
		let state = reducer(undefined, { type: 'RECEIVE_ERROR', key: 'status=new', message: 'down' });
		state = reducer(state, { type: 'RECEIVE_LIST', key: 'status=new', entry: { items: [{ id: '1' }], nextCursor: null, body: {} }, ids: [['1', { id: '1' }]] });
		expect(state.errors).toEqual({});
		expect(state.lists['status=new']?.items).toEqual([{ id: '1' }]);
		expect(state.items['1']).toEqual({ id: '1' });
		expect(reducer(state, { type: 'FORGET' })).toEqual({ lists: {}, items: {}, errors: {} });
	});

	it('merges a list’s summary into an item read whole instead of replacing it, whichever answer comes last', () => {
		const reducer = createReducer<{ id: string; status: string; lines?: string[] }>();
		let state = reducer(undefined, { type: 'RECEIVE_ITEM', id: '1', item: { id: '1', status: 'confirmed', lines: ['A'] } });
		state = reducer(state, { type: 'RECEIVE_LIST', key: 'externalOrderId=9', entry: { items: [{ id: '1', status: 'confirmed' }], nextCursor: null, body: {} }, ids: [['1', { id: '1', status: 'confirmed' }]] });
		expect(state.items['1']).toEqual({ id: '1', status: 'confirmed', lines: ['A'] });
		expect(reducer(undefined, { type: 'RECEIVE_LIST', key: 'k', entry: { items: [], nextCursor: null, body: {} }, ids: [['2', { id: '2', status: 'new' }]] }).items['2']).toEqual({ id: '2', status: 'new' });
	});

	it('names a query the same whatever the order of its filters, leaving out empty ones', () => {
		expect(queryKey({ status: 'new', limit: 25, cursor: undefined })).toBe(queryKey({ limit: 25, status: 'new', externalOrderId: '' }));
		expect(queryKey({ status: 'new' })).not.toBe(queryKey({ status: 'confirmed' }));
	});

	it('builds the plugin route with only the filters that have a value', () => {
		expect(restPath('/orders', { status: 'new', cursor: undefined, externalOrderId: '' })).toBe('/expedio/v1/orders?status=new');
	});
});

describe('orders store', () => {
	it('lists a status tab through the plugin route, newest first, and caches each row by id', async () => {
		const page = await resolve('expedio/orders').getList({ status: 'new', limit: 25 });
		expect(page.items.map((o: { externalOrderId: string }) => o.externalOrderId)).toEqual(['1002', '1001']);
		expect(sent().at(-1)).toMatchObject({ method: 'GET', path: '/wp-json/expedio/v1/orders?status=new&limit=25', status: 200 });
		expect(sel('expedio/orders').getItem('1')).toMatchObject({ externalOrderId: '1001' });
	});

	it('pages with the opaque cursor the previous page gave', async () => {
		const first = await resolve('expedio/orders').getList({ limit: 2 });
		expect(first.items).toHaveLength(2);
		expect(first.nextCursor).not.toBeNull();
		const second = await resolve('expedio/orders').getList({ limit: 2, cursor: first.nextCursor });
		expect(second.items.map((o: { externalOrderId: string }) => o.externalOrderId)).toEqual(['1001']);
		expect(second.nextCursor).toBeNull();
	});

	it('finds the Expedio order of a WooCommerce order id (what the meta box does)', async () => {
		const found = await resolve('expedio/orders').getList({ externalOrderId: '1002', limit: 1 });
		expect(found.items.map((o: { id: string }) => o.id)).toEqual(['2']);
	});

	it('confirms an order, then shows the confirmed order and what it reserved', async () => {
		await resolve('expedio/orders').getItem('1');
		expect(sel('expedio/orders').getItem('1').status).toBe('new');
		const result = await act('expedio/orders').confirm('1');
		expect(result).toEqual({ ok: true, result: { orderId: '1', status: 'confirmed' } });
		expect(sent().find((l) => l.method === 'POST')).toMatchObject({ path: '/wp-json/expedio/v1/orders/1/confirm', data: { partial: false } });
		// The command revalidated the cached order: shown as it was until the next read fetches it again.
		expect(sel('expedio/orders').getItem('1').status).toBe('new');
		const fresh = await resolve('expedio/orders').getItem('1');
		expect(fresh.status).toBe('confirmed');
		expect(fresh.lines[0]).toMatchObject({ quantityReserved: 2, unreserved: 0 });
	});

	it('answers the core’s refusal when stock is short, and a partial confirm reserves what there is', async () => {
		const refused = await act('expedio/orders').confirm('2');
		expect(refused.ok).toBe(false);
		expect(refused.message).toContain('Not enough stock');
		expect(fake.orders[1]?.status).toBe('new');
		const partial = await act('expedio/orders').confirm('2', true);
		expect(partial.ok).toBe(true);
		const order = await resolve('expedio/orders').getItem('2');
		expect(order.lines[0]).toMatchObject({ quantity: 3, quantityReserved: 1, unreserved: 2 });
		const stalls = await resolve('expedio/stalls').getList({});
		expect(stalls.items.map((s: { subjectId: string; kind: string }) => [s.kind, s.subjectId])).toEqual([['order.backorder', '2']]);
	});

	it('refuses to cancel a cancelled order and a hold without a reason, naming the field', async () => {
		const cancel = await act('expedio/orders').cancel('3', 'again');
		expect(cancel).toEqual({ ok: false, message: 'An order in status cancelled cannot be cancelled.' });
		const hold = await act('expedio/orders').hold('1', ' ');
		expect(hold).toEqual({ ok: false, message: 'Invalid body (reason: must be a non-empty text)' });
		expect(fake.orders[0]?.status).toBe('new');
	});

	it('keeps the error of a list that failed (no nonce: WordPress sees a logged-out user), and a later success clears it', async () => {
		nonceSent = null;
		await resolve('expedio/orders').getList({ status: 'confirmed' });
		expect(sel('expedio/orders').getListError({ status: 'confirmed' })).toBe('Sorry, you are not allowed to do that.');
		expect(sel('expedio/orders').getList({ status: 'confirmed' })).toBeUndefined();
		nonceSent = NONCE;
		await act('expedio/orders').refresh();
		await resolve('expedio/orders').getList({ status: 'confirmed' });
		expect(sel('expedio/orders').getListError({ status: 'confirmed' })).toBeUndefined();
		expect(sel('expedio/orders').getList({ status: 'confirmed' }).items).toEqual([]);
	});

	it('keeps what is on screen after a command until the new answers arrive, then shows them', async () => {
		const before = await resolve('expedio/orders').getList({ status: 'new' });
		expect(before.items.map((o: { id: string }) => o.id)).toContain('1');
		expect((await act('expedio/orders').confirm('1')).ok).toBe(true);
		// Revalidated, not forgotten: the old list is still there (a card does not blank into Loading).
		expect(sel('expedio/orders').getList({ status: 'new' })?.items.map((o: { id: string }) => o.id)).toContain('1');
		const after = await resolve('expedio/orders').getList({ status: 'new' });
		expect(after.items.map((o: { id: string }) => o.id)).not.toContain('1');
	});

	it('issues the invoice once; the second time the core says it exists', async () => {
		await act('expedio/orders').confirm('1');
		expect((await act('expedio/orders').issueInvoice('1')).ok).toBe(true);
		expect(await act('expedio/orders').issueInvoice('1')).toEqual({ ok: false, message: 'This order already has an invoice.' });
		const invoices = await resolve('expedio/invoices').getList({ from: '2026-01-01', to: '2026-12-31' });
		expect(invoices.items.map((i: { orderId: string }) => i.orderId)).toEqual(['1']);
	});

	it('issues an invoice held for a store difference only with the total shown and a reason; the stall then goes', async () => {
		fake = createFakePluginRest({ nonce: NONCE, orders: [{ externalOrderId: '2001', storeTotal: '55.00', lines: [{ lineNo: 1, sku: 'MUG-1', name: 'Mug', quantity: 2, inStock: 5, unitPrice: '30.00' }] }] });
		await act('expedio/stalls').refresh();
		const stalls = await resolve('expedio/stalls').getList({});
		const stall = stalls.items.find((x: { kind: string }) => x.kind === 'invoice.total_mismatch');
		expect(stall.storeDifference).toEqual({ storeTotal: '55.00', invoiceTotal: '60.00', currency: 'RON' });
		expect(await act('expedio/orders').issueInvoice('1')).toEqual({ ok: false, message: 'The store charged 55.00 RON, the invoice would be 60.00 RON. (total: store 55.00, invoice 60.00 RON)' });
		expect((await act('expedio/stalls').acceptDifference(stall, 'the store left the shipping discount out')).ok).toBe(true);
		expect(sent().filter((l) => l.method === 'POST').at(-1)).toEqual({
			method: 'POST',
			path: '/wp-json/expedio/v1/orders/1/invoice',
			data: { acceptStoreDifference: { invoiceTotal: '60.00', reason: 'the store left the shipping discount out', acceptedBy: 'WordPress admin' } },
			status: 201,
		});
		const after = await resolve('expedio/stalls').getList({});
		expect(after.items.map((x: { kind: string }) => x.kind)).toEqual([]);
	});

	it('says which filter the invoice list is missing', async () => {
		await resolve('expedio/invoices').getList({ from: '2026-01-01' });
		expect(sel('expedio/invoices').getListError({ from: '2026-01-01' })).toBe('Invalid query (to: required)');
	});
});

describe('shipping stores', () => {
	it('prepares a confirmed order, quotes it and creates the AWB from the chosen rate', async () => {
		await act('expedio/orders').confirm('1');
		const prepared = await act('expedio/orders').prepareShipment('1');
		expect(prepared.ok).toBe(true);
		const lists = await resolve('expedio/packing-lists').getList({ orderId: '1' });
		const packingListId = lists.items[0].id;
		const quotes = await resolve('expedio/quotes').getList({ packingListId });
		expect(quotes.items.map((q: { courier: string }) => q.courier)).toEqual(['cargus', 'sameday']);
		const awb = await act('expedio/packing-lists').createAwb(packingListId, { courier: 'sameday', service: 'express', courierAccountId: '2' });
		expect(awb.ok).toBe(true);
		const shipments = await resolve('expedio/shipments').getList({ orderId: '1' });
		expect(shipments.items[0]).toMatchObject({ courier: 'sameday', awb: '4EMG000001', trackingUrl: 'https://tracking.example.test/4EMG000001' });
		expect(await act('expedio/packing-lists').createAwb(packingListId, { courier: 'cargus', service: 'standard' })).toEqual({ ok: false, message: 'This packing list already has an AWB.' });
	});

	it('refuses to prepare a shipment for an order that is not confirmed', async () => {
		expect(await act('expedio/orders').prepareShipment('1')).toEqual({ ok: false, message: 'Only a confirmed order gets a delivery note.' });
	});

	it('starts a label batch for the chosen shipments and refuses an empty one', async () => {
		await act('expedio/orders').confirm('1');
		await act('expedio/orders').prepareShipment('1');
		const pl = (await resolve('expedio/packing-lists').getList({ orderId: '1' })).items[0];
		await act('expedio/packing-lists').createAwb(pl.id, { courier: 'cargus', service: 'standard' });
		const shipment = (await resolve('expedio/shipments').getList({})).items[0];
		const batch = await act('expedio/shipments').printLabels([shipment.id]);
		expect(batch).toMatchObject({ ok: true, result: { status: 'running', done: 0, total: 1 } });
		expect(await act('expedio/shipments').printLabels([])).toEqual({ ok: false, message: 'Invalid body (shipmentIds: must list at least one shipment)' });
	});
});

describe('reports and settings stores', () => {
	it("keeps a report's page (rows and chart) as its one row", async () => {
		const perDay = await resolve('expedio/reports').getList({ report: 'orders-per-channel' });
		expect(perDay.items[0].chart.series[0].values).toEqual([3, 3, 1]);
		expect(perDay.items[0].rows).toEqual([{ day: '2026-12-02', orders: 3 }]);
		const transit = await resolve('expedio/reports').getList({ report: 'awbs-in-transit' });
		expect(transit.items[0].chart).toMatchObject({ kind: 'doughnut', labels: [], series: [{ name: 'AWBs', values: [] }] });
		expect(sent().at(-1)?.path).toBe('/wp-json/expedio/v1/reports/awbs-in-transit');
	});

	it('saves a settings change and refuses a bad one with the field named', async () => {
		const before = await resolve('expedio/settings').getItem('channel');
		expect(before.autoConfirm).toBe(false);
		expect((await act('expedio/settings').saveSettings({ autoConfirm: true })).ok).toBe(true);
		expect((await resolve('expedio/settings').getItem('channel')).autoConfirm).toBe(true);
		expect(sent().find((l) => l.method === 'POST')).toMatchObject({ path: '/wp-json/expedio/v1/settings' });
		expect(await act('expedio/settings').saveSettings({ returnWindowDays: -1 })).toEqual({ ok: false, message: 'Invalid body (returnWindowDays: must be a whole number of days)' });
	});

	it('creates a wave from confirmed orders', async () => {
		await act('expedio/orders').confirm('1');
		const wave = await act('expedio/pick-lists').createWave(['1']);
		expect(wave.ok).toBe(true);
		expect((await resolve('expedio/pick-lists').getList({})).items[0]).toMatchObject({ status: 'open', orderCount: 1 });
	});
});
