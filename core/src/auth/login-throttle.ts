import type { Db, Sql } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';

/**
 * Brute-force limits of every password check (the warehouse login today). Each attempt is counted
 * before the password is checked, in one transaction that holds the rows' locks, so N core
 * processes share one budget, a burst of parallel guesses gets no more tries than a sequence, and
 * a refused attempt never runs the scrypt (which costs 32 MiB and ~50 ms of one core).
 *
 * - account (the e-mail as typed, lower-cased): 5 free tries, then a wait that doubles from 1 s;
 *   the 10th failure locks it for an hour, or until an operator lifts the lockout.
 * - address (the client's IP): 20 free tries (a warehouse behind one NAT logs in at shift start),
 *   then a wait that doubles from 1 s, at most 15 minutes; never locked.
 * A success clears the account and gives the address its try back. An hour without attempts
 * forgets an unlocked row.
 */
export const LOGIN_LIMITS = {
  account: { free: 5, lockAt: 10, lockMs: 60 * 60 * 1000 },
  address: { free: 20, lockAt: Number.POSITIVE_INFINITY, lockMs: 0 },
  maxWaitMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
} as const;

export type LoginScope = 'account' | 'address';
export type ThrottleReason = 'account_locked' | 'account_throttled' | 'address_throttled';

export type Admission = { admitted: true } | { admitted: false; reason: ThrottleReason; retryAfterSeconds: number };

/** The wait after the n-th counted attempt: none while free, then 1 s, 2 s, 4 s … up to the cap. */
export function waitAfterMs(scope: LoginScope, attempts: number): number {
  const over = attempts - LOGIN_LIMITS[scope].free;
  if (over < 0) return 0;
  return Math.min(1000 * 2 ** over, LOGIN_LIMITS.maxWaitMs);
}

const accountKey = (email: string) => email.trim().toLowerCase();

interface Row {
  scope: LoginScope;
  attempts: number;
  lastAttemptAt: Date;
  waitUntil: Date;
  lockedUntil: Date | null;
}

/**
 * Counts one attempt for the e-mail and the address, or refuses it (nothing counted) while either
 * waits or the account is locked. Call before the password check; `loginSucceeded` after a match.
 */
export async function admitLoginAttempt(db: Sql, who: { email: string; address: string }, now: Date): Promise<Admission> {
  const keys: Array<[LoginScope, string]> = [
    ['account', accountKey(who.email)],
    ['address', who.address],
  ];
  return db.begin(async (tx) => {
    // Inserted first so the select below can lock a row that did not exist yet; account before
    // address, always, so two attempts never wait on each other's locks in opposite order.
    for (const [scope, key] of keys) {
      await tx`insert into login_throttles (scope, key, attempts, last_attempt_at, wait_until) values (${scope}, ${key}, 0, ${now}, ${now}) on conflict do nothing`;
    }
    const rows = new Map<LoginScope, Row>();
    for (const [scope, key] of keys) {
      const [r] = await tx<Row[]>`select scope, attempts, last_attempt_at as "lastAttemptAt", wait_until as "waitUntil", locked_until as "lockedUntil"
        from login_throttles where scope = ${scope} and key = ${key} for update`;
      rows.set(scope, r!);
    }
    const t = now.getTime();
    const account = rows.get('account')!;
    if (account.lockedUntil && account.lockedUntil.getTime() > t) return refuse('account_locked', account.lockedUntil, t);
    for (const [scope] of keys) {
      const r = rows.get(scope)!;
      const forgotten = (!r.lockedUntil || r.lockedUntil.getTime() <= t) && t - r.lastAttemptAt.getTime() > LOGIN_LIMITS.forgetAfterMs;
      if (!forgotten && r.waitUntil.getTime() > t) return refuse(scope === 'account' ? 'account_throttled' : 'address_throttled', r.waitUntil, t);
    }
    for (const [scope, key] of keys) {
      const r = rows.get(scope)!;
      const lapsed = r.lockedUntil !== null && r.lockedUntil.getTime() <= t;
      const forgotten = lapsed || t - r.lastAttemptAt.getTime() > LOGIN_LIMITS.forgetAfterMs;
      const attempts = (forgotten ? 0 : r.attempts) + 1;
      const limits = LOGIN_LIMITS[scope];
      const lockedUntil = attempts >= limits.lockAt ? new Date(t + limits.lockMs) : null;
      await tx`update login_throttles set attempts = ${attempts}, last_attempt_at = ${now},
          wait_until = ${new Date(t + waitAfterMs(scope, attempts))}, locked_until = ${lockedUntil}
        where scope = ${scope} and key = ${key}`;
    }
    return { admitted: true } as const;
  });
}

function refuse(reason: ThrottleReason, until: Date, nowMs: number): Admission {
  return { admitted: false, reason, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - nowMs) / 1000)) };
}

/** The password matched: the account starts afresh and the address gets its try back. */
export async function loginSucceeded(db: Db, who: { email: string; address: string }, now: Date): Promise<void> {
  await db`delete from login_throttles where scope = 'account' and key = ${accountKey(who.email)}`;
  await db`update login_throttles set attempts = greatest(attempts - 1, 0) where scope = 'address' and key = ${who.address}`;
  // Rows of e-mails nobody tried for a day: cleaned here rather than by a job (logins are rare).
  await db`delete from login_throttles where last_attempt_at < ${new Date(now.getTime() - 24 * 60 * 60 * 1000)} and (locked_until is null or locked_until < ${now})`;
}

/** When the account of this e-mail is locked (null: it is not). */
export async function loginLockedUntil(db: Db, email: string, now: Date): Promise<Date | null> {
  const [r] = await db<{ lockedUntil: Date }[]>`select locked_until as "lockedUntil" from login_throttles
    where scope = 'account' and key = ${accountKey(email)} and locked_until > ${now}`;
  return r?.lockedUntil ?? null;
}

/** The operator lifts a lockout (and any wait) of one e-mail; true when there was one to lift. */
export async function liftLoginLockout(db: Db, email: string): Promise<boolean> {
  const rows = await db`delete from login_throttles where scope = 'account' and key = ${accountKey(email)} returning 1`;
  return rows.length > 0;
}

/** The tenant's logins whose account is locked now, by user id (for the team list and its button). */
export async function lockedLoginsOf(db: Db, tenantId: string, now: Date): Promise<Map<string, Date>> {
  const rows = await db<{ userId: string; lockedUntil: Date }[]>`
    select u.id::text as "userId", t.locked_until as "lockedUntil"
    from users u join login_throttles t on t.scope = 'account' and t.key = lower(u.email)
    where u.tenant_id = ${tenantId} and t.locked_until > ${now}`;
  return new Map(rows.map((r) => [r.userId, r.lockedUntil]));
}

/**
 * An operator of the tenant lifts the lockout of one of its logins. The lockout is kept by
 * e-mail (a login precedes knowing the tenant), so lifting it frees that e-mail everywhere; the
 * operator can only name an e-mail of a login of their own tenant.
 */
export async function liftUserLoginLockout(db: Db, tenantId: string, userId: string): Promise<{ lifted: boolean }> {
  const [u] = await db<{ email: string }[]>`select email from users where tenant_id = ${tenantId} and id = ${userId}`;
  if (!u) throw new DomainError('NOT_FOUND', `User ${userId} does not exist.`, [{ path: 'id', reason: 'no such user in this tenant' }]);
  return { lifted: await liftLoginLockout(db, u.email) };
}
