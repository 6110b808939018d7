import { beforeAll, describe, expect, it } from 'vitest';
import { generateSetupCode, resolveSetupCode, setupCodeMatches } from '../../core/src/auth/first-run-setup.ts';
import { type CoreHarness, startCore } from '../support/core-harness.ts';

const CODE = 'TEST1-SETUP-CODE2-XYZ';
let core: CoreHarness;
beforeAll(async () => {
  core = await startCore({ setupCode: CODE });
});

const BODY = { tenantName: 'Magazin Exemplu SRL', cui: 'RO18547290', operatorName: 'Ana Popescu', email: 'ana@magazin.test', password: 'parola lunga 123' };
const setup = (body: unknown, base = core.url) => fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const tenants = async () => (await core.sql`select count(*)::int as n from tenants`)[0]!.n as number;

describe('setup code', () => {
  it('is 20 characters without look-alikes, matched without regard to dashes or case, and taken from EXPEDIO_SETUP_CODE when given', () => {
    const c = generateSetupCode();
    expect(c).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    expect(generateSetupCode()).not.toBe(c);
    expect(setupCodeMatches(c, c.replace(/-/g, '').toLowerCase())).toBe(true);
    expect(setupCodeMatches(c, `${c}X`)).toBe(false);
    expect(setupCodeMatches(c, '')).toBe(false);
    expect(resolveSetupCode({ EXPEDIO_SETUP_CODE: 'my-own-long-code' })).toEqual({ code: 'my-own-long-code', fromEnv: true });
    expect(() => resolveSetupCode({ EXPEDIO_SETUP_CODE: 'short' })).toThrow(/at least 12/);
    expect(resolveSetupCode({}).fromEnv).toBe(false);
  });
});

describe('first-run setup of an empty install', () => {
  it('refuses a wrong or missing code and a bad form, naming the field, and creates nothing', async () => {
    const noCode = await setup({ ...BODY });
    expect(noCode.status).toBe(400);
    expect((await noCode.json()).error.details[0].path).toBe('setupCode');
    const wrong = await setup({ ...BODY, setupCode: 'GUESS-GUESS-GUESS-GUES' });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.details).toEqual([{ path: 'setupCode', reason: 'does not match' }]);
    const short = await setup({ ...BODY, setupCode: CODE, password: 'short' });
    expect(short.status).toBe(400);
    expect((await short.json()).error.details[0].path).toBe('password');
    const badCui = await setup({ ...BODY, setupCode: CODE, cui: 'ABC' });
    expect((await badCui.json()).error.details).toEqual([{ path: 'cui', reason: 'must be 2 to 10 digits, optionally after RO' }]);
    expect(await tenants()).toBe(0);
  });

  it('creates the tenant, a manager login and an API key shown once; then refuses with 409', async () => {
    // Two racing setups: exactly one wins.
    const [a, b] = await Promise.all([setup({ ...BODY, setupCode: CODE }), setup({ ...BODY, setupCode: CODE.toLowerCase(), tenantName: 'Intrus SRL' })]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const won = (a.status === 201 ? a : b) as Response;
    const r = await won.json();
    expect(r).toMatchObject({ tenantName: expect.any(String), email: 'ana@magazin.test', role: 'manager', loginUrl: '/warehouse/login' });
    expect(r.apiKey).toMatch(/^exp_/);
    expect(await tenants()).toBe(1);
    const [t] = await core.sql`select name, cui from tenants`;
    expect(t!.cui).toBe('18547290');
    const [u] = await core.sql`select role, password_hash from users where tenant_id = ${r.tenantId}`;
    expect(u!.role).toBe('manager');
    expect(u!.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(await core.sql`select * from api_keys`)).not.toContain(r.apiKey);
    // The key works on the API.
    expect((await core.api('/api/v1/orders', { key: r.apiKey })).status).toBe(200);

    const again = await setup({ ...BODY, setupCode: CODE });
    expect(again.status).toBe(409);
    expect((await again.json()).error.details).toEqual([{ path: 'setup', reason: 'a tenant exists' }]);
    const page = await fetch(`${core.url}/setup`);
    expect(page.status).toBe(409);
    const form = await fetch(`${core.url}/setup`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...BODY, setupCode: CODE }) });
    expect(form.status).toBe(409);
    expect(await tenants()).toBe(1);
  });

  it('is refused when the process was started without a setup code', async () => {
    const bare = await startCore();
    const r = await setup({ ...BODY, setupCode: CODE }, bare.url);
    expect(r.status).toBe(403);
    expect((await r.json()).error.details).toEqual([{ path: 'setupCode', reason: 'no setup code configured' }]);
  });

  it('is in the OpenAPI document without a bearer', async () => {
    const doc = (await (await fetch(`${core.url}/openapi.json`)).json()) as { paths: Record<string, { post?: { security?: unknown } }> };
    expect(doc.paths['/api/v1/setup']!.post).toBeDefined();
    expect(doc.paths['/api/v1/setup']!.post!.security).toBeUndefined();
  });
});
