/**
 * One @wordpress/data store per Expedio resource, all built the same way: a list cache keyed by
 * the query, an item cache keyed by id, the last error per key, and resolvers that fetch through
 * the plugin's REST routes the first time a screen selects something. Commands (confirm, hold,
 * create AWB...) are thunks that POST, then drop every cached answer of the stores they change so
 * the screens fetch fresh ones.
 */
import { createReduxStore, register } from '@wordpress/data';
import { errorMessage, get, type Query, send } from '../api';

export interface ListEntry<T> {
	items: T[];
	nextCursor: string | null;
	/** The whole answer (reports and invoices carry totals beside their rows). */
	body: unknown;
}

export interface ResourceState<T> {
	lists: Record<string, ListEntry<T>>;
	items: Record<string, T>;
	errors: Record<string, string>;
}

export interface ResourceConfig<T> {
	/** Store name, `expedio/<resource>`. */
	name: string;
	/** The REST path of the list for a query (the query's own keys become the search string). */
	listPath: (query: Query) => { path: string; query: Query };
	/** Rows and next cursor out of a list answer. */
	pick: (body: unknown) => { items: T[]; nextCursor: string | null };
	/** The REST path of one item; absent for resources without a detail route. */
	itemPath?: (id: string) => string;
	/** A row's id, to fill the item cache from lists. */
	idOf?: (item: T) => string;
}

/** A stable key for a query: the same filters in any order are the same list. */
export function queryKey(query: Query): string {
	const keys = Object.keys(query)
		.filter((k) => query[k] !== undefined && query[k] !== null && query[k] !== '')
		.sort();
	return keys.map((k) => `${k}=${String(query[k])}`).join('&');
}

export const itemKey = (id: string) => `item:${id}`;

type Action<T> =
	| { type: 'RECEIVE_LIST'; key: string; entry: ListEntry<T>; ids: [string, T][] }
	| { type: 'RECEIVE_ITEM'; id: string; item: T }
	| { type: 'RECEIVE_ERROR'; key: string; message: string }
	| { type: 'FORGET' }
	| { type: 'STALE' };

export function createReducer<T>() {
	const initial: ResourceState<T> = { lists: {}, items: {}, errors: {} };
	return (state: ResourceState<T> = initial, action: Action<T>): ResourceState<T> => {
		switch (action.type) {
			case 'RECEIVE_LIST': {
				const errors = { ...state.errors };
				delete errors[action.key];
				// A list entry is a summary: merged into an item read whole (an order with its lines), never
				// put in its place. Replaced, the order box's list answer arriving after the order's own
				// left the card on "Loading" for good, its item resolved already.
				const items = { ...state.items };
				for (const [id, item] of action.ids) items[id] = (state.items[id] ? { ...state.items[id], ...item } : item) as T;
				return { lists: { ...state.lists, [action.key]: action.entry }, items, errors };
			}
			case 'RECEIVE_ITEM': {
				const errors = { ...state.errors };
				delete errors[itemKey(action.id)];
				return { ...state, items: { ...state.items, [action.id]: action.item }, errors };
			}
			case 'RECEIVE_ERROR':
				return { ...state, errors: { ...state.errors, [action.key]: action.message } };
			case 'FORGET':
				return initial;
			case 'STALE':
				// Kept on screen until the new answers replace them; errors go, so their queries are asked again.
				return { ...state, errors: {} };
			default:
				return state;
		}
	};
}

// biome-ignore lint/suspicious/noExplicitAny: @wordpress/data hands thunks a registry-bound object whose type depends on the store.
type Thunk = (args: { dispatch: any; select: any; registry: any }) => Promise<unknown> | unknown;

/** What a command answers: the screens show `message` when it failed and change nothing. */
export type CommandResult<R = unknown> = { ok: true; result: R } | { ok: false; message: string };

/** Every resource store; commands invalidate all of them (an AWB changes orders, packing lists and shipments). */
const registered: string[] = [];

