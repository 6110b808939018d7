import type { ErrorDetail } from './domain-error.ts';

/*
 * What Postgres can store, checked where input enters (the API's JSON bodies and queries, the
 * store webhooks) so that a value it cannot hold is a 400 naming the field, not a 500 from deep in
 * a transaction: text cannot hold NUL (U+0000), and a lone UTF-16 surrogate has no UTF-8 form
 * (json/jsonb refuse it, text gets it replaced silently).
 */

const NUL = String.fromCharCode(0);
/** With the u flag a surrogate range matches only a half without its pair. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Why a string cannot be stored, or null when it can. */
export function unstorableReason(s: string): string | null {
  if (s.includes(NUL)) return 'contains a NUL character (U+0000)';
  return LONE_SURROGATE.test(s) ? 'contains a lone UTF-16 surrogate (not valid Unicode)' : null;
}

/**
 * Whether a JSON text can hold a string Postgres cannot store, read off the text in one native
 * scan: such a string reaches JSON.parse only as a `\u0000` or `\uD800`–`\uDFFF` escape or as
 * the character itself. False means `findUnstorableText` of its parse would find nothing, so a
 * webhook of a few kilobytes skips the walk over every value; true (a surrogate pair's escapes,
 * an escaped backslash before "u0000") only means the walk decides.
 */
export function jsonMayHoldUnstorableText(text: string): boolean {
  return /\\u(?:0000|[dD][89abcdefABCDEF])/.test(text) || text.includes(NUL) || LONE_SURROGATE.test(text);
}

/** The first string (value or key) in a parsed JSON document that Postgres cannot store, with its path. */
export function findUnstorableText(value: unknown, path = ''): ErrorDetail | null {
  const at = (k: string | number) => (typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k);
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason ? { path: path || 'body', reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], at(i));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyReason = unstorableReason(k);
      if (keyReason) return { path: at(k.replaceAll(NUL, '?').replace(new RegExp(LONE_SURROGATE, 'gu'), '?')), reason: `field name ${keyReason}` };
      const found = findUnstorableText(v, at(k));
      if (found) return found;
    }
  }
  return null;
}

/** Years a timestamptz column holds and an ISO string round-trips: 1970 to 9999 (no year 0000, no +275760). */
export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms < Date.UTC(10000, 0, 1);
}
