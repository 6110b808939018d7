/**
 * Loaded with `node --import` into the Shopify app's server in tests (test/support/shopify-install.ts),
 * before @shopify/shopify-api captures `fetch`. The library builds Shopify's URLs itself
 * (`https://<shop>/admin/oauth/access_token`, `https://<shop>/admin/api/<v>/graphql.json`), so the
 * process's fetch sends every https://*.myshopify.com and https://admin.shopify.com request to the
 * fake Shopify on 127.0.0.1 (EXPEDIO_TEST_SHOPIFY_URL) — path, query, method, headers and body
 * unchanged — and refuses any other host than 127.0.0.1: the app under test never reaches the internet.
 */
const target = process.env.EXPEDIO_TEST_SHOPIFY_URL;
if (!target) throw new Error('shopify-app-preload: EXPEDIO_TEST_SHOPIFY_URL is not set');
const realFetch = globalThis.fetch;

function redirect(url: URL): URL {
  if (url.protocol === 'https:' && (url.hostname.endsWith('.myshopify.com') || url.hostname === 'admin.shopify.com')) {
    return new URL(`${url.pathname}${url.search}`, target);
  }
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new TypeError(`fetch failed: the test app may not reach ${url.origin}`);
  return url;
}

globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  if (input instanceof Request) return realFetch(new Request(redirect(new URL(input.url)), input), init);
  return realFetch(redirect(new URL(String(input))), init);
};

// The app server lives only as long as the test process that started it: its stdin is a pipe from
// that process, and the pipe's end (the test process gone in any way, SIGKILL included) ends the
// server. A SIGTERM from the test's own close() ends it at once as well.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
