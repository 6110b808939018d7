/**
 * WooCommerce → Expedio: this store's orders as Expedio sees them (fulfilment status, payment,
 * approval). Data comes from the plugin's own REST route (expedio/v1/orders), which forwards to
 * the core; the browser never holds the core's URL or API key.
 */
import apiFetch from '@wordpress/api-fetch';
import { Button, Card, CardBody, CardHeader, Notice, SelectControl, Spinner } from '@wordpress/components';
import { createRoot, useEffect, useState } from '@wordpress/element';
import { ORDER_STATUSES, type OrderSummary, type OrdersPage } from './generated/expedio-api';

/** Printed by the plugin (Admin_Page::enqueue) before this script. */
interface ExpedioAdminConfig {
	restRoot: string;
	nonce: string;
	configured: boolean;
}

declare global {
	interface Window {
		expedioAdmin?: ExpedioAdminConfig;
	}
}

type OrdersState =
	| { kind: 'loading' }
	| { kind: 'error'; message: string }
	| { kind: 'loaded'; page: OrdersPage };

const PAGE_SIZE = 25;

/** The core's order statuses (generated from its contracts), so the filter offers exactly what it accepts. */
const STATUS_OPTIONS: { label: string; value: string }[] = [
	{ label: 'All statuses', value: '' },
	...ORDER_STATUSES.map((value) => ({ label: sentence(value), value })),
];

/** WordPress REST errors reject with `{ code, message, data }`; a network failure with something else. */
function errorMessage(error: unknown): string {
	if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
		return error.message;
	}
	return 'The orders could not be loaded.';
}

function fetchOrders(cursor: string | null, status: string): Promise<OrdersPage> {
	const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
	if (cursor !== null) {
		query.set('cursor', cursor);
	}
	if (status !== '') {
		query.set('status', status);
	}
	return apiFetch<OrdersPage>({ path: `/expedio/v1/orders?${query.toString()}` });
}

/**
 * The order list's state. Cursors already visited are kept so "Previous page" does not need the
 * core to support backwards paging.
 */
function useOrders() {
	const [status, setStatus] = useState('');
	const [cursor, setCursor] = useState<string | null>(null);
	const [previous, setPrevious] = useState<(string | null)[]>([]);
	const [state, setState] = useState<OrdersState>({ kind: 'loading' });
	const [reloads, setReloads] = useState(0);

	useEffect(() => {
		// A slow answer for an earlier page must not overwrite the page the user moved to.
		let current = true;
		setState({ kind: 'loading' });
		fetchOrders(cursor, status).then(
			(page) => {
				if (current) {
					setState({ kind: 'loaded', page });
				}
			},
			(error: unknown) => {
				if (current) {
					setState({ kind: 'error', message: errorMessage(error) });
				}
			},
		);
		return () => {
			current = false;
		};
	}, [cursor, status, reloads]);

	return {
		state,
		status,
		hasPrevious: previous.length > 0,
		filterByStatus(next: string) {
			setStatus(next);
			setCursor(null);
			setPrevious([]);
		},
		nextPage(nextCursor: string) {
			setPrevious([...previous, cursor]);
			setCursor(nextCursor);
		},
		previousPage() {
			setCursor(previous[previous.length - 1] ?? null);
			setPrevious(previous.slice(0, -1));
		},
		reload() {
			setReloads(reloads + 1);
		},
	};
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

function label(value: string): string {
	return value.replace(/_/g, ' ');
}

function sentence(value: string): string {
	const words = label(value);
	return words.charAt(0).toUpperCase() + words.slice(1);
}

function OrdersTable({ orders }: { orders: OrderSummary[] }) {
	if (orders.length === 0) {
		return <p>No orders from this store have reached Expedio yet.</p>;
	}
	return (
		<table className="wp-list-table widefat fixed striped">
			<thead>
				<tr>
					<th scope="col">Order</th>
					<th scope="col">Date</th>
					<th scope="col">Client</th>
					<th scope="col">Status</th>
					<th scope="col">Payment</th>
					<th scope="col">Total</th>
				</tr>
			</thead>
			<tbody>
				{orders.map((order) => (
					<tr key={order.id}>
						<td>#{order.externalNumber ?? order.externalOrderId}</td>
						<td>{formatDate(order.createdAt)}</td>
						<td>{order.clientName ?? '—'}</td>
						<td>
							{label(order.status)}
							{order.approvalStatus === 'pending' ? ' (awaiting approval)' : ''}
							{order.holdReason ? ` — ${order.holdReason}` : ''}
						</td>
						<td>{label(order.paymentStatus)}</td>
						<td>
							{order.total} {order.currency}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

function OrdersScreen({ configured }: { configured: boolean }) {
	const orders = useOrders();
	const { state } = orders;

	return (
		<Card>
			<CardHeader>
				<h2 style={{ margin: 0 }}>Orders in Expedio</h2>
				<SelectControl
					__next40pxDefaultSize
					__nextHasNoMarginBottom
					label="Status"
					hideLabelFromVision
					value={orders.status}
					options={STATUS_OPTIONS}
					onChange={(value: string) => orders.filterByStatus(value)}
				/>
			</CardHeader>
			<CardBody>
				{!configured && (
					<Notice status="warning" isDismissible={false}>
						Expedio is not connected yet: press "Connect to Expedio" below.
					</Notice>
				)}
				{state.kind === 'loading' && (
					<p>
						<Spinner /> Loading orders…
					</p>
				)}
				{state.kind === 'error' && (
					<Notice
						status="error"
						isDismissible={false}
						actions={[{ label: 'Try again', onClick: () => orders.reload(), variant: 'secondary' }]}
					>
						{state.message}
					</Notice>
				)}
				{state.kind === 'loaded' && <OrdersTable orders={state.page.orders} />}
				<p style={{ display: 'flex', gap: '8px' }}>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						disabled={!orders.hasPrevious || state.kind === 'loading'}
						onClick={() => orders.previousPage()}
					>
						Previous page
					</Button>
					<Button
						__next40pxDefaultSize
						variant="secondary"
						disabled={state.kind !== 'loaded' || state.page.nextCursor === null}
						onClick={() => {
							if (state.kind === 'loaded' && state.page.nextCursor !== null) {
								orders.nextPage(state.page.nextCursor);
							}
						}}
					>
						Next page
					</Button>
				</p>
			</CardBody>
		</Card>
	);
}

const config = window.expedioAdmin;
const container = document.getElementById('expedio-admin-root');
if (config && container) {
	apiFetch.use(apiFetch.createRootURLMiddleware(config.restRoot));
	// Cookie-authenticated REST calls need the wp_rest nonce, or WordPress treats them as logged out.
	apiFetch.use(apiFetch.createNonceMiddleware(config.nonce));
	createRoot(container).render(<OrdersScreen configured={config.configured} />);
}
