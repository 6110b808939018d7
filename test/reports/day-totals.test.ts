import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signShopifyBody } from '../../core/src/channels/index.ts';
import { ORDER_STATUSES } from '../../core/src/contracts/order.ts';
import type { Sql } from '../../core/src/db/index.ts';
import { foldInvoiceDayTotals, invoiceReport } from '../../core/src/invoicing/index.ts';
import { foldOrderDayTotals } from '../../core/src/orders/index.ts';
import { invoicesPerChannel, ordersPerChannel, returnsReport } from '../../core/src/reports/index.ts';
import { receiveShopifyWebhook } from '../../core/src/flows/receive-shopify-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

/*
 * The report day totals (migration 035) against the raw rows they summarise: a random history of
 * orders placed in multi-row statements around Romanian midnights, status changes (cancellations,
 * returns, un-cancellations), re-priced totals, deleted orders, invoices and credit notes issued,
 * re-dated and deleted, returns opened and cancelled, with folds run in between, two at once and
 * beside writes. After every step the totals equal a GROUP BY over the raw tables, and the three
 * reports that read them answer what the raw rows say.
 */

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;
let sql: Sql;
let seriesId: string;
let clientId: string;

// A small deterministic generator (mulberry32): the same history on every run.
let state = 20261202;
const rnd = () => {
  state = (state + 0x6d2b79f5) | 0;
  let x = Math.imul(state ^ (state >>> 15), 1 | state);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

// Six days of late November, with instants near midnight in Romania (UTC+2): 21:30 and 22:30 UTC fall on either side.
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'];
const HOURS = ['00:10', '09:00', '21:30', '21:59', '22:00', '22:30', '23:59'];
let orderNo = 0;
let invoiceNo = 0;

beforeAll(async () => {
  core = await startCore();
  sql = core.sql;
  t = await core.createTenant();
  other = await core.createTenant();
  const [series] = await sql<{ id: string }[]>`insert into invoice_series (tenant_id, code) values (${t.tenantId}, 'EXP') returning id::text`;
  seriesId = series!.id;
  const [client] = await sql<{ id: string }[]>`insert into clients (tenant_id, email, first_name, last_name, kind) values (${t.tenantId}, 'a@b.ro', 'A', 'B', 'person') returning id::text`;
  clientId = client!.id;
});

/** A signed Shopify orders/create taken in as the webhook route takes it (the one-statement intake). */
const deliver = (tenant: TenantFixture, raw: string, webhookId: string) =>
  receiveShopifyWebhook(
    core.deps,
    new Headers({ 'x-shopify-hmac-sha256': signShopifyBody(Buffer.from(raw, 'utf8'), tenant.shopify.apiSecret), 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': tenant.shopify.shopDomain, 'x-shopify-webhook-id': webhookId }),
    Buffer.from(raw, 'utf8'),
  );

async function placeOrders(db: Sql, tenant: TenantFixture, n: number, clientOf: string | null): Promise<void> {
  const rows = Array.from({ length: n }, () => {
    orderNo++;
    const at = `${pick(DAYS)}T${pick(HOURS)}:00Z`;
    return {
      tenant_id: tenant.tenantId,
      channel_id: rnd() < 0.6 ? tenant.shopify.channelId : tenant.woo.channelId,
      external_order_id: `H${orderNo}`,
      external_number: `#${orderNo}`,
      client_id: clientOf,
      status: pick(['new', 'new', 'confirmed', 'delivered', 'cancelled', 'on_hold'] as const),
      payment_status: 'paid',
      currency: rnd() < 0.8 ? 'RON' : 'EUR',
      total: (Math.floor(rnd() * 100_000) / 100).toFixed(2),
      shipping_address: db.json({ city: 'Iași' }) as never,
      billing_address: db.json({ city: 'Iași' }) as never,
      email: 'a@b.ro',
      warehouse_id: tenant.warehouseId,
      created_at: at,
      updated_at: at,
    };
  });
  await db`insert into orders ${db(rows)}`;
}

async function ordersOf(tenantId: string, limit: number): Promise<Array<{ id: string; channelId: string; currency: string; total: string; createdAt: Date }>> {
  return [
    ...(await sql<{ id: string; channelId: string; currency: string; total: string; createdAt: Date }[]>`
      select id::text, channel_id::text as "channelId", currency::text as currency, total::text as total, created_at as "createdAt"
      from orders where tenant_id = ${tenantId} order by md5(orders.id::text || ${String(state)}) limit ${limit}`),
  ];
}

async function changeStatuses(): Promise<void> {
  const some = await ordersOf(t.tenantId, 1 + Math.floor(rnd() * 12));
  // One statement moving several orders, each to its own status (a bulk action): returned, cancelled, back to new.
  const moves = some.map((o) => ({ id: o.id, status: pick(['returned', 'partially_returned', 'cancelled', 'new', 'shipping', 'delivered'].filter((s) => (ORDER_STATUSES as readonly string[]).includes(s))) }));
  await sql`update orders o set status = m.status, updated_at = now()
    from (select unnest(${moves.map((m) => m.id)}::bigint[]) as id, unnest(${moves.map((m) => m.status)}::text[]) as status) m
    where o.tenant_id = ${t.tenantId} and o.id = m.id`;
}

async function reprice(): Promise<void> {
  const some = await ordersOf(t.tenantId, 3);
  await sql`update orders set total = total + 1.25 where tenant_id = ${t.tenantId} and id = any(${some.map((o) => o.id)}::bigint[])`;
  // An update that changes nothing the totals count writes no delta.
  await sql`update orders set updated_at = now() where tenant_id = ${t.tenantId} and id = any(${some.map((o) => o.id)}::bigint[])`;
}

async function deleteOrders(): Promise<void> {
  const some = await ordersOf(t.tenantId, 2);
  await sql`delete from invoices where tenant_id = ${t.tenantId} and order_id = any(${some.map((o) => o.id)}::bigint[])`;
  await sql`delete from orders where tenant_id = ${t.tenantId} and id = any(${some.map((o) => o.id)}::bigint[])`;
}

async function issueInvoices(): Promise<void> {
  const some = await ordersOf(t.tenantId, 1 + Math.floor(rnd() * 6));
  const rows = some.map((o) => {
    invoiceNo++;
    const credit = rnd() < 0.3;
    const amount = credit ? (Math.floor(rnd() * 5000) / 100).toFixed(2) : o.total;
    const day = pick(DAYS);
    return {
      tenant_id: t.tenantId,
      kind: credit ? 'credit_note' : 'invoice',
      series_id: seriesId,
      series: 'EXP',
      number: invoiceNo,
      full_number: `EXP${invoiceNo}`,
      order_id: credit ? o.id : null,
      channel_id: rnd() < 0.1 ? null : o.channelId,
      client_id: clientId,
      source: credit ? 'return' : 'on_shipping',
      source_ref: credit ? `ret-${invoiceNo}` : null,
      currency: o.currency,
      issue_date: day,
      due_date: day,
      seller: sql.json({}) as never,
      buyer: sql.json({}) as never,
      line_net_total: amount,
      tax_exclusive_total: amount,
      tax_total: credit ? '0' : (Number(amount) * 0.19).toFixed(2),
      tax_inclusive_total: amount,
      payable_total: credit ? `-${amount}` : amount,
    };
  });
  await sql`insert into invoices ${sql(rows)}`;
  if (rnd() < 0.4) await sql`update invoices set issue_date = issue_date + 1 where tenant_id = ${t.tenantId} and number = ${1 + Math.floor(rnd() * invoiceNo)}`;
  if (rnd() < 0.2) await sql`delete from invoices where tenant_id = ${t.tenantId} and number = ${1 + Math.floor(rnd() * invoiceNo)}`;
}

async function openReturns(): Promise<void> {
  const some = await ordersOf(t.tenantId, 2);
  for (const o of some) {
    const at = `${pick(DAYS)}T${pick(HOURS)}:00Z`;
    await sql`insert into returns (tenant_id, order_id, channel_id, warehouse_id, type, status, created_at, updated_at)
      values (${t.tenantId}, ${o.id}, ${o.channelId}, ${t.warehouseId}, ${pick(['fully', 'partially', 'manual'])}, ${rnd() < 0.2 ? 'cancelled' : 'approved'}, ${at}, ${at})`;
  }
}

async function fold(): Promise<void> {
  const r = rnd();
  if (r < 0.3) await Promise.all([foldOrderDayTotals(sql), foldOrderDayTotals(sql), foldInvoiceDayTotals(sql), foldInvoiceDayTotals(sql)]);
  // A fold beside new orders and a status change in flight.
  else if (r < 0.6) await Promise.all([foldOrderDayTotals(sql), placeOrders(sql, t, 5, clientId), changeStatuses(), foldInvoiceDayTotals(sql), issueInvoices()]);
  else await Promise.all([foldOrderDayTotals(sql), foldInvoiceDayTotals(sql)]);
}

const STEPS = [() => placeOrders(sql, t, 1 + Math.floor(rnd() * 25), clientId), changeStatuses, changeStatuses, reprice, deleteOrders, issueInvoices, issueInvoices, openReturns, fold];

const numeric = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? Number(v).toFixed(2) : v])));

