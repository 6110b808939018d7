import type { Db } from '../db/connect.ts';
import type { DayPeriodFilters } from './orders-per-channel.ts';
import { chartOf, dayPage, REPORT_TZ, type ReportPage, round2 } from './report-page.ts';

export interface ReturnsReportRow {
  [k: string]: string | number | null;
  day: string;
  channelId: string;
  channelName: string;
  /** Orders placed that day in the channel (cancelled ones left out): the rate's denominator. */
  orders: number;
  /** Returns opened that day (cancelled ones left out), of which `manual` moved no stock. */
  returns: number;
  manual: number;
  /** Returns per 100 orders placed the same day; null on a day without orders. */
  returnRate: number | null;
  units: number;
  restocked: number;
  quarantined: number;
}

/**
 * Returns per day and channel over a period, newest day first: how many were opened, the return
 * rate against the orders placed that day, the units asked back and what the warehouse did with
 * them (restocked to a bin or held in quarantine, from the approved and open receipts), and the
 * reasons over the page's days. Reads the returns area's tables (returns, return_lines,
 * return_receipts, return_receipt_lines; returns_opened) and the order day totals (migration 035)
 * for the orders placed; a page costs its days and the returns opened on them.
 */
export async function returnsReport(db: Db, tenantId: string, f: DayPeriodFilters): Promise<ReportPage<ReturnsReportRow> & { reasons: Array<{ reason: string; returns: number; units: number }> }> {
  const p = dayPage(f);
  const columns = ['day', 'channelId', 'channelName', 'orders', 'returns', 'manual', 'returnRate', 'units', 'restocked', 'quarantined'];
  if (p.days.length === 0) return { report: 'returns', columns, rows: [], nextCursor: p.nextCursor, chart: { kind: 'bar', stacked: false, scope: 'page', labels: [], series: [] }, reasons: [] };
  const params = [tenantId, p.from, p.to, f.channelId ?? null] as never[];
  const window = `x.tenant_id = $1
      and x.created_at >= ($2::date::timestamp at time zone '${REPORT_TZ}') and x.created_at < (($3::date + 1)::timestamp at time zone '${REPORT_TZ}')
      and ($4::bigint is null or x.channel_id = $4)`;
  const [returned, placed, reasons, channels] = await Promise.all([
    db.unsafe(
      `select to_char((x.created_at at time zone '${REPORT_TZ}')::date, 'YYYY-MM-DD') as day, x.channel_id::text as "channelId",
              count(*)::int as returns, count(*) filter (where x.type = 'manual')::int as manual,
              coalesce(sum(l.units), 0)::int as units, coalesce(sum(k.restocked), 0)::int as restocked, coalesce(sum(k.quarantined), 0)::int as quarantined
       from returns x
       left join lateral (select sum(rl.quantity) as units from return_lines rl where rl.tenant_id = x.tenant_id and rl.return_id = x.id) l on true
       left join lateral (
         select sum(c.quantity) filter (where c.destination = 'restock') as restocked, sum(c.quantity) filter (where c.destination = 'quarantine') as quarantined
         from return_receipts rr join return_receipt_lines c on c.tenant_id = rr.tenant_id and c.receipt_id = rr.id
         where rr.tenant_id = x.tenant_id and rr.return_id = x.id) k on true
       where ${window} and x.status <> 'cancelled'
       group by 1, 2`,
      params,
    ) as unknown as Promise<Array<{ day: string; channelId: string; returns: number; manual: number; units: number; restocked: number; quarantined: number }>>,
    db.unsafe(
      `select to_char(t.day, 'YYYY-MM-DD') as day, t.channel_id::text as "channelId", sum(t.orders)::int as n
       from order_day_totals t
       where t.tenant_id = $1 and t.day between $2::date and $3::date and ($4::bigint is null or t.channel_id = $4) and t.status <> 'cancelled'
       group by t.day, t.channel_id having sum(t.orders) <> 0`,
      params,
    ) as unknown as Promise<Array<{ day: string; channelId: string; n: number }>>,
    db.unsafe(
      `select rl.reason, count(distinct x.id)::int as returns, sum(rl.quantity)::int as units
       from returns x join return_lines rl on rl.tenant_id = x.tenant_id and rl.return_id = x.id
       where ${window} and x.status <> 'cancelled'
       group by rl.reason order by sum(rl.quantity) desc, rl.reason limit 50`,
      params,
    ) as unknown as Promise<Array<{ reason: string; returns: number; units: number }>>,
    db<{ id: string; name: string }[]>`select id::text, name from channels where tenant_id = ${tenantId}`,
  ]);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const orders = new Map(placed.map((o) => [`${o.day}|${o.channelId}`, o.n]));
  const rows: ReturnsReportRow[] = returned
    .map((r) => {
      const n = orders.get(`${r.day}|${r.channelId}`) ?? 0;
      return { day: r.day, channelId: r.channelId, channelName: names.get(r.channelId) ?? r.channelId, orders: n, returns: r.returns, manual: r.manual, returnRate: n > 0 ? round2((r.returns / n) * 100) : null, units: r.units, restocked: r.restocked, quarantined: r.quarantined };
    })
    .sort((a, b) => (a.day === b.day ? a.channelName.localeCompare(b.channelName) : a.day < b.day ? 1 : -1));
  return {
    report: 'returns',
    columns,
    rows,
    nextCursor: p.nextCursor,
    chart: chartOf(rows, { scope: 'page', labels: [...p.days].reverse(), label: (r) => r.day, series: (r) => r.channelName, value: (r) => r.returnRate ?? 0 }),
    reasons: [...reasons],
  };
}
