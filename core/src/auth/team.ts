import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { ROLES, type Role } from './permissions.ts';
import type { Language, User } from './users.ts';

/*
 * The tenant's people and machine keys, managed through /api/v1 instead of SQL: the warehouse
 * logins (operators, pickers, …) and the API keys integrations and the WordPress plugin call with.
 */

export interface ApiKeySummary {
  id: string;
  name: string;
  /** The first characters, so a key can be recognised; the key itself is never stored. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const USER_COLUMNS = `tenant_id::text as "tenantId", id::text as id, email, name, role, language, disabled_at is null as active`;

export async function listUsers(db: Db, tenantId: string): Promise<Array<User & { active: boolean }>> {
  return db<Array<User & { active: boolean }>>`select ${db.unsafe(USER_COLUMNS)} from users where tenant_id = ${tenantId} order by lower(email)`;
}

/** Changes a login's name, role or language; the password has its own call (setPassword ends sessions). */
export async function updateUser(db: Db, tenantId: string, userId: string, patch: { name?: string; role?: Role; language?: Language; active?: boolean }): Promise<User & { active: boolean }> {
  if (patch.role !== undefined && !ROLES.includes(patch.role)) {
    throw new DomainError('VALIDATION', `Role ${patch.role} does not exist.`, [{ path: 'role', reason: `not one of ${ROLES.join(', ')}` }]);
  }
  const [row] = await db<Array<User & { active: boolean }>>`
    update users set
      name = coalesce(${patch.name ?? null}, name),
      role = coalesce(${patch.role ?? null}, role),
      language = coalesce(${patch.language ?? null}, language),
      disabled_at = case when ${patch.active ?? null}::boolean is null then disabled_at
                         when ${patch.active ?? null}::boolean then null
                         else coalesce(disabled_at, now()) end
    where tenant_id = ${tenantId} and id = ${userId}
    returning ${db.unsafe(USER_COLUMNS)}`;
  if (!row) throw new DomainError('NOT_FOUND', `User ${userId} does not exist in this tenant.`, [{ path: 'id', reason: 'not found' }]);
  // A disabled login is signed out everywhere at once.
  if (patch.active === false) await db`delete from user_sessions where tenant_id = ${tenantId} and user_id = ${userId}`;
  return row;
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeySummary[]> {
  return db<ApiKeySummary[]>`
    select id::text as id, name, key_prefix as prefix, created_at::text as "createdAt",
           last_used_at::text as "lastUsedAt", revoked_at::text as "revokedAt"
    from api_keys where tenant_id = ${tenantId} order by api_keys.id`;
}

/** Revoking is final: the key stops working at once; revoking twice is not an error. */
export async function revokeApiKey(db: Db, tenantId: string, keyId: string): Promise<ApiKeySummary> {
  const [row] = await db<ApiKeySummary[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now())
    where tenant_id = ${tenantId} and id = ${keyId}
    returning id::text as id, name, key_prefix as prefix, created_at::text as "createdAt",
              last_used_at::text as "lastUsedAt", revoked_at::text as "revokedAt"`;
  if (!row) throw new DomainError('NOT_FOUND', `API key ${keyId} does not exist in this tenant.`, [{ path: 'id', reason: 'not found' }]);
  return row;
}
