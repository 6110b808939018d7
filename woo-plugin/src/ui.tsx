/** Pieces every screen uses: loading, errors, status words, money, dates, a list hook. */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useDispatch, useSelect } from '@wordpress/data';
import * as React from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { Query } from './api';
import type { ListEntry } from './stores/resource';

/** The status words of the core, in RO and EN (the core's names stay the values). */
export function statusLabel(status: string): string {
	const labels: Record<string, string> = {
		draft: __('Draft', 'expedio'),
		new: __('New', 'expedio'),
		processing: __('Processing', 'expedio'),
		confirmed: __('Confirmed', 'expedio'),
		picking: __('Picking', 'expedio'),
		picked: __('Picked', 'expedio'),
		packed: __('Packed', 'expedio'),
		ready: __('Ready', 'expedio'),
		shipping: __('Shipping', 'expedio'),
		delivered: __('Delivered', 'expedio'),
		cancelled: __('Cancelled', 'expedio'),
		on_hold: __('On hold', 'expedio'),
		open: __('Open', 'expedio'),
		assigned: __('Assigned', 'expedio'),
		completed: __('Completed', 'expedio'),
		created: __('Created', 'expedio'),
		creating: __('Creating', 'expedio'),
		in_transit: __('In transit', 'expedio'),
	};
	return labels[status] ?? status.replace(/_/g, ' ');
}

export function StatusBadge({ status }: { status: string }) {
	return <span className={`expedio-status expedio-status--${status}`}>{statusLabel(status)}</span>;
}

export function Loading() {
	return (
		<p className="expedio-loading">
			<Spinner /> {__('Loading…', 'expedio')}
		</p>
	);
}

export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
	return (
		<Notice status="error" isDismissible={false} actions={onRetry ? [{ label: __('Try again', 'expedio'), onClick: onRetry }] : []}>
			{message}
		</Notice>
	);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatDate(iso: string | null | undefined): string {
	if (!iso) return '—';
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** A list from one store: rows (or undefined while loading), its error and a retry. */
export function useList<T>(storeName: string, query: Query = {}) {
	const { entry, error } = useSelect(
		// biome-ignore lint/suspicious/noExplicitAny: the registry's select has no per-store type here.
		(select: any) => ({ entry: select(storeName).getList(query) as ListEntry<T> | undefined, error: select(storeName).getListError(query) as string | undefined }),
		[storeName, JSON.stringify(query)],
	);
	// biome-ignore lint/suspicious/noExplicitAny: see above.
	const { refresh } = useDispatch(storeName) as any;
	return { entry, error, retry: () => refresh() };
}

/** One list's standard frame: loading, error with retry, empty text, then the rows. */
export function ListFrame<T>({ list, empty, children }: { list: ReturnType<typeof useList<T>>; empty: string; children: (entry: ListEntry<T>) => unknown }) {
	if (list.error) return <ErrorNotice message={list.error} onRetry={list.retry} />;
	if (!list.entry) return <Loading />;
	if (list.entry.items.length === 0) return <p className="expedio-empty">{empty}</p>;
	return <>{children(list.entry) as never}</>;
}

export function RefreshButton({ storeName }: { storeName: string }) {
	// biome-ignore lint/suspicious/noExplicitAny: see useList.
	const { refresh } = useDispatch(storeName) as any;
	return (
		<Button variant="tertiary" onClick={() => refresh()}>
			{__('Refresh', 'expedio')}
		</Button>
	);
}
