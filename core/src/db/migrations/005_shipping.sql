-- Shipping: courier accounts (credentials sealed with SecretBox), shipments with their AWB and label,
-- every tracking event, and every courier API call. tenant_id leads every key.
-- packing_list_id / order_id carry no foreign key here: packing lists live in the warehouse area's
-- migration and the AWB flow (core/src/flows) joins them; this area does not reach into their tables.

create table courier_accounts (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  courier text not null check (courier in ('innoship','cargus','fancourier','sameday','bosta')),
  name text not null,
  -- Scope: a channel, a warehouse, both, or neither (tenant-wide fallback).
  channel_id bigint,
  warehouse_id bigint,
  -- SecretBox `v1.…` of a JSON object (api key, username/password, subscription key, webhook secret).
  credentials_enc text not null,
  base_url text not null,
  default_service text,
  -- Non-secret courier settings: pickup point / client location ids, FAN clientId, status overrides…
  settings jsonb not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, channel_id) references channels (tenant_id, id) on delete cascade,
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id) on delete cascade
);
create unique index courier_accounts_scope on courier_accounts
  (tenant_id, courier, coalesce(channel_id, 0), coalesce(warehouse_id, 0)) where active;

create table shipments (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  packing_list_id bigint,
  order_id bigint,
  warehouse_id bigint,
  courier_account_id bigint not null,
  courier text not null check (courier in ('innoship','cargus','fancourier','sameday','bosta')),
  service text not null,
  -- Our idempotency key, sent to the courier where it has a reference field; one AWB per reference.
  reference text not null,
  awb text,
  parcel_awbs text[] not null default '{}',
  tracking_url text,
  label bytea,
  label_format text check (label_format in ('A4','A6')),
  label_source text check (label_source in ('courier','own')),
  -- creating: request sent, answer pending or lost (resolved by lookup before any second create).
  status text not null default 'creating' check (status in (
    'creating','created','picked_up','in_transit','out_for_delivery','delivered','failed_attempt',
    'returned_to_sender','cancelled','exception')),
  last_raw_code text,
  last_event_at timestamptz,
  parcels jsonb not null default '[]',
  cod_amount numeric(14,2),
  cod_currency char(3),
  price_amount numeric(14,2),
  price_currency char(3),
  ship_date date not null default current_date,
  courier_payload jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, reference),
  foreign key (tenant_id, courier_account_id) references courier_accounts (tenant_id, id),
  check (cod_amount is null or cod_amount >= 0)
);
create unique index shipments_awb on shipments (tenant_id, courier, awb) where awb is not null;
create index shipments_packing_list on shipments (tenant_id, packing_list_id);
-- The tracking poller walks open shipments per courier; the manifest reads one courier × warehouse × day.
create index shipments_open on shipments (tenant_id, courier, last_event_at)
  where status not in ('delivered','returned_to_sender','cancelled');
create index shipments_manifest on shipments (tenant_id, courier, warehouse_id, ship_date);

create table shipment_status_log (
  tenant_id bigint not null,
  id bigint generated always as identity,
  shipment_id bigint not null,
  -- Null when the courier's raw code is not in our map (surfaced, never guessed).
  status text check (status in ('created','picked_up','in_transit','out_for_delivery','delivered',
    'failed_attempt','returned_to_sender','cancelled','exception')),
  raw_code text not null,
  raw_description text,
  reason text,
  occurred_at timestamptz,
  source text not null check (source in ('create','poll','webhook','manual')),
  raw_payload jsonb not null,
  recorded_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, shipment_id) references shipments (tenant_id, id) on delete cascade
);
-- Polls and webhooks repeat events; one row per (code, time) keeps processing idempotent.
create unique index shipment_status_log_event on shipment_status_log
  (tenant_id, shipment_id, raw_code, coalesce(occurred_at, 'epoch'::timestamptz));
create index shipment_status_log_unknown on shipment_status_log (tenant_id, recorded_at) where status is null;

create table courier_audit_log (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  courier text not null,
  courier_account_id bigint,
  operation text not null,
  method text not null,
  -- Query-string secrets are redacted like headers.
  url text not null,
  request_headers jsonb not null,
  request_body text,
  response_status integer,
  response_headers jsonb,
  response_body text,
  latency_ms integer not null,
  outcome text not null check (outcome in ('ok','http_error','timeout','network_error')),
  error text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index courier_audit_log_recent on courier_audit_log (tenant_id, courier, created_at desc);
