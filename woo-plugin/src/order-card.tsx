/**
 * One order as the store manager acts on it: status, what is reserved and what is missing, its
 * stall, AWB and tracking, label, invoice and e-Factura, and the actions its state allows. The
 * meta box on WooCommerce's order screen and the app's order page both render this.
 */
import { Button, Card, CardBody, CardHeader, Notice, SelectControl, TextControl } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { type Query, restPath } from './api';
import './stores';
import type { CommandResult, Invoice, OrderDetail, PackingList, Quote, Shipment, Stall } from './stores';
import type { ListEntry } from './stores/resource';
import { StartReturn } from './start-return';
import { ErrorNotice, Loading, StatusBadge } from './ui';

/** Which commands each status allows (the core's order state machine, core/src/orders/order-status.ts). */
export function allowedActions(order: Pick<OrderDetail, 'status'>): { confirm: boolean; hold: boolean; cancel: boolean; ship: boolean; invoice: boolean } {
	const s = order.status;
	return {
		confirm: s === 'new' || s === 'processing' || s === 'on_hold',
		hold: s === 'new' || s === 'processing' || s === 'confirmed' || s === 'picking' || s === 'picked',
		cancel: s !== 'shipping' && s !== 'delivered' && s !== 'cancelled',
		ship: s === 'confirmed' || s === 'picking' || s === 'picked' || s === 'packed' || s === 'ready',
		invoice: s !== 'draft' && s !== 'new' && s !== 'cancelled',
	};
}

/**
 * A same-origin link to a PDF the plugin streams from the core: the login cookie plus the
 * wp_rest nonce as `_wpnonce` (a link cannot send the X-WP-Nonce header), never the core's key.
 */