async function expectTotalsEqualRaw(): Promise<void> {
  const rawOrders = await sql`
    select o.tenant_id::text as tenant, to_char((o.created_at at time zone 'Europe/Bucharest')::date, 'YYYY-MM-DD') as day, o.channel_id::text as channel,
           o.status, o.currency::text as currency, count(*)::int as n, sum(o.total)::text as total
    from orders o group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`;
  const totals = await sql`
    select d.tenant_id::text as tenant, to_char(d.day, 'YYYY-MM-DD') as day, d.channel_id::text as channel, d.status, d.currency::text as currency,
           sum(d.orders)::int as n, sum(d.total)::text as total
    from order_day_totals d group by 1, 2, 3, 4, 5 having sum(d.orders) <> 0 or sum(d.total) <> 0 order by 1, 2, 3, 4, 5`;
  expect(numeric([...totals])).toEqual(numeric([...rawOrders]));
  const rawInvoices = await sql`
    select i.tenant_id::text as tenant, to_char(i.issue_date, 'YYYY-MM-DD') as day, i.channel_id::text as channel, i.currency::text as currency, i.kind,
           count(*)::int as n, sum(abs(i.payable_total))::text as total, sum(i.tax_exclusive_total)::text as net, sum(i.tax_total)::text as tax, sum(i.payable_total)::text as payable
    from invoices i group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`;
  const invoiceTotals = await sql`
    select d.tenant_id::text as tenant, to_char(d.day, 'YYYY-MM-DD') as day, d.channel_id::text as channel, d.currency::text as currency, d.kind,
           sum(d.invoices)::int as n, sum(d.total)::text as total, sum(d.net)::text as net, sum(d.tax)::text as tax, sum(d.payable)::text as payable
    from invoice_day_totals d group by 1, 2, 3, 4, 5 having sum(d.invoices) <> 0 or sum(d.total) <> 0 order by 1, 2, 3, 4, 5`;
  expect(numeric([...invoiceTotals])).toEqual(numeric([...rawInvoices]));
}

