import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Sql } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { admitLoginAttempt, loginSucceeded, type ThrottleReason } from './login-throttle.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import type { Role } from './permissions.ts';
import type { Language } from './users.ts';

/** One warehouse shift; after that the picker logs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  tenantId: string;
  tenantName: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  language: Language;
  csrfToken: string;
  expiresAt: Date;
}

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

export type LoginResult =
  | { kind: 'ok'; tenantId: string; userId: string }
  | { kind: 'choose_tenant'; tenants: Array<{ id: string; name: string }> }
  | { kind: 'invalid' };

/**
 * E-mail + password. The e-mail may exist in several tenants; the password is checked against
 * each, and only when it matches more than one is the user asked which workspace — so the list of
 * workspaces is never shown before the password is proven.
 */
export async function checkLogin(db: Db, email: string, password: string, tenantId?: string): Promise<LoginResult> {
  const rows = await db<{ tenant_id: string; tenant_name: string; id: string; password_hash: string | null }[]>`
    select u.tenant_id::text, t.name as tenant_name, u.id::text, u.password_hash
    from users u join tenants t on t.id = u.tenant_id
    where lower(u.email) = lower(${email.trim()}) and u.disabled_at is null and u.password_hash is not null
      ${tenantId ? db`and u.tenant_id = ${tenantId}` : db``}
    order by u.tenant_id
    limit 20`;
  if (rows.length === 0) {
    await verifyAgainstDummy(password);
    return { kind: 'invalid' };
  }
  const matches: Array<(typeof rows)[number]> = [];
  for (const r of rows) if (await verifyPassword(password, r.password_hash!)) matches.push(r);
  if (matches.length === 0) return { kind: 'invalid' };
  if (matches.length > 1) return { kind: 'choose_tenant', tenants: matches.map((m) => ({ id: m.tenant_id, name: m.tenant_name })) };
  return { kind: 'ok', tenantId: matches[0]!.tenant_id, userId: matches[0]!.id };
}

export type ThrottledLoginResult = LoginResult | { kind: 'throttled'; reason: ThrottleReason; retryAfterSeconds: number };

/**
 * `checkLogin` behind the brute-force limits (login-throttle.ts): the attempt is counted, or
 * refused without running the scrypt, before any password is checked.
 */
export async function attemptLogin(
  db: Sql,
  a: { email: string; password: string; tenantId?: string; address: string },
  now: Date,
): Promise<ThrottledLoginResult> {
  const who = { email: a.email, address: a.address };
  const admission = await admitLoginAttempt(db, who, now);
  if (!admission.admitted) return { kind: 'throttled', reason: admission.reason, retryAfterSeconds: admission.retryAfterSeconds };
  const result = await checkLogin(db, a.email, a.password, a.tenantId);
  // A right password that matches several workspaces is proven too: the next post names one.
  if (result.kind !== 'invalid') await loginSucceeded(db, who, now);
  return result;
}

/** A new session; the random id goes to the cookie once and only its hash is stored. */
export async function createSession(db: Db, tenantId: string, userId: string, now: Date): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db`insert into user_sessions (tenant_id, id_hash, user_id, csrf_token, expires_at)
    values (${tenantId}, ${hashSessionId(sessionId)}, ${userId}, ${csrfToken}, ${expiresAt})`;
  // Expired rows of this user are cleaned here rather than by a job: logins are rare and cheap.
  await db`delete from user_sessions where tenant_id = ${tenantId} and user_id = ${userId} and expires_at < ${now}`;
  return { sessionId, csrfToken, expiresAt };
}

export async function findSession(db: Db, sessionId: string, now: Date): Promise<SessionUser | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return null;
  const [row] = await db<SessionUser[]>`
    select s.tenant_id::text as "tenantId", t.name as "tenantName", u.id::text as "userId", u.email, u.name, u.role, u.language,
           s.csrf_token as "csrfToken", s.expires_at as "expiresAt"
    from user_sessions s
    join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
    join tenants t on t.id = s.tenant_id
    where s.id_hash = ${hashSessionId(sessionId)} and s.expires_at > ${now} and u.disabled_at is null`;
  return row ?? null;
}

export async function destroySession(db: Db, sessionId: string): Promise<void> {
  await db`delete from user_sessions where id_hash = ${hashSessionId(sessionId)}`;
}

/** Constant-time comparison of the synchronizer token; a missing token is the same refusal. */
export function checkCsrf(session: Pick<SessionUser, 'csrfToken'>, sent: string | undefined | null): void {
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new DomainError('FORBIDDEN', 'The form is missing its security token or it has expired; reload the page and try again.', [
      { path: 'csrf', reason: sent ? 'token does not match the session' : 'token missing' },
    ]);
  }
}
