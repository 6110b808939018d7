import type { Db } from '../db/connect.ts';

/** A new tenant (an installed store's merchant, or a core-only install); its id. */
export async function createTenant(db: Db, name: string): Promise<string> {
  const [row] = await db<{ id: string }[]>`insert into tenants (name) values (${name}) returning id::text`;
  return row!.id;
}
