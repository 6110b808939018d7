import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/*
 * The Shopify admin, as far as an admin UI extension sees it: a page on its own origin (as
 * extensions.shopifycdn.com is) that defines the s-* elements (polaris-stand-in.js), gives the bundle a
 * `shopify` global — data.selected, auth.idToken, i18n.translate over the extension's own locales/,
 * close, toast — and calls the bundle's default export, as the admin does. The session token comes from
 * the test (the fake Shopify signs it), so the core verifies a real JWT; the bundle's fetches cross
 * origins, so the core's CORS is what lets them through.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const EXTENSIONS = join(HERE, '..', '..', '..', 'extensions');

export interface ExtensionHost {
  origin: string;
  /** Where the bundles are served from (/ext/<handle>.js): set once they are built. */
  bundles: Map<string, string>;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#f1f1f1;padding:8px}</style>
<script src="/polaris-stand-in.js"></script></head><body><script type="module">
const q = new URLSearchParams(location.search);
const ext = q.get('ext'), locale = q.get('locale') || 'en';
const load = async (l) => { const r = await fetch('/locales/' + ext + '/' + l + '.json'); return r.ok ? r.json() : {}; };
const [own, fallback] = await Promise.all([load(locale), load('en')]);
const find = (m, key) => key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), m);
window.__host = { closed: 0, toasts: [], tokens: 0 };
globalThis.shopify = {
  extension: { target: q.get('target') },
  data: { selected: JSON.parse(q.get('selected') || '[]').map((id) => ({ id })) },
  auth: { idToken: async () => { window.__host.tokens++; return window.expedioIdToken(); } },
  i18n: {
    // Shopify's convention: keys into locales/<locale>.json, falling back to en.default.json; {{name}} interpolated.
    translate: (key, values = {}) => {
      const s = find(own, key) ?? find(fallback, key);
      if (typeof s !== 'string') return key;
      return s.replace(/\\{\\{(\\w+)\\}\\}/g, (all, n) => (n in values ? String(values[n]) : all));
    },
    formatNumber: (n) => new Intl.NumberFormat(locale).format(n),
    formatCurrency: (n, o = {}) => new Intl.NumberFormat(locale, { style: 'currency', currency: o.currency || 'RON' }).format(n),
    formatDate: (d) => new Intl.DateTimeFormat(locale).format(new Date(d)),
  },
  close: () => { window.__host.closed++; },
  toast: { show: (message) => { window.__host.toasts.push(message); } },
};
const mod = await import('/ext/' + q.get('handle') + '.js');
await mod.default();
window.__host.rendered = true;
</script></body></html>`;

export async function startExtensionHost(): Promise<ExtensionHost> {
  const bundles = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type: string, body: string | Buffer, status = 200) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/admin') return send('text/html; charset=utf-8', PAGE);
      if (url.pathname === '/polaris-stand-in.js') return send('text/javascript', readFileSync(join(HERE, 'polaris-stand-in.js')));
      const bundle = /^\/ext\/([\w-]+)\.js$/.exec(url.pathname);
      if (bundle && bundles.has(bundle[1]!)) return send('text/javascript', readFileSync(bundles.get(bundle[1]!)!));
      const locale = /^\/locales\/([\w-]+)\/(\w+)\.json$/.exec(url.pathname);
      if (locale) return send('application/json', readFileSync(join(EXTENSIONS, locale[1]!, 'locales', `${locale[2] === 'en' ? 'en.default' : locale[2]}.json`)));
      send('text/plain', 'not found', 404);
    } catch {
      send('text/plain', 'not found', 404);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, bundles, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Opens an extension in the host page as the admin would for these selected resources (GIDs). */
export async function openExtension(page: Page, host: ExtensionHost, o: { ext: string; handle: string; target: string; selected: string[]; locale?: 'en' | 'ro'; idToken: () => string }) {
  await page.exposeFunction('expedioIdToken', o.idToken).catch(() => {}); // once per page
  const q = new URLSearchParams({ ext: o.ext, handle: o.handle, target: o.target, selected: JSON.stringify(o.selected), locale: o.locale ?? 'en' });
  await page.goto(`${host.origin}/admin?${q}`);
  await page.waitForFunction(() => (window as unknown as { __host?: { rendered?: boolean } }).__host?.rendered === true);
}
