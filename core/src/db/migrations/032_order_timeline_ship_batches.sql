-- What an order went through, for its timeline: every status written by orders/move-order.ts
-- (the one writer) leaves a row here in the same statement, with the reason it was given.
create table order_status_log (
  tenant_id bigint not null,
  id bigint generated always as identity,
  order_id bigint not null,
  status text not null,
  reason text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index order_status_log_order on order_status_log (tenant_id, order_id, id desc);

-- Bulk AWBs: one job of many orders; each order is one outbox item (ship_batch.ship_order), so the
-- progress is the orders done, a failure is kept per order and "retry failed" re-queues only those.
-- The AWB itself stays idempotent per packing list (generateAwb returns the live one).
create table ship_batches (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  label_format text not null check (label_format in ('A4','A6')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);

create table ship_batch_orders (
  tenant_id bigint not null,
  batch_id bigint not null,
  order_id bigint not null,
  position integer not null,
  status text not null default 'pending' check (status in ('pending','done','failed')),
  attempt integer not null default 1,
  shipment_ids bigint[] not null default '{}',
  error text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, batch_id, order_id),
  foreign key (tenant_id, batch_id) references ship_batches (tenant_id, id) on delete cascade
);

-- The embedded app's order search: the store's number as the merchant types it (#1001 or 1001).
create index orders_external_number on orders (tenant_id, external_number);
-- The AWB column of the order list and the order's timeline: an order's shipments by its id.
create index shipments_order on shipments (tenant_id, order_id);
-- The order's timeline: the webhooks and write-backs of one store order.
create index sync_log_store_order on sync_log (tenant_id, channel_id, external_id, id desc) where external_id is not null;
