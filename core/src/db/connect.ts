import postgres, { type Sql } from 'postgres';

export type { Sql } from 'postgres';
export type Tx = postgres.TransactionSql;
/** Either a pool or an open transaction: domain functions accept both. */
export type Db = Sql | Tx;

export function connect(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // bigint ids come back as exact strings; numeric columns as decimal strings (money never floats).
    types: {},
    connection: { application_name: 'expedio' },
  });
}
