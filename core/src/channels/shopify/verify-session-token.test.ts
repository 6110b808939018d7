import { describe, expect, it } from 'vitest';
import { readShopifyFixture } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { signShopifySessionToken, verifyShopifySessionToken } from './verify-session-token.ts';

// Claims exactly as Shopify's own test helper signs them (fixture), checked at a fixed instant.
const claims = JSON.parse(readShopifyFixture('shopify-session-token-claims.json')) as Record<string, unknown> & { exp: number; nbf: number };
const apiKey = 'testApiKey';
const apiSecret = 'test-secret';
const at = (sec: number) => () => sec * 1000;
const valid = at(claims.nbf + 30);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('verifyShopifySessionToken', () => {
  it('accepts a token signed with the app secret and returns the shop, user and session', () => {
    const token = signShopifySessionToken(claims, apiSecret);
    expect(verifyShopifySessionToken(token, { apiKey, apiSecret, now: valid })).toEqual({
      shopDomain: 'test-shop.myshopify.com',
      userId: '12345',
      sessionId: '0987654321',
    });
  });

  it.each([
    ['expired 9 s ago (inside the 10 s leeway)', claims, at(claims.exp + 9)],
    ['nbf 9 s ahead (clock skew inside the leeway)', claims, at(claims.nbf - 9)],
    ['without sub and sid (offline use)', { ...claims, sub: undefined, sid: undefined }, valid],
  ])('accepts a token %s', (_name, c, now) => {
    expect(() => verifyShopifySessionToken(signShopifySessionToken(c, apiSecret), { apiKey, apiSecret, now })).not.toThrow();
  });

  it.each([
    ['signed with another secret', signShopifySessionToken(claims, 'wrong-secret'), valid, /bad signature/],
    ['for another app (aud)', signShopifySessionToken({ ...claims, aud: 'otherKey' }, apiSecret), valid, /audience/],
    ['expired beyond the leeway', signShopifySessionToken(claims, apiSecret), at(claims.exp + 10), /expired/],
    ['not valid yet (nbf beyond the leeway)', signShopifySessionToken(claims, apiSecret), at(claims.nbf - 11), /nbf/],
    ['with alg none and no signature', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, valid, /algorithm none/],
    ['with alg HS512', signShopifySessionToken(claims, apiSecret, { alg: 'HS512', typ: 'JWT' }), valid, /HS512/],
    ['with a tampered payload', (() => {
      const [h, , s] = signShopifySessionToken(claims, apiSecret).split('.');
      return `${h}.${b64({ ...claims, dest: 'https://evil.myshopify.com' })}.${s}`;
    })(), valid, /bad signature/],
    ['without exp', signShopifySessionToken({ ...claims, exp: undefined }, apiSecret), valid, /exp/],
    ['with a dest that is not a URL', signShopifySessionToken({ ...claims, dest: 'test-shop.myshopify.com' }, apiSecret), valid, /dest/],
    ['that is not a JWT', 'abc.def', valid, /not a JWT/],
  ])('rejects a token %s as UNAUTHORIZED', (_name, token, now, reason) => {
    try {
      verifyShopifySessionToken(token, { apiKey, apiSecret, now });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('UNAUTHORIZED');
      expect((e as DomainError).message).toMatch(reason);
    }
  });
});
