-- Warehouse documents: delivery notes, pick lists (waves), packing lists with parcels.
-- tenant_id leads every primary key; quantities are whole units; measures numeric, never float.

create table delivery_notes (
  tenant_id bigint not null,
  id bigint generated always as identity,
  order_id bigint not null,
  warehouse_id bigint not null,
  type text not null check (type in ('total','partial')),
  status text not null default 'ready_for_packing' check (status in ('ready_for_packing','packed')),
  -- The CRM's flag_export_warehouse = 0: stock does not cover the lines; blocked_details lists the
  -- short quantities per line so the operator sees what to restock.
  blocked boolean not null default false,
  blocked_details jsonb,
  approved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id)
);
create index delivery_notes_order on delivery_notes (tenant_id, order_id);
create index delivery_notes_blocked on delivery_notes (tenant_id, id desc) where blocked;

create table delivery_note_lines (
  tenant_id bigint not null,
  delivery_note_id bigint not null,
  line_no integer not null,
  order_line_no integer not null,
  product_id bigint not null,
  sku text,
  name text not null,
  quantity integer not null check (quantity > 0),
  primary key (tenant_id, delivery_note_id, line_no),
  foreign key (tenant_id, delivery_note_id) references delivery_notes (tenant_id, id) on delete cascade
);

create table pick_lists (
  tenant_id bigint not null,
  id bigint generated always as identity,
  warehouse_id bigint not null,
  status text not null default 'open' check (status in ('open','picking','picked')),
  picker_user_id bigint,
  -- Set once any line was confirmed by a manual tick instead of a scan (audited; roles decide who may).
  tick_used boolean not null default false,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id),
  foreign key (tenant_id, picker_user_id) references users (tenant_id, id) on delete set null (picker_user_id)
);
create index pick_lists_picker on pick_lists (tenant_id, picker_user_id, status);

-- The wave: which orders (through their delivery notes) a pick list serves, and what the operator
-- chose for an order hit by a short pick.
create table pick_list_orders (
  tenant_id bigint not null,
  pick_list_id bigint not null,
  order_id bigint not null,
  delivery_note_id bigint not null,
  short_decision text check (short_decision in ('partial','hold')),
  -- false once the order left the list on hold: its delivery note may then go on a new pick list.
  active boolean not null default true,
  primary key (tenant_id, pick_list_id, delivery_note_id),
  foreign key (tenant_id, pick_list_id) references pick_lists (tenant_id, id) on delete cascade,
  foreign key (tenant_id, delivery_note_id) references delivery_notes (tenant_id, id)
);
-- A delivery note is picked by one pick list at a time: two waves never take the same goods.
create unique index pick_list_orders_note on pick_list_orders (tenant_id, delivery_note_id) where active;

create table pick_list_lines (
  tenant_id bigint not null,
  pick_list_id bigint not null,
  line_no integer not null,
  bin_id bigint not null,
  bin_code text not null,
  pick_sequence integer not null,
  product_id bigint not null,
  sku text,
  barcode text,
  name text not null,
  quantity integer not null check (quantity > 0),
  picked integer not null default 0,
  short integer not null default 0,
  last_method text check (last_method in ('scan','tick')),
  check (picked >= 0 and short >= 0 and picked + short <= quantity),
  primary key (tenant_id, pick_list_id, line_no),
  foreign key (tenant_id, pick_list_id) references pick_lists (tenant_id, id) on delete cascade
);

-- The merged line split back per order line: what packing needs, and where a short pick lands.
create table pick_list_allocations (
  tenant_id bigint not null,
  pick_list_id bigint not null,
  line_no integer not null,
  seq integer not null,
  order_id bigint not null,
  delivery_note_id bigint not null,
  delivery_note_line_no integer not null,
  order_line_no integer not null,
  quantity integer not null check (quantity > 0),
  picked integer not null default 0,
  short integer not null default 0,
  check (picked >= 0 and short >= 0 and picked + short <= quantity),
  primary key (tenant_id, pick_list_id, line_no, seq),
  foreign key (tenant_id, pick_list_id, line_no) references pick_list_lines (tenant_id, pick_list_id, line_no) on delete cascade
);

create table packing_lists (
  tenant_id bigint not null,
  id bigint generated always as identity,
  delivery_note_id bigint not null,
  order_id bigint not null,
  type text not null check (type in ('total','partial')),
  status text not null default 'ready_to_deliver' check (status in ('ready_to_deliver','in_transit','delivered')),
  courier text,
  service text,
  delivery_address jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, delivery_note_id) references delivery_notes (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);
create index packing_lists_note on packing_lists (tenant_id, delivery_note_id);
-- "Second parcel of a partial delivery forgotten": partial lists still waiting are found by this.
create index packing_lists_waiting on packing_lists (tenant_id, type, status, created_at);

create table packing_list_parcels (
  tenant_id bigint not null,
  packing_list_id bigint not null,
  parcel_no integer not null,
  weight_kg numeric(10,3) check (weight_kg > 0),
  length_cm numeric(10,1) check (length_cm > 0),
  width_cm numeric(10,1) check (width_cm > 0),
  height_cm numeric(10,1) check (height_cm > 0),
  primary key (tenant_id, packing_list_id, parcel_no),
  foreign key (tenant_id, packing_list_id) references packing_lists (tenant_id, id) on delete cascade
);

create table packing_list_lines (
  tenant_id bigint not null,
  packing_list_id bigint not null,
  line_no integer not null,
  delivery_note_line_no integer not null,
  order_line_no integer not null,
  product_id bigint not null,
  sku text,
  name text not null,
  quantity integer not null check (quantity > 0),
  primary key (tenant_id, packing_list_id, line_no),
  foreign key (tenant_id, packing_list_id) references packing_lists (tenant_id, id) on delete cascade
);

-- The stock movement report filters by cause and date.
create index stock_movements_cause on stock_movements (tenant_id, cause_type, cause_id);
create index stock_movements_recent on stock_movements (tenant_id, created_at desc, id desc);
