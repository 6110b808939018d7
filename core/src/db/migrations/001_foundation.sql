-- Foundation schema. tenant_id leads every primary key so tenants never mix and the schema can
-- later be distributed by tenant (Citus) without a redesign. Money is numeric, never float.
-- Runs on PostgreSQL 15 and 18 alike (no uuidv7(), no MERGE … RETURNING).

create table tenants (
  id bigint generated always as identity primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table users (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  email text not null,
  name text not null,
  role text not null check (role in ('operator','warehouse','logistics','finance','manager')),
  password_hash text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index users_email on users (tenant_id, lower(email));

create table api_keys (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  name text not null,
  -- sha256 of the whole key; the key itself is shown once and never stored.
  key_hash text not null,
  key_prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
-- The bearer key is the only thing a caller sends, so the tenant is found through this index.
create unique index api_keys_hash on api_keys (key_hash);

create table warehouses (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  code text not null,
  name text not null,
  address jsonb,
  primary key (tenant_id, id),
  unique (tenant_id, code)
);

create table bins (
  tenant_id bigint not null,
  id bigint generated always as identity,
  warehouse_id bigint not null,
  code text not null,
  pick_sequence integer not null,
  primary key (tenant_id, id),
  unique (tenant_id, warehouse_id, code),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id) on delete cascade
);

create table price_lists (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  name text not null,
  currency char(3) not null,
  primary key (tenant_id, id)
);

create table channels (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  kind text not null check (kind in ('shopify','woocommerce','manual')),
  name text not null,
  -- Shopify: the myshopify.com domain (how webhooks and session tokens find the tenant);
  -- WooCommerce: the store's home URL.
  external_ref text,
  status text not null default 'active' check (status in ('active','needs_reconnect','disconnected')),
  status_reason text,
  create_invoice text not null default 'on_shipping' check (create_invoice in ('off','on_shipping','on_paid')),
  auto_confirm boolean not null default true,
  auto_create_delivery_note boolean not null default true,
  approval_required boolean not null default false,
  approval_min_total numeric(14,2),
  approval_first_order boolean not null default false,
  return_window_days integer not null default 30 check (return_window_days >= 0),
  invoice_series text not null default 'EXP',
  status_map_in jsonb not null default '{}',
  status_map_out jsonb not null default '{}',
  notifications jsonb not null default '{}',
  price_list_id bigint,
  default_warehouse_id bigint,
  sync_interval_minutes integer not null default 15 check (sync_interval_minutes between 1 and 1440),
  -- AES-256-GCM, key outside the database (see channels/credentials.ts).
  credentials_enc text,
  webhook_secret_enc text,
  sync_cursor text,
  sync_lease_owner text,
  sync_lease_until timestamptz,
  last_sync_at timestamptz,
  last_sync_error text,
  last_webhook_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, price_list_id) references price_lists (tenant_id, id),
  foreign key (tenant_id, default_warehouse_id) references warehouses (tenant_id, id)
);
create unique index channels_shop_domain on channels (lower(external_ref)) where kind = 'shopify';

create table clients (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  email text,
  first_name text,
  last_name text,
  phone text,
  company text,
  vat_number text,
  trade_register_no text,
  kind text not null default 'person' check (kind in ('person','company')),
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
-- A client is matched by e-mail within the tenant; the unique index makes two concurrent
-- intakes of the same new customer converge on one row.
create unique index clients_email on clients (tenant_id, lower(email)) where email is not null;

create table client_addresses (
  tenant_id bigint not null,
  id bigint generated always as identity,
  client_id bigint not null,
  kind text not null check (kind in ('billing','shipping')),
  address jsonb not null,
  fingerprint text not null,
  last_used_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, client_id, kind, fingerprint),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) on delete cascade
);

create table client_channel_ids (
  tenant_id bigint not null,
  channel_id bigint not null,
  external_customer_id text not null,
  client_id bigint not null,
  primary key (tenant_id, channel_id, external_customer_id),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) on delete cascade
);

create table products (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  sku text not null,
  barcode text,
  name text not null,
  vat_rate numeric(5,2) not null default 21,
  weight_kg numeric(10,3),
  length_cm numeric(10,1),
  width_cm numeric(10,1),
  height_cm numeric(10,1),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, sku)
);
create unique index products_barcode on products (tenant_id, barcode) where barcode is not null;

create table product_channel_ids (
  tenant_id bigint not null,
  channel_id bigint not null,
  product_id bigint not null,
  external_product_id text,
  external_variant_id text not null default '',
  primary key (tenant_id, channel_id, product_id, external_variant_id),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);

