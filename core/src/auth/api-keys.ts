import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * A new API key; the plaintext is returned once and only its hash is stored. With `channelId` the
 * key speaks for that channel only (the WooCommerce plugin's key), as the Shopify app's session does.
 */
export async function createApiKey(db: Db, tenantId: string, name: string, opts: { channelId?: string } = {}): Promise<string> {
  return (await issueApiKey(db, tenantId, name, opts)).key;
}

/** The same, with the new key's id (to list or revoke it later). */
export async function issueApiKey(db: Db, tenantId: string, name: string, opts: { channelId?: string } = {}): Promise<{ id: string; key: string }> {
  const key = `exp_${randomBytes(24).toString('base64url')}`;
  const [row] = await db<{ id: string }[]>`
    insert into api_keys (tenant_id, name, key_hash, key_prefix, channel_id)
    values (${tenantId}, ${name}, ${hashKey(key)}, ${key.slice(0, 8)}, ${opts.channelId ?? null}) returning id::text`;
  return { id: row!.id, key };
}

/** Revokes every key bound to a channel (a reconnect hands the plugin a new one). */
export async function revokeChannelApiKeys(db: Db, tenantId: string, channelId: string): Promise<number> {
  const rows = await db`update api_keys set revoked_at = now()
    where tenant_id = ${tenantId} and channel_id = ${channelId} and revoked_at is null returning id`;
  return rows.length;
}

export async function findApiKey(db: Db, key: string): Promise<{ tenantId: string; keyId: string; channelId: string | null } | null> {
  const [row] = await db<{ tenantId: string; keyId: string; channelId: string | null; stale: boolean }[]>`
    select tenant_id::text as "tenantId", id::text as "keyId", channel_id::text as "channelId",
           (last_used_at is null or last_used_at < now() - interval '5 minutes') as stale
    from api_keys where key_hash = ${hashKey(key)} and revoked_at is null`;
  if (!row) return null;
  // "Last used" to the nearest five minutes: one write per key per five minutes, not per request.
  if (row.stale) await db`update api_keys set last_used_at = now() where tenant_id = ${row.tenantId} and id = ${row.keyId}`;
  return { tenantId: row.tenantId, keyId: row.keyId, channelId: row.channelId };
}
