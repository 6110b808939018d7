import { Session, type SessionParams } from '@shopify/shopify-api';
import type { shopifyApp } from '@shopify/shopify-app-react-router/server';
import { MemorySessionStorage } from '@shopify/shopify-app-session-storage-memory';
import postgres from 'postgres';

// The interface lives in @shopify/shopify-app-session-storage, which is not a direct dependency;
// taking it from shopifyApp's own config keeps the two in step when the library is upgraded.
export type SessionStorage = NonNullable<Parameters<typeof shopifyApp>[0]['sessionStorage']>;

type Sql = postgres.Sql;

type SessionRow = {
  id: string;
  shop: string;
  state: string;
  is_online: boolean;
  scope: string | null;
  expires: Date | null;
  access_token: string | null;
  refresh_token: string | null;
  refresh_token_expires: Date | null;
  online_access_info: NonNullable<SessionParams['onlineAccessInfo']> | null;
};

/**
 * Shopify sessions in the app's Postgres, with the `postgres` driver the rest of Expedio uses
 * (Shopify's own Postgres adapter depends on `pg`, a second driver for one table).
 */
export class PostgresSessionStorage implements SessionStorage {
  readonly #sql: Sql;
  // Created lazily and once: the app may start before the database accepts connections.
  #ready: Promise<void> | undefined;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async storeSession(session: Session): Promise<boolean> {
    await this.#ensureTable();
    const s = session.toObject();
    const row = {
      id: s.id,
      shop: s.shop,
      state: s.state,
      is_online: s.isOnline,
      scope: s.scope ?? null,
      expires: s.expires ?? null,
      access_token: s.accessToken ?? null,
      refresh_token: s.refreshToken ?? null,
      refresh_token_expires: s.refreshTokenExpires ?? null,
      online_access_info: s.onlineAccessInfo ? this.#sql.json(s.onlineAccessInfo as postgres.JSONValue) : null,
    };
    await this.#sql`
      insert into shopify_sessions ${this.#sql(row)}
      on conflict (id) do update set
        shop = excluded.shop, state = excluded.state, is_online = excluded.is_online,
        scope = excluded.scope, expires = excluded.expires, access_token = excluded.access_token,
        refresh_token = excluded.refresh_token, refresh_token_expires = excluded.refresh_token_expires,
        online_access_info = excluded.online_access_info, updated_at = now()`;
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    await this.#ensureTable();
    const [row] = await this.#sql<SessionRow[]>`select * from shopify_sessions where id = ${id}`;
    return row ? toSession(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await this.#ensureTable();
    await this.#sql`delete from shopify_sessions where id = ${id}`;
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    await this.#ensureTable();
    if (ids.length > 0) await this.#sql`delete from shopify_sessions where id in ${this.#sql(ids)}`;
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    await this.#ensureTable();
    const rows = await this.#sql<SessionRow[]>`select * from shopify_sessions where shop = ${shop} order by id`;
    return rows.map(toSession);
  }

  #ensureTable(): Promise<void> {
    this.#ready ??= this.#sql`
      create table if not exists shopify_sessions (
        id text primary key,
        shop text not null,
        state text not null,
        is_online boolean not null default false,
        scope text,
        expires timestamptz,
        access_token text,
        refresh_token text,
        refresh_token_expires timestamptz,
        online_access_info jsonb,
        updated_at timestamptz not null default now()
      );
      create index if not exists shopify_sessions_shop on shopify_sessions (shop);
    `
      .simple()
      .then(
        () => undefined,
        (error: unknown) => {
          // Let the next call retry instead of caching a failed connection forever.
          this.#ready = undefined;
          throw error;
        },
      );
    return this.#ready;
  }
}

function toSession(row: SessionRow): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.is_online,
    ...(row.scope !== null && { scope: row.scope }),
    ...(row.expires !== null && { expires: row.expires }),
    ...(row.access_token !== null && { accessToken: row.access_token }),
    ...(row.refresh_token !== null && { refreshToken: row.refresh_token }),
    ...(row.refresh_token_expires !== null && { refreshTokenExpires: row.refresh_token_expires }),
    ...(row.online_access_info !== null && { onlineAccessInfo: row.online_access_info }),
  });
}

/**
 * DATABASE_URL → Postgres (every deployment). Without it, sessions live in memory, which is only
 * acceptable for a throwaway dev server or a unit test: they vanish on restart and are not shared
 * between replicas, so production refuses to start without a database.
 */
export function createSessionStorage(env: NodeJS.ProcessEnv = process.env): SessionStorage {
  const url = env.DATABASE_URL;
  if (url) return new PostgresSessionStorage(postgres(url, { max: 5, onnotice: () => {} }));
  if (env.NODE_ENV === 'production') {
    throw new Error('DATABASE_URL is not set; the Shopify app keeps its sessions in Postgres.');
  }
  return new MemorySessionStorage();
}
