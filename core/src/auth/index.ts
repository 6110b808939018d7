/** The auth area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { createApiKey, issueApiKey, revokeChannelApiKeys } from './api-keys.ts';
export { authenticate } from './authenticate.ts';
export type { Principal } from './authenticate.ts';
export { can, requirePermission } from './permissions.ts';
export type { Action } from './permissions.ts';
export { LOGIN_LIMITS, liftLoginLockout, liftUserLoginLockout, lockedLoginsOf, loginLockedUntil } from './login-throttle.ts';
export type { ThrottleReason } from './login-throttle.ts';
export { SESSION_TTL_MS, attemptLogin, checkCsrf, checkLogin, createSession, destroySession, findSession } from './sessions.ts';
export type { SessionUser } from './sessions.ts';
export { userExists } from './user-lookups.ts';
export { createUser, setLanguage, setPassword } from './users.ts';
export type { Language, User } from './users.ts';
export { listApiKeys, listUsers, revokeApiKey, updateUser } from './team.ts';
export type { ApiKeySummary } from './team.ts';
export { ROLES } from './permissions.ts';
export type { Role } from './permissions.ts';
export { authenticateShopifyApp } from './shopify-app-token.ts';
export { createTenant } from './tenants.ts';
export { alreadySetUp, completeFirstRunSetup, generateSetupCode, hasAnyTenant, resolveSetupCode, setupCodeMatches } from './first-run-setup.ts';
export type { FirstRunInput, FirstRunResult } from './first-run-setup.ts';
