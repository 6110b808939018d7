/** Shipments (AWBs) with tracking, labels printed as one PDF with progress, the hand-over manifest. */
import { Button, CheckboxControl, Notice, SelectControl, TextControl } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { errorMessage, get } from '../api';
import { COURIER_CODES } from '../generated/expedio-api';
import { pdfUrl } from '../order-card';
import type { CommandResult, Shipment, Warehouse } from '../stores';
import { ListFrame, RefreshButton, StatusBadge, useList } from '../ui';

// biome-ignore lint/suspicious/noExplicitAny: registry dispatch is untyped per store here.
type Any = any;
type Batch = { id: string; status: string; done?: number; total?: number; error?: string | null };

/** Polls the batch until the core says done or failed; each answer updates the progress. */
async function followBatch(id: string, onProgress: (b: Batch) => void): Promise<Batch> {
	for (;;) {
		const batch = await get<Batch>(`/label-batches/${encodeURIComponent(id)}`);
		onProgress(batch);
		if (batch.status !== 'pending' && batch.status !== 'running') return batch;
		await new Promise((resolve) => setTimeout(resolve, 700));
	}
}

export function ShippingScreen() {
	const list = useList<Shipment>('expedio/shipments', { limit: 200 });
	const warehouses = useList<Warehouse>('expedio/warehouses');
	const { printLabels } = useDispatch('expedio/shipments') as Any;
	const [selected, setSelected] = useState<string[]>([]);
	const [batch, setBatch] = useState<Batch | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [manifest, setManifest] = useState({ courier: COURIER_CODES[0] as string, warehouseId: '', day: new Date().toISOString().slice(0, 10) });

	async function print() {
		setError(null);
		setBatch(null);
		const r = (await printLabels(selected)) as CommandResult<Batch>;
		if (!r.ok) {
			setError(r.message);
			return;
		}
		try {
			setBatch(await followBatch(r.result.id, setBatch));
		} catch (e) {
			setError(errorMessage(e, __('The label batch could not be followed.', 'expedio')));
		}
	}

	return (
		<div className="expedio-shipping">
			<div className="expedio-toolbar">
				<Button variant="primary" disabled={selected.length === 0 || (batch !== null && batch.status === 'running')} onClick={print}>
					{sprintf(/* translators: %d: number of labels */ __('Print %d labels as one PDF', 'expedio'), selected.length)}
				</Button>
				<RefreshButton storeName="expedio/shipments" />
			</div>
			{error && <Notice status="error" isDismissible={false}>{error}</Notice>}
			{batch && (
				<Notice status={batch.status === 'failed' ? 'error' : batch.status === 'done' ? 'success' : 'info'} isDismissible={false} className="expedio-batch">
					{sprintf(/* translators: 1: labels done, 2: labels in the batch */ __('Labels: %1$d of %2$d', 'expedio'), batch.done ?? 0, batch.total ?? selected.length)}
					{batch.status === 'done' && (
						<>
							{' · '}
							<a href={pdfUrl(`/label-batches/${encodeURIComponent(batch.id)}/pdf`)} target="_blank" rel="noreferrer" className="expedio-batch-pdf">
								{__('Open the PDF', 'expedio')}
							</a>
						</>
					)}
					{batch.error ? ` ${batch.error}` : ''}
				</Notice>
			)}
			<ListFrame list={list} empty={__('No shipments yet.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped">
						<thead>
							<tr>
								<td className="check-column" />
								<th>{__('AWB', 'expedio')}</th>
								<th>{__('Order', 'expedio')}</th>
								<th>{__('Courier', 'expedio')}</th>
								<th>{__('Status', 'expedio')}</th>
								<th>{__('Attention', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((s) => (
								<tr key={s.id}>
									<td>
										<CheckboxControl
											__nextHasNoMarginBottom
											label=""
											aria-label={sprintf(/* translators: %s: AWB */ __('Select %s', 'expedio'), s.awb ?? s.id)}
											disabled={!s.awb}
											checked={selected.includes(s.id)}
											onChange={(on: boolean) => setSelected(on ? [...selected, s.id] : selected.filter((x) => x !== s.id))}
										/>
									</td>
									<td>{s.awb ? s.trackingUrl ? <a href={s.trackingUrl} target="_blank" rel="noreferrer">{s.awb}</a> : s.awb : '—'}</td>
									<td>{s.orderId ? <a href={`#/orders/${encodeURIComponent(s.orderId)}`}>{s.orderId}</a> : '—'}</td>
									<td>{s.courier} {s.service}</td>
									<td><StatusBadge status={s.status} /></td>
									<td>{s.attention ?? '—'}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
			<h3>{__('Hand-over manifest', 'expedio')}</h3>
			<div className="expedio-manifest" style={{ maxWidth: 420 }}>
				<SelectControl __nextHasNoMarginBottom label={__('Courier', 'expedio')} value={manifest.courier} options={COURIER_CODES.map((c): { value: string; label: string } => ({ value: c, label: c }))} onChange={(v: string) => setManifest({ ...manifest, courier: v })} />
				<SelectControl
					__nextHasNoMarginBottom
					label={__('Warehouse', 'expedio')}
					value={manifest.warehouseId}
					options={[{ value: '', label: __('None chosen', 'expedio') }, ...(warehouses.entry?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }))]}
					onChange={(v: string) => setManifest({ ...manifest, warehouseId: v })}
				/>
				<TextControl __nextHasNoMarginBottom label={__('Day', 'expedio')} type="date" value={manifest.day} onChange={(v: string) => setManifest({ ...manifest, day: v })} />
				<Button variant="secondary" className="expedio-manifest-pdf" href={manifest.warehouseId ? pdfUrl('/shipping/manifest', manifest) : undefined} disabled={!manifest.warehouseId} target="_blank">
					{__('Open manifest PDF', 'expedio')}
				</Button>
			</div>
		</div>
	);
}

