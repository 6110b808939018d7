/**
 * The Expedio meta box on WooCommerce's order screen (HPOS and legacy). The PHP prints
 * `<div data-expedio-mount="order-box" data-woo-order-id="…">` (README-mounts.md); this finds
 * the Expedio order with that externalOrderId and renders its card.
 */
import { Notice } from '@wordpress/components';
import { useSelect } from '@wordpress/data';
import * as React from '@wordpress/element';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { adminConfig } from './config';
import { mount, setUp } from './mount';
import { OrderCard } from './order-card';
import type { OrderSummary } from './stores';
import './stores';
import type { ListEntry } from './stores/resource';
import { ErrorNotice, Loading } from './ui';

// biome-ignore lint/suspicious/noExplicitAny: registry select is untyped per store here.
type Any = any;

export function OrderBox({ wooOrderId, orderNumber, configured, appUrl, onChanged }: { wooOrderId: string; orderNumber: string; configured: boolean; appUrl: string; onChanged: (expedioOrderId: string, status: string) => void }) {
	const query = { externalOrderId: wooOrderId, limit: 1 };
	const { list, error } = useSelect(
		(select: Any) => (configured ? { list: select('expedio/orders').getList(query) as ListEntry<OrderSummary> | undefined, error: select('expedio/orders').getListError(query) as string | undefined } : { list: undefined, error: undefined }),
		[wooOrderId, configured],
	);
	// The order once found stays on screen while the list reloads after a command (every command
	// refreshes every store): the card, and what it says about the command, are not unmounted.
	const found = list?.items[0]?.id ?? null;
	const [known, setKnown] = useState<string | null>(null);
	useEffect(() => {
		if (found) setKnown(found);
	}, [found]);
	const orderId = found ?? known;
	if (!configured) {
		return (
			<Notice status="warning" isDismissible={false}>
				{__('Expedio is not connected yet.', 'expedio')} <a href={appUrl}>{__('Connect to Expedio', 'expedio')}</a>
			</Notice>
		);
	}
	if (error && !orderId) return <ErrorNotice message={error} />;
	if (!list && !orderId) return <Loading />;
	if (!orderId) {
		return <p className="expedio-not-in-core">{sprintf(/* translators: %s: store order number */ __('Order #%s has not reached Expedio yet.', 'expedio'), orderNumber)}</p>;
	}
	return (
		<div>
			<OrderCard orderId={orderId} compact onChanged={(status) => onChanged(orderId, status)} />
			<p>
				<a href={`${appUrl}#/orders/${encodeURIComponent(orderId)}`}>{__('Open in Expedio', 'expedio')}</a>
			</p>
		</div>
	);
}

const config = adminConfig();
if (config) {
	setUp(config);
	for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-expedio-mount="order-box"]'))) {
		const wooOrderId = element.dataset.wooOrderId ?? '';
		if (wooOrderId === '') continue;
		const onChanged = (expedioOrderId: string, status: string) =>
			element.dispatchEvent(new CustomEvent('expedio:order-changed', { bubbles: true, detail: { wooOrderId, expedioOrderId, status } }));
		mount(
			element,
			<OrderBox wooOrderId={wooOrderId} orderNumber={element.dataset.orderNumber ?? wooOrderId} configured={config.configured} appUrl={config.appUrl ?? 'admin.php?page=expedio'} onChanged={onChanged} />,
		);
	}
}
