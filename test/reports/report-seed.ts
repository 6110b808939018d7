import type { Sql } from '../../core/src/db/index.ts';
import type { TenantFixture } from '../support/core-harness.ts';

/**
 * What the report tests read, written straight into the tables (reports only read): orders of two
 * channels over three days of November 2026, their invoices and a credit note, sync-log entries
 * whose ids cross a digit boundary, AWBs on the road of different ages, courier calls, and a
 * delivery note blocked by stock. Romanian names with diacritics, a comma and quotes, for the CSV.
 */
export const SEED_ORDERS: Array<{ at: string; channel: 'shopify' | 'woo'; status: string; total: string; currency: string }> = [
  { at: '2026-11-20T09:00:00Z', channel: 'shopify', status: 'delivered', total: '121.00', currency: 'RON' },
  { at: '2026-11-20T10:00:00Z', channel: 'shopify', status: 'delivered', total: '79.50', currency: 'RON' },
  { at: '2026-11-20T11:00:00Z', channel: 'woo', status: 'cancelled', total: '50.00', currency: 'RON' },
  // 23:30 UTC on the 20th is 01:30 on the 21st in Romania: counted on the 21st.
  { at: '2026-11-20T23:30:00Z', channel: 'woo', status: 'shipping', total: '200.00', currency: 'RON' },
  { at: '2026-11-21T12:00:00Z', channel: 'shopify', status: 'new', total: '30.00', currency: 'EUR' },
  { at: '2026-11-22T08:00:00Z', channel: 'woo', status: 'delivered', total: '99.99', currency: 'RON' },
  { at: '2026-11-22T09:00:00Z', channel: 'shopify', status: 'delivered', total: '10.00', currency: 'RON' },
];

