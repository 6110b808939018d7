import type { Sql } from '../db/connect.ts';

/*
 * Rows the stall detectors' tests start from, inserted straight into a fresh test database (the
 * detectors read state; how the state came about is the other areas' tests' business).
 */

export async function addTenant(sql: Sql, name = 'stalls'): Promise<string> {
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values (${name}) returning id::text`;
  return t!.id;
}

export async function addChannel(
  sql: Sql,
  tenantId: string,
  over: { kind?: 'shopify' | 'woocommerce' | 'manual'; name?: string; status?: string; statusReason?: string | null; autoCreateDeliveryNote?: boolean; createInvoice?: string; lastWebhookAt?: Date | null } = {},
): Promise<string> {
  const [c] = await sql<{ id: string }[]>`
    insert into channels (tenant_id, kind, name, status, status_reason, auto_create_delivery_note, create_invoice, last_webhook_at)
    values (${tenantId}, ${over.kind ?? 'shopify'}, ${over.name ?? 'Shop'}, ${over.status ?? 'active'}, ${over.statusReason ?? null},
            ${over.autoCreateDeliveryNote ?? true}, ${over.createInvoice ?? 'on_shipping'}, ${over.lastWebhookAt ?? null})
    returning id::text`;
  return c!.id;
}

let orderSeq = 1000;

export async function addOrder(
  sql: Sql,
  tenantId: string,
  channelId: string,
  over: { status?: string; holdReason?: string | null; externalNumber?: string | null; minutesAgo?: number } = {},
): Promise<string> {
  const n = orderSeq++;
  const [o] = await sql<{ id: string }[]>`
    insert into orders (tenant_id, channel_id, external_order_id, external_number, status, currency, hold_reason, updated_at)
    values (${tenantId}, ${channelId}, ${String(n)}, ${over.externalNumber === undefined ? `#${n}` : over.externalNumber}, ${over.status ?? 'confirmed'}, 'RON',
            ${over.holdReason ?? null}, now() - make_interval(mins => ${over.minutesAgo ?? 0}))
    returning id::text`;
  return o!.id;
}

export async function addDeliveryNote(sql: Sql, tenantId: string, orderId: string, over: { blocked?: boolean; blockedDetails?: unknown } = {}): Promise<string> {
  const [w] = await sql<{ id: string }[]>`
    insert into warehouses (tenant_id, code, name) values (${tenantId}, 'W1', 'Main')
    on conflict (tenant_id, code) do update set name = excluded.name returning id::text`;
  const [d] = await sql<{ id: string }[]>`
    insert into delivery_notes (tenant_id, order_id, warehouse_id, type, blocked, blocked_details)
    values (${tenantId}, ${orderId}, ${w!.id}, 'total', ${over.blocked ?? false}, ${over.blockedDetails ? sql.json(over.blockedDetails as never) : null})
    returning id::text`;
  return d!.id;
}

export interface ParcelMeasures {
  weightKg?: number | null;
  lengthCm?: number | null;
  widthCm?: number | null;
  heightCm?: number | null;
}

export async function addPackingList(
  sql: Sql,
  tenantId: string,
  orderId: string,
  over: { type?: 'total' | 'partial'; status?: string; courier?: string | null; hoursAgo?: number; parcels?: ParcelMeasures[] } = {},
): Promise<string> {
  const noteId = await addDeliveryNote(sql, tenantId, orderId);
  const [p] = await sql<{ id: string }[]>`
    insert into packing_lists (tenant_id, delivery_note_id, order_id, type, status, courier, created_at)
    values (${tenantId}, ${noteId}, ${orderId}, ${over.type ?? 'total'}, ${over.status ?? 'ready_to_deliver'},
            ${over.courier === undefined ? 'sameday' : over.courier}, now() - make_interval(hours => ${over.hoursAgo ?? 0}))
    returning id::text`;
  for (const [i, m] of (over.parcels ?? [{ weightKg: 1, lengthCm: 10, widthCm: 10, heightCm: 10 }]).entries()) {
    await sql`insert into packing_list_parcels (tenant_id, packing_list_id, parcel_no, weight_kg, length_cm, width_cm, height_cm)
      values (${tenantId}, ${p!.id}, ${i + 1}, ${m.weightKg ?? null}, ${m.lengthCm ?? null}, ${m.widthCm ?? null}, ${m.heightCm ?? null})`;
  }
  return p!.id;
}

let invoiceSeq = 1;

export async function addInvoice(sql: Sql, tenantId: string, orderId: string | null): Promise<{ id: string; fullNumber: string }> {
  const n = invoiceSeq++;
  const [s] = await sql<{ id: string }[]>`
    insert into invoice_series (tenant_id, code) values (${tenantId}, ${`S${n}`}) returning id::text`;
  const fullNumber = `S${n}-0001`;
  const [i] = await sql<{ id: string }[]>`
    insert into invoices (tenant_id, series_id, series, number, full_number, order_id, source, currency, issue_date, due_date,
                          seller, buyer, line_net_total, tax_exclusive_total, tax_total, tax_inclusive_total, payable_total)
    values (${tenantId}, ${s!.id}, ${`S${n}`}, 1, ${fullNumber}, ${orderId}, 'manual', 'RON', current_date, current_date,
            '{}', '{}', 10, 10, 1.9, 11.9, 11.9)
    returning id::text`;
  return { id: i!.id, fullNumber };
}