async function expectReportsEqualRaw(): Promise<void> {
  const period = { from: DAYS[0]!, to: DAYS.at(-1)!, days: 7 };
  const page = await ordersPerChannel(sql, t.tenantId, period);
  const raw = await sql<{ day: string; channelId: string; status: string; orders: number }[]>`
    select to_char((o.created_at at time zone 'Europe/Bucharest')::date, 'YYYY-MM-DD') as day, o.channel_id::text as "channelId", o.status, count(*)::int as orders
    from orders o where o.tenant_id = ${t.tenantId} and (o.created_at at time zone 'Europe/Bucharest')::date between ${period.from} and ${period.to} group by 1, 2, 3`;
  const key = (r: { day: string; channelId: string; status: string }) => `${r.day}|${r.channelId}|${r.status}`;
  expect(new Map(page.rows.map((r) => [key(r), r.orders]))).toEqual(new Map(raw.map((r) => [key(r), r.orders])));

  const delivered = await ordersPerChannel(sql, t.tenantId, { ...period, status: 'delivered', channelId: t.woo.channelId });
  expect(delivered.rows.map((r) => r.orders)).toEqual(raw.filter((r) => r.status === 'delivered' && r.channelId === t.woo.channelId).sort((a, b) => (a.day < b.day ? 1 : -1)).map((r) => r.orders));

  const money = await invoicesPerChannel(sql, t.tenantId, period);
  const sold = await sql<{ k: string; n: number; total: string }[]>`
    select to_char((o.created_at at time zone 'Europe/Bucharest')::date, 'YYYY-MM-DD') || '|' || o.channel_id || '|' || o.currency as k, count(*)::int as n, sum(o.total)::text as total
    from orders o where o.tenant_id = ${t.tenantId} and o.status <> 'cancelled' and (o.created_at at time zone 'Europe/Bucharest')::date between ${period.from} and ${period.to} group by 1`;
  const billed = await sql<{ k: string; kind: string; n: number; total: string }[]>`
    select to_char(i.issue_date, 'YYYY-MM-DD') || '|' || i.channel_id || '|' || i.currency as k, i.kind, count(*)::int as n, sum(abs(i.payable_total))::text as total
    from invoices i where i.tenant_id = ${t.tenantId} and i.channel_id is not null and i.issue_date between ${period.from} and ${period.to} group by 1, 2`;
  const expected = new Map<string, { orders: number; storeTotal: string; invoices: number; invoiced: string; creditNotes: number; credited: string }>();
  const at = (k: string) => expected.get(k) ?? expected.set(k, { orders: 0, storeTotal: '0.00', invoices: 0, invoiced: '0.00', creditNotes: 0, credited: '0.00' }).get(k)!;
  for (const s of sold) Object.assign(at(s.k), { orders: s.n, storeTotal: Number(s.total).toFixed(2) });
  for (const b of billed) Object.assign(at(b.k), b.kind === 'invoice' ? { invoices: b.n, invoiced: Number(b.total).toFixed(2) } : { creditNotes: b.n, credited: Number(b.total).toFixed(2) });
  const got = new Map(money.rows.map((r) => [`${r.day}|${r.channelId}|${r.currency}`, { orders: r.orders, storeTotal: r.storeTotal, invoices: r.invoices, invoiced: r.invoiced, creditNotes: r.creditNotes, credited: r.credited }]));
  expect(got).toEqual(expected);

  const listed = await invoiceReport(sql, t.tenantId, { from: period.from, to: period.to });
  const rawTotals = await sql`
    select channel_id::text as "channelId", kind, currency::text as currency, count(*)::int as count, sum(tax_exclusive_total)::text as net, sum(tax_total)::text as tax, sum(payable_total)::text as total
    from invoices where tenant_id = ${t.tenantId} and issue_date between ${period.from} and ${period.to}
    group by channel_id, kind, currency order by channel_id nulls last, kind, currency`;
  expect(numeric(listed.totals)).toEqual(numeric([...rawTotals]));

  const returns = await returnsReport(sql, t.tenantId, period);
  for (const r of returns.rows) {
    const placed = sold.filter((s) => s.k.startsWith(`${r.day}|${r.channelId}|`)).reduce((n, s) => n + s.n, 0);
    expect({ day: r.day, orders: r.orders }).toEqual({ day: r.day, orders: placed });
  }
}

