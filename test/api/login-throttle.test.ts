import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

// Every scrypt a login runs goes through these two: counted to prove a throttled attempt runs none.
const scrypts = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../core/src/auth/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/src/auth/passwords.ts')>();
  return {
    ...real,
    verifyPassword: async (...a: Parameters<typeof real.verifyPassword>) => {
      scrypts.n++;
      return real.verifyPassword(...a);
    },
    verifyAgainstDummy: async (...a: Parameters<typeof real.verifyAgainstDummy>) => {
      scrypts.n++;
      return real.verifyAgainstDummy(...a);
    },
  };
});

let core: CoreHarness;
let t: TenantFixture;
let clock = Date.parse('2026-12-02T08:00:00Z');
const tick = (ms: number) => {
  clock += ms;
};

beforeAll(async () => {
  core = await startCore();
  core.deps.now = () => new Date(clock);
  t = await core.createTenant();
});

const PASSWORD = 'the real password 42';
const call = (method: string, path: string, key = t.apiKey) => core.api(`/api/v1${path}`, { method, key });

async function loginForm(): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${core.url}/warehouse/login`);
  return { cookie: page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), token: /name="_login" value="([^"]+)"/.exec(await page.text())?.[1] ?? '' };
}

/** One login post, as from `address` (the core is behind a local proxy: the last X-Forwarded-For hop). */
async function login(form: { cookie: string; token: string }, email: string, password: string, o: { address?: string; json?: boolean } = {}) {
  const res = await fetch(`${core.url}/warehouse/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: form.cookie,
      'x-forwarded-for': `10.9.9.9, ${o.address ?? '203.0.113.7'}`,
      ...(o.json ? { accept: 'application/json' } : {}),
    },
    body: new URLSearchParams({ _login: form.token, email, password }).toString(),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text, body: o.json && res.status === 429 ? JSON.parse(text) : null };
}

async function makeUser(email: string): Promise<string> {
  const made = await core.api('/api/v1/users', { method: 'POST', key: t.apiKey, body: JSON.stringify({ email, name: 'Picker', role: 'warehouse', password: PASSWORD }) });
  expect(made.status).toBe(201);
  return made.body.id;
}

