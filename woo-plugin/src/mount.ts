/**
 * Renders into a mount element on WordPress 6.1 (React 17: `wp.element.render`) and on 6.2+
 * (React 18: `createRoot`). Both come from the page's own `wp-element` script.
 */
import apiFetch from '@wordpress/api-fetch';
import * as element from '@wordpress/element';
import type { ExpedioAdminConfig } from './config';
import { applyLocale } from './i18n';

type Node = import('react').ReactElement;

export function mount(container: Element, node: Node): void {
	if (typeof element.createRoot === 'function') {
		element.createRoot(container).render(node);
	} else {
		// React 17's render(element, container); @wordpress/element's types describe only the newer signature.
		(element.render as unknown as (n: Node, c: Element) => void)(node, container);
	}
}

let configured = false;

/**
 * apiFetch's root URL and wp_rest nonce (cookie-authenticated REST calls need it), and the
 * locale, once per page. In wp-admin, WordPress's own inline script for `wp-api-fetch` has set
 * both already (and renews an expired nonce through admin-ajax); only a page without it gets ours.
 */
export function setUp(config: ExpedioAdminConfig): void {
	if (configured) return;
	configured = true;
	if (!(apiFetch as { nonceMiddleware?: unknown }).nonceMiddleware) {
		apiFetch.use(apiFetch.createRootURLMiddleware(config.restRoot));
		apiFetch.use(apiFetch.createNonceMiddleware(config.nonce));
	}
	applyLocale(config.locale ?? document.documentElement.lang);
}
