/** Invoices, returns, stalls, reports (charts) and the channel's settings. */
import { Button, Notice, SelectControl, TextControl, ToggleControl } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { CREATE_INVOICE_TRIGGERS, type OrderSummary, type ReportName } from '../generated/expedio-api';
import { pdfUrl } from '../order-card';
import { StartReturn } from '../start-return';
import { type CommandResult, type Invoice, type ReportChart, type ReportPage, type ReturnRequest, STALL_FIXES, type Stall, type Warehouse } from '../stores';
import { ErrorNotice, ListFrame, Loading, RefreshButton, StatusBadge, formatDate, statusLabel, useList } from '../ui';

// Only what the reports draw (bar, line, doughnut): the bundle stays small.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip);

// biome-ignore lint/suspicious/noExplicitAny: registry select/dispatch are untyped per store here.
type Any = any;

function monthStart(): string {
	const d = new Date();
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

export function InvoicesScreen() {
	const [period, setPeriod] = useState({ from: monthStart(), to: new Date().toISOString().slice(0, 10) });
	const list = useList<Invoice>('expedio/invoices', period);
	const { resubmitEInvoice } = useDispatch('expedio/invoices') as Any;
	const [outcome, setOutcome] = useState<string | null>(null);
	return (
		<div className="expedio-invoices">
			<div className="expedio-toolbar">
				<TextControl __nextHasNoMarginBottom type="date" label={__('From', 'expedio')} value={period.from} onChange={(v: string) => setPeriod({ ...period, from: v })} />
				<TextControl __nextHasNoMarginBottom type="date" label={__('To', 'expedio')} value={period.to} onChange={(v: string) => setPeriod({ ...period, to: v })} />
				<RefreshButton storeName="expedio/invoices" />
			</div>
			{outcome && <Notice status="info" isDismissible={false}>{outcome}</Notice>}
			<ListFrame list={list} empty={__('No invoices in this period.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped">
						<thead>
							<tr>
								<th>{__('Invoice', 'expedio')}</th>
								<th>{__('Order', 'expedio')}</th>
								<th>{__('Issued', 'expedio')}</th>
								<th>{__('Total', 'expedio')}</th>
								<th>{__('e-Factura', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((i) => (
								<tr key={i.id}>
									<td><a href={pdfUrl(`/invoices/${encodeURIComponent(i.id)}/pdf`)} target="_blank" rel="noreferrer">{i.series} {i.number}</a></td>
									<td>{i.orderId ? <a href={`#/orders/${encodeURIComponent(i.orderId)}`}>{i.orderId}</a> : '—'}</td>
									<td>{formatDate(i.issuedAt)}</td>
									<td>{i.total} {i.currency}</td>
									<td>
										{i.eInvoiceState ?? '—'}{' '}
										{(i.eInvoiceState === 'rejected' || i.eInvoiceState === 'failed') && (
											<Button variant="link" onClick={async () => { const r = (await resubmitEInvoice(i.id)) as CommandResult; setOutcome(r.ok ? __('Sent to e-Factura again.', 'expedio') : r.message); }}>
												{__('Send again', 'expedio')}
											</Button>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
		</div>
	);
}

export function ReturnsScreen() {
	const list = useList<ReturnRequest>('expedio/returns');
	const delivered = useList<OrderSummary>('expedio/orders', { status: 'delivered', limit: 100 });
	const [orderId, setOrderId] = useState('');
	return (
		<div className="expedio-returns">
			<div className="expedio-toolbar"><RefreshButton storeName="expedio/returns" /></div>
			<ListFrame list={list} empty={__('No returns yet.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped expedio-returns-table">
						<thead>
							<tr>
								<th>{__('Return', 'expedio')}</th>
								<th>{__('Order', 'expedio')}</th>
								<th>{__('Type', 'expedio')}</th>
								<th>{__('Status', 'expedio')}</th>
								<th>{__('Units', 'expedio')}</th>
								<th>{__('Date', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((r) => (
								<tr key={r.id}>
									<td>#{r.id}</td>
									<td><a href={`#/orders/${encodeURIComponent(r.orderId)}`}>{r.orderNumber ?? r.orderId}</a></td>
									<td>{r.type === 'fully' ? __('Full', 'expedio') : r.type === 'partially' ? __('Partial', 'expedio') : __('Manual', 'expedio')}</td>
									<td><StatusBadge status={r.status} /></td>
									<td>{r.units}</td>
									<td>{formatDate(r.createdAt)}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
			<h3>{__('Start a return', 'expedio')}</h3>
			{delivered.error ? (
				<ErrorNotice message={delivered.error} onRetry={delivered.retry} />
			) : !delivered.entry ? (
				<Loading />
			) : delivered.entry.items.length === 0 ? (
				<p className="expedio-empty">{__('No delivered orders: a return starts from a delivered order.', 'expedio')}</p>
			) : (
				<SelectControl
					__nextHasNoMarginBottom
					label={__('Delivered order', 'expedio')}
					value={orderId}
					options={[{ value: '', label: __('Choose an order', 'expedio') }, ...delivered.entry.items.map((o) => ({ value: o.id, label: `#${o.externalNumber ?? o.externalOrderId} · ${o.clientName ?? ''}` }))]}
					onChange={(v: string) => setOrderId(v)}
				/>
			)}
			{/* Outside the list's frame: the lists reload after the return starts, the form and its outcome stay. */}
			{orderId && <StartReturn key={orderId} orderId={orderId} />}
		</div>
	);
}

export function StallsScreen() {
	const list = useList<Stall>('expedio/stalls');
	const { fix, acceptDifference } = useDispatch('expedio/stalls') as Any;
	const [busy, setBusy] = useState<string | null>(null);
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	return (
		<div className="expedio-stalls">
			<div className="expedio-toolbar"><RefreshButton storeName="expedio/stalls" /></div>
			{outcome && <Notice status={outcome.ok ? 'success' : 'error'} isDismissible={false} className="expedio-fix-outcome">{outcome.text}</Notice>}
			<ListFrame list={list} empty={__('Nothing is stuck.', 'expedio')}>
				{(entry) => (
					<ul className="expedio-stall-list">
						{entry.items.map((s) => {
							const key = `${s.kind}:${s.subjectId}`;
							return (
								<li key={key} className="expedio-stall-item" data-kind={s.kind}>
									<Notice status="warning" isDismissible={false}>
										<strong>{s.message}</strong>
										<br />
										{s.why}
										<br />
										<em>{sprintf(/* translators: %s: what to do */ __('Fix: %s', 'expedio'), s.fix)}</em>
										{s.subjectType === 'order' && (
											<>
												{' · '}
												<a href={`#/orders/${encodeURIComponent(s.subjectId)}`}>{__('Open the order', 'expedio')}</a>
											</>
										)}
										{s.since ? <span className="expedio-since"> · {formatDate(s.since)}</span> : null}
										{STALL_FIXES[s.kind] && (
											<p>
												<Button
													variant="secondary"
													className="expedio-fix"
													isBusy={busy === key}
													disabled={busy !== null}
													onClick={async () => {
														setBusy(key);
														const r = (await fix(s)) as CommandResult;
														setBusy(null);
														setOutcome(r.ok ? { ok: true, text: sprintf(/* translators: %s: the stall */ __('Fixed: %s', 'expedio'), s.message) } : { ok: false, text: r.message });
													}}
												>
													{fixLabel(s.kind)}
												</Button>
											</p>
										)}
										{s.kind === 'invoice.total_mismatch' && s.storeDifference && (
											<AcceptDifference
												stall={s}
												busy={busy === key}
												disabled={busy !== null}
												onAccept={async (reason) => {
													setBusy(key);
													const r = (await acceptDifference(s, reason)) as CommandResult;
													setBusy(null);
													setOutcome(
														r.ok
															? { ok: true, text: sprintf(/* translators: %s: the invoice total */ __('Invoice issued at %s; the difference from the store is kept with it.', 'expedio'), `${s.storeDifference?.invoiceTotal} ${s.storeDifference?.currency}`) }
															: { ok: false, text: r.message },
													);
												}}
											/>
										)}
									</Notice>
								</li>
							);
						})}
					</ul>
				)}
			</ListFrame>
		</div>
	);
}

/** An invoice held for a store difference: issued as computed once the merchant says why (kept with the invoice). */
function AcceptDifference({ stall, busy, disabled, onAccept }: { stall: Stall; busy: boolean; disabled: boolean; onAccept: (reason: string) => void }) {
	const [reason, setReason] = useState('');
	const d = stall.storeDifference!;
	return (
		<div className="expedio-accept-difference">
			<TextControl label={__('Why the invoice is issued although it differs from the store (kept with it)', 'expedio')} value={reason} onChange={setReason} __nextHasNoMarginBottom __next40pxDefaultSize />
			<Button variant="secondary" isDestructive className="expedio-accept" isBusy={busy} disabled={disabled || reason.trim().length < 3} onClick={() => onAccept(reason.trim())}>
				{sprintf(/* translators: %s: the invoice total */ __('Issue anyway at %s', 'expedio'), `${d.invoiceTotal} ${d.currency}`)}
			</Button>
		</div>
	);
}

function fixLabel(kind: string): string {
	switch (kind) {
		case 'delivery_note.not_generated':
			return __('Create the delivery note', 'expedio');
		case 'invoice.not_generated':
			return __('Issue the invoice', 'expedio');
		case 'einvoice.rejected':
			return __('Send to e-Factura again', 'expedio');
		default:
			return __('Check again', 'expedio');
	}
}

/** A report's chart drawn with Chart.js (as the core's report-chart.js draws it): no animation, so it is complete when drawn. */
export function ReportChartView({ chart, title }: { chart: ReportChart; title: string }) {
	const canvas = useRef<HTMLCanvasElement | null>(null);
	const data = JSON.stringify(chart);
	useEffect(() => {
		if (!canvas.current) return;
		const round = chart.kind === 'doughnut';
		const drawn = new Chart(canvas.current, {
			type: chart.kind,
			data: {
				labels: chart.labels.map((l) => statusLabel(l)),
				datasets: chart.series.map((s, i) => ({
					label: statusLabel(s.name),
					data: s.values,
					backgroundColor: round ? s.values.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length],
					borderColor: PALETTE[i % PALETTE.length],
					borderWidth: chart.kind === 'line' ? 2 : 0,
				})),
			},
			options: {
				animation: false,
				responsive: true,
				maintainAspectRatio: false,
				scales: round ? {} : { x: { stacked: chart.stacked }, y: { stacked: chart.stacked, beginAtZero: true, ticks: { precision: 0 } } },
				plugins: { legend: { position: 'bottom' } },
			},
		} as never);
		canvas.current.setAttribute('data-drawn', 'true');
		return () => drawn.destroy();
	}, [data]);
	return (
		<figure className="expedio-chart">
			<div style={{ position: 'relative', height: 280, maxWidth: 760 }}>
				<canvas ref={canvas} role="img" aria-label={title} />
			</div>
			<figcaption>{title}</figcaption>
		</figure>
	);
}

const PALETTE = ['#1f6feb', '#2da44e', '#d29922', '#cf222e', '#8250df', '#0598bc', '#bf3989', '#6e7781', '#953800', '#116329'];

const REPORTS: { value: ReportName; label: () => string }[] = [
	{ value: 'orders-per-channel', label: () => __('Orders per day and status', 'expedio') },
	{ value: 'awbs-in-transit', label: () => __('AWBs in transit', 'expedio') },
	{ value: 'invoices-per-channel', label: () => __('Invoices per day', 'expedio') },
	{ value: 'returns', label: () => __('Returns per day', 'expedio') },
	{ value: 'blocked-delivery-notes', label: () => __('Blocked delivery notes', 'expedio') },
];

export function ReportsScreen() {
	const [report, setReport] = useState<ReportName>('orders-per-channel');
	const list = useList<ReportPage>('expedio/reports', { report });
	const title = REPORTS.find((r) => r.value === report)?.label() ?? report;
	return (
		<div className="expedio-reports">
			<div className="expedio-toolbar">
				<SelectControl __nextHasNoMarginBottom label={__('Report', 'expedio')} value={report} options={REPORTS.map((r) => ({ value: r.value, label: r.label() }))} onChange={(v: string) => setReport(v as ReportName)} />
				<RefreshButton storeName="expedio/reports" />
			</div>
			<ListFrame list={list} empty={__('No data for this report yet.', 'expedio')}>
				{(entry) => {
					const page = entry.items[0] as ReportPage;
					if (page.rows.length === 0 && page.chart.labels.length === 0) return <p className="expedio-empty">{__('No data for this report yet.', 'expedio')}</p>;
					return (
						<div>
							{page.chart.labels.length > 0 && <ReportChartView chart={page.chart} title={title} />}
							<table className="wp-list-table widefat fixed striped expedio-report-rows">
								<thead>
									<tr>
										{page.columns.map((c) => (
											<th key={c}>{c}</th>
										))}
									</tr>
								</thead>
								<tbody>
									{page.rows.slice(0, 50).map((row, i) => (
										<tr key={i}>
											{page.columns.map((c) => (
												<td key={c}>{row[c] === null || row[c] === undefined ? '—' : String(row[c])}</td>
											))}
										</tr>
									))}
								</tbody>
							</table>
						</div>
					);
				}}
			</ListFrame>
		</div>
	);
}

type Settings = { channelId: string; defaultWarehouseId: string | null; autoConfirm: boolean; approvalRequired: boolean; createInvoice: string; returnWindowDays: number; invoiceSeries: string };

export function SettingsScreen() {
	const { settings, error } = useSelect((select: Any) => ({ settings: select('expedio/settings').getItem('channel') as Settings | undefined, error: select('expedio/settings').getItemError('channel') as string | undefined }), []);
	const { saveSettings, refresh } = useDispatch('expedio/settings') as Any;
	const [draft, setDraft] = useState<Partial<Settings>>({});
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	const warehouses = useList<Warehouse>('expedio/warehouses');
	if (error) return <ErrorNotice message={error} onRetry={() => refresh()} />;
	if (warehouses.error) return <ErrorNotice message={warehouses.error} onRetry={warehouses.retry} />;
	// The warehouse choice is drawn with its options, or the chosen one would show as "None chosen" until they arrive.
	if (!settings || !warehouses.entry) return <Loading />;
	const value = { ...settings, ...draft };
	return (
		<div className="expedio-settings">
			<p>{sprintf(/* translators: %s: channel id */ __('Channel %s', 'expedio'), settings.channelId)}</p>
			<SelectControl
				__nextHasNoMarginBottom
				label={__('Warehouse the orders ship from', 'expedio')}
				help={value.defaultWarehouseId ? undefined : __('Without one, every new order waits on hold.', 'expedio')}
				value={value.defaultWarehouseId ?? ''}
				options={[{ value: '', label: __('None chosen', 'expedio') }, ...(warehouses.entry?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }))]}
				onChange={(v: string) => setDraft({ ...draft, defaultWarehouseId: v === '' ? null : v })}
			/>
			<ToggleControl __nextHasNoMarginBottom label={__('Confirm orders automatically', 'expedio')} checked={value.autoConfirm} onChange={(v: boolean) => setDraft({ ...draft, autoConfirm: v })} />
			<ToggleControl __nextHasNoMarginBottom label={__('Orders need approval', 'expedio')} checked={value.approvalRequired} onChange={(v: boolean) => setDraft({ ...draft, approvalRequired: v })} />
			<SelectControl
				__nextHasNoMarginBottom
				label={__('Issue the invoice', 'expedio')}
				value={value.createInvoice}
				options={CREATE_INVOICE_TRIGGERS.map((t): { value: string; label: string } => ({ value: t, label: t === 'off' ? __('Never automatically', 'expedio') : t === 'on_shipping' ? __('When shipped', 'expedio') : __('When paid', 'expedio') }))}
				onChange={(v: string) => setDraft({ ...draft, createInvoice: v })}
			/>
			<TextControl __nextHasNoMarginBottom label={__('Invoice series', 'expedio')} value={value.invoiceSeries} onChange={(v: string) => setDraft({ ...draft, invoiceSeries: v })} />
			<TextControl __nextHasNoMarginBottom type="number" label={__('Return window (days)', 'expedio')} value={String(value.returnWindowDays)} onChange={(v: string) => setDraft({ ...draft, returnWindowDays: Number(v) })} />
			{outcome && <Notice status={outcome.ok ? 'success' : 'error'} isDismissible={false}>{outcome.text}</Notice>}
			<Button
				variant="primary"
				disabled={Object.keys(draft).length === 0}
				onClick={async () => {
					const r = (await saveSettings(draft)) as CommandResult;
					setOutcome(r.ok ? { ok: true, text: __('Settings saved.', 'expedio') } : { ok: false, text: r.message });
					if (r.ok) setDraft({});
				}}
			>
				{__('Save settings', 'expedio')}
			</Button>
		</div>
	);
}
