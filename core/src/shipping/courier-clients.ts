import type { Db } from '../db/connect.ts';
import type { CourierAdapter } from './courier-adapter.ts';
import { type CourierAccount, createCourierAdapter } from './courier-accounts.ts';
import { createAuditedFetch } from './courier-audit.ts';

export type AccountAdapter = ReturnType<typeof createCourierAdapter>;

export interface CourierClientDeps {
  /** Audit rows are written through this (a pool, not the caller's transaction: they outlive a rollback). */
  sql: Db;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

// Adapters hold their courier's login token: built once per account (and its exact settings) for a
// set of deps, not per call, or every AWB, label and tracking poll would log in again. A changed
// account (credentials, settings, URL) has another fingerprint and gets a fresh adapter.
const built = new WeakMap<CourierClientDeps, Map<string, AccountAdapter & CourierAdapter>>();

/**
 * The adapter of a stored account with every call audited. `settings.timeoutMs` bounds each call
 * (a create that times out is treated as possibly done and resolved by reference before any retry).
 */
export function adapterFor(deps: CourierClientDeps, account: CourierAccount): AccountAdapter & CourierAdapter {
  const key = JSON.stringify([account.tenantId, account.id, account.courier, account.credentials, account.baseUrl, account.defaultService, account.settings]);
  let cache = built.get(deps);
  if (!cache) {
    cache = new Map();
    built.set(deps, cache);
  }
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= 1000) cache.clear();
  const adapter = buildAdapter(deps, account);
  cache.set(key, adapter);
  return adapter;
}

function buildAdapter(deps: CourierClientDeps, account: CourierAccount): AccountAdapter & CourierAdapter {
  const fetch = createAuditedFetch({ db: deps.sql, tenantId: account.tenantId, courier: account.courier, courierAccountId: account.id, fetch: deps.fetch });
  const t = Number(account.settings.timeoutMs);
  return createCourierAdapter(account, { fetch, now: deps.now, timeoutMs: Number.isFinite(t) && t > 0 ? t : undefined });
}

/** Deactivates an account; it stays because its shipments refer to it. */
export async function deactivateCourierAccount(db: Db, tenantId: string, id: string): Promise<void> {
  await db`update courier_accounts set active = false, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
}