describe('warehouse login: brute-force limits kept in Postgres, no scrypt for a refused attempt', () => {
  it('150 wrong passwords: 5 are checked, the rest get 429 with Retry-After and no scrypt; locked after 10, a manager lifts it and the real password works', async () => {
    const id = await makeUser('probe@throttle.test');
    const form = await loginForm();
    const address = '198.51.100.20';
    scrypts.n = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push((await login(form, 'probe@throttle.test', `wrong ${i}`, { address })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(scrypts.n).toBe(5);

    const throttled = await login(form, 'probe@throttle.test', PASSWORD, { address, json: true });
    expect(throttled.status).toBe(429);
    expect(throttled.retryAfter).toBe('1');
    expect(throttled.body.error).toMatchObject({ code: 'RATE_LIMITED', details: [{ path: 'email', reason: expect.stringContaining('account_throttled') }] });
    expect(scrypts.n).toBe(5);

    // The wait doubles: 1 s after the 5th failure, 2 s after the 6th … the 10th locks the login.
    for (let n = 5; n < 10; n++) {
      tick(1000 * 2 ** (n - 5));
      expect((await login(form, 'probe@throttle.test', `wrong again ${n}`, { address })).status).toBe(401);
      const early = await login(form, 'probe@throttle.test', 'too soon', { address });
      expect(early.status).toBe(429);
    }
    expect(scrypts.n).toBe(10);
    tick(60 * 1000);
    const locked = await login(form, 'probe@throttle.test', PASSWORD, { address, json: true });
    expect(locked.status).toBe(429);
    expect(locked.body.error.details).toEqual([{ path: 'email', reason: expect.stringContaining('account_locked') }]);
    expect(Number(locked.retryAfter)).toBeGreaterThan(55 * 60);
    expect(scrypts.n).toBe(10);
    expect((await call('GET', '/users')).body.users.find((u: { id: string }) => u.id === id).loginLockedUntil).toEqual(expect.any(String));

    expect((await call('DELETE', `/users/${id}/login-lockout`)).body).toEqual({ lifted: true });
    expect((await login(form, 'probe@throttle.test', PASSWORD, { address })).status).toBe(303);
    expect((await call('GET', '/users')).body.users.find((u: { id: string }) => u.id === id).loginLockedUntil).toBeNull();
  });

  it('a lockout lapses after an hour and the real password works; another tenant cannot lift it', async () => {
    const id = await makeUser('lapse@throttle.test');
    const other = await core.createTenant();
    const form = await loginForm();
    for (let n = 0; n < 10; n++) {
      tick(10 * 60 * 1000);
      expect((await login(form, 'lapse@throttle.test', `wrong ${n}`, { address: '198.51.100.30' })).status).toBe(401);
    }
    expect((await login(form, 'lapse@throttle.test', PASSWORD, { address: '198.51.100.30' })).status).toBe(429);
    expect((await call('DELETE', `/users/${id}/login-lockout`, other.apiKey)).status).toBe(404);
    tick(59 * 60 * 1000);
    expect((await login(form, 'lapse@throttle.test', PASSWORD, { address: '198.51.100.30' })).status).toBe(429);
    tick(2 * 60 * 1000);
    expect((await login(form, 'lapse@throttle.test', PASSWORD, { address: '198.51.100.30' })).status).toBe(303);
  });

  it('one address guessing many e-mails is slowed after 20 tries; other addresses are not', async () => {
    const form = await loginForm();
    tick(2 * 60 * 60 * 1000);
    scrypts.n = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(form, `nobody${i}@throttle.test`, 'guess', { address: '198.51.100.40' })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(scrypts.n).toBe(20);
    const r = await login(form, 'nobody-else@throttle.test', 'guess', { address: '198.51.100.40', json: true });
    expect(r.body.error.details[0].path).toBe('address');
    expect((await login(form, 'nobody-else@throttle.test', 'guess', { address: '198.51.100.41' })).status).toBe(401);
  });

  it('a burst of 40 parallel guesses at one account runs 5 scrypts, as a sequence would (the count is taken under the row lock)', async () => {
    await makeUser('burst@throttle.test');
    const form = await loginForm();
    tick(2 * 60 * 60 * 1000);
    scrypts.n = 0;
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => login(form, 'burst@throttle.test', `guess ${i}`, { address: `198.51.100.${100 + i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(scrypts.n).toBe(5);
  });

  it('a manager sees the locked login on the settings screen and unlocks it with its button', async () => {
    const pickerId = await makeUser('locked-ui@throttle.test');
    const made = await core.api('/api/v1/users', { method: 'POST', key: t.apiKey, body: JSON.stringify({ email: 'boss@throttle.test', name: 'Boss', role: 'manager', password: PASSWORD }) });
    tick(2 * 60 * 60 * 1000);
    const form = await loginForm();
    for (let n = 0; n < 10; n++) {
      tick(20 * 60 * 1000);
      await login(form, 'locked-ui@throttle.test', `wrong ${n}`, { address: '198.51.100.50' });
    }
    expect((await login(form, 'locked-ui@throttle.test', PASSWORD, { address: '198.51.100.50' })).status).toBe(429);

    const res = await fetch(`${core.url}/warehouse/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, 'x-forwarded-for': '198.51.100.51' },
      body: new URLSearchParams({ _login: form.token, email: 'boss@throttle.test', password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = [form.cookie, ...res.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
    const page = await (await fetch(`${core.url}/warehouse/settings`, { headers: { cookie } })).text();
    expect(page).toContain(`data-locked-login="${pickerId}"`);
    expect(page).not.toContain(`data-locked-login="${made.body.id}"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const lift = await fetch(`${core.url}/warehouse/settings/login-lockouts/${pickerId}/lift`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(lift.status).toBe(303);
    expect(await (await fetch(`${core.url}/warehouse/settings`, { headers: { cookie } })).text()).not.toContain(`data-locked-login="${pickerId}"`);
    expect((await login(form, 'locked-ui@throttle.test', PASSWORD, { address: '198.51.100.50' })).status).toBe(303);
  });
});
