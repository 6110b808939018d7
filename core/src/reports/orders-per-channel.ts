import type { Db } from '../db/connect.ts';
import { chartOf, dayPage, type ReportPage } from './report-page.ts';

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
 * newest day first. Read from the order day totals (migration 035: kept by a trigger on orders in
 * the same transaction, a few rows per day and key), so a page costs its days, not their orders.
 */
export async function ordersPerChannel(db: Db, tenantId: string, f: DayPeriodFilters & { status?: string }): Promise<ReportPage<OrdersPerChannelRow>> {
  const p = dayPage(f);
  const rows =
    p.days.length === 0
      ? []
      : ((await db.unsafe(
          `select to_char(a.day, 'YYYY-MM-DD') as day, a.channel_id::text as "channelId", c.name as "channelName", a.status, a.orders
           from (
             select t.day, t.channel_id, t.status, sum(t.orders)::int as orders
             from order_day_totals t
             where t.tenant_id = $1 and t.day between $2::date and $3::date
               and ($4::bigint is null or t.channel_id = $4)
               and ($5::text is null or t.status = $5)
             group by 1, 2, 3
             having sum(t.orders) <> 0
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