export async function seedReports(sql: Sql, t: TenantFixture): Promise<{ orderIds: string[] }> {
  await sql`update channels set name = 'Magazinul Țării' where tenant_id = ${t.tenantId} and id = ${t.shopify.channelId}`;
  const [client] = await sql<{ id: string }[]>`insert into clients (tenant_id, email, first_name, last_name, kind) values (${t.tenantId}, 'ion@exemplu.ro', 'Ion', 'Ștefănescu', 'person') returning id::text`;
  const orderIds: string[] = [];
  let n = 0;
  for (const o of SEED_ORDERS) {
    n++;
    const channelId = o.channel === 'shopify' ? t.shopify.channelId : t.woo.channelId;
    const [row] = await sql<{ id: string }[]>`
      insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, payment_status, currency, subtotal, tax_total, total,
                          shipping_address, billing_address, email, warehouse_id, external_created_at, external_updated_at, created_at, updated_at)
      values (${t.tenantId}, ${channelId}, ${`R${n}`}, ${`#${n}`}, ${client!.id}, ${o.status}, 'paid', ${o.currency}, ${o.total}, 0, ${o.total},
              ${sql.json({ city: 'Iași', country: 'RO' })}, ${sql.json({ city: 'Iași', country: 'RO' })}, 'ion@exemplu.ro', ${t.warehouseId}, ${o.at}, ${o.at}, ${o.at}, ${o.at})
      returning id::text`;
    orderIds.push(row!.id);
  }
  // Invoices: orders 1, 2, 6 and 7 invoiced on the day they were placed (order 2 for less than its total), order 1 partly credited.
  const [series] = await sql<{ id: string }[]>`insert into invoice_series (tenant_id, code) values (${t.tenantId}, 'EXP') returning id::text`;
  const invoice = async (no: number, orderIdx: number, kind: 'invoice' | 'credit_note', day: string, total: string) => {
    const o = SEED_ORDERS[orderIdx]!;
    await sql`
      insert into invoices (tenant_id, kind, series_id, series, number, full_number, order_id, channel_id, client_id, source, currency, issue_date, due_date,
                            seller, buyer, line_net_total, tax_exclusive_total, tax_total, tax_inclusive_total, payable_total, source_ref)
      values (${t.tenantId}, ${kind}, ${series!.id}, 'EXP', ${no}, ${`EXP${no}`}, ${orderIds[orderIdx]!}, ${o.channel === 'shopify' ? t.shopify.channelId : t.woo.channelId}, ${client!.id},
              ${kind === 'invoice' ? 'on_shipping' : 'return'}, ${o.currency}, ${day}, ${day}, '{}'::jsonb, '{}'::jsonb, ${total}, ${total}, 0, ${total}, ${kind === 'invoice' ? total : `-${total}`},
              ${kind === 'invoice' ? null : `ret-${no}`})`;
  };
  await invoice(1, 0, 'invoice', '2026-11-20', '121.00');
  await invoice(2, 1, 'invoice', '2026-11-20', '70.00');
  await invoice(3, 5, 'invoice', '2026-11-22', '99.99');
  await invoice(4, 6, 'invoice', '2026-11-22', '10.00');
  await invoice(5, 0, 'credit_note', '2026-11-22', '21.00');

  // Sync log ids across a digit boundary: as text '999999999' would sort above '1000000001'.
  for (const [i, outcome] of (['ok', 'duplicate', 'rejected', 'ok'] as const).entries()) {
    await sql`insert into sync_log (id, tenant_id, channel_id, direction, kind, topic, external_id, outcome, error, created_at)
      overriding system value values (${999_999_999 + i}, ${t.tenantId}, ${t.shopify.channelId}, 'inbound', 'webhook', 'orders/create', ${`R${i + 1}`}, ${outcome},
        ${outcome === 'rejected' ? 'semnătură greșită, "HMAC"' : null}, ${`2026-11-2${i}T10:00:00Z`})`;
  }

  const [account] = await sql<{ id: string }[]>`
    insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url) values (${t.tenantId}, 'sameday', 'Sameday', '\\x00', 'http://127.0.0.1:9') returning id::text`;
  const hoursAgo = [2, 30, 100, 400];
  for (const [i, h] of hoursAgo.entries()) {
    const [s] = await sql<{ id: string }[]>`
      insert into shipments (tenant_id, order_id, warehouse_id, courier_account_id, courier, service, reference, awb, status, created_at, updated_at)
      values (${t.tenantId}, ${orderIds[i]!}, ${t.warehouseId}, ${account!.id}, ${i === 3 ? 'cargus' : 'sameday'}, '7', ${`#${i + 1}`}, ${`AWB${i + 1}`}, 'in_transit',
              now() - make_interval(hours => ${h}), now() - make_interval(hours => ${h}))
      returning id::text`;
    await sql`insert into shipment_status_log (tenant_id, shipment_id, status, raw_code, raw_description, occurred_at, source, raw_payload)
      values (${t.tenantId}, ${s!.id}, 'in_transit', ${`C${i}`}, ${`În tranzit spre Iași, depozit ${i}`}, now() - make_interval(hours => ${h - 1}), 'poll', '{}'::jsonb)`;
  }
  for (const [i, [op, outcome, status]] of ([
    ['create_awb', 'ok', 201],
    ['create_awb', 'http_error', 422],
    ['track', 'ok', 200],
    ['track', 'timeout', null],
  ] as const).entries()) {
    await sql`insert into courier_audit_log (tenant_id, courier, courier_account_id, operation, method, url, request_headers, response_status, latency_ms, outcome, error, created_at)
      values (${t.tenantId}, 'sameday', ${account!.id}, ${op}, 'POST', 'http://127.0.0.1:9/api/awb', '{}'::jsonb, ${status}, ${100 + i}, ${outcome}, ${outcome === 'ok' ? null : 'Localitate necunoscută: Bălțătești'},
              ${`2026-11-2${i}T10:00:00Z`})`;
  }
  await sql`insert into delivery_notes (tenant_id, order_id, warehouse_id, type, status, blocked, blocked_details)
    values (${t.tenantId}, ${orderIds[4]!}, ${t.warehouseId}, 'total', 'ready_for_packing', true,
            ${sql.json([{ lineNo: 1, sku: 'A-1', needed: 5, available: 2, missing: 3 }, { lineNo: 2, sku: 'A-2', needed: 1, available: 0, missing: 1 }])})`;
  await sql`update products set name = 'Săpun de casă, „natural” 100g' where tenant_id = ${t.tenantId} and sku = 'A-1'`;
  return { orderIds };
}
