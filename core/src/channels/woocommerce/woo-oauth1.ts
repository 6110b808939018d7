import { createHmac } from 'node:crypto';

/**
 * OAuth 1.0a "one-legged" signing as WooCommerce checks it on plain-http stores
 * (WC_REST_Authentication::check_oauth_signature): no token, the oauth_* parameters in the query
 * string, HMAC keyed with the consumer secret followed by '&'.
 *
 * Why our own ~100 lines and not @woocommerce/woocommerce-rest-api: that client is axios-based and
 * returns axios responses and errors, follows redirects and has no retry/Retry-After/abort handling,
 * so it would sit under our fetch client's error mapping rather than replace it; all it would add is
 * this signature (through oauth-1.0a, create-hmac and url-parse), which node:crypto gives us with no
 * dependency. The server's algorithm has quirks a generic OAuth library does not model (PHP's
 * parsing of `status[]` into `status[0]`, sorting by the top-level name, the un-encoded secret);
 * the table test pins this file to signatures computed by PHP with the server's algorithm.
 */

export type WooSignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface WooOAuth1Params {
  consumerKey: string;
  consumerSecret: string;
  /** Unix seconds; WooCommerce refuses anything more than 15 minutes from its clock. */
  timestamp: number;
  /** Unique per key within 15 minutes; WooCommerce stores the recent ones and refuses a repeat. */
  nonce: string;
  signatureMethod?: WooSignatureMethod;
}

/** The request URL with oauth_consumer_key, oauth_nonce, oauth_signature_method, oauth_timestamp and oauth_signature added. */
export function signWooRequest(method: string, url: URL, p: WooOAuth1Params): URL {
  const signed = new URL(url);
  for (const k of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature_method', 'oauth_timestamp', 'oauth_signature']) signed.searchParams.delete(k);
  signed.searchParams.set('oauth_consumer_key', p.consumerKey);
  signed.searchParams.set('oauth_nonce', p.nonce);
  signed.searchParams.set('oauth_signature_method', p.signatureMethod ?? 'HMAC-SHA256');
  signed.searchParams.set('oauth_timestamp', String(p.timestamp));
  signed.searchParams.set('oauth_signature', wooOAuth1Signature(method, signed, p.consumerSecret).signature);
  return signed;
}

/**
 * The signature WooCommerce expects for `url` as sent on the wire (any oauth_signature in it is
 * left out), and the base string it signs. The base URL is scheme, host and path without the query:
 * WordPress rebuilds it from its home URL and the request path, so the store URL we call must be
 * WordPress's home URL.
 */
export function wooOAuth1Signature(method: string, url: URL, consumerSecret: string): { signature: string; base: string } {
  const params = phpQuery(url.search.slice(1));
  params.delete('oauth_signature');
  const algorithm = params.get('oauth_signature_method') === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  // uksort($params, 'strcmp'): byte order of the top-level names; nested values keep their order.
  const sorted = [...params].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const pairs: string[] = [];
  for (const [name, value] of sorted) joinWithEquals(rawUrlEncode(name), encodeValues(value), pairs);
  const base = `${method.toUpperCase()}&${rawUrlEncode(`${url.protocol}//${url.host}${url.pathname}`)}&${pairs.join('%26')}`;
  // The key is the secret as stored, not percent-encoded (RFC 5849 would encode it; WooCommerce does not).
  const signature = createHmac(algorithm, `${consumerSecret}&`).update(base).digest('base64');
  return { signature, base };
}

/** PHP's rawurlencode (RFC 3986: only A–Z a–z 0–9 - . _ ~ stay as they are). */
export function rawUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A PHP array: ordered keys, values strings or nested arrays. */
type PhpValue = string | PhpArray;
type PhpArray = Map<string, PhpValue>;

/** Values percent-encoded, nested keys left alone — wc_rest_urlencode_rfc3986 over array_values. */
function encodeValues(v: PhpValue): PhpValue {
  if (typeof v === 'string') return rawUrlEncode(v);
  return new Map([...v].map(([k, x]) => [k, encodeValues(x)]));
}

/** join_with_equals_sign: `status[0]=a` becomes `status%5B0%5D=a`, and each `key=value` is encoded once more. */
function joinWithEquals(key: string, value: PhpValue, out: string[]): void {
  if (typeof value === 'string') {
    out.push(rawUrlEncode(`${key}=${value}`));
    return;
  }
  for (const [k, v] of value) joinWithEquals(`${key}%5B${k}%5D`, v, out);
}

/**
 * The query string as PHP's $_GET sees it (parse_str): `a[]=x&a[]=y` → a = [0 => x, 1 => y],
 * `a[k]=x` → a = [k => x], a repeated plain name keeps its place and its last value, dots and spaces
 * in a top-level name become underscores.
 */
function phpQuery(search: string): PhpArray {
  const root: PhpArray = new Map();
  for (const [rawKey, value] of new URLSearchParams(search)) {
    const m = /^([^[]*)((?:\[[^\]]*\])*)/.exec(rawKey)!;
    const name = m[1]!.replace(/[. ]/g, '_');
    if (name === '') continue;
    const path = [name, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const k = path[i] === '' ? String(nextIndex(node)) : path[i]!;
      if (i === path.length - 1) {
        node.set(k, value);
        break;
      }
      let child = node.get(k);
      if (typeof child !== 'object') {
        child = new Map();
        node.set(k, child);
      }
      node = child;
    }
  }
  return root;
}

function nextIndex(a: PhpArray): number {
  let next = 0;
  for (const k of a.keys()) if (/^(0|[1-9]\d*)$/.test(k)) next = Math.max(next, Number(k) + 1);
  return next;
}
