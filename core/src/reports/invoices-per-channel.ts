import type { Db } from '../db/connect.ts';
import type { DayPeriodFilters } from './orders-per-channel.ts';
import { chartOf, dayPage, type ReportPage, round2 } from './report-page.ts';

export interface InvoicesPerChannelRow {
  [k: string]: string | number | null;
  day: string;
  channelId: string;
  channelName: string;
  currency: string;
  orders: number;
  storeTotal: string;
  invoices: number;
  invoiced: string;
  creditNotes: number;
  credited: string;
  /** Store total minus invoiced plus credited: what the store took that no invoice (net of credit notes) covers yet. */
  difference: string;
}

const money = (n: number) => n.toFixed(2);

/**
 * E-commerce reconciliation per day, channel and currency: what the store sold (orders placed that
 * day, cancelled ones left out) against what was invoiced and credited (invoices and credit notes
 * issued that day). Read from the order and invoice day totals (migration 035, kept by triggers in
 * the same transaction as the orders and invoices), a few rows per day: a page costs its days,
 * merged here; money travels as decimal strings.
 */
export async function invoicesPerChannel(db: Db, tenantId: string, f: DayPeriodFilters & { currency?: string }): Promise<ReportPage<InvoicesPerChannelRow>> {
  const p = dayPage(f);
  if (p.days.length === 0) return empty(p.nextCursor);
  const params = [tenantId, p.from, p.to, f.channelId ?? null, f.currency ?? null] as never[];
  const [sold, billed, channels] = await Promise.all([
    db.unsafe(
      `select to_char(t.day, 'YYYY-MM-DD') as day, t.channel_id::text as "channelId", t.currency::text as currency, sum(t.orders)::int as n, sum(t.total)::text as total
       from order_day_totals t
       where t.tenant_id = $1 and t.day between $2::date and $3::date and t.status <> 'cancelled'
         and ($4::bigint is null or t.channel_id = $4) and ($5::text is null or t.currency = $5)
       group by t.day, t.channel_id, t.currency
       having sum(t.orders) <> 0`,
      params,
    ) as unknown as Promise<Array<{ day: string; channelId: string; currency: string; n: number; total: string }>>,
    db.unsafe(
      `select to_char(t.day, 'YYYY-MM-DD') as day, t.channel_id::text as "channelId", t.currency::text as currency, t.kind,
              sum(t.invoices)::int as n, sum(t.total)::text as total
       from invoice_day_totals t
       where t.tenant_id = $1 and t.day between $2::date and $3::date and t.channel_id is not null
         and ($4::bigint is null or t.channel_id = $4) and ($5::text is null or t.currency = $5)
       group by t.day, t.channel_id, t.currency, t.kind
       having sum(t.invoices) <> 0`,
      params,
    ) as unknown as Promise<Array<{ day: string; channelId: string; currency: string; kind: string; n: number; total: string }>>,
    db<{ id: string; name: string }[]>`select id::text, name from channels where tenant_id = ${tenantId}`,
  ]);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const acc = new Map<string, { day: string; channelId: string; currency: string; orders: number; store: number; invoices: number; invoiced: number; creditNotes: number; credited: number }>();
  const at = (day: string, channelId: string, currency: string) => {
    const k = `${day}|${channelId}|${currency}`;
    const a = acc.get(k) ?? { day, channelId, currency, orders: 0, store: 0, invoices: 0, invoiced: 0, creditNotes: 0, credited: 0 };
    acc.set(k, a);
    return a;
  };
  for (const s of sold) Object.assign(at(s.day, s.channelId, s.currency), { orders: s.n, store: Number(s.total) });
  for (const b of billed) {
    const a = at(b.day, b.channelId, b.currency);
    if (b.kind === 'credit_note') Object.assign(a, { creditNotes: a.creditNotes + b.n, credited: round2(a.credited + Number(b.total)) });
    else Object.assign(a, { invoices: a.invoices + b.n, invoiced: round2(a.invoiced + Number(b.total)) });
  }
  const rows: InvoicesPerChannelRow[] = [...acc.values()]
    .map((a) => ({
      day: a.day,
      channelId: a.channelId,
      channelName: names.get(a.channelId) ?? a.channelId,
      currency: a.currency,
      orders: a.orders,
      storeTotal: money(a.store),
      invoices: a.invoices,
      invoiced: money(a.invoiced),
      creditNotes: a.creditNotes,
      credited: money(a.credited),
      difference: money(round2(a.store - a.invoiced + a.credited)),
    }))
    .sort((x, y) => (x.day === y.day ? x.channelName.localeCompare(y.channelName) || x.currency.localeCompare(y.currency) : x.day < y.day ? 1 : -1));
  const days = [...p.days].reverse();
  // One pair of bars per currency: what the stores sold against what was invoiced net of credit notes.
  const points = rows.flatMap((r) => [
    { day: r.day, name: `${r.currency} store`, v: Number(r.storeTotal) },
    { day: r.day, name: `${r.currency} invoiced`, v: round2(Number(r.invoiced) - Number(r.credited)) },
  ]);
  return {
    report: 'invoices-per-channel',
    columns: ['day', 'channelId', 'channelName', 'currency', 'orders', 'storeTotal', 'invoices', 'invoiced', 'creditNotes', 'credited', 'difference'],
    rows,
    nextCursor: p.nextCursor,
    chart: chartOf(points, { scope: 'page', labels: days, label: (r) => r.day, series: (r) => r.name, value: (r) => r.v }),
  };
}

function empty(nextCursor: string | null): ReportPage<InvoicesPerChannelRow> {
  return {
    report: 'invoices-per-channel',
    columns: ['day', 'channelId', 'channelName', 'currency', 'orders', 'storeTotal', 'invoices', 'invoiced', 'creditNotes', 'credited', 'difference'],
    rows: [],
    nextCursor,
    chart: { kind: 'bar', stacked: false, scope: 'page', labels: [], series: [] },
  };
}
