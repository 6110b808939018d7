/** Orders: status tabs, search by store order number, keyset pages; one order with its card. */
import { Button, SearchControl } from '@wordpress/components';
import * as React from '@wordpress/element';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { ORDER_STATUSES, OrderListRow } from '../generated/expedio-api';
import { OrderCard } from '../order-card';
import type { Stall } from '../stores';
import { ListFrame, RefreshButton, StatusBadge, formatDate, statusLabel, useList } from '../ui';

const PAGE_SIZE = 25;
const TABS = ['', 'new', 'processing', 'confirmed', 'on_hold', 'ready', 'shipping', 'delivered', 'cancelled'] as const satisfies readonly ('' | (typeof ORDER_STATUSES)[number])[];

export function OrdersScreen() {
	const [status, setStatus] = useState('');
	const [search, setSearch] = useState('');
	const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
	const cursor = cursors[cursors.length - 1];
	const query = { limit: PAGE_SIZE, status, externalOrderId: search.trim(), cursor };
	const list = useList<OrderListRow>('expedio/orders', query);
	const stalls = useList<Stall>('expedio/stalls');
	const restart = () => setCursors([undefined]);

	return (
		<div className="expedio-orders">
			<ul className="subsubsub expedio-status-tabs">
				{TABS.map((tab, i) => (
					<li key={tab}>
						<Button variant="link" className={tab === status ? 'current' : ''} aria-pressed={tab === status} onClick={() => { setStatus(tab); restart(); }}>
							{tab === '' ? __('All', 'expedio') : statusLabel(tab)}
						</Button>
						{i < TABS.length - 1 ? ' | ' : ''}
					</li>
				))}
			</ul>
			<div className="expedio-toolbar">
				<SearchControl __nextHasNoMarginBottom label={__('Store order id', 'expedio')} placeholder={__('Search by store order id', 'expedio')} value={search} onChange={(v: string) => { setSearch(v); restart(); }} />
				<RefreshButton storeName="expedio/orders" />
			</div>
			<ListFrame list={list} empty={__('No orders here.', 'expedio')}>
				{(entry) => (
					<div>
						<table className="wp-list-table widefat fixed striped expedio-orders-table">
							<thead>
								<tr>
									<th scope="col">{__('Order', 'expedio')}</th>
									<th scope="col">{__('Date', 'expedio')}</th>
									<th scope="col">{__('Client', 'expedio')}</th>
									<th scope="col">{__('Status', 'expedio')}</th>
									<th scope="col">{__('Stall', 'expedio')}</th>
									<th scope="col">{__('AWB', 'expedio')}</th>
									<th scope="col">{__('Total', 'expedio')}</th>
								</tr>
							</thead>
							<tbody>
								{entry.items.map((order) => {
									const stall = stalls.entry?.items.find((s) => s.subjectType === 'order' && s.subjectId === order.id);
									// The row's live AWBs, as GET /orders answers them.
									const shipment = order.awbs.find((s) => s.awb);
									return (
										<tr key={order.id}>
											<td>
												<a href={`#/orders/${encodeURIComponent(order.id)}`}>#{order.externalNumber ?? order.externalOrderId}</a>
											</td>
											<td>{formatDate(order.createdAt)}</td>
											<td>{order.clientName ?? '—'}</td>
											<td>
												<StatusBadge status={order.status} />
												{order.approvalStatus === 'pending' ? ` ${__('(awaiting approval)', 'expedio')}` : ''}
											</td>
											<td className="expedio-stall-cell">{stall ? stall.message : '—'}</td>
											<td>{shipment?.awb ? shipment.trackingUrl ? <a href={shipment.trackingUrl} target="_blank" rel="noreferrer">{shipment.awb}</a> : shipment.awb : '—'}</td>
											<td>
												{order.total} {order.currency}
											</td>
										</tr>
									);
								})}
							</tbody>
						</table>
						<p className="expedio-pager">
							<Button variant="secondary" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
								{__('Previous page', 'expedio')}
							</Button>{' '}
							<Button variant="secondary" disabled={entry.nextCursor === null} onClick={() => entry.nextCursor && setCursors([...cursors, entry.nextCursor])}>
								{__('Next page', 'expedio')}
							</Button>
						</p>
					</div>
				)}
			</ListFrame>
		</div>
	);
}

export function OrderScreen({ orderId }: { orderId: string }) {
	return (
		<div className="expedio-order">
			<p>
				<a href="#/orders">← {__('Orders', 'expedio')}</a>
			</p>
			<OrderCard orderId={orderId} />
		</div>
	);
}
