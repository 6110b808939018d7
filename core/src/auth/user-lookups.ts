import type { Db } from '../db/connect.ts';

export async function userExists(db: Db, tenantId: string, userId: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(userId)) return false;
  const [u] = await db`select 1 from users where tenant_id = ${tenantId} and id = ${userId}`;
  return !!u;
}
