import { describe, expect, it } from 'vitest';
import { wooAuthModeFor, wooClientOptions } from './store-client-options.ts';

describe('wooAuthModeFor', () => {
  it.each([
    ['https://shop.example', undefined, 'basic'],
    ['HTTPS://shop.example/shop', undefined, 'basic'],
    ['http://shop.example', undefined, 'oauth1'],
    [' HTTP://127.0.0.1:8080/shop', undefined, 'oauth1'],
    ['http://shop.example', 'query', 'query'],
    ['https://shop.example', 'query', 'query'],
    ['https://shop.example', 'oauth1', 'oauth1'],
    ['http://shop.example', 'basic', 'basic'],
  ] as const)('%s with stored mode %s → %s', (url, stored, mode) => {
    expect(wooAuthModeFor(url, stored)).toBe(mode);
  });

  it('a channel reaches its store by the credentials’ base URL, else its external ref, with the mode for that URL', () => {
    const creds = { consumerKey: 'ck', consumerSecret: 'cs' };
    expect(wooClientOptions({ name: 'Woo', externalRef: 'http://shop.example' }, creds)).toMatchObject({ baseUrl: 'http://shop.example', authMode: 'oauth1' });
    expect(wooClientOptions({ name: 'Woo', externalRef: 'http://shop.example' }, { ...creds, adminBaseUrl: 'https://shop.example' })).toMatchObject({
      baseUrl: 'https://shop.example',
      authMode: 'basic',
    });
    expect(() => wooClientOptions({ name: 'Woo', externalRef: null }, { consumerKey: 'ck' })).toThrow(/no WooCommerce REST keys/);
  });
});
