-- Tracking from a courier's delta feed (Sameday status-sync): one cursor per courier account and
-- feed, read in time windows by whichever worker holds its lease.

create table tracking_cursors (
  tenant_id bigint not null,
  courier_account_id bigint not null,
  feed text not null check (feed in ('sameday.status_sync')),
  -- Every event the feed reported before this instant is applied (committed with the events).
  synced_until timestamptz not null,
  -- The window being read, fixed while its pages are read, and how many of its pages are applied:
  -- a worker that dies between pages leaves both, and the next one resumes at the following page.
  window_end timestamptz,
  pages_done integer not null default 0 check (pages_done >= 0),
  -- One reader at a time: a worker takes the lease with FOR UPDATE SKIP LOCKED and renews it per
  -- page; an expired lease (a crashed worker) is taken over, and the old holder's commits are refused.
  lease_token text,
  lease_until timestamptz,
  next_run_at timestamptz not null default now(),
  last_run_at timestamptz,
  failures integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, courier_account_id, feed),
  foreign key (tenant_id, courier_account_id) references courier_accounts (tenant_id, id) on delete cascade,
  check (window_end is null or window_end > synced_until)
);
create index tracking_cursors_due on tracking_cursors (next_run_at);

-- When the feed last brought this shipment an event; per-AWB polling is the fallback for shipments
-- the feed has not touched for a long time.
alter table shipments add column last_synced_at timestamptz;
