import type { Context } from 'hono';
import { type Action, requirePermission, type SessionUser } from '../../auth/index.ts';
import { DomainError, type ErrorCode } from '../../shared/domain-error.ts';
import type { MessageKey, Translate } from './i18n.ts';
import type { PageContext } from './layout.ts';
import { requireSession, type UiEnv } from './web-session.ts';

/** What every warehouse screen's handler uses: the page context, the permission gate, form fields, errors in words. */

export const ctxOf = (c: Context<UiEnv>): PageContext => ({ lang: c.get('lang'), t: c.get('t'), user: c.get('session') });

/** Every page needs a session and the action's permission; the tenant always comes from the session. */
export const gate = (c: Context<UiEnv>, action: Action): SessionUser => {
  const s = requireSession(c);
  requirePermission(s, action);
  return s;
};

export type FormBody = Record<string, string | File | (string | File)[]>;

export function field(body: FormBody, name: string): string | undefined {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}
export function fields(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x : ''));
}

/** The domain's refusal reasons (details[].reason) the screens name in their own words. */
const BY_REASON: Record<string, MessageKey> = {
  wrong_item: 'scanWrong',
  over_pick: 'overPick',
  wrong_bin: 'wrongBin',
  over_scan: 'overScan',
  bin_first: 'binFirst',
  unscanned: 'unscannedRefused',
};
const BY_CODE: Partial<Record<ErrorCode, MessageKey>> = {
  VALIDATION: 'invalidInput',
  INVALID_STATE: 'invalidState',
  CONFLICT: 'invalidState',
  NOT_FOUND: 'notFound',
  FORBIDDEN: 'forbidden',
  UPSTREAM: 'courierUnavailable',
};

/**
 * An error as the screen shows it: the headline in the UI's language (by the refusal's reason,
 * else its kind), and the domain's sentence with the ids as the detail.
 */
export function errorWords(t: Translate, e: DomainError, overrides: Record<string, MessageKey> = {}): { headline: string; detail: string; reason: string } {
  const reason = e.details[0]?.reason ?? '';
  const key = overrides[reason] ?? BY_REASON[reason] ?? BY_CODE[e.code] ?? 'error';
  return { headline: t(key), detail: e.message, reason };
}

export const isDomain = (e: unknown, codes: ErrorCode[]): e is DomainError => e instanceof DomainError && codes.includes(e.code);
