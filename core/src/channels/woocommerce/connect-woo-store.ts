import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { SecretBox } from '../../shared/secret-box.ts';
import { openCredentials } from '../channel-repo.ts';
import { wooClientOptions } from '../store-client-options.ts';
import { createWooRestClient } from './woo-rest-client.ts';

/** How long a connect code granted on the consent page may be spent. */
export const CONNECT_CODE_TTL_MS = 10 * 60 * 1000;
const CODE_PREFIX = 'expc_';

const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex');

export const isConnectCode = (token: string): boolean => token.startsWith(CODE_PREFIX);

/**
 * A WooCommerce store's identity: its home URL as WordPress reports it (`home_url()`), with the
 * scheme and host lower-cased and no trailing slash; a sub-directory install keeps its path. The
 * scheme also decides how the core authenticates (`wooAuthModeFor`): Basic on https, OAuth 1.0a on http.
 */
export function normalizeStoreUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('VALIDATION', `The store URL ${JSON.stringify(raw)} is not a URL.`, [{ path: 'storeUrl', reason: 'not a URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('VALIDATION', 'The store URL must start with http:// or https://.', [{ path: 'storeUrl', reason: 'not http(s)' }]);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new DomainError('VALIDATION', 'The store URL is the store’s home address only, without user, query or fragment.', [
      { path: 'storeUrl', reason: 'has user, query or fragment' },
    ]);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** A one-time code for one store, granted by an operator of the tenant; only its hash is stored. */
export async function grantConnectCode(
  db: Db,
  tenantId: string,
  grant: { storeUrl: string; userId: string | null },
  now: Date,
): Promise<{ code: string; expiresAt: Date }> {
  const code = `${CODE_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + CONNECT_CODE_TTL_MS);
  await db`insert into channel_connect_codes (tenant_id, code_hash, store_url, granted_by_user_id, expires_at)
    values (${tenantId}, ${hashCode(code)}, ${normalizeStoreUrl(grant.storeUrl)}, ${grant.userId}, ${expiresAt})`;
  return { code, expiresAt };
}

export interface ConnectCodeGrant {
  tenantId: string;
  codeId: string;
  storeUrl: string;
}

const codeRefused = (reason: string) =>
  new DomainError('UNAUTHORIZED', `The connect code is ${reason}; press "Connect to Expedio" in the plugin again.`, [{ path: 'Authorization', reason: `connect code ${reason}` }]);

/** The grant behind a code that is still spendable: unknown, used and expired codes are refused alike. */
export async function findConnectCode(db: Db, code: string, now: Date): Promise<ConnectCodeGrant> {
  const [row] = await db<{ tenantId: string; codeId: string; storeUrl: string; usedAt: Date | null; expiresAt: Date }[]>`
    select tenant_id::text as "tenantId", id::text as "codeId", store_url as "storeUrl", used_at as "usedAt", expires_at as "expiresAt"
    from channel_connect_codes where code_hash = ${hashCode(code)}`;
  if (!row) throw codeRefused('not known');
  if (row.usedAt) throw codeRefused('already used');
  if (row.expiresAt.getTime() <= now.getTime()) throw codeRefused('expired');
  return { tenantId: row.tenantId, codeId: row.codeId, storeUrl: row.storeUrl };
}

/** Spends the code in the caller's transaction; a second spender (a replay, a race) is refused. */
export async function spendConnectCode(db: Db, grant: ConnectCodeGrant): Promise<void> {
  const rows = await db`update channel_connect_codes set used_at = now()
    where tenant_id = ${grant.tenantId} and id = ${grant.codeId} and used_at is null returning id`;
  if (rows.length === 0) throw codeRefused('already used');
}

export interface WooStoreKeys {
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
}

/**
 * One real REST call with the keys, the one sync makes first (`GET orders`), so keys the store
 * refuses never reach a channel. A refusal is the caller's bad input: VALIDATION naming the key or
 * the secret with the store's own words (and, over http, what OAuth 1.0a said).
 */
export async function verifyWooKeys(keys: WooStoreKeys, fetch?: typeof globalThis.fetch): Promise<void> {
  const options = wooClientOptions({ name: keys.storeUrl, externalRef: keys.storeUrl }, { consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret }, fetch);
  const client = createWooRestClient({ ...options, maxRetries: 1, maxRetryAfterMs: 5_000, timeoutMs: 15_000 });
  try {
    await client.get('/wp-json/wc/v3/orders', { per_page: 1 });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.code === 'NEEDS_RECONNECT') {
      const path = /consumer key is invalid/i.test(err.message) ? 'consumerKey' : /secret|signature/i.test(err.message) ? 'consumerSecret' : 'consumerKey';
      const said = /\(([^)]*)\)/.exec(err.message)?.[1] ?? err.message;
      throw new DomainError('VALIDATION', `The store refused the REST keys: ${err.message}`, [{ path, reason: `the store refused it (${said})` }]);
    }
    if (err.code === 'NOT_FOUND' || err.code === 'VALIDATION') {
      throw new DomainError('VALIDATION', `${err.message} Is ${keys.storeUrl} a WooCommerce store with pretty permalinks?`, [
        { path: 'storeUrl', reason: 'no WooCommerce REST API there' },
      ]);
    }
    throw new DomainError(err.code, err.message, [{ path: 'storeUrl', reason: 'the store did not answer' }]);
  }
}

/**
 * The tenant's channel for this store, created or reused (same store URL), with the new REST keys
 * sealed and any "needs reconnect" cleared. Keeps a stored auth mode override and the webhook secret.
 */
export async function upsertWooChannel(
  db: Db,
  box: SecretBox,
  tenantId: string,
  store: WooStoreKeys & { name: string },
): Promise<{ channelId: string; created: boolean }> {
  const [existing] = await db<{ id: string; credentials_enc: string | null }[]>`
    select id::text, credentials_enc from channels
    where tenant_id = ${tenantId} and kind = 'woocommerce' and lower(external_ref) = lower(${store.storeUrl}) for update`;
  const previous = openCredentials(box, existing?.credentials_enc ?? null);
  const sealed = box.seal(
    JSON.stringify({ consumerKey: store.consumerKey, consumerSecret: store.consumerSecret, ...(previous.authMode ? { authMode: previous.authMode } : {}) }),
  );
  if (existing) {
    await db`update channels set credentials_enc = ${sealed}, status = 'active', status_reason = null, last_sync_error = null
      where tenant_id = ${tenantId} and id = ${existing.id}`;
    return { channelId: existing.id, created: false };
  }
  const [row] = await db<{ id: string }[]>`
    insert into channels (tenant_id, kind, name, external_ref, credentials_enc)
    values (${tenantId}, 'woocommerce', ${store.name}, ${store.storeUrl}, ${sealed}) returning id::text`;
  return { channelId: row!.id, created: true };
}
