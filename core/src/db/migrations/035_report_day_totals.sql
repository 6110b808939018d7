-- Report day totals (issues 13 and 14): the orders-per-channel, e-commerce reconciliation and
-- returns reports counted and summed the orders (and invoices) of every day a page covers, about
-- 20,000 rows a week at a million orders a year. These two tables hold the same numbers per
-- tenant, day, channel and status (or kind) and currency, so a page reads a few rows per day.
--
-- Exactness: a statement-level trigger on orders (invoices) writes, in the same transaction as the
-- statement, one delta row per key the statement changed (+1 and the total for the rows as they are
-- now, -1 for the rows as they were): an insert, a status change, a cancellation, a deletion. The
-- deltas are only ever appended, never updated, so concurrent intakes and confirmations never wait
-- on one another's counter row and cannot deadlock on it. `orders_fold_day_totals()` (the worker,
-- every minute) replaces a day's rows by their sums in one statement: it deletes only rows its
-- snapshot sees and inserts exactly their sums, so a concurrent fold or delta can neither be lost
-- nor counted twice. A report sums every row of its days, folded or not.
--
-- A report day is the day in Europe/Bucharest (reports/report-page.ts, REPORT_TZ).

create table order_day_totals (
  tenant_id bigint not null,
  day date not null,
  channel_id bigint not null,
  status text not null,
  currency char(3) not null,
  orders integer not null,
  total numeric(16,2) not null,
  -- false: a delta a statement appended; true: the sum of a day's rows written by a fold.
  folded boolean not null default false
);
create index order_day_totals_day on order_day_totals (tenant_id, day) include (channel_id, status, currency, orders, total);
create index order_day_totals_unfolded on order_day_totals (tenant_id, day) where not folded;

create or replace function orders_day_totals_apply() returns trigger
language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    insert into order_day_totals (tenant_id, day, channel_id, status, currency, orders, total)
    select n.tenant_id, (n.created_at at time zone 'Europe/Bucharest')::date, n.channel_id, n.status, n.currency, count(*)::int, sum(n.total)
    from new_rows n group by 1, 2, 3, 4, 5;
  elsif tg_op = 'UPDATE' then
    insert into order_day_totals (tenant_id, day, channel_id, status, currency, orders, total)
    select d.tenant_id, d.day, d.channel_id, d.status, d.currency, sum(d.n)::int, sum(d.total)
    from (
      select n.tenant_id, (n.created_at at time zone 'Europe/Bucharest')::date as day, n.channel_id, n.status, n.currency, 1 as n, n.total from new_rows n
      union all
      select o.tenant_id, (o.created_at at time zone 'Europe/Bucharest')::date, o.channel_id, o.status, o.currency, -1, -o.total from old_rows o
    ) d
    group by 1, 2, 3, 4, 5 having sum(d.n) <> 0 or sum(d.total) <> 0;
  else
    insert into order_day_totals (tenant_id, day, channel_id, status, currency, orders, total)
    select o.tenant_id, (o.created_at at time zone 'Europe/Bucharest')::date, o.channel_id, o.status, o.currency, -count(*)::int, -sum(o.total)
    from old_rows o group by 1, 2, 3, 4, 5;
  end if;
  return null;
end
$fn$;

-- The triggers first: they lock orders against writes until this migration commits, so the backfill
-- below sees every committed order and the triggers every later one.
create trigger orders_day_totals_insert after insert on orders referencing new table as new_rows for each statement execute function orders_day_totals_apply();
create trigger orders_day_totals_update after update on orders referencing old table as old_rows new table as new_rows for each statement execute function orders_day_totals_apply();
create trigger orders_day_totals_delete after delete on orders referencing old table as old_rows for each statement execute function orders_day_totals_apply();

insert into order_day_totals (tenant_id, day, channel_id, status, currency, orders, total, folded)
select o.tenant_id, (o.created_at at time zone 'Europe/Bucharest')::date, o.channel_id, o.status, o.currency, count(*)::int, sum(o.total), true
from orders o group by 1, 2, 3, 4, 5;

-- Folds the days that have deltas into one row per key; returns how many rows it replaced.
create or replace function orders_fold_day_totals() returns integer
language sql as $fn$
  with dirty as (
    select distinct u.tenant_id, u.day from order_day_totals u where not u.folded
  ), gone as (
    delete from order_day_totals t using dirty d where t.tenant_id = d.tenant_id and t.day = d.day
    returning t.tenant_id, t.day, t.channel_id, t.status, t.currency, t.orders, t.total
  ), sums as (
    insert into order_day_totals (tenant_id, day, channel_id, status, currency, orders, total, folded)
    select g.tenant_id, g.day, g.channel_id, g.status, g.currency, sum(g.orders)::int, sum(g.total), true
    from gone g group by 1, 2, 3, 4, 5 having sum(g.orders) <> 0 or sum(g.total) <> 0
    returning 1
  )
  select (select count(*) from gone)::int
$fn$;

