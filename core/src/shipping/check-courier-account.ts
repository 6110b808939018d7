import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { type CourierCode, type CourierServiceOption, isCourierError } from './courier-adapter.ts';
import { createCourierAdapter, loadCourierAccount } from './courier-accounts.ts';
import { createAuditedFetch } from './courier-audit.ts';

export interface CourierCheckDeps {
  sql: Db;
  box: SecretBox;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

export type CredentialTestResult =
  | { ok: true; courier: CourierCode; accountId: string; operation: string }
  | { ok: false; courier: CourierCode; accountId: string; error: { code: string; message: string; httpStatus: number | null } };

/** A fresh adapter (no cached token) whose calls land in the courier audit log like every other. */
function freshAdapter(deps: CourierCheckDeps, account: Awaited<ReturnType<typeof loadCourierAccount>>) {
  const fetch = createAuditedFetch({ db: deps.sql, tenantId: account.tenantId, courier: account.courier, courierAccountId: account.id, fetch: deps.fetch });
  return createCourierAdapter(account, { fetch, now: deps.now, timeoutMs: 15_000 });
}

/**
 * Tries the account's stored credentials with the courier's cheapest authenticated call. The
 * courier's refusal is the answer (ok false, its error named), not a failure of this request.
 */
export async function testCourierCredentials(deps: CourierCheckDeps, tenantId: string, accountId: string): Promise<CredentialTestResult> {
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, accountId);
  try {
    const r = await freshAdapter(deps, account).verifyCredentials();
    return { ok: true, courier: account.courier, accountId: account.id, operation: r.operation };
  } catch (e) {
    if (isCourierError(e)) return { ok: false, courier: account.courier, accountId: account.id, error: { code: e.code, message: e.message, httpStatus: e.httpStatus } };
    // A setting the adapter needs (e.g. settings.clientId) is missing: also an answer about the account.
    if (e instanceof DomainError) return { ok: false, courier: account.courier, accountId: account.id, error: { code: e.code, message: e.message, httpStatus: null } };
    throw e;
  }
}

/** The courier's services for this account and which one the account uses when a request names none. */
export async function courierAccountServices(deps: CourierCheckDeps, tenantId: string, accountId: string): Promise<{ courier: CourierCode; accountId: string; defaultService: string | null; services: CourierServiceOption[] }> {
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, accountId);
  const services = await freshAdapter(deps, account).services();
  return { courier: account.courier, accountId: account.id, defaultService: account.defaultService, services };
}
