/** The auth area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { createApiKey } from './api-keys.ts';
export { authenticate } from './authenticate.ts';
export type { Principal } from './authenticate.ts';
export { can, requirePermission } from './permissions.ts';
export type { Action } from './permissions.ts';
export { SESSION_TTL_MS, checkCsrf, checkLogin, createSession, destroySession, findSession } from './sessions.ts';
export type { SessionUser } from './sessions.ts';
export { userExists } from './user-lookups.ts';
export { setLanguage, setPassword } from './users.ts';
export type { Language } from './users.ts';
export { alreadySetUp, completeFirstRunSetup, generateSetupCode, hasAnyTenant, resolveSetupCode, setupCodeMatches } from './first-run-setup.ts';
export type { FirstRunInput, FirstRunResult } from './first-run-setup.ts';
