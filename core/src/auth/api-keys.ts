import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new API key; the plaintext is returned once and only its hash is stored. */
export async function createApiKey(db: Db, tenantId: string, name: string): Promise<string> {
  const key = `exp_${randomBytes(24).toString('base64url')}`;
  await db`insert into api_keys (tenant_id, name, key_hash, key_prefix) values (${tenantId}, ${name}, ${hashKey(key)}, ${key.slice(0, 8)})`;
  return key;
}

export async function findApiKey(db: Db, key: string): Promise<{ tenantId: string; keyId: string } | null> {
  const [row] = await db<{ tenantId: string; keyId: string }[]>`
    select tenant_id::text as "tenantId", id::text as "keyId" from api_keys where key_hash = ${hashKey(key)} and revoked_at is null`;
  return row ?? null;
}
