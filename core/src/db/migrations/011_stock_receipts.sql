-- A stock receipt is a document (goods received into bins): the ledger's 'receipt' movements cite
-- it, so what arrived, where and under which supplier reference can be read back. Written once,
-- never edited: a wrong receipt is corrected by an adjustment, as the ledger is.
create table stock_receipts (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  warehouse_id bigint not null,
  reference text,
  note text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id)
);
create index stock_receipts_warehouse on stock_receipts (tenant_id, warehouse_id, id desc);

create table stock_receipt_lines (
  tenant_id bigint not null,
  receipt_id bigint not null,
  line_no integer not null,
  product_id bigint not null,
  bin_id bigint not null,
  quantity integer not null check (quantity > 0),
  primary key (tenant_id, receipt_id, line_no),
  foreign key (tenant_id, receipt_id) references stock_receipts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id),
  foreign key (tenant_id, bin_id) references bins (tenant_id, id)
);
