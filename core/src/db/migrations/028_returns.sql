-- Returns (the Goods Return sub-flow): a return linked to its order, its lines with a reason each,
-- the Goods Return Receipt the warehouse fills by scanning (each unit restocked to a bin or put in
-- quarantine), and the quarantine records that hold units apart until released or scrapped.

create table returns (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  order_id bigint not null,
  channel_id bigint not null,
  warehouse_id bigint,
  -- fully: the whole delivered order; partially: some lines or units; manual: an adjustment
  -- without a physical return (defective goods): it credits, it moves no stock.
  type text not null check (type in ('fully','partially','manual')),
  status text not null default 'requested' check (status in ('requested','receiving','received','approved','settling','settled','cancelled')),
  note text,
  -- The parcel coming back: recorded by the operator (courier and AWB).
  return_courier text,
  return_awb text,
  -- Money back, the operator's choice once approved: credit note, voucher or refund to the store.
  money_back text check (money_back in ('credit_note','voucher','refund')),
  credit_note_id bigint,
  money_back_ref text,
  money_back_error text,
  created_by text,
  received_at timestamptz,
  approved_at timestamptz,
  settled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);
create index returns_list on returns (tenant_id, id desc);
create index returns_order on returns (tenant_id, order_id);
create index returns_open on returns (tenant_id, status, received_at) where status in ('receiving','received','approved','settling');

create table return_lines (
  tenant_id bigint not null,
  return_id bigint not null,
  line_no integer not null,
  order_line_no integer not null,
  product_id bigint,
  sku text,
  name text not null,
  quantity integer not null check (quantity > 0),
  reason text not null,
  primary key (tenant_id, return_id, line_no),
  unique (tenant_id, return_id, order_line_no),
  foreign key (tenant_id, return_id) references returns (tenant_id, id) on delete cascade
);

-- The Goods Return Receipt: one per return, filled by scans, approved once (approval moves the stock).
create table return_receipts (
  tenant_id bigint not null,
  id bigint generated always as identity,
  return_id bigint not null,
  warehouse_id bigint not null,
  status text not null default 'open' check (status in ('open','approved')),
  approved_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, return_id),
  foreign key (tenant_id, return_id) references returns (tenant_id, id) on delete cascade
);

create table return_receipt_lines (
  tenant_id bigint not null,
  id bigint generated always as identity,
  receipt_id bigint not null,
  return_line_no integer not null,
  product_id bigint not null,
  quantity integer not null check (quantity > 0),
  destination text not null check (destination in ('restock','quarantine')),
  bin_id bigint,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((destination = 'restock') = (bin_id is not null)),
  foreign key (tenant_id, receipt_id) references return_receipts (tenant_id, id) on delete cascade
);
create index return_receipt_lines_receipt on return_receipt_lines (tenant_id, receipt_id);

-- Units held apart (not sellable, not in stock) from an approved receipt, until released to a bin or scrapped.
create table quarantine_records (
  tenant_id bigint not null,
  id bigint generated always as identity,
  return_id bigint not null,
  receipt_line_id bigint not null,
  warehouse_id bigint not null,
  product_id bigint not null,
  quantity integer not null check (quantity > 0),
  status text not null default 'held' check (status in ('held','released','scrapped')),
  released_bin_id bigint,
  decision_note text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, receipt_line_id),
  foreign key (tenant_id, return_id) references returns (tenant_id, id) on delete cascade
);
create index quarantine_held on quarantine_records (tenant_id, created_at) where status = 'held';

-- A product the shop does not take back (hygiene goods, made to measure): eligibility refuses it.
alter table products add column returnable boolean not null default true;
