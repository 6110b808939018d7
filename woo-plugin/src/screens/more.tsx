/** Invoices, returns, stalls, reports (charts) and the channel's settings. */
import { Button, Notice, SelectControl, TextControl, ToggleControl } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { CREATE_INVOICE_TRIGGERS } from '../generated/expedio-api';
import { pdfUrl } from '../order-card';
import type { CommandResult, Invoice, ReportSeries, ReturnRequest, Stall } from '../stores';
import { ErrorNotice, ListFrame, Loading, RefreshButton, StatusBadge, formatDate, statusLabel, useList } from '../ui';

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
	return (
		<div className="expedio-returns">
			<div className="expedio-toolbar"><RefreshButton storeName="expedio/returns" /></div>
			<ListFrame list={list} empty={__('No returns.', 'expedio')}>
				{(entry) => (
					<table className="wp-list-table widefat fixed striped">
						<thead>
							<tr>
								<th>{__('Return', 'expedio')}</th>
								<th>{__('Order', 'expedio')}</th>
								<th>{__('Status', 'expedio')}</th>
								<th>{__('Reason', 'expedio')}</th>
								<th>{__('Date', 'expedio')}</th>
							</tr>
						</thead>
						<tbody>
							{entry.items.map((r) => (
								<tr key={r.id}>
									<td>#{r.id}</td>
									<td><a href={`#/orders/${encodeURIComponent(r.orderId)}`}>{r.orderId}</a></td>
									<td><StatusBadge status={r.status} /></td>
									<td>{r.reason ?? '—'}</td>
									<td>{formatDate(r.createdAt)}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</ListFrame>
		</div>
	);
}

export function StallsScreen() {
	const list = useList<Stall>('expedio/stalls');
	return (
		<div className="expedio-stalls">
			<div className="expedio-toolbar"><RefreshButton storeName="expedio/stalls" /></div>
			<ListFrame list={list} empty={__('Nothing is stuck.', 'expedio')}>
				{(entry) => (
					<ul className="expedio-stall-list">
						{entry.items.map((s) => (
							<li key={`${s.kind}:${s.subjectId}`} className="expedio-stall-item">
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
								</Notice>
							</li>
						))}
					</ul>
				)}
			</ListFrame>
		</div>
	);
}

/** A bar chart in plain SVG: one bar per point, the value above it, the label below. */
export function BarChart({ series, title }: { series: ReportSeries; title: string }) {
	const width = 560;
	const height = 220;
	const max = Math.max(1, ...series.points.map((p) => p.value));
	const band = width / Math.max(1, series.points.length);
	return (
		<figure className="expedio-chart">
			<svg width={width} height={height + 40} role="img" aria-label={title} viewBox={`0 0 ${width} ${height + 40}`}>
				{series.points.map((p, i) => {
					const h = Math.round((p.value / max) * (height - 20));
					const x = i * band + band * 0.15;
					return (
						<g key={p.label}>
							<rect x={x} y={height - h} width={band * 0.7} height={h} fill="#2271b1" />
							<text x={x + band * 0.35} y={height - h - 4} textAnchor="middle" fontSize="12">{p.value}</text>
							<text x={x + band * 0.35} y={height + 16} textAnchor="middle" fontSize="11">{statusLabel(p.label)}</text>
						</g>
					);
				})}
			</svg>
			<figcaption>{title}</figcaption>
		</figure>
	);
}

const REPORTS = [
	{ value: 'awbs-in-transit', label: () => __('AWBs in transit by status', 'expedio') },
	{ value: 'orders-per-day', label: () => __('Orders per day', 'expedio') },
	{ value: 'shipments-per-courier', label: () => __('Shipments per courier', 'expedio') },
];

export function ReportsScreen() {
	const [report, setReport] = useState(REPORTS[0]?.value ?? 'awbs-in-transit');
	const list = useList<ReportSeries>('expedio/reports', { report });
	const title = REPORTS.find((r) => r.value === report)?.label() ?? report;
	return (
		<div className="expedio-reports">
			<div className="expedio-toolbar">
				<SelectControl __nextHasNoMarginBottom label={__('Report', 'expedio')} value={report} options={REPORTS.map((r) => ({ value: r.value, label: r.label() }))} onChange={(v: string) => setReport(v)} />
				<RefreshButton storeName="expedio/reports" />
			</div>
			<ListFrame list={list} empty={__('No data for this report yet.', 'expedio')}>
				{(entry) => (
					<div>
						{entry.items.map((s) => (
							<BarChart key={s.name} series={s} title={entry.items.length > 1 ? `${title}: ${s.name}` : title} />
						))}
					</div>
				)}
			</ListFrame>
		</div>
	);
}

type Settings = { channelId: string; autoConfirm: boolean; approvalRequired: boolean; createInvoice: string; returnWindowDays: number; invoiceSeries: string };

export function SettingsScreen() {
	const { settings, error } = useSelect((select: Any) => ({ settings: select('expedio/settings').getItem('channel') as Settings | undefined, error: select('expedio/settings').getItemError('channel') as string | undefined }), []);
	const { saveSettings, refresh } = useDispatch('expedio/settings') as Any;
	const [draft, setDraft] = useState<Partial<Settings>>({});
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	if (error) return <ErrorNotice message={error} onRetry={() => refresh()} />;
	if (!settings) return <Loading />;
	const value = { ...settings, ...draft };
	return (
		<div className="expedio-settings">
			<p>{sprintf(/* translators: %s: channel id */ __('Channel %s', 'expedio'), settings.channelId)}</p>
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
