-- Shipping flow: tracking poll schedule (a lease per shipment, safe with several workers), what needs
-- an operator's attention, cash-on-delivery collection and settlement, and label print batches.

alter table shipments
  -- Due for a tracking poll; a worker claims due rows (FOR UPDATE SKIP LOCKED) by pushing this ahead
  -- (the lease), so two workers never poll the same shipment. Null once the shipment is final.
  add column next_poll_at timestamptz,
  add column poll_failures integer not null default 0,
  add column last_poll_error text,
  add column last_polled_at timestamptz,
  -- Why an operator should look: an unmapped courier code, a failed delivery attempt, a return, an exception.
  add column attention text check (attention in ('unknown_code','failed_attempt','returned_to_sender','exception')),
  add column attention_detail text,
  -- Cash on delivery: pending until the courier collects it, collected, then settled (paid to us).
  add column cod_status text check (cod_status in ('pending','collected','settled')),
  add column cod_collected_at timestamptz,
  add column cod_settled_at timestamptz,
  add column cod_settlement_ref text,
  add column delivered_at timestamptz,
  add column cancelled_at timestamptz;

create index shipments_due_poll on shipments (next_poll_at) where next_poll_at is not null;
create index shipments_cod_open on shipments (tenant_id, courier) where cod_status in ('pending','collected');

-- Batch label printing: N labels merged into one PDF; the UI polls `done` of `total`.
create table label_batches (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  shipment_ids bigint[] not null,
  format text not null check (format in ('A4','A6')),
  status text not null default 'pending' check (status in ('pending','running','done','failed')),
  total integer not null,
  done integer not null default 0,
  pdf bytea,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
