import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWooRestClient, type WooAuthMode } from '../../../core/src/channels/woocommerce/woo-rest-client.ts';
import { TEST_TLS, trustTestCertificate } from '../../support/test-tls.ts';
import { type FakeApiKey, type FakeWooCommerce, startFakeWooCommerce } from './fake-woocommerce.ts';

// The fake's REST keys as WooCommerce checks them (WC_REST_Authentication): keys made by
// addApiKey like WC_Auth::create_keys, the key's permissions, revocation, and which transport
// authenticates on an https store and on a plain-http one.
let tls: FakeWooCommerce;
let plain: FakeWooCommerce;
const hex = () => randomBytes(20).toString('hex');

beforeAll(async () => {
  trustTestCertificate();
  tls = await startFakeWooCommerce({ consumerKey: `ck_${hex()}`, consumerSecret: `cs_${hex()}`, tls: TEST_TLS });
  plain = await startFakeWooCommerce({ consumerKey: `ck_${hex()}`, consumerSecret: `cs_${hex()}`, isSsl: false });
});
afterAll(async () => {
  await tls.close();
  await plain.close();
});

const client = (woo: FakeWooCommerce, key: Pick<FakeApiKey, 'consumerKey' | 'consumerSecret'>, authMode: WooAuthMode) =>
  createWooRestClient({ baseUrl: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, authMode, maxRetries: 0 });

describe('fake WooCommerce REST keys', () => {
  it('addApiKey makes ck_/cs_ + 40 hex keys that work over Basic on https and over OAuth 1.0a on http', async () => {
    const k = tls.addApiKey({ description: 'Expedio - API', permissions: 'read_write' });
    expect(k.consumerKey).toMatch(/^ck_[0-9a-f]{40}$/);
    expect(k.consumerSecret).toMatch(/^cs_[0-9a-f]{40}$/);
    expect(k.truncatedKey).toBe(k.consumerKey.slice(-7));
    expect(tls.url).toMatch(/^https:\/\//);
    await expect(client(tls, k, 'basic').get('orders')).resolves.toMatchObject({ status: 200 });
    expect(tls.requests.at(-1)!.auth).toBe('basic');
    expect(tls.apiKeys.find((x) => x.keyId === k.keyId)!.lastAccess).not.toBeNull();

    const h = plain.addApiKey({ description: 'Expedio - API', permissions: 'read_write' });
    await expect(client(plain, h, 'oauth1').get('orders')).resolves.toMatchObject({ status: 200 });
  });

  it('on a plain-http store Basic is ignored (a guest), on https a wrong secret is named', async () => {
    const h = plain.addApiKey({ description: 'x', permissions: 'read_write' });
    await expect(client(plain, h, 'basic').get('orders')).rejects.toThrow(/woocommerce_rest_cannot_view: Sorry, you cannot list resources\./);
    const k = tls.addApiKey({ description: 'x', permissions: 'read_write' });
    await expect(client(tls, { ...k, consumerSecret: `cs_${hex()}` }, 'basic').get('orders')).rejects.toThrow(/Consumer secret is invalid\./);
  });

  it('a read key may not write, a write key may not read, a revoked key is unknown', async () => {
    const read = tls.addApiKey({ description: 'r', permissions: 'read' });
    await expect(client(tls, read, 'basic').get('orders')).resolves.toMatchObject({ status: 200 });
    await expect(client(tls, read, 'basic').put('orders/1', {})).rejects.toThrow(/The API key provided does not have write permissions\./);
    const write = plain.addApiKey({ description: 'w', permissions: 'write' });
    await expect(client(plain, write, 'oauth1').get('orders')).rejects.toThrow(/The API key provided does not have read permissions\./);
    tls.revokeApiKey(read.keyId);
    await expect(client(tls, read, 'basic').get('orders')).rejects.toThrow(/Consumer key is invalid\./);
  });
});
