import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { addUser, cookiePair, httpLogin, makePickList, placeConfirmedOrders } from './ui-support.ts';

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;
let pickListId: string;
let otherPickListId: string;
let picker: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  other = await core.createTenant();
  picker = await addUser(core, t.tenantId, 'picker@sec.test', 'warehouse');
  await addUser(core, t.tenantId, 'finance@sec.test', 'finance');
  const otherPicker = await addUser(core, other.tenantId, 'picker@other.test', 'warehouse');
  pickListId = (await makePickList(core, t.tenantId, await placeConfirmedOrders(core, t, [[['A-1', 1]]]), picker.id)).id;
  otherPickListId = (await makePickList(core, other.tenantId, await placeConfirmedOrders(core, other, [[['A-1', 1]]]), otherPicker.id)).id;
});

const scanUrl = (id: string) => `${core.url}/warehouse/pick-lists/${id}/scan`;
const jsonPost = (url: string, cookie: string, body: unknown, csrf?: string) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    body: JSON.stringify(body),
  });
const pickedUnits = async (id: string) => (await core.sql<{ n: number }[]>`select coalesce(sum(picked), 0)::int as n from pick_list_lines where pick_list_id = ${id}`)[0]!.n;

describe('warehouse UI security', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and CSP / frame headers without inline scripts', async () => {
    const form = await fetch(`${core.url}/warehouse/login`);
    expect(form.headers.get('x-frame-options')).toBe('DENY');
    const csp = form.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await form.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const login = form.headers.getSetCookie().find((c) => c.startsWith('expedio_wh_login='))!;
    expect(login).toMatch(/HttpOnly/i);
    expect(login).toMatch(/SameSite=Strict/i);
    const { cookie } = await httpLogin(core.url, picker.email, picker.password);
    const [row] = await core.sql<{ id_hash: string }[]>`select id_hash from user_sessions where tenant_id = ${t.tenantId}`;
    // Only the hash of the cookie's id is stored.
    expect(row!.id_hash).not.toBe(cookie.split('=')[1]);
    expect(row!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password with 401 and the same answer for an unknown e-mail', async () => {
    const form = await fetch(`${core.url}/warehouse/login`);
    const cookie = cookiePair(form.headers.getSetCookie(), 'expedio_wh_login');
    const token = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!;
    const attempt = (email: string, password: string) =>
      fetch(`${core.url}/warehouse/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _login: token, email, password }) });
    const wrong = await attempt(picker.email, 'not the password');
    const unknown = await attempt('nobody@sec.test', 'not the password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('expedio_wh_session='))).toBe(false);
    // The login form without its double-submit token is refused before any password check.
    const noToken = await fetch(`${core.url}/warehouse/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: picker.email, password: picker.password }) });
    expect(noToken.status).toBe(403);
  });

  it('answers 403 to a POST without the CSRF token (fetch and form) and changes nothing', async () => {
    const { cookie, csrf } = await httpLogin(core.url, picker.email, picker.password);
    const noHeader = await jsonPost(scanUrl(pickListId), cookie, { barcode: '590A-1' });
    expect(noHeader.status).toBe(403);
    expect((await noHeader.json()).error.code).toBe('FORBIDDEN');
    const wrongToken = await jsonPost(scanUrl(pickListId), cookie, { barcode: '590A-1' }, `${csrf.slice(0, -2)}xx`);
    expect(wrongToken.status).toBe(403);
    const form = await fetch(scanUrl(pickListId), { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ barcode: '590A-1' }) });
    expect(form.status).toBe(403);
    expect(await pickedUnits(pickListId)).toBe(0);
    // The same request with the token goes through, so the 403s above were the token's doing.
    const ok = await jsonPost(scanUrl(pickListId), cookie, { barcode: '590A-1' }, csrf);
    expect(ok.status).toBe(200);
    expect(await pickedUnits(pickListId)).toBe(1);
  });

  it('answers 403 when the role may not do the action (finance scanning, a picker creating a pick list)', async () => {
    const finance = await httpLogin(core.url, 'finance@sec.test', 'correct horse battery');
    const before = await pickedUnits(pickListId);
    const scanned = await jsonPost(scanUrl(pickListId), finance.cookie, { barcode: '590A-1' }, finance.csrf);
    expect(scanned.status).toBe(403);
    expect((await scanned.json()).error.details[0]).toEqual({ path: 'role', reason: 'finance lacks pick_list.pick' });
    // Finance may still look.
    expect((await fetch(`${core.url}/warehouse/pick-lists/${pickListId}`, { headers: { cookie: finance.cookie } })).status).toBe(200);
    const p = await httpLogin(core.url, picker.email, picker.password);
    const created = await fetch(`${core.url}/warehouse/pick-lists`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: p.csrf, orderIds: '1' }),
    });
    expect(created.status).toBe(403);
    expect(await pickedUnits(pickListId)).toBe(before);
  });

  it("answers 404 for another tenant's pick list, to a look and to a scan", async () => {
    const { cookie, csrf } = await httpLogin(core.url, picker.email, picker.password);
    expect((await fetch(`${core.url}/warehouse/pick-lists/${otherPickListId}`, { headers: { cookie } })).status).toBe(404);
    const scanned = await jsonPost(scanUrl(otherPickListId), cookie, { barcode: '590A-1' }, csrf);
    expect(scanned.status).toBe(404);
    expect(await pickedUnits(otherPickListId)).toBe(0);
  });

  it('logout deletes the session: the old cookie no longer opens a page or scans', async () => {
    const { cookie, csrf } = await httpLogin(core.url, picker.email, picker.password);
    expect((await fetch(`${core.url}/warehouse/pick-lists`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${core.url}/warehouse/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('expedio_wh_session='))).toMatch(/Max-Age=0/i);
    const page = await fetch(`${core.url}/warehouse/pick-lists`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/warehouse\/login/);
    const scanned = await jsonPost(scanUrl(pickListId), cookie, { barcode: '590A-1' }, csrf);
    expect(scanned.status).toBe(401);
  });
});
