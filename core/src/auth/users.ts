import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { ROLES, type Role } from './permissions.ts';

export type Language = 'ro' | 'en';

export interface User {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  language: Language;
}

const USER_COLUMNS = `tenant_id::text as "tenantId", id::text as id, email, name, role, language`;

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { path: 'password', reason: `shorter than ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
}

export async function createUser(
  db: Db,
  tenantId: string,
  u: { email: string; name: string; role: Role; password?: string; language?: Language },
): Promise<User> {
  if (!ROLES.includes(u.role)) throw new DomainError('VALIDATION', `Role ${u.role} does not exist.`, [{ path: 'role', reason: `not one of ${ROLES.join(', ')}` }]);
  if (!/^[^\s@]+@[^\s@]+$/.test(u.email)) throw new DomainError('VALIDATION', `${u.email} is not an e-mail address.`, [{ path: 'email', reason: 'not an e-mail address' }]);
  if (u.password !== undefined) checkPassword(u.password);
  const hash = u.password === undefined ? null : await hashPassword(u.password);
  const rows = await db<User[]>`
    insert into users (tenant_id, email, name, role, password_hash, language)
    values (${tenantId}, ${u.email}, ${u.name}, ${u.role}, ${hash}, ${u.language ?? 'ro'})
    on conflict do nothing
    returning ${db.unsafe(USER_COLUMNS)}`;
  if (!rows[0]) throw new DomainError('CONFLICT', `A user with e-mail ${u.email} already exists in tenant ${tenantId}.`, [{ path: 'email', reason: 'already used in this tenant' }]);
  return rows[0];
}

/** Sets a new password and ends the user's sessions, so a changed password locks out old cookies. */
export async function setPassword(db: Db, tenantId: string, userId: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  const rows = await db`update users set password_hash = ${hash} where tenant_id = ${tenantId} and id = ${userId} returning id`;
  if (rows.length === 0) throw new DomainError('NOT_FOUND', `User ${userId} does not exist in tenant ${tenantId}.`, [{ path: 'userId', reason: 'not found' }]);
  await db`delete from user_sessions where tenant_id = ${tenantId} and user_id = ${userId}`;
}

export async function setLanguage(db: Db, tenantId: string, userId: string, language: Language): Promise<void> {
  await db`update users set language = ${language} where tenant_id = ${tenantId} and id = ${userId}`;
}

export async function getUser(db: Db, tenantId: string, userId: string): Promise<User | null> {
  const [row] = await db<User[]>`select ${db.unsafe(USER_COLUMNS)} from users where tenant_id = ${tenantId} and id = ${userId}`;
  return row ?? null;
}

export async function findUserByEmail(db: Db, tenantId: string, email: string): Promise<User | null> {
  const [row] = await db<User[]>`select ${db.unsafe(USER_COLUMNS)} from users where tenant_id = ${tenantId} and lower(email) = lower(${email})`;
  return row ?? null;
}
