/** Start a return of a delivered order, in the app's order page, its returns screen and the React order box. */
import { Button, Notice, TextControl } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { errorMessage, get } from './api';
import type { CommandResult, Returnable, ReturnRequest } from './stores';
import { ErrorNotice, Loading } from './ui';

// biome-ignore lint/suspicious/noExplicitAny: registry dispatch is untyped per store here.
type Any = any;

/** Start a return of one delivered order: what may come back (GET /orders/{id}/returnable), how many of each line, one reason. */
export function StartReturn({ orderId, onDone }: { orderId: string; onDone?: (r: ReturnRequest) => void }) {
	const [eligible, setEligible] = useState<Returnable | null>(null);
	const [loadError, setLoadError] = useState<string | null>(null);
	const [qty, setQty] = useState<Record<number, number>>({});
	const [reason, setReason] = useState('');
	const [busy, setBusy] = useState(false);
	const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
	const { startReturn } = useDispatch('expedio/returns') as Any;
	useEffect(() => {
		let live = true;
		setEligible(null);
		setLoadError(null);
		get<Returnable>(`/orders/${encodeURIComponent(orderId)}/returnable`).then(
			(r) => live && setEligible(r),
			(e) => live && setLoadError(errorMessage(e, __('What may come back could not be read.', 'expedio'))),
		);
		return () => {
			live = false;
		};
	}, [orderId]);
	if (loadError) return <ErrorNotice message={loadError} />;
	if (!eligible) return <Loading />;
	const lines = eligible.lines.filter((l) => l.returnable > 0);
	if (lines.length === 0) return <p className="expedio-empty">{eligible.reason ?? __('Nothing of this order may come back.', 'expedio')}</p>;
	const asked = lines.filter((l) => (qty[l.orderLineNo] ?? 0) > 0);
	return (
		<div className="expedio-start-return">
			<table className="widefat striped">
				<thead>
					<tr>
						<th>{__('Product', 'expedio')}</th>
						<th>{__('May come back', 'expedio')}</th>
						<th>{__('Coming back', 'expedio')}</th>
					</tr>
				</thead>
				<tbody>
					{lines.map((l) => (
						<tr key={l.orderLineNo}>
							<td>{l.name}{l.sku ? ` (${l.sku})` : ''}</td>
							<td>{l.returnable}</td>
							<td>
								<TextControl __nextHasNoMarginBottom type="number" min={0} max={l.returnable} label={sprintf(/* translators: %s: product */ __('Units of %s coming back', 'expedio'), l.name)} hideLabelFromVision value={String(qty[l.orderLineNo] ?? 0)} onChange={(v: string) => setQty({ ...qty, [l.orderLineNo]: Math.max(0, Math.min(l.returnable, Number(v) || 0)) })} />
							</td>
						</tr>
					))}
				</tbody>
			</table>
			<TextControl __nextHasNoMarginBottom label={__('Reason', 'expedio')} value={reason} onChange={setReason} />
			{outcome && <Notice status={outcome.ok ? 'success' : 'error'} isDismissible={false}>{outcome.text}</Notice>}
			<Button
				variant="primary"
				isBusy={busy}
				disabled={busy || asked.length === 0 || reason.trim() === ''}
				onClick={async () => {
					setBusy(true);
					const all = lines.every((l) => (qty[l.orderLineNo] ?? 0) === l.returnable);
					const r = (await startReturn({ orderId, type: all ? 'fully' : 'partially', reason: reason.trim(), lines: asked.map((l) => ({ orderLineNo: l.orderLineNo, quantity: qty[l.orderLineNo] ?? 0, reason: reason.trim() })) })) as CommandResult<ReturnRequest>;
					setBusy(false);
					if (r.ok) {
						setOutcome({ ok: true, text: sprintf(/* translators: 1: return id, 2: units */ __('Return #%1$s started for %2$d units.', 'expedio'), r.result.id, asked.reduce((n, l) => n + (qty[l.orderLineNo] ?? 0), 0)) });
						onDone?.(r.result);
					} else setOutcome({ ok: false, text: r.message });
				}}
			>
				{__('Start the return', 'expedio')}
			</Button>
		</div>
	);
}

