import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

const WHY: Record<string, string> = {
  woocommerce: 'the webhooks are missing, paused or disabled by WooCommerce after failed deliveries, or WP-Cron is not running',
  shopify: "the shop's webhooks are not subscribed to this core (the core registers them when the app is installed, to EXPEDIO_PUBLIC_URL) or Shopify removed them",
};
const FIX: Record<string, string> = {
  woocommerce: 'Press "Connect webhooks" in the Expedio plugin settings; make sure WP-Cron / Action Scheduler runs.',
  shopify: "Check that EXPEDIO_PUBLIC_URL is the address Shopify reaches this core at; the core registers the shop's webhooks again with every new token the app hands it (reinstall the app from the Shopify admin to do it now).",
};

/** Orders arrive only through the periodic sync: the store's webhooks are missing or the store stopped sending them. */
export async function detectWebhooksMissing(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; name: string; kind: string; last_webhook_at: Date | null; created: number }[]>`
    select c.id::text, c.name, c.kind, c.last_webhook_at,
           sum(coalesce((l.details->>'created')::int, 0))::int as created
    from channels c
    join sync_log l on l.tenant_id = c.tenant_id and l.channel_id = c.id
    where c.tenant_id = ${tenantId} and c.status = 'active' and c.kind in ('shopify','woocommerce')
      and l.kind = 'sync' and l.outcome = 'ok' and l.created_at > now() - interval '24 hours'
      and l.created_at > coalesce(c.last_webhook_at, '-infinity'::timestamptz)
    group by c.id, c.name, c.kind, c.last_webhook_at
    having sum(coalesce((l.details->>'created')::int, 0)) > 0`;
  return rows.map((c) => ({
    kind: 'channel.webhooks_missing',
    subjectType: 'channel',
    subjectId: c.id,
    message: `${c.name}: ${c.created} new order(s) came only through the periodic sync; no webhook ${c.last_webhook_at ? `since ${c.last_webhook_at.toISOString()}` : 'was ever received'}.`,
    why: WHY[c.kind] ?? WHY['shopify']!,
    fix: FIX[c.kind] ?? FIX['shopify']!,
    target: { resource: 'channel_sync_log', id: c.id },
    since: isoOrNull(c.last_webhook_at),
  }));
}
