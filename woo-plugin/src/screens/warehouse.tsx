/** Waves and pick lists; packing lists. */
import { Button, Notice } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { OrderSummary } from '../generated/expedio-api';
import type { CommandResult, PackingList, PickList } from '../stores';
import { ListFrame, RefreshButton, StatusBadge, useList } from '../ui';

// biome-ignore lint/suspicious/noExplicitAny: registry dispatch is untyped per store here.
type Any = any;

export function WavesScreen() {
	const lists = useList<PickList>('expedio/pick-lists');
	const confirmed = useList<OrderSummary>('expedio/orders', { status: 'confirmed', limit: 100 });
	const { createWave } = useDispatch('expedio/pick-lists') as Any;
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	const [busy, setBusy] = useState(false);
	const waiting = confirmed.entry?.items ?? [];

	return (
		<div className="expedio-waves">
			<div className="expedio-toolbar">
				<Button
					variant="primary"
					isBusy={busy}
					disabled={busy || waiting.length === 0}
					onClick={async () => {
						setBusy(true);
						const r = (await createWave(waiting.map((o) => o.id))) as CommandResult<PickList>;
						setBusy(false);
						setOutcome(r.ok ? { ok: true, text: sprintf(/* translators: %d: number of orders */ __('Wave created for %d orders.', 'expedio'), waiting.length) } : { ok: false, text: r.message });
					}}
				>
					{sprintf(/* translators: %d: number of confirmed orders */ __('New wave from %d confirmed orders', 'expedio'), waiting.length)}
				</Button>
				<RefreshButton storeName="expedio/pick-lists" />
			</div>
			{outcome && <Notice status={outcome.ok ? 'success' : 'error'} isDismissible={false}>{outcome.text}</Notice>}
			<ListFrame list={lists} empty={__('No pick lists yet.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped">
						<thead>
							<tr>
								<th>{__('Pick list', 'expedio')}</th>
								<th>{__('Status', 'expedio')}</th>
								<th>{__('Orders', 'expedio')}</th>
								<th>{__('Lines', 'expedio')}</th>
								<th>{__('Picked', 'expedio')}</th>
								<th>{__('Short', 'expedio')}</th>
								<th>{__('Picker', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((p) => (
								<tr key={p.id}>
									<td>#{p.id}</td>
									<td><StatusBadge status={p.status} /></td>
									<td>{p.orderCount}</td>
									<td>{p.lineCount}</td>
									<td>{p.picked} / {p.quantity}</td>
									<td>{p.short}</td>
									<td>{p.pickerName ?? '—'}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
		</div>
	);
}

export function PackingScreen() {
	const lists = useList<PackingList>('expedio/packing-lists');
	return (
		<div className="expedio-packing">
			<div className="expedio-toolbar"><RefreshButton storeName="expedio/packing-lists" /></div>
			<ListFrame list={lists} empty={__('Nothing to pack.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped">
						<thead>
							<tr>
								<th>{__('Packing list', 'expedio')}</th>
								<th>{__('Order', 'expedio')}</th>
								<th>{__('Status', 'expedio')}</th>
								<th>{__('Courier', 'expedio')}</th>
								<th>{__('Parcels', 'expedio')}</th>
								<th>{__('Missing for the AWB', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((p) => (
								<tr key={p.id}>
									<td>#{p.id}</td>
									<td><a href={`#/orders/${encodeURIComponent(p.orderId)}`}>{p.orderId}</a></td>
									<td><StatusBadge status={p.status} /></td>
									<td>{p.courier ? `${p.courier} ${p.service ?? ''}` : '—'}</td>
									<td>{p.parcels.length}</td>
									<td>{p.missingForAwb.length ? p.missingForAwb.join(', ') : '—'}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
		</div>
	);
}
