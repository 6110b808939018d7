import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

const FIX: Record<string, string> = {
  shopify: 'Open the Expedio app in the Shopify admin (Apps › Expedio): opening it runs the store through Shopify authorisation again and hands Expedio a new access token.',
  woocommerce: 'In WordPress open WooCommerce → Expedio and press "Reconnect to Expedio": the plugin creates new REST keys and hands them to Expedio.',
};

/** Store credentials rejected: the sync and write-backs stopped. */
export async function detectCredentialsRejected(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; name: string; kind: string; status_reason: string | null; last_sync_at: Date | null }[]>`
    select id::text, name, kind, status_reason, last_sync_at from channels where tenant_id = ${tenantId} and status = 'needs_reconnect'`;
  return rows.map((c) => ({
    kind: 'channel.credentials_rejected',
    subjectType: 'channel',
    subjectId: c.id,
    message: `${c.name}: the store rejected Expedio's credentials.`,
    why: c.status_reason ?? 'the store answered 401/403',
    fix: FIX[c.kind] ?? FIX['woocommerce']!,
    target: { resource: 'channel', id: c.id },
    since: isoOrNull(c.last_sync_at),
  }));
}
