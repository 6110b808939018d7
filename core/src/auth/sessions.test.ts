import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { can, ROLE_PERMISSIONS, ROLES } from './permissions.ts';
import { checkCsrf, checkLogin, createSession, destroySession, findSession } from './sessions.ts';
import { createUser, setPassword } from './users.ts';

const { sql } = await testDatabase();
const tenant = async (name: string) => (await sql<{ id: string }[]>`insert into tenants (name) values (${name}) returning id::text`)[0]!.id;

describe('passwords', () => {
  it('hashes with a fresh salt and the scrypt parameters in the string, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    // A tampered cost parameter is refused instead of allocating gigabytes.
    expect(await verifyPassword('correct horse battery', a.replace('$32768$', '$1073741824$'))).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('roles', () => {
  it.each([
    ['warehouse', 'pick_list.pick', true],
    ['warehouse', 'pick_list.manual_tick', false],
    ['warehouse', 'pick_list.create', false],
    ['manager', 'pick_list.manual_tick', true],
    ['operator', 'pick_list.create', true],
    ['operator', 'pick_list.pick', false],
    ['finance', 'packing_list.pack', false],
    ['finance', 'delivery_note.view', true],
    ['logistics', 'packing_list.pack', true],
    ['warehouse', 'stock_movement.view', true],
    ['finance', 'stock_movement.view', true],
  ] as const)('%s may %s: %s', (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
  });
  it('gives finance only view actions', () => {
    expect(ROLE_PERMISSIONS.finance.every((a) => a.endsWith('.view') || a.endsWith('.view_all'))).toBe(true);
    expect(ROLES).toHaveLength(5);
  });
});

describe('login and sessions', () => {
  it('finds the tenant by e-mail, asks for the workspace only when the password matches in several', async () => {
    const t1 = await tenant('Magazin Unu');
    const t2 = await tenant('Magazin Doi');
    const u1 = await createUser(sql, t1, { email: 'Ana@Shared.test', name: 'Ana', role: 'warehouse', password: 'first password 1' });
    const u2 = await createUser(sql, t2, { email: 'ana@shared.test', name: 'Ana', role: 'manager', password: 'second password 2' });
    expect(await checkLogin(sql, 'ana@shared.test', 'first password 1')).toEqual({ kind: 'ok', tenantId: t1, userId: u1.id });
    expect(await checkLogin(sql, 'ANA@shared.test', 'second password 2')).toEqual({ kind: 'ok', tenantId: t2, userId: u2.id });
    expect(await checkLogin(sql, 'ana@shared.test', 'neither password')).toEqual({ kind: 'invalid' });
    await setPassword(sql, t2, u2.id, 'first password 1');
    expect(await checkLogin(sql, 'ana@shared.test', 'first password 1')).toEqual({
      kind: 'choose_tenant',
      tenants: [
        { id: t1, name: 'Magazin Unu' },
        { id: t2, name: 'Magazin Doi' },
      ],
    });
    expect(await checkLogin(sql, 'ana@shared.test', 'first password 1', t2)).toEqual({ kind: 'ok', tenantId: t2, userId: u2.id });
    await expect(createUser(sql, t1, { email: 'ANA@shared.test', name: 'Dup', role: 'operator' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createUser(sql, t1, { email: 'short@shared.test', name: 'S', role: 'operator', password: 'short' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('stores only the hash of the session id, expires it, and a new password ends old sessions', async () => {
    const t1 = await tenant('Sesiuni');
    const u = await createUser(sql, t1, { email: 'p@s.test', name: 'P', role: 'warehouse', password: 'a long password' });
    const now = new Date('2026-11-20T08:00:00Z');
    const s = await createSession(sql, t1, u.id, now);
    const [row] = await sql`select id_hash from user_sessions where tenant_id = ${t1}`;
    expect(row!.id_hash).not.toContain(s.sessionId);
    expect(await findSession(sql, s.sessionId, now)).toMatchObject({ tenantId: t1, userId: u.id, role: 'warehouse', language: 'ro' });
    expect(await findSession(sql, s.sessionId, new Date(now.getTime() + 13 * 3600_000))).toBeNull();
    expect(() => checkCsrf(s, s.csrfToken)).not.toThrow();
    expect(() => checkCsrf(s, undefined)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    await setPassword(sql, t1, u.id, 'another long password');
    expect(await findSession(sql, s.sessionId, now)).toBeNull();
    const s2 = await createSession(sql, t1, u.id, now);
    await destroySession(sql, s2.sessionId);
    expect(await findSession(sql, s2.sessionId, now)).toBeNull();
  });
});
