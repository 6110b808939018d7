import type { Db } from '../db/connect.ts';
import { ordersWithoutInvoiceBecauseOff } from '../reports/orders-without-invoice.ts';
import { blockedDeliveryNotes } from '../reports/index.ts';

/**
 * Where the flow stalls, found by Expedio itself: each item says what is stuck, why, the fix and
 * where to do it. Live detections are computed from the current state (nothing to keep in sync);
 * failures the worker gave up on (write-backs, e-mails, courier calls) and tracking alerts are the
 * open rows of the `stalls` table.
 */
export interface Stall {
  kind: string;
  subjectType: string;
  subjectId: string;
  message: string;
  why: string;
  fix: string;
  link: string | null;
  since: string | null;
}

export interface StallOptions {
  /** A partial packing list still waiting after this long means the second parcel was forgotten. */
  partialParcelHours?: number;
  /** A confirmed order without a delivery note after this long, on a channel that does not auto-create. */
  deliveryNoteGraceMinutes?: number;
  /** Packing lists waiting this long without all measures cannot get an AWB. */
  measuresGraceMinutes?: number;
}

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export async function detectStalls(db: Db, tenantId: string, opts: StallOptions = {}): Promise<Stall[]> {
  const stalls: Stall[] = [];
  const partialHours = opts.partialParcelHours ?? 24;
  const noteGrace = opts.deliveryNoteGraceMinutes ?? 30;
  const measuresGrace = opts.measuresGraceMinutes ?? 60;

  // Store credentials rejected: the sync and write-backs stopped.
  for (const c of await db<{ id: string; name: string; kind: string; status_reason: string | null; last_sync_at: Date | null }[]>`
    select id::text, name, kind, status_reason, last_sync_at from channels where tenant_id = ${tenantId} and status = 'needs_reconnect'`) {
    stalls.push({
      kind: 'channel.credentials_rejected',
      subjectType: 'channel',
      subjectId: c.id,
      message: `${c.name}: the store rejected Expedio's credentials.`,
      why: c.status_reason ?? 'the store answered 401/403',
      fix: c.kind === 'shopify' ? 'Open the Expedio app in the Shopify admin to reconnect the store.' : 'Reconnect the store from the Expedio plugin settings in WordPress (new REST keys).',
      link: `/api/v1/channels/${c.id}`,
      since: iso(c.last_sync_at),
    });
  }

  // Orders arrive only through the periodic sync: the store's webhooks are missing or the store stopped sending them.
  for (const c of await db<{ id: string; name: string; kind: string; last_webhook_at: Date | null; created: number }[]>`
    select c.id::text, c.name, c.kind, c.last_webhook_at,
           sum(coalesce((l.details->>'created')::int, 0))::int as created
    from channels c
    join sync_log l on l.tenant_id = c.tenant_id and l.channel_id = c.id
    where c.tenant_id = ${tenantId} and c.status = 'active' and c.kind in ('shopify','woocommerce')
      and l.kind = 'sync' and l.outcome = 'ok' and l.created_at > now() - interval '24 hours'
      and l.created_at > coalesce(c.last_webhook_at, '-infinity'::timestamptz)
    group by c.id, c.name, c.kind, c.last_webhook_at
    having sum(coalesce((l.details->>'created')::int, 0)) > 0`) {
    stalls.push({
      kind: 'channel.webhooks_missing',
      subjectType: 'channel',
      subjectId: c.id,
      message: `${c.name}: ${c.created} new order(s) came only through the periodic sync; no webhook ${c.last_webhook_at ? 'since ' + c.last_webhook_at.toISOString() : 'was ever received'}.`,
      why: c.kind === 'woocommerce' ? 'the webhooks are missing, paused or disabled by WooCommerce after failed deliveries, or WP-Cron is not running' : 'the app webhooks are not subscribed (deploy shopify.app.toml) or the app was reinstalled',
      fix: c.kind === 'woocommerce' ? 'Press "Connect webhooks" in the Expedio plugin settings; make sure WP-Cron / Action Scheduler runs.' : 'Run `shopify app deploy` so the webhook subscriptions in shopify.app.toml are applied.',
      link: `/api/v1/sync-log?channelId=${c.id}`,
      since: iso(c.last_webhook_at),
    });
  }

  // Held orders: client not created, unknown SKU, short stock, manual hold.
  for (const o of await db<{ id: string; external_number: string | null; hold_reason: string | null; updated_at: Date }[]>`
    select id::text, external_number, hold_reason, updated_at from orders
    where tenant_id = ${tenantId} and status = 'on_hold' order by updated_at limit 500`) {
    const reason = o.hold_reason ?? 'on hold';
    const clientMissing = reason.includes('client not created');
    const unknownSku = reason.includes('unknown SKU');
    stalls.push({
      kind: clientMissing ? 'order.client_not_created' : unknownSku ? 'order.unknown_sku' : reason.startsWith('insufficient stock') ? 'order.short_stock' : 'order.on_hold',
      subjectType: 'order',
      subjectId: o.id,
      message: `Order ${o.id}${o.external_number ? ` (${o.external_number})` : ''} is on hold: ${reason}.`,
      why: clientMissing ? 'the customer has no e-mail and no name (duplicate or missing field in the store)' : unknownSku ? 'a line has a SKU no product carries' : 'see the reason',
      fix: clientMissing
        ? 'Complete the customer in the store (e-mail or name), then confirm the order again.'
        : unknownSku
          ? 'Add the product with that SKU (or fix the SKU in the store), then confirm the order again.'
          : 'Restock and confirm again, choose partial delivery, or cancel.',
      link: `/api/v1/orders/${o.id}`,
      since: iso(o.updated_at),
    });
  }

  // Delivery note not generated: confirmed, nothing covers it, and the channel does not auto-create.
  for (const o of await db<{ id: string; external_number: string | null; channel: string; updated_at: Date }[]>`
    select o.id::text, o.external_number, c.name as channel, o.updated_at from orders o
    join channels c on c.tenant_id = o.tenant_id and c.id = o.channel_id
    where o.tenant_id = ${tenantId} and o.status = 'confirmed' and not c.auto_create_delivery_note
      and o.updated_at < now() - make_interval(mins => ${noteGrace})
      and not exists (select 1 from delivery_notes d where d.tenant_id = o.tenant_id and d.order_id = o.id)`) {
    stalls.push({
      kind: 'delivery_note.not_generated',
      subjectType: 'order',
      subjectId: o.id,
      message: `Order ${o.id}${o.external_number ? ` (${o.external_number})` : ''} is confirmed but has no delivery note.`,
      why: `automatic delivery notes are off on channel ${o.channel}`,
      fix: 'Create the delivery note from the order, or turn on auto-create in the channel settings.',
      link: `/api/v1/orders/${o.id}`,
      since: iso(o.updated_at),
    });
  }

  // Delivery notes blocked by stock.
  for (const n of (await blockedDeliveryNotes(db, tenantId)).deliveryNotes) {
    const note = n;
    const missing = (note.blockedDetails ?? []).map((b) => `${b.sku ?? '?'} ×${b.missing}`).join(', ');
    stalls.push({
      kind: 'delivery_note.blocked',
      subjectType: 'delivery_note',
      subjectId: note.id,
      message: `Delivery note ${note.id} (order ${note.orderId}) is blocked by stock${missing ? `: missing ${missing}` : ''}.`,
      why: 'stock in the warehouse does not cover its lines',
      fix: 'Receive or adjust stock, then recheck blocked delivery notes; or deliver partially.',
      link: `/api/v1/delivery-notes/${note.id}`,
      since: note.createdAt,
    });
  }

  // AWB impossible: packing lists still missing a measure.
  for (const p of await db<{ id: string; order_id: string; created_at: Date; missing: string[] }[]>`
    select pl.id::text, pl.order_id::text, pl.created_at,
      array_remove(array[
        case when bool_or(pp.weight_kg is null) or count(pp.*) = 0 then 'weight' end,
        case when bool_or(pp.length_cm is null or pp.width_cm is null or pp.height_cm is null) or count(pp.*) = 0 then 'dimensions' end,
        case when pl.courier is null then 'courier' end], null) as missing
    from packing_lists pl left join packing_list_parcels pp on pp.tenant_id = pl.tenant_id and pp.packing_list_id = pl.id
    where pl.tenant_id = ${tenantId} and pl.status = 'ready_to_deliver' and pl.created_at < now() - make_interval(mins => ${measuresGrace})
    group by pl.id, pl.order_id, pl.created_at, pl.courier
    having bool_or(pp.weight_kg is null or pp.length_cm is null or pp.width_cm is null or pp.height_cm is null) or count(pp.*) = 0 or pl.courier is null`) {
    stalls.push({
      kind: 'awb.missing_measures',
      subjectType: 'packing_list',
      subjectId: p.id,
      message: `Packing list ${p.id} (order ${p.order_id}) cannot get an AWB: ${p.missing.join(', ')} missing.`,
      why: 'weight and length, width, height of every parcel, and the courier, are required before an AWB',
      fix: 'Fill in the parcel measures and the courier on the pack screen.',
      link: `/api/v1/packing-lists/${p.id}`,
      since: iso(p.created_at),
    });
  }

  // The second parcel of a partial delivery, forgotten.
  for (const p of await db<{ id: string; order_id: string; created_at: Date }[]>`
    select id::text, order_id::text, created_at from packing_lists
    where tenant_id = ${tenantId} and type = 'partial' and status = 'ready_to_deliver'
      and created_at < now() - make_interval(hours => ${partialHours})`) {
    stalls.push({
      kind: 'packing_list.partial_forgotten',
      subjectType: 'packing_list',
      subjectId: p.id,
      message: `Partial packing list ${p.id} (order ${p.order_id}) has waited more than ${partialHours} h without an AWB.`,
      why: 'the rest of a two-tranche delivery has not left',
      fix: 'Generate its AWB, or merge it with the remainder when the stock arrives.',
      link: `/api/v1/packing-lists/${p.id}`,
      since: iso(p.created_at),
    });
  }

  // Invoice not generated because the channel's create_invoice is off.
  for (const o of await ordersWithoutInvoiceBecauseOff(db, tenantId)) {
    stalls.push({
      kind: 'invoice.not_generated',
      subjectType: 'order',
      subjectId: o.orderId,
      message: o.message,
      why: 'create_invoice is off on the channel',
      fix: 'Issue the invoice from the order, or set create_invoice to on_shipping / on_paid on the channel.',
      link: `/api/v1/orders/${o.orderId}`,
      since: null,
    });
  }

  // e-Invoice rejected by ANAF.
  for (const e of await db<{ id: string; invoice_id: string; full_number: string; errors: unknown; updated_at: Date | null }[]>`
    select e.id::text, e.invoice_id::text, i.full_number, e.errors, i.created_at as updated_at from e_invoices e
    join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and e.state = 'nok'
      and not exists (select 1 from e_invoices later where later.tenant_id = e.tenant_id and later.invoice_id = e.invoice_id and later.id > e.id)`) {
    stalls.push({
      kind: 'einvoice.rejected',
      subjectType: 'invoice',
      subjectId: e.invoice_id,
      message: `e-Factura for invoice ${e.full_number} was rejected by ANAF.`,
      why: Array.isArray(e.errors) ? (e.errors as unknown[]).map(String).join('; ').slice(0, 500) : 'see ANAF errors on the invoice',
      fix: "Check the customer's VAT number and address, fix them, and resubmit the e-invoice.",
      link: `/api/v1/invoices/${e.invoice_id}`,
      since: iso(e.updated_at),
    });
  }

  // What the worker gave up on, and tracking alerts.
  for (const s of await db<{ id: string; kind: string; subject_type: string; subject_id: string; message: string; fix: string; link: string | null; opened_at: Date }[]>`
    select id::text, kind, subject_type, subject_id, message, fix, link, opened_at from stalls
    where tenant_id = ${tenantId} and resolved_at is null order by opened_at`) {
    stalls.push({
      kind: s.kind,
      subjectType: s.subject_type,
      subjectId: s.subject_id,
      message: s.message,
      why: s.kind.startsWith('outbox.writeback') ? 'status write-back failing after every retry' : s.kind.startsWith('outbox.') ? 'the worker gave up after every retry' : 'see the message',
      fix: s.fix,
      link: s.link,
      since: iso(s.opened_at),
    });
  }
  return stalls;
}
