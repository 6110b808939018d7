/**
 * The extensions' one way to the Expedio core: its REST API with the admin's session token as
 * `Authorization: Bearer`. The core verifies the token (HS256 with the app secret, aud = the app's
 * client id, dest → shop → channel) and scopes every answer to that shop, so the extensions hold no
 * credential of their own. The core lives on another origin than Shopify's extension sandbox; it
 * answers CORS for that origin (EXPEDIO_EXTENSION_ORIGINS).
 */
import type { OrderListRow, OrdersPage } from './generated/expedio-api.ts';

/** Set at build time by build.ts (from EXPEDIO_CORE_URL); a bundle built without it uses the placeholder, as shopify.app.toml does. */
declare const EXPEDIO_CORE_URL: string | undefined;
const CORE_URL = typeof EXPEDIO_CORE_URL === 'string' ? EXPEDIO_CORE_URL : 'https://core.expedio.example';

/** What the extensions use of the admin's `shopify` global (every target has these). */
export interface ShopifyGlobal {
  auth: { idToken: () => Promise<string | null> };
  i18n: { translate: (key: string, replacements?: Record<string, string | number>) => unknown };
  data: { selected: Array<{ id: string }> };
  close?: () => void;
}

export const shopifyApi = (): ShopifyGlobal => (globalThis as unknown as { shopify: ShopifyGlobal }).shopify;

export const t = (key: string, replacements?: Record<string, string | number>): string => String(shopifyApi().i18n.translate(key, replacements));

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

type Init = { method?: 'GET' | 'POST' | 'PATCH'; body?: unknown; query?: Record<string, string | number | undefined> };

async function request(path: string, init: Init, accept: string): Promise<Response> {
  const token = await shopifyApi().auth.idToken();
  if (!token) throw new CoreError(t('error.noToken'), 401, 'UNAUTHENTICATED');
  const url = new URL(`/api/v1${path}`, CORE_URL);
  for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: accept };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  } catch (e) {
    throw new CoreError(t('error.unreachable', { reason: e instanceof Error ? e.message : String(e) }), 502, 'UNREACHABLE');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new CoreError(body?.error?.message ?? t('error.http', { status: res.status }), res.status, body?.error?.code ?? 'UPSTREAM');
  }
  return res;
}

export async function core<T>(path: string, init: Init = {}): Promise<T> {
  return (await (await request(path, init, 'application/json')).json()) as T;
}

/** A PDF of the core (label, invoice, label batch) fetched with the token, as a blob URL the merchant opens. */
export async function corePdf(path: string, query?: Init['query']): Promise<{ url: string; bytes: number }> {
  const res = await request(path, { ...(query ? { query } : {}) }, 'application/pdf');
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), bytes: blob.size };
}

/** Expedio's order for a Shopify order GID (gid://shopify/Order/N), or null when the core has not taken it in. */
export async function findOrder(orderGid: string): Promise<OrderListRow | null> {
  const page = await core<OrdersPage>('/orders', { query: { externalOrderId: orderGid, limit: 1 } });
  return page.orders[0] ?? null;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Waits between polls of a run the core works through (a ship batch, a label batch). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
