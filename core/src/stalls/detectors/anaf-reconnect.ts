import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/** ANAF refused the access token or the SPV rights for the CIF: uploads and status queries wait. */
export async function detectAnafReconnect(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ reason: string; since: Date | null; waiting: number }[]>`
    select a.reconnect_reason as reason, a.reconnect_since as since,
      (select count(*)::int from e_invoices e where e.tenant_id = a.tenant_id and e.state in ('pending','in_processing')) as waiting
    from anaf_connections a where a.tenant_id = ${tenantId} and a.reconnect_reason is not null`;
  return rows.map((r) => ({
    kind: 'anaf.needs_reconnect',
    subjectType: 'anaf_connection',
    subjectId: tenantId,
    message: `ANAF refused Expedio's access; ${r.waiting} e-invoice(s) wait.`,
    why: r.reason,
    fix: 'Check in SPV that the certificate used to authorize Expedio has rights for the company\'s CIF, then authorize Expedio again (Settings › ANAF › Connect).',
    target: null,
    since: isoOrNull(r.since),
  }));
}
