import type { Db } from '../db/connect.ts';
import type { DayPeriodFilters } from './orders-per-channel.ts';
import { chartOf, dayPage, REPORT_TZ, type ReportPage, round2 } from './report-page.ts';

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
 * issued that day). Two index-only range scans over the page's days (orders_report_days,
 * invoices_period_totals), merged here; money travels as decimal strings.
 */
export async function invoicesPerChannel(db: Db, tenantId: string, f: DayPeriodFilters & { currency?: string }): Promise<ReportPage<InvoicesPerChannelRow>> {
  const p = dayPage(f);
  if (p.days.length === 0) return empty(p.nextCursor);
  const params = [tenantId, p.from, p.to, f.channelId ?? null, f.currency ?? null] as never[];
  const [sold, billed, channels] = await Promise.all([
    db.unsafe(
      `select to_char(a.day, 'YYYY-MM-DD') as day, a.channel_id::text as "channelId", a.currency::text as currency, a.n, a.total::text as total
       from (select (o.created_at at time zone '${REPORT_TZ}')::date as day, o.channel_id, o.currency, count(*)::int as n, sum(o.total) as total
       from orders o
       where o.tenant_id = $1
         and o.created_at >= ($2::date::timestamp at time zone '${REPORT_TZ}') and o.created_at < (($3::date + 1)::timestamp at time zone '${REPORT_TZ}')
         and o.status <> 'cancelled'
         and ($4::bigint is null or o.channel_id = $4) and ($5::text is null or o.currency = $5)
       group by 1, 2, 3) a`,
      params,
    ) as unknown as Promise<Array<{ day: string; channelId: string; currency: string; n: number; total: string }>>,
    db.unsafe(
      `select to_char(i.issue_date, 'YYYY-MM-DD') as day, i.channel_id::text as "channelId", i.currency::text as currency, i.kind,
              count(*)::int as n, sum(abs(i.payable_total))::text as total
       from invoices i
       where i.tenant_id = $1 and i.issue_date between $2::date and $3::date and i.channel_id is not null
         and ($4::bigint is null or i.channel_id = $4) and ($5::text is null or i.currency = $5)
       group by 1, 2, 3, 4`,
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
