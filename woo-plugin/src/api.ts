/**
 * The bundles' only way out: the plugin's REST routes under /wp-json/expedio/v1, which forward to
 * the core with the stored key (includes/class-rest-resources.php). The browser never holds the
 * core's URL or key; apiFetch sends the login cookie and the wp_rest nonce.
 */
import apiFetch from '@wordpress/api-fetch';

export const NAMESPACE = '/expedio/v1';

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `/expedio/v1/<path>?<query>`, leaving out empty values so the core sees only real filters. */
export function restPath(path: string, query: Query = {}): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === '') continue;
		params.set(key, String(value));
	}
	const search = params.toString();
	return `${NAMESPACE}${path}${search ? `?${search}` : ''}`;
}

export function get<T>(path: string, query: Query = {}): Promise<T> {
	return apiFetch<T>({ path: restPath(path, query) });
}

export function send<T>(method: 'POST' | 'PATCH' | 'PUT', path: string, data: unknown = {}): Promise<T> {
	return apiFetch<T>({ path: restPath(path), method, data });
}

/**
 * WordPress REST errors reject with `{ code, message, data: { status, details } }` (the plugin
 * passes the core's message and field details through); a network failure with something else.
 */
export function errorMessage(error: unknown, fallback: string): string {
	if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && error.message !== '') {
		const details = 'data' in error && typeof error.data === 'object' && error.data !== null && 'details' in error.data ? error.data.details : null;
		if (Array.isArray(details) && details.length > 0) {
			const parts = details
				.filter((d): d is { path: string; reason: string } => typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.reason === 'string')
				.map((d) => `${d.path}: ${d.reason}`);
			if (parts.length > 0) return `${error.message} (${parts.join('; ')})`;
		}
		return error.message;
	}
	return fallback;
}