describe('report day totals (migration 035)', () => {
  it('equal the raw orders and invoices after every step of a random history, folded or not, and the reports answer the raw numbers', async () => {
    await placeOrders(sql, t, 40, clientId);
    // Another tenant's orders count only in its own totals.
    await placeOrders(sql, other, 10, null);
    await expectTotalsEqualRaw();
    for (let step = 0; step < 60; step++) {
      await pick(STEPS)();
      await expectTotalsEqualRaw();
      if (step % 10 === 9) await expectReportsEqualRaw();
    }
    await expectReportsEqualRaw();
    const deltasBefore = (await sql<{ n: number }[]>`select count(*)::int as n from order_day_totals where not folded`)[0]!.n;
    expect(deltasBefore).toBeGreaterThan(0);
    await foldOrderDayTotals(sql);
    await foldInvoiceDayTotals(sql);
    // Folded: no delta left, one row per key, the same numbers.
    expect((await sql`select 1 from order_day_totals where not folded union all select 1 from invoice_day_totals where not folded`).length).toBe(0);
    const dup = await sql`select 1 from order_day_totals group by tenant_id, day, channel_id, status, currency having count(*) > 1`;
    expect(dup.length).toBe(0);
    await expectTotalsEqualRaw();
    await expectReportsEqualRaw();
    // A fold with nothing to fold replaces nothing.
    expect(await foldOrderDayTotals(sql)).toBe(0);
  });

  it('count the orders the intake takes in one statement, and a redelivery not again', async () => {
    const today = async () => {
      const [r] = await sql<{ n: number | null }[]>`
        select sum(d.orders)::int as n from order_day_totals d where d.tenant_id = ${other.tenantId} and d.day = (now() at time zone 'Europe/Bucharest')::date`;
      return r!.n ?? 0;
    };
    const before = await today();
    const x = shopifyOrderBody({ lines: [['A-1', 1]], email: `x-${randomUUID()}@example.com` });
    const y = shopifyOrderBody({ lines: [['A-3', 2]], email: `y-${randomUUID()}@example.com` });
    const xId = randomUUID();
    const answers = await Promise.all([deliver(other, x.raw, xId), deliver(other, y.raw, randomUUID())]);
    expect(answers).toMatchObject([{ kind: 'accepted', result: { result: 'created' } }, { kind: 'accepted', result: { result: 'created' } }]);
    await deliver(other, x.raw, xId);
    expect(await today()).toBe(before + 2);
    await expectTotalsEqualRaw();
  });
});