create table price_list_items (
  tenant_id bigint not null,
  price_list_id bigint not null,
  product_id bigint not null,
  price numeric(14,4) not null check (price >= 0),
  primary key (tenant_id, price_list_id, product_id),
  foreign key (tenant_id, price_list_id) references price_lists (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);

-- Stock per product, warehouse and bin. The check constraints are the last line of defence
-- against overselling: reservation code locks these rows and re-checks, and the database refuses
-- a reserved quantity above what is on hand even if that code were wrong.
create table stock (
  tenant_id bigint not null,
  warehouse_id bigint not null,
  product_id bigint not null,
  bin_id bigint not null,
  on_hand integer not null default 0 check (on_hand >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, warehouse_id, product_id, bin_id),
  check (reserved <= on_hand),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade,
  foreign key (tenant_id, bin_id) references bins (tenant_id, id) on delete cascade
);

create table orders (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  channel_id bigint not null,
  external_order_id text not null,
  external_number text,
  client_id bigint,
  status text not null,
  approval_status text check (approval_status in ('pending','approved','rejected')),
  delivery_type text not null default 'total' check (delivery_type in ('total','partial')),
  hold_reason text,
  hold_details jsonb,
  platform_status text,
  payment_method text,
  payment_status text not null default 'unknown',
  currency char(3) not null,
  prices_include_tax boolean not null default true,
  subtotal numeric(14,2) not null default 0,
  discount_total numeric(14,2) not null default 0,
  shipping_total numeric(14,2) not null default 0,
  tax_total numeric(14,2) not null default 0,
  total numeric(14,2) not null default 0,
  billing_address jsonb,
  shipping_address jsonb,
  email text,
  note text,
  tags text[] not null default '{}',
  warehouse_id bigint,
  external_created_at timestamptz,
  external_updated_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, channel_id, external_order_id),
  foreign key (tenant_id, channel_id) references channels (tenant_id, id),
  foreign key (tenant_id, client_id) references clients (tenant_id, id) on delete set null (client_id)
);
create index orders_list on orders (tenant_id, created_at desc, id desc);
create index orders_status on orders (tenant_id, status, created_at desc);

create table order_lines (
  tenant_id bigint not null,
  order_id bigint not null,
  line_no integer not null,
  external_line_id text,
  product_id bigint,
  sku text,
  name text not null,
  quantity integer not null check (quantity >= 0),
  unit_price numeric(14,4) not null,
  list_price numeric(14,4),
  discount numeric(14,4) not null default 0,
  total numeric(14,2) not null,
  tax numeric(14,2),
  vat_rate numeric(5,2),
  quantity_reserved integer not null default 0 check (quantity_reserved >= 0),
  primary key (tenant_id, order_id, line_no),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);

create table stock_reservations (
  tenant_id bigint not null,
  order_id bigint not null,
  line_no integer not null,
  warehouse_id bigint not null,
  bin_id bigint not null,
  product_id bigint not null,
  quantity integer not null check (quantity > 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, order_id, line_no, bin_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);

-- The ledger: every change of on_hand or reserved, with the document that caused it.
create table stock_movements (
  tenant_id bigint not null,
  id bigint generated always as identity,
  warehouse_id bigint not null,
  bin_id bigint not null,
  product_id bigint not null,
  kind text not null check (kind in ('receipt','adjustment','reserve','release','issue','return','transfer')),
  on_hand_delta integer not null default 0,
  reserved_delta integer not null default 0,
  cause_type text not null,
  cause_id text not null,
  note text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index stock_movements_product on stock_movements (tenant_id, product_id, created_at desc);

create table sync_log (
  -- 0 where the tenant could not be told (unknown shop, forged request): kept for the audit.
  tenant_id bigint not null,
  id bigint generated always as identity,
  channel_id bigint,
  direction text not null check (direction in ('inbound','outbound')),
  kind text not null,
  topic text,
  external_id text,
  delivery_id text,
  outcome text not null check (outcome in ('ok','duplicate','stale','ignored','rejected','error')),
  error text,
  details jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index sync_log_recent on sync_log (tenant_id, created_at desc, id desc);

-- Deduplication of inbound deliveries by the platform's own delivery id.
create table webhook_deliveries (
  tenant_id bigint not null,
  channel_id bigint not null,
  delivery_id text not null,
  topic text,
  received_at timestamptz not null default now(),
  primary key (tenant_id, channel_id, delivery_id)
);

-- Work caused by a state change, committed in the same transaction; the worker claims rows
-- with FOR UPDATE SKIP LOCKED.
create table outbox (
  tenant_id bigint not null,
  id bigint generated always as identity,
  kind text not null,
  payload jsonb not null,
  idempotency_key text not null,
  status text not null default 'pending' check (status in ('pending','done','stalled')),
  attempts integer not null default 0,
  max_attempts integer not null default 8,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, idempotency_key)
);
create index outbox_due on outbox (next_attempt_at) where status = 'pending';

create table stalls (
  tenant_id bigint not null,
  id bigint generated always as identity,
  kind text not null,
  subject_type text not null,
  subject_id text not null,
  message text not null,
  fix text not null,
  link text,
  details jsonb,
  opened_at timestamptz not null default now(),
  resolved_at timestamptz,
  primary key (tenant_id, id)
);
create unique index stalls_open on stalls (tenant_id, kind, subject_type, subject_id) where resolved_at is null;

create table compliance_requests (
  tenant_id bigint not null,
  id bigint generated always as identity,
  channel_id bigint not null,
  topic text not null,
  request jsonb not null,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