export function createResourceStore<T, A extends Record<string, (...args: never[]) => unknown> = Record<string, never>>(
	config: ResourceConfig<T>,
	extraActions: (helpers: { command: typeof command; run: typeof run }) => A = () => ({}) as A,
) {
	const actions = {
		receiveList(key: string, body: unknown) {
			const { items, nextCursor } = config.pick(body);
			const ids: [string, T][] = config.idOf ? items.map((item) => [(config.idOf as (i: T) => string)(item), item]) : [];
			return { type: 'RECEIVE_LIST' as const, key, entry: { items, nextCursor, body }, ids };
		},
		receiveItem(id: string, item: T) {
			return { type: 'RECEIVE_ITEM' as const, id, item };
		},
		receiveError(key: string, message: string) {
			return { type: 'RECEIVE_ERROR' as const, key, message };
		},
		/** Forget every answer and resolution, so whatever is on screen is fetched again. */
		refresh(): Thunk {
			return ({ dispatch }) => {
				dispatch({ type: 'FORGET' });
				dispatch.invalidateResolutionForStore();
			};
		},
		/**
		 * After a command: every resolution invalidated, so what is on screen is fetched again, but the
		 * answers kept until the new ones arrive — a card does not blank into "Loading" after each click
		 * (on a busy site that lasted seconds, with the command's outcome gone with it).
		 */
		revalidate(): Thunk {
			return ({ dispatch }) => {
				dispatch({ type: 'STALE' });
				dispatch.invalidateResolutionForStore();
			};
		},
		...extraActions({ command, run }),
	};

	const selectors = {
		getList(state: ResourceState<T>, query: Query = {}): ListEntry<T> | undefined {
			return state.lists[queryKey(query)];
		},
		getItem(state: ResourceState<T>, id: string): T | undefined {
			return state.items[id];
		},
		getListError(state: ResourceState<T>, query: Query = {}): string | undefined {
			return state.errors[queryKey(query)];
		},
		getItemError(state: ResourceState<T>, id: string): string | undefined {
			return state.errors[itemKey(id)];
		},
	};

	const resolvers = {
		getList(query: Query = {}): Thunk {
			return async ({ dispatch }) => {
				const { path, query: search } = config.listPath(query);
				try {
					dispatch.receiveList(queryKey(query), await get(path, search));
				} catch (error) {
					dispatch.receiveError(queryKey(query), errorMessage(error, 'The list could not be loaded.'));
				}
			};
		},
		getItem(id: string): Thunk {
			return async ({ dispatch }) => {
				if (!config.itemPath) return;
				try {
					dispatch.receiveItem(id, (await get(config.itemPath(id))) as T);
				} catch (error) {
					dispatch.receiveError(itemKey(id), errorMessage(error, 'It could not be loaded.'));
				}
			};
		},
	};

	const store = createReduxStore(config.name, { reducer: createReducer<T>(), actions, selectors, resolvers } as never);
	register(store);
	registered.push(config.name);
	return store;
}

/**
 * A command: send it, then revalidate every Expedio store (the core decides what changed). A
 * failure comes back as a message naming what the core refused (stores are refreshed too: an earlier step may have gone through).
 */
function command<R>(method: 'POST' | 'PATCH' | 'PUT', path: string, data: unknown = {}): Thunk {
	return run(() => send<R>(method, path, data));
}

/** A command of several requests (each one the core's own transaction), refreshed once at the end. */
function run<R>(steps: () => Promise<R>): Thunk {
	return async ({ registry }) => {
		let result: R;
		try {
			result = await steps();
		} catch (error) {
			for (const name of registered) registry.dispatch(name).revalidate();
			return { ok: false, message: errorMessage(error, 'Expedio did not accept the command.') } satisfies CommandResult<R>;
		}
		for (const name of registered) registry.dispatch(name).revalidate();
		return { ok: true, result } satisfies CommandResult<R>;
	};
}