export function pdfUrl(path: string, query: Query = {}): string {
	const config = window.expedioAdmin;
	const root = config?.restRoot ?? '/wp-json/';
	const [route = '', search = ''] = restPath(path, { ...query, _wpnonce: config?.nonce ?? '' }).split('?');
	const relative = route.replace(/^\//, '');
	// rest_url() is `…/wp-json/` with pretty permalinks and `…/?rest_route=/` without.
	return root.includes('?') ? `${root}${relative}&${search}` : `${root}${relative}?${search}`;
}

/** The last 400 days, the period the card looks for the order's invoice in. */
function invoicePeriod(): { from: string; to: string } {
	const to = new Date();
	const from = new Date(to.getTime() - 400 * 86_400_000);
	return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

// biome-ignore lint/suspicious/noExplicitAny: registry select/dispatch are untyped per store here.
type Any = any;

export function OrderCard({ orderId, compact = false, onChanged }: { orderId: string; compact?: boolean; onChanged?: (status: string) => void }) {
	const period = invoicePeriod();
	const data = useSelect(
		(select: Any) => ({
			order: select('expedio/orders').getItem(orderId) as OrderDetail | undefined,
			orderError: select('expedio/orders').getItemError(orderId) as string | undefined,
			shipments: select('expedio/shipments').getList({ orderId }) as ListEntry<Shipment> | undefined,
			packingLists: select('expedio/packing-lists').getList({ orderId }) as ListEntry<PackingList> | undefined,
			stalls: select('expedio/stalls').getList({}) as ListEntry<Stall> | undefined,
			invoices: select('expedio/invoices').getList(period) as ListEntry<Invoice> | undefined,
		}),
		[orderId, period.to],
	);
	const orders = useDispatch('expedio/orders') as Any;
	const packing = useDispatch('expedio/packing-lists') as Any;
	const shipments = useDispatch('expedio/shipments') as Any;
	const [busy, setBusy] = useState<string | null>(null);
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	const [holdReason, setHoldReason] = useState('');

	if (data.orderError) return <ErrorNotice message={data.orderError} onRetry={() => orders.refresh()} />;
	const order = data.order;
	if (!order || !('lines' in order)) return <Loading />;

	const allowed = allowedActions(order);
	const stall = data.stalls?.items.find((s) => s.subjectType === 'order' && s.subjectId === orderId);
	const shipment = data.shipments?.items.find((s) => s.status !== 'cancelled');
	const packingList = data.packingLists?.items.find((p) => p.status !== 'cancelled');
	const invoice = data.invoices?.items.find((i) => i.orderId === orderId);

	async function act(name: string, run: () => Promise<CommandResult>, done: string) {
		setBusy(name);
		setOutcome(null);
		const result = await run();
		setBusy(null);
		setOutcome(result.ok ? { ok: true, text: done } : { ok: false, text: result.message });
		if (result.ok) {
			const status = (result.result as { status?: string } | undefined)?.status;
			onChanged?.(status ?? order?.status ?? '');
		}
	}

	const missing = order.lines.reduce((n, l) => n + l.unreserved, 0);
	const reserved = order.lines.reduce((n, l) => n + l.quantityReserved, 0);

	return (
		<Card className="expedio-order-card" size={compact ? 'small' : 'medium'}>
			<CardHeader>
				<strong>
					{sprintf(/* translators: %s: store order number */ __('Order #%s', 'expedio'), order.externalNumber ?? order.externalOrderId)}
				</strong>
				<StatusBadge status={order.status} />
			</CardHeader>
			<CardBody>
				{order.holdReason && <p className="expedio-hold">{sprintf(/* translators: %s: reason */ __('On hold: %s', 'expedio'), order.holdReason)}</p>}
				{stall && (
					<Notice status="warning" isDismissible={false} className="expedio-stall">
						<strong>{stall.message}</strong> {stall.why} <em>{sprintf(/* translators: %s: what to do */ __('Fix: %s', 'expedio'), stall.fix)}</em>
					</Notice>
				)}
				<p className="expedio-reserved">
					{sprintf(/* translators: 1: units reserved, 2: units missing */ __('Reserved: %1$d · Missing: %2$d', 'expedio'), reserved, missing)}
				</p>
				{!compact && (
					<table className="widefat striped expedio-lines">
						<thead>
							<tr>
								<th>{__('SKU', 'expedio')}</th>
								<th>{__('Product', 'expedio')}</th>
								<th>{__('Quantity', 'expedio')}</th>
								<th>{__('Reserved', 'expedio')}</th>
								<th>{__('Missing', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{order.lines.map((l) => (
								<tr key={l.lineNo}>
									<td>{l.sku ?? '—'}</td>
									<td>{l.name}</td>
									<td>{l.quantity}</td>
									<td>{l.quantityReserved}</td>
									<td>{l.unreserved}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
				<dl className="expedio-facts">
					<dt>{__('AWB', 'expedio')}</dt>
					<dd>
						{shipment?.awb ? (
							<>
								{shipment.trackingUrl ? (
									<a href={shipment.trackingUrl} target="_blank" rel="noreferrer" className="expedio-tracking">
										{shipment.awb}
									</a>
								) : (
									shipment.awb
								)}{' '}
								({shipment.courier}) · <a href={pdfUrl(`/shipments/${encodeURIComponent(shipment.id)}/label`)} target="_blank" rel="noreferrer">{__('Print label', 'expedio')}</a>
							</>
						) : (
							__('No AWB yet', 'expedio')
						)}
					</dd>
					<dt>{__('Invoice', 'expedio')}</dt>
					<dd>
						{invoice ? (
							<>
								<a href={pdfUrl(`/invoices/${encodeURIComponent(invoice.id)}/pdf`)} target="_blank" rel="noreferrer">
									{invoice.series} {invoice.number}
								</a>{' '}
								· {sprintf(/* translators: %s: e-Factura state */ __('e-Factura: %s', 'expedio'), invoice.eInvoiceState ?? __('not sent', 'expedio'))}
							</>
						) : (
							__('Not invoiced', 'expedio')
						)}
					</dd>
				</dl>
				{outcome && (
					<Notice status={outcome.ok ? 'success' : 'error'} isDismissible={false} className="expedio-outcome">
						{outcome.text}
					</Notice>
				)}
				<div className="expedio-actions">
					{allowed.confirm && (
						<Button variant="primary" isBusy={busy === 'confirm'} disabled={busy !== null} onClick={() => act('confirm', () => orders.confirm(orderId, false), __('Order confirmed.', 'expedio'))}>
							{__('Confirm', 'expedio')}
						</Button>
					)}
					{allowed.confirm && missing > 0 && (
						<Button variant="secondary" isBusy={busy === 'partial'} disabled={busy !== null} onClick={() => act('partial', () => orders.confirm(orderId, true), __('Confirmed what is in stock; the rest waits.', 'expedio'))}>
							{__('Confirm partial', 'expedio')}
						</Button>
					)}
					{allowed.invoice && !invoice && (
						<Button variant="secondary" isBusy={busy === 'invoice'} disabled={busy !== null} onClick={() => act('invoice', () => orders.issueInvoice(orderId), __('Invoice issued.', 'expedio'))}>
							{__('Issue invoice', 'expedio')}
						</Button>
					)}
					{allowed.ship && !shipment && !packingList && (
						<Button variant="secondary" isBusy={busy === 'prepare'} disabled={busy !== null} onClick={() => act('prepare', () => orders.prepareShipment(orderId), __('Ready for an AWB: choose a rate.', 'expedio'))}>
							{__('Prepare shipment', 'expedio')}
						</Button>
					)}
					{allowed.cancel && (
						<Button variant="secondary" isDestructive isBusy={busy === 'cancel'} disabled={busy !== null} onClick={() => act('cancel', () => orders.cancel(orderId, 'cancelled in WooCommerce admin'), __('Order cancelled.', 'expedio'))}>
							{__('Cancel order', 'expedio')}
						</Button>
					)}
				</div>
				{allowed.hold && (
					<div className="expedio-hold-form">
						<TextControl __nextHasNoMarginBottom label={__('Hold reason', 'expedio')} value={holdReason} onChange={(v: string) => setHoldReason(v)} />
						<Button variant="secondary" isBusy={busy === 'hold'} disabled={busy !== null || holdReason.trim() === ''} onClick={() => act('hold', () => orders.hold(orderId, holdReason.trim()), __('Order put on hold.', 'expedio'))}>
							{__('Hold', 'expedio')}
						</Button>
					</div>
				)}
				{allowed.ship && !shipment && packingList && (
					<AwbFromQuotes packingList={packingList} busy={busy} onCreate={(quote) => act('awb', () => packing.createAwb(packingList.id, quote), __('AWB created.', 'expedio'))} />
				)}
				{order.status === 'delivered' && (
					<div className="expedio-order-return">
						<h4>{__('Start a return', 'expedio')}</h4>
						<StartReturn orderId={orderId} />
					</div>
				)}
				{shipment && shipment.status === 'created' && !compact && (
					<Button variant="tertiary" isDestructive onClick={() => act('cancel-awb', () => shipments.cancelShipment(shipment.id), __('AWB cancelled.', 'expedio'))}>
						{__('Cancel AWB', 'expedio')}
					</Button>
				)}
			</CardBody>
		</Card>
	);
}

/** The rate quotes of a packing list; the chosen one becomes the AWB. */
function AwbFromQuotes({ packingList, busy, onCreate }: { packingList: PackingList; busy: string | null; onCreate: (q: { courier: string; service: string; courierAccountId?: string }) => void }) {
	const { quotes, error } = useSelect(
		(select: Any) => ({
			quotes: select('expedio/quotes').getList({ packingListId: packingList.id }) as ListEntry<Quote> | undefined,
			error: select('expedio/quotes').getListError({ packingListId: packingList.id }) as string | undefined,
		}),
		[packingList.id],
	);
	const [choice, setChoice] = useState('0');
	if (packingList.missingForAwb.length > 0) {
		return <Notice status="warning" isDismissible={false}>{sprintf(/* translators: %s: list of fields */ __('Before an AWB the packing list needs: %s', 'expedio'), packingList.missingForAwb.join(', '))}</Notice>;
	}
	if (error) return <ErrorNotice message={error} />;
	if (!quotes) return <Loading />;
	if (quotes.items.length === 0) return <p>{__('No courier quoted this parcel.', 'expedio')}</p>;
	const options = quotes.items.map((q, i) => ({ value: String(i), label: `${q.courier} ${q.service} — ${q.price} ${q.currency}${q.days ? ` (${q.days} d)` : ''}` }));
	const picked = quotes.items[Number(choice)] ?? quotes.items[0];
	return (
		<div className="expedio-quotes">
			<SelectControl __nextHasNoMarginBottom label={__('Rate', 'expedio')} value={choice} options={options} onChange={(v: string) => setChoice(v)} />
			<Button
				variant="primary"
				isBusy={busy === 'awb'}
				disabled={busy !== null || !picked}
				onClick={() => picked && onCreate({ courier: picked.courier, service: picked.service, ...(picked.courierAccountId ? { courierAccountId: picked.courierAccountId } : {}) })}
			>
				{__('Create AWB', 'expedio')}
			</Button>
		</div>
	);
}
