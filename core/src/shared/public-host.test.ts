import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error.ts';
import { assertPublicHost, assertPublicUrl, isPublicAddress, privateHostsAllowed } from './public-host.ts';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['127.9.9.9', false],
    ['0.0.0.0', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['100.127.255.254', false],
    ['169.254.169.254', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['[::1]', false],
    ['not-an-ip', false],
    ['8.8.8.8', true],
    ['172.32.0.1', true],
    ['100.128.0.1', true],
    ['193.226.0.10', true],
    ['2a00:1450:4001:82a::200e', true],
    ['::ffff:8.8.8.8', true],
  ])('%s → %s', (ip, expected) => expect(isPublicAddress(ip)).toBe(expected));
});

const refusal = async (p: Promise<void>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, path: e.details[0]?.path, reason: e.details[0]?.reason };
    throw e;
  }
  return null;
};
const strict = { allowPrivate: false } as const;
const dns = (table: Record<string, string[]>) => async (h: string) => {
  const a = table[h];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
  return a;
};

describe('assertPublicHost / assertPublicUrl outside development and test', () => {
  const resolve = dns({ 'api.sameday.ro': ['185.53.216.10'], 'mixed.example.com': ['93.184.216.34', '10.0.0.5'], 'meta.example.com': ['169.254.169.254'], 'v6.example.com': ['::1'] });

  it.each([
    ['http://127.0.0.1:9/api', 'is a loopback'],
    ['http://[::1]/', 'is a loopback'],
    ['http://[::ffff:127.0.0.1]/', 'is a loopback'],
    ['http://169.254.169.254/latest/meta-data', 'is a loopback'],
    ['http://100.64.1.1/', 'is a loopback'],
    ['http://localhost:3000/', 'local or internal name'],
    ['http://metadata.google.internal/', 'local or internal name'],
    ['http://printer.local/', 'local or internal name'],
    ['http://intranet/', 'local or internal name'],
    ['http://2130706433/', 'is a loopback'],
    ['http://0x7f.1/', 'is a loopback'],
    ['http://meta.example.com/', 'resolves to 169.254.169.254'],
    ['http://mixed.example.com/', 'resolves to 10.0.0.5'],
    ['http://v6.example.com/', 'resolves to ::1'],
    ['http://nowhere.example.com/', 'does not resolve'],
  ])('%s is refused (%s) naming the field', async (url, why) => {
    const r = await refusal(assertPublicUrl(url, 'baseUrl', { ...strict, resolve }));
    expect(r).toMatchObject({ code: 'VALIDATION', path: 'baseUrl' });
    expect(r!.reason).toContain(why.startsWith('is a loopback') ? 'loopback' : why);
  });

  it('a public name and a public IP pass; a scheme not allowed is refused', async () => {
    expect(await refusal(assertPublicUrl('https://api.sameday.ro/api', 'baseUrl', { ...strict, resolve }))).toBeNull();
    expect(await refusal(assertPublicUrl('https://8.8.8.8/', 'baseUrl', { ...strict, resolve }))).toBeNull();
    expect(await refusal(assertPublicUrl('file:///etc/passwd', 'baseUrl', { ...strict, resolve }))).toMatchObject({ path: 'baseUrl' });
    expect(await refusal(assertPublicUrl('https://api.sameday.ro', 'smtpUrl', { ...strict, resolve, schemes: ['smtp:', 'smtps:'] }))).toMatchObject({ path: 'smtpUrl' });
    expect(await refusal(assertPublicHost('10.0.0.5', 'host', { ...strict, resolve }))).toMatchObject({ path: 'host' });
  });

  it('private hosts are allowed in development and test, or by EXPEDIO_ALLOW_PRIVATE_HOSTS=1; =0 refuses them anywhere', async () => {
    expect(privateHostsAllowed({ NODE_ENV: 'production' })).toBe(false);
    expect(privateHostsAllowed({})).toBe(false);
    expect(privateHostsAllowed({ NODE_ENV: 'test' })).toBe(true);
    expect(privateHostsAllowed({ NODE_ENV: 'development' })).toBe(true);
    expect(privateHostsAllowed({ NODE_ENV: 'production', EXPEDIO_ALLOW_PRIVATE_HOSTS: '1' })).toBe(true);
    expect(privateHostsAllowed({ NODE_ENV: 'test', EXPEDIO_ALLOW_PRIVATE_HOSTS: '0' })).toBe(false);
    expect(await refusal(assertPublicUrl('http://127.0.0.1:9/', 'baseUrl', { allowPrivate: true }))).toBeNull();
  });
});
