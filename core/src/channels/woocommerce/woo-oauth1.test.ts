import { describe, expect, it } from 'vitest';
import { rawUrlEncode, signWooRequest, wooOAuth1Signature } from './woo-oauth1.ts';

// Expected base strings and signatures were computed by PHP 8 running WooCommerce's own steps
// (WC_REST_Authentication::check_oauth_signature: parse_str, uksort strcmp, wc_rest_urlencode_rfc3986,
// join_with_equals_sign, hash_hmac with `secret&`) on exactly these URLs.
const CASES: { name: string; method: string; url: string; secret: string; base: string; signature: string }[] = [
  {
    name: 'a read with only the oauth parameters, on a port',
    method: 'GET',
    url: 'http://127.0.0.1:8080/wp-json/wc/v3/orders/727?oauth_consumer_key=ck_0123456789abcdef&oauth_nonce=0f1e2d3c4b5a69788796a5b4c3d2e1f0&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1764583200',
    secret: 'cs_fedcba9876543210',
    base: 'GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders%2F727&oauth_consumer_key%3Dck_0123456789abcdef%26oauth_nonce%3D0f1e2d3c4b5a69788796a5b4c3d2e1f0%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1764583200',
    signature: 'USFfcsT50lnB/BSac0P1QvQBYbi0zkkFL9i8H0bAu2o=',
  },
  {
    name: 'the sync query: sorted by name, `status[]` signed as PHP indexes it, colons encoded twice',
    method: 'GET',
    url: 'http://shop.example/wp-json/wc/v3/orders?per_page=50&page=2&orderby=modified&order=asc&modified_after=2026-11-20T10%3A00%3A00&dates_are_gmt=true&status%5B%5D=processing&status%5B%5D=on-hold&oauth_consumer_key=ck_a&oauth_nonce=abc123&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1764583200',
    secret: 'cs_b',
    base: 'GET&http%3A%2F%2Fshop.example%2Fwp-json%2Fwc%2Fv3%2Forders&dates_are_gmt%3Dtrue%26modified_after%3D2026-11-20T10%253A00%253A00%26oauth_consumer_key%3Dck_a%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1764583200%26order%3Dasc%26orderby%3Dmodified%26page%3D2%26per_page%3D50%26status%255B0%255D%3Dprocessing%26status%255B1%255D%3Don-hold',
    signature: 'YZyZh9MhclM6N+RTPdPwMtv6EtdrgK7G8WOV67rnkgg=',
  },
  {
    name: 'a write in a sub-directory install with HMAC-SHA1; the method is upper-cased',
    method: 'put',
    url: 'http://shop.example/shop/wp-json/wc/v3/orders/15?oauth_consumer_key=ck_a&oauth_nonce=n1&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1764583200',
    secret: 'cs_b',
    base: 'PUT&http%3A%2F%2Fshop.example%2Fshop%2Fwp-json%2Fwc%2Fv3%2Forders%2F15&oauth_consumer_key%3Dck_a%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1764583200',
    signature: 'jITUL+P1S5RC15pQwT1naSi318g=',
  },
  {
    name: "RFC 3986 encoding of + as space, diacritics and !*'(), ~ kept; `status` array sorts before `statusA`; a sent oauth_signature is left out",
    method: 'GET',
    url: 'http://shop.example/wp-json/wc/v3/orders?search=Ana+Pop%20%C8%98tef%C4%83n%21%2A%27%28%29~&include%5B%5D=3&include%5B%5D=1&statusA=x&oauth_consumer_key=ck_a&oauth_nonce=n2&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1764583200&oauth_signature=ignored',
    secret: 'cs_b',
    base: 'GET&http%3A%2F%2Fshop.example%2Fwp-json%2Fwc%2Fv3%2Forders&include%255B0%255D%3D3%26include%255B1%255D%3D1%26oauth_consumer_key%3Dck_a%26oauth_nonce%3Dn2%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1764583200%26search%3DAna%2520Pop%2520%25C8%2598tef%25C4%2583n%2521%252A%2527%2528%2529~%26statusA%3Dx',
    signature: 'FU4/2tJ1KLqF+D/FrVWilcB1qwTupKN7wDaetC948CU=',
  },
  {
    name: 'PHP turns a dot in a name into _, a keyed array `filter[period]`, and the secret is not encoded',
    method: 'POST',
    url: 'http://shop.example:8888/wp-json/wc/v3/orders/15/notes?a.b=1&filter%5Bperiod%5D=week&oauth_consumer_key=ck_a&oauth_nonce=n3&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1764583200',
    secret: 'cs_with&amp',
    base: 'POST&http%3A%2F%2Fshop.example%3A8888%2Fwp-json%2Fwc%2Fv3%2Forders%2F15%2Fnotes&a_b%3D1%26filter%255Bperiod%255D%3Dweek%26oauth_consumer_key%3Dck_a%26oauth_nonce%3Dn3%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1764583200',
    signature: 'jpAEaRpLdwkb80wicMYfXZci8Xx18d2BlHzBOvAgMhI=',
  },
];

describe('wooOAuth1Signature', () => {
  it.each(CASES)('$name', ({ method, url, secret, base, signature }) => {
    expect(wooOAuth1Signature(method, new URL(url), secret)).toEqual({ base, signature });
  });

  it('rawUrlEncode is PHP rawurlencode', () => {
    expect(rawUrlEncode("a b+c~d!*'()/é")).toBe('a%20b%2Bc~d%21%2A%27%28%29%2F%C3%A9');
  });
});

describe('signWooRequest', () => {
  it('adds the five oauth parameters, signature last, and signs what it sends', () => {
    const url = new URL('http://127.0.0.1:8080/wp-json/wc/v3/orders/727');
    const signed = signWooRequest('GET', url, {
      consumerKey: 'ck_0123456789abcdef',
      consumerSecret: 'cs_fedcba9876543210',
      timestamp: 1764583200,
      nonce: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    });
    expect([...signed.searchParams.keys()]).toEqual(['oauth_consumer_key', 'oauth_nonce', 'oauth_signature_method', 'oauth_timestamp', 'oauth_signature']);
    expect(signed.searchParams.get('oauth_signature')).toBe(CASES[0]!.signature);
    // base64's + / = travel percent-encoded, so PHP's $_GET gives the signature back unchanged
    expect(signed.search).toContain(`oauth_signature=${encodeURIComponent(CASES[0]!.signature)}`);
    expect(url.search).toBe('');
  });

  it('re-signing a URL replaces the earlier oauth parameters (a retry gets a fresh nonce)', () => {
    const url = new URL('http://shop.example/wp-json/wc/v3/orders?per_page=5');
    const p = { consumerKey: 'ck_a', consumerSecret: 'cs_b', timestamp: 1764583200 };
    const first = signWooRequest('GET', url, { ...p, nonce: 'one' });
    const second = signWooRequest('GET', first, { ...p, nonce: 'two' });
    expect(second.searchParams.getAll('oauth_nonce')).toEqual(['two']);
    expect(second.searchParams.get('per_page')).toBe('5');
    expect(second.searchParams.get('oauth_signature')).toBe(wooOAuth1Signature('GET', second, 'cs_b').signature);
  });
});
