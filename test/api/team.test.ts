import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  other = await core.createTenant();
});

const call = (method: string, path: string, body?: unknown, key = t.apiKey) => core.api(`/api/v1${path}`, { method, key, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Signs in to the warehouse UI as a browser does: the login form's token, then the form post. */
async function signIn(email: string, password: string): Promise<number> {
  const page = await fetch(`${core.url}/warehouse/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_login" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${core.url}/warehouse/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _login: token, email, password }).toString(),
  });
  return res.status;
}

describe('team: warehouse logins and API keys through /api/v1, not SQL', () => {
  it('a login made through the API signs in to the warehouse UI; disabled, it no longer can', async () => {
    const made = await call('POST', '/users', { email: 'picker@team.test', name: 'Ion Picker', role: 'warehouse', password: 'a long enough password' });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.any(String), email: 'picker@team.test', name: 'Ion Picker', role: 'warehouse', language: 'ro', active: true });
    expect(JSON.stringify(made.body)).not.toContain('password');
    expect(await signIn('picker@team.test', 'a long enough password')).toBe(303);

    const disabled = await call('PATCH', `/users/${made.body.id}`, { active: false });
    expect(disabled.body.active).toBe(false);
    expect(await signIn('picker@team.test', 'a long enough password')).toBe(401);
    await call('PATCH', `/users/${made.body.id}`, { active: true, password: 'another long password' });
    expect(await signIn('picker@team.test', 'a long enough password')).toBe(401);
    expect(await signIn('picker@team.test', 'another long password')).toBe(303);
  });

  it('refuses bad input naming the field, and a second login with the same e-mail', async () => {
    const bad = await call('POST', '/users', { email: 'not-an-email', name: 'X', role: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'role']);
    const short = await call('POST', '/users', { email: 'short@team.test', name: 'S', role: 'operator', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe('password');
    await call('POST', '/users', { email: 'dup@team.test', name: 'D', role: 'operator' });
    const dup = await call('POST', '/users', { email: 'DUP@team.test', name: 'D2', role: 'operator' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0].path).toBe('email');
    expect((await call('GET', '/users')).body.users.filter((u: { email: string }) => u.email.toLowerCase() === 'dup@team.test')).toHaveLength(1);
  });

  it('an API key is shown once, works at once, is listed by prefix only and stops working when revoked', async () => {
    const made = await call('POST', '/api-keys', { name: 'WordPress plugin' });
    expect(made.status).toBe(201);
    const key = made.body.key as string;
    expect(key).toMatch(/^exp_/);
    expect((await call('GET', '/orders', undefined, key)).status).toBe(200);
    const listed = (await call('GET', '/api-keys')).body.apiKeys as Array<Record<string, unknown>>;
    const mine = listed.find((k) => k.id === made.body.id)!;
    expect(mine).toMatchObject({ name: 'WordPress plugin', prefix: key.slice(0, 8), revokedAt: null, lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await call('DELETE', `/api-keys/${made.body.id}`)).body.revokedAt).toEqual(expect.any(String));
    expect((await call('GET', '/orders', undefined, key)).status).toBe(401);
  });

  it('another tenant sees none of these and cannot revoke them', async () => {
    const made = await call('POST', '/api-keys', { name: 'mine' });
    expect((await call('GET', '/users', undefined, other.apiKey)).body.users).toEqual([]);
    expect((await call('GET', '/api-keys', undefined, other.apiKey)).body.apiKeys.map((k: { name: string }) => k.name)).toEqual(['test']);
    expect((await call('DELETE', `/api-keys/${made.body.id}`, undefined, other.apiKey)).status).toBe(404);
    expect((await call('GET', '/orders', undefined, made.body.key)).status).toBe(200);
  });
});
