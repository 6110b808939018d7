import type { Db } from '../../db/connect.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/** The same kind of rejection this many times in the window is a pattern, not one bad delivery. */
export const REPEATED_REJECTIONS = 3;
const WINDOW = '24 hours';

type Cause = 'signature' | 'payload' | 'internal';

const WHY: Record<Cause, Record<string, string>> = {
  signature: {
    woocommerce: "the store signs its webhooks with a secret other than the channel's (the webhook was recreated, or the secret was replaced on one side only)",
    shopify: "the deliveries are signed with an app secret this core does not have (SHOPIFY_API_SECRET rotated without keeping the previous one, or another app's webhooks pointed here)",
  },
  payload: {
    woocommerce: 'the store sends orders Expedio cannot store as they are (a plugin writing the field, a NUL character, a date or amount out of range)',
    shopify: 'the shop sends orders Expedio cannot store as they are (an app writing the field, a NUL character, a date or amount out of range)',
  },
  internal: { woocommerce: 'Expedio failed while applying the deliveries (see the error)', shopify: 'Expedio failed while applying the deliveries (see the error)' },
};

const FIX: Record<Cause, Record<string, string>> = {
  signature: {
    woocommerce: 'Press "Connect webhooks" in the Expedio plugin settings: it registers the secret on both sides again.',
    shopify: "Set SHOPIFY_API_SECRET to the app's current secret (keep the old one in SHOPIFY_API_SECRET_PREVIOUS while rotating) and restart the core.",
  },
  payload: {
    woocommerce: 'Correct the named field on the order in WooCommerce (or the plugin that writes it); the periodic sync takes the order in once it is valid. Each delivery is in the sync log.',
    shopify: 'Correct the named field on the order in Shopify (or the app that writes it); the periodic sync takes the order in once it is valid. Each delivery is in the sync log.',
  },
  internal: {
    woocommerce: 'Run the channel sync once the cause is fixed; the orders are pulled again. Report the error if it persists.',
    shopify: 'Shopify retries these deliveries; run the channel sync once the cause is fixed. Report the error if it persists.',
  },
};

/**
 * A store's webhooks keep being refused for the same reason: each one is on the sync log (written
 * outside the transaction that rolled back), and three of a kind within a day become a stall with
 * the reason and the fix, since until the cause is fixed every order of that kind goes missing.
 */
export async function detectWebhooksRejected(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; name: string; kind: string; cause: Cause; field: string | null; n: number; first: Date; last_error: string | null }[]>`
    with refused as (
      select l.channel_id, l.created_at, l.error, l.id,
             case when l.outcome = 'rejected' then 'signature' when l.error like 'not applied:%' then 'internal' else 'payload' end as cause,
             case when l.outcome = 'rejected' then null else coalesce(l.details->'details'->0->>'path', '(body)') end as field
      from sync_log l
      where l.tenant_id = ${tenantId} and l.kind = 'webhook' and l.direction = 'inbound'
        and l.outcome in ('rejected', 'error') and l.channel_id is not null
        and l.created_at > now() - ${WINDOW}::interval
    )
    select c.id::text, c.name, c.kind, r.cause, r.field, count(*)::int as n, min(r.created_at) as first,
           (array_agg(r.error order by r.id desc))[1] as last_error
    from refused r join channels c on c.tenant_id = ${tenantId} and c.id = r.channel_id
    where c.kind in ('shopify', 'woocommerce')
    group by c.id, c.name, c.kind, r.cause, r.field
    having count(*) >= ${REPEATED_REJECTIONS}
    order by min(r.created_at), c.id`;
  return rows.map((r) => ({
    kind: 'channel.webhooks_rejected',
    subjectType: 'channel',
    subjectId: r.id,
    message: `${r.name}: ${r.n} webhook(s) refused in the last ${WINDOW}${r.field ? ` for ${r.field}` : ` (${r.cause === 'signature' ? 'signature' : r.cause})`}; last: ${r.last_error ?? 'no reason recorded'}`,
    why: WHY[r.cause][r.kind] ?? WHY[r.cause].shopify!,
    fix: FIX[r.cause][r.kind] ?? FIX[r.cause].shopify!,
    target: { resource: 'channel_sync_log', id: r.id },
    since: isoOrNull(r.first),
  }));
}
