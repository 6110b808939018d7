-- Reports (issue 13): the orders-per-channel and e-commerce reconciliation reports count and sum
-- the orders of the days a page covers. Read from this index alone (an index-only scan), a page
-- costs the orders of its days, not a visit to each order's row.
create index orders_report_days on orders (tenant_id, created_at) include (channel_id, status, currency, total);
