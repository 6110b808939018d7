/**
 * WooCommerce → Expedio: the admin app. Screens are chosen by the URL hash (README-mounts.md):
 * #/orders, #/orders/<id>, #/waves, #/packing, #/shipping, #/invoices, #/returns, #/stalls,
 * #/reports, #/settings. Data comes from one @wordpress/data store per resource (stores/), which
 * talk to the plugin's REST routes; the browser never holds the core's URL or API key.
 */
import { Notice } from '@wordpress/components';
import * as React from '@wordpress/element';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { adminConfig } from './config';
import { mount, setUp } from './mount';
import { InvoicesScreen, ReportsScreen, ReturnsScreen, SettingsScreen, StallsScreen } from './screens/more';
import { OrderScreen, OrdersScreen } from './screens/orders';
import { ShippingScreen } from './screens/shipping';
import { PackingScreen, WavesScreen } from './screens/warehouse';
import './stores';

export const SCREENS = ['orders', 'waves', 'packing', 'shipping', 'invoices', 'returns', 'stalls', 'reports', 'settings'] as const;
export type ScreenName = (typeof SCREENS)[number];

function screenTitle(name: ScreenName): string {
	const titles: Record<ScreenName, string> = {
		orders: __('Orders', 'expedio'),
		waves: __('Waves and pick lists', 'expedio'),
		packing: __('Packing', 'expedio'),
		shipping: __('Shipping and manifests', 'expedio'),
		invoices: __('Invoices', 'expedio'),
		returns: __('Returns', 'expedio'),
		stalls: __('Stalls', 'expedio'),
		reports: __('Reports', 'expedio'),
		settings: __('Settings', 'expedio'),
	};
	return titles[name];
}

/** `#/orders/12` → { screen: 'orders', id: '12' }; anything unknown is the orders list. */
export function parseRoute(hash: string): { screen: ScreenName; id: string | null } {
	const [, name = '', id = ''] = hash.replace(/^#/, '').split('/');
	const screen = (SCREENS as readonly string[]).includes(name) ? (name as ScreenName) : 'orders';
	return { screen, id: id === '' ? null : decodeURIComponent(id) };
}

function useRoute() {
	const [hash, setHash] = useState(window.location.hash);
	useEffect(() => {
		const onChange = () => setHash(window.location.hash);
		window.addEventListener('hashchange', onChange);
		return () => window.removeEventListener('hashchange', onChange);
	}, []);
	return parseRoute(hash);
}

function Screen({ screen, id }: { screen: ScreenName; id: string | null }) {
	switch (screen) {
		case 'orders':
			return id ? <OrderScreen orderId={id} /> : <OrdersScreen />;
		case 'waves':
			return <WavesScreen />;
		case 'packing':
			return <PackingScreen />;
		case 'shipping':
			return <ShippingScreen />;
		case 'invoices':
			return <InvoicesScreen />;
		case 'returns':
			return <ReturnsScreen />;
		case 'stalls':
			return <StallsScreen />;
		case 'reports':
			return <ReportsScreen />;
		case 'settings':
			return <SettingsScreen />;
	}
}

export function App({ configured }: { configured: boolean }) {
	const route = useRoute();
	return (
		<div className="expedio-app">
			<nav className="nav-tab-wrapper expedio-nav">
				{SCREENS.map((name) => (
					<a key={name} href={`#/${name}`} className={`nav-tab${route.screen === name ? ' nav-tab-active' : ''}`} aria-current={route.screen === name ? 'page' : undefined}>
						{screenTitle(name)}
					</a>
				))}
			</nav>
			<h2 className="expedio-screen-title">{screenTitle(route.screen)}</h2>
			{configured ? (
				<Screen screen={route.screen} id={route.id} />
			) : (
				<Notice status="warning" isDismissible={false}>
					{__('Expedio is not connected yet: press "Connect to Expedio" below.', 'expedio')}
				</Notice>
			)}
		</div>
	);
}

const config = adminConfig();
const container = document.getElementById('expedio-admin-root');
if (config && container) {
	setUp(config);
	mount(container, <App configured={config.configured} />);
}
