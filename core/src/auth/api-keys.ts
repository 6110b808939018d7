import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * A new API key; the plaintext is returned once and only its hash is stored. With `channelId` the
 * key speaks for that channel only (the WooCommerce plugin's key), as the Shopify app's session does.
 */
export async function createApiKey(db: Db, tenantId: string, name: string, opts: { channelId?: string } = {}): Promise<string> {
  const key = `exp_${randomBytes(24).toString('base64url')}`;
  await db`insert into api_keys (tenant_id, name, key_hash, key_prefix, channel_id)
    values (${tenantId}, ${name}, ${hashKey(key)}, ${key.slice(0, 8)}, ${opts.channelId ?? null})`;
  return key;
}

/** Revokes every key bound to a channel (a reconnect hands the plugin a new one). */
export async function revokeChannelApiKeys(db: Db, tenantId: string, channelId: string): Promise<number> {
  const rows = await db`update api_keys set revoked_at = now()
    where tenant_id = ${tenantId} and channel_id = ${channelId} and revoked_at is null returning id`;
  return rows.length;
}

export async function findApiKey(db: Db, key: string): Promise<{ tenantId: string; keyId: string; channelId: string | null } | null> {
  const [row] = await db<{ tenantId: string; keyId: string; channelId: string | null }[]>`
    select tenant_id::text as "tenantId", id::text as "keyId", channel_id::text as "channelId"
    from api_keys where key_hash = ${hashKey(key)} and revoked_at is null`;
  return row ?? null;
}