-- Invoices and credit notes per issue day, channel (none for a manual invoice), currency and
-- kind: how many, the sum of their payable totals as positive amounts (invoices-per-channel), and
-- their net, tax and signed payable totals (the period totals of GET /invoices).
create table invoice_day_totals (
  tenant_id bigint not null,
  day date not null,
  channel_id bigint,
  currency char(3) not null,
  kind text not null,
  invoices integer not null,
  total numeric(16,2) not null,
  net numeric(16,2) not null,
  tax numeric(16,2) not null,
  payable numeric(16,2) not null,
  folded boolean not null default false
);
create index invoice_day_totals_day on invoice_day_totals (tenant_id, day) include (channel_id, currency, kind, invoices, total, net, tax, payable);
create index invoice_day_totals_unfolded on invoice_day_totals (tenant_id, day) where not folded;

create or replace function invoicing_day_totals_apply() returns trigger
language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    insert into invoice_day_totals (tenant_id, day, channel_id, currency, kind, invoices, total, net, tax, payable)
    select n.tenant_id, n.issue_date, n.channel_id, n.currency, n.kind, count(*)::int, sum(abs(n.payable_total)), sum(n.tax_exclusive_total), sum(n.tax_total), sum(n.payable_total)
    from new_rows n group by 1, 2, 3, 4, 5;
  elsif tg_op = 'UPDATE' then
    insert into invoice_day_totals (tenant_id, day, channel_id, currency, kind, invoices, total, net, tax, payable)
    select d.tenant_id, d.day, d.channel_id, d.currency, d.kind, sum(d.n)::int, sum(d.total), sum(d.net), sum(d.tax), sum(d.payable)
    from (
      select n.tenant_id, n.issue_date as day, n.channel_id, n.currency, n.kind, 1 as n, abs(n.payable_total) as total, n.tax_exclusive_total as net, n.tax_total as tax, n.payable_total as payable
      from new_rows n
      union all
      select o.tenant_id, o.issue_date, o.channel_id, o.currency, o.kind, -1, -abs(o.payable_total), -o.tax_exclusive_total, -o.tax_total, -o.payable_total
      from old_rows o
    ) d
    group by 1, 2, 3, 4, 5 having sum(d.n) <> 0 or sum(d.total) <> 0 or sum(d.net) <> 0 or sum(d.tax) <> 0 or sum(d.payable) <> 0;
  else
    insert into invoice_day_totals (tenant_id, day, channel_id, currency, kind, invoices, total, net, tax, payable)
    select o.tenant_id, o.issue_date, o.channel_id, o.currency, o.kind, -count(*)::int, -sum(abs(o.payable_total)), -sum(o.tax_exclusive_total), -sum(o.tax_total), -sum(o.payable_total)
    from old_rows o group by 1, 2, 3, 4, 5;
  end if;
  return null;
end
$fn$;

create trigger invoices_day_totals_insert after insert on invoices referencing new table as new_rows for each statement execute function invoicing_day_totals_apply();
create trigger invoices_day_totals_update after update on invoices referencing old table as old_rows new table as new_rows for each statement execute function invoicing_day_totals_apply();
create trigger invoices_day_totals_delete after delete on invoices referencing old table as old_rows for each statement execute function invoicing_day_totals_apply();

insert into invoice_day_totals (tenant_id, day, channel_id, currency, kind, invoices, total, net, tax, payable, folded)
select i.tenant_id, i.issue_date, i.channel_id, i.currency, i.kind, count(*)::int, sum(abs(i.payable_total)), sum(i.tax_exclusive_total), sum(i.tax_total), sum(i.payable_total), true
from invoices i group by 1, 2, 3, 4, 5;

create or replace function invoicing_fold_day_totals() returns integer
language sql as $fn$
  with dirty as (
    select distinct u.tenant_id, u.day from invoice_day_totals u where not u.folded
  ), gone as (
    delete from invoice_day_totals t using dirty d where t.tenant_id = d.tenant_id and t.day = d.day
    returning t.tenant_id, t.day, t.channel_id, t.currency, t.kind, t.invoices, t.total, t.net, t.tax, t.payable
  ), sums as (
    insert into invoice_day_totals (tenant_id, day, channel_id, currency, kind, invoices, total, net, tax, payable, folded)
    select g.tenant_id, g.day, g.channel_id, g.currency, g.kind, sum(g.invoices)::int, sum(g.total), sum(g.net), sum(g.tax), sum(g.payable), true
    from gone g group by 1, 2, 3, 4, 5
    having sum(g.invoices) <> 0 or sum(g.total) <> 0 or sum(g.net) <> 0 or sum(g.tax) <> 0 or sum(g.payable) <> 0
    returning 1
  )
  select (select count(*) from gone)::int
$fn$;

-- The returns report reads the returns opened on a page's days.
create index returns_opened on returns (tenant_id, created_at);

-- The index the three reports scanned before (031): no query reads it now, and every intake wrote it.
drop index if exists orders_report_days;
