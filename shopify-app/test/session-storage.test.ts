import { Session } from '@shopify/shopify-api';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSessionStorage } from '../app/session-storage.server';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres';

let pg: ThrowawayPostgres;
let sql: postgres.Sql;
let storage: PostgresSessionStorage;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  storage = new PostgresSessionStorage(sql);
});

afterAll(async () => {
  await sql?.end();
  await pg?.stop();
});

const offline = new Session({
  id: 'offline_alpha.myshopify.com',
  shop: 'alpha.myshopify.com',
  state: 'installed',
  isOnline: false,
  scope: 'read_orders,write_orders',
  accessToken: 'shpat_alpha',
  expires: new Date('2026-11-23T19:00:00.000Z'),
  refreshToken: 'shprt_alpha',
  refreshTokenExpires: new Date('2026-12-23T18:00:00.000Z'),
});

const online = new Session({
  id: 'alpha.myshopify.com_42',
  shop: 'alpha.myshopify.com',
  state: 'installed',
  isOnline: true,
  scope: 'read_orders',
  accessToken: 'shpua_alpha',
  expires: new Date('2026-11-23T18:30:00.000Z'),
  onlineAccessInfo: {
    expires_in: 86_400,
    associated_user_scope: 'read_orders',
    associated_user: { id: 42, first_name: 'Jane', last_name: 'Doe', email: 'jane@alpha.example', email_verified: true, account_owner: true, locale: 'ro', collaborator: false },
  },
});

describe('PostgresSessionStorage', () => {
  it('stores and loads sessions field for field, creating its table on first use', async () => {
    await storage.storeSession(offline);
    await storage.storeSession(online);

    expect((await storage.loadSession(offline.id))?.toObject()).toEqual(offline.toObject());
    expect((await storage.loadSession(online.id))?.toObject()).toEqual(online.toObject());
    expect(await storage.loadSession('offline_nobody.myshopify.com')).toBeUndefined();
  });

  it('overwrites a session stored again (a refreshed token)', async () => {
    const refreshed = new Session({ ...offline.toObject(), accessToken: 'shpat_alpha_2' });
    await storage.storeSession(refreshed);

    expect((await storage.loadSession(offline.id))?.accessToken).toBe('shpat_alpha_2');
    const rows = await sql`select id from shopify_sessions where id = ${offline.id}`;
    expect(rows).toHaveLength(1);
  });

  it('finds a shop’s sessions and deletes them', async () => {
    await storage.storeSession(new Session({ id: 'offline_beta.myshopify.com', shop: 'beta.myshopify.com', state: 'x', isOnline: false }));

    const alpha = await storage.findSessionsByShop('alpha.myshopify.com');
    expect(alpha.map((s) => s.id)).toEqual([online.id, offline.id].sort());

    await storage.deleteSessions(alpha.map((s) => s.id));
    expect(await storage.findSessionsByShop('alpha.myshopify.com')).toEqual([]);
    expect(await storage.deleteSessions([])).toBe(true);

    await storage.deleteSession('offline_beta.myshopify.com');
    expect(await storage.loadSession('offline_beta.myshopify.com')).toBeUndefined();
  });
});
