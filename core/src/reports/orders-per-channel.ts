import type { Db } from '../db/connect.ts';
import { chartOf, dayPage, REPORT_TZ, type ReportPage } from './report-page.ts';

export interface OrdersPerChannelRow {
  [k: string]: string | number | null;
  day: string;
  channelId: string;
  channelName: string;
  status: string;
  orders: number;
}

export interface DayPeriodFilters {
  from: string;
  to: string;
  /** Days per page (the keyset page of a day-bucketed report). */
  days: number;
  cursor?: string;
  channelId?: string;
}

/**
 * Orders per day, channel and status over a period (the day the order was placed, in Romania),
 * newest day first. One index-only range scan of the page's days (orders_report_days), then the
 * channel names: the cost is the orders of the page's days, whatever the table holds.
 */
export async function ordersPerChannel(db: Db, tenantId: string, f: DayPeriodFilters & { status?: string }): Promise<ReportPage<OrdersPerChannelRow>> {
  const p = dayPage(f);
  const rows =
    p.days.length === 0
      ? []
      : ((await db.unsafe(
          `select to_char(a.day, 'YYYY-MM-DD') as day, a.channel_id::text as "channelId", c.name as "channelName", a.status, a.orders
           from (
             select (o.created_at at time zone '${REPORT_TZ}')::date as day, o.channel_id, o.status, count(*)::int as orders
             from orders o
             where o.tenant_id = $1
               and o.created_at >= ($2::date::timestamp at time zone '${REPORT_TZ}')
               and o.created_at < (($3::date + 1)::timestamp at time zone '${REPORT_TZ}')
               and ($4::bigint is null or o.channel_id = $4)
               and ($5::text is null or o.status = $5)
             group by 1, 2, 3
           ) a
           join channels c on c.tenant_id = $1 and c.id = a.channel_id
           order by a.day desc, c.name, a.channel_id, a.status`,
          [tenantId, p.from, p.to, f.channelId ?? null, f.status ?? null] as never[],
        )) as unknown as OrdersPerChannelRow[]);
  const days = [...p.days].reverse();
  return {
    report: 'orders-per-channel',
    columns: ['day', 'channelId', 'channelName', 'status', 'orders'],
    rows,
    nextCursor: p.nextCursor,
    chart: chartOf(rows, { scope: 'page', stacked: true, labels: days, label: (r) => r.day, series: (r) => r.status, value: (r) => r.orders }),
  };
}

/** The tenant's channels by name, for a report's channel filter. */
export async function reportChannels(db: Db, tenantId: string): Promise<Array<{ id: string; name: string }>> {
  return [...(await db<{ id: string; name: string }[]>`select id::text, name from channels where tenant_id = ${tenantId} order by name, channels.id limit 200`)];
}
