import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Sql } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { createApiKey } from './api-keys.ts';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';
import { createUser } from './users.ts';

/**
 * First-run setup of a core-only install: while no tenant exists, whoever presents the one-time
 * setup code may create the tenant, its first login and an API key. The code is what stops a
 * stranger who reaches a fresh install first from claiming it: it is printed on the server's own
 * console (or given by the operator as EXPEDIO_SETUP_CODE), never served over HTTP.
 */

/** A code typed from a console: 20 characters of an alphabet without look-alikes (~100 bits). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const SETUP_CODE_MIN_LENGTH = 12;

export function generateSetupCode(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5, 10).join('')}-${chars.slice(10, 15).join('')}-${chars.slice(15).join('')}`;
}

/**
 * The code this process accepts: EXPEDIO_SETUP_CODE when given (needed when several replicas
 * serve one database, so each accepts the same code), else a fresh one for this process.
 */
export function resolveSetupCode(env: NodeJS.ProcessEnv = process.env): { code: string; fromEnv: boolean } {
  const given = env.EXPEDIO_SETUP_CODE?.trim();
  if (given) {
    if (given.length < SETUP_CODE_MIN_LENGTH) throw new Error(`EXPEDIO_SETUP_CODE must have at least ${SETUP_CODE_MIN_LENGTH} characters.`);
    return { code: given, fromEnv: true };
  }
  return { code: generateSetupCode(), fromEnv: false };
}

/** Dashes and case do not matter; compared in constant time over hashes of equal length. */
export function setupCodeMatches(expected: string, sent: string | null | undefined): boolean {
  const norm = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();
  const a = createHash('sha256').update(norm(expected)).digest();
  const b = createHash('sha256').update(norm(sent ?? '')).digest();
  return timingSafeEqual(a, b) && norm(sent ?? '').length > 0;
}

export async function hasAnyTenant(db: Db): Promise<boolean> {
  const [row] = await db`select 1 from tenants limit 1`;
  return !!row;
}

export interface FirstRunInput {
  tenantName: string;
  cui?: string | null;
  operatorName: string;
  email: string;
  password: string;
  /** The language the setup form was filled in, kept as the operator's preference (default ro). */
  language?: 'ro' | 'en';
}

export interface FirstRunResult {
  tenantId: string;
  tenantName: string;
  userId: string;
  email: string;
  role: 'manager';
  /** Shown once; only its hash is stored. */
  apiKey: string;
}

export function checkFirstRunInput(i: FirstRunInput): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  if (!i.tenantName?.trim()) d.push({ path: 'tenantName', reason: 'is required' });
  if (i.cui && !/^(RO)?\s*\d{2,10}$/i.test(i.cui.trim())) d.push({ path: 'cui', reason: 'must be 2 to 10 digits, optionally after RO' });
  if (!i.operatorName?.trim()) d.push({ path: 'operatorName', reason: 'is required' });
  if (!/^[^\s@]+@[^\s@]+$/.test(i.email ?? '')) d.push({ path: 'email', reason: 'not an e-mail address' });
  if ((i.password ?? '').length < MIN_PASSWORD_LENGTH) d.push({ path: 'password', reason: `shorter than ${MIN_PASSWORD_LENGTH} characters` });
  return d;
}

/**
 * Creates the install's first tenant, its manager login and an API key in one transaction. An
 * advisory lock serialises two setups racing on a fresh install, so exactly one succeeds and the
 * other is told the install is already set up.
 */
export async function completeFirstRunSetup(db: Sql, input: FirstRunInput): Promise<FirstRunResult> {
  const details = checkFirstRunInput(input);
  if (details.length) throw new DomainError('VALIDATION', `The setup form is not complete: ${details.map((x) => `${x.path} ${x.reason}`).join('; ')}.`, details);
  return (await db.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('expedio.first_run_setup'))`;
    if (await hasAnyTenant(tx)) throw alreadySetUp();
    const cui = input.cui?.trim() ? input.cui.trim().toUpperCase().replace(/^RO\s*/, '') : null;
    const [t] = await tx<{ id: string }[]>`insert into tenants (name, cui) values (${input.tenantName.trim()}, ${cui}) returning id::text`;
    const user = await createUser(tx, t!.id, { email: input.email.trim(), name: input.operatorName.trim(), role: 'manager', password: input.password, language: input.language ?? 'ro' });
    const apiKey = await createApiKey(tx, t!.id, 'first-run setup');
    return { tenantId: t!.id, tenantName: input.tenantName.trim(), userId: user.id, email: user.email, role: 'manager' as const, apiKey };
  })) as FirstRunResult;
}

export const alreadySetUp = () =>
  new DomainError('CONFLICT', 'This Expedio install is already set up; log in at /warehouse/login, or ask a manager of the tenant for an account.', [{ path: 'setup', reason: 'a tenant exists' }]);
