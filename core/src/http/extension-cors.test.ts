import { describe, expect, it } from 'vitest';
import type { Deps } from '../shared/deps.ts';
import { createApp } from './app.ts';
import { DEFAULT_EXTENSION_ORIGINS, extensionOriginsFromEnv } from './extension-cors.ts';

// Neither a preflight nor a request without a bearer reaches the database.
const app = () => createApp({ sql: null, box: null, now: () => new Date() } as unknown as Deps, { extensionOrigins: ['https://extensions.shopifycdn.com'] });
const CDN = 'https://extensions.shopifycdn.com';

describe('CORS for the admin UI extensions', () => {
  it('answers the preflight of Shopify’s extension origin, allowing the Authorization header, before any bearer check', async () => {
    const res = await app().request('/api/v1/ship-batches', {
      method: 'OPTIONS',
      headers: { Origin: CDN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(CDN);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets the extension read the core’s refusal (401 with its error body)', async () => {
    const res = await app().request('/api/v1/orders', { headers: { Origin: CDN } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(CDN);
    expect(((await res.json()) as { error: { details: Array<{ path: string }> } }).error.details[0]!.path).toBe('Authorization');
  });

  it('allows no other origin', async () => {
    const res = await app().request('/api/v1/orders', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const get = await app().request('/api/v1/orders', { headers: { Origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reads EXPEDIO_EXTENSION_ORIGINS, defaulting to Shopify’s CDN, and refuses a path or a wildcard naming the variable', () => {
    expect(extensionOriginsFromEnv({})).toEqual([...DEFAULT_EXTENSION_ORIGINS]);
    expect(extensionOriginsFromEnv({ EXPEDIO_EXTENSION_ORIGINS: ' https://extensions.shopifycdn.com, http://127.0.0.1:8080/ ' })).toEqual([CDN, 'http://127.0.0.1:8080']);
    for (const bad of ['*', 'https://x.example/path', 'extensions.shopifycdn.com', 'ftp://x.example']) {
      expect(() => extensionOriginsFromEnv({ EXPEDIO_EXTENSION_ORIGINS: bad })).toThrow(/EXPEDIO_EXTENSION_ORIGINS/);
    }
  });
});
