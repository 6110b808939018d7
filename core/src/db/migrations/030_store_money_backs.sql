-- Money given back through the store (channels/money-back/): a refund on the order's payment or a
-- voucher (a Shopify gift card, a WooCommerce coupon) the customer spends there. One row per request
-- from a source document (a return); the outbox item that calls the store is enqueued with it.
create table store_money_backs (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  channel_id bigint not null,
  order_id bigint not null,
  kind text not null check (kind in ('refund','voucher')),
  source_kind text not null check (source_kind in ('return')),
  source_id text not null,
  amount numeric(14,2) not null check (amount > 0),
  currency char(3) not null,
  -- [{ lineNo?, externalLineId?, quantity, restock: false }]: what a refund is for (Shopify's refund lines).
  lines jsonb not null default '[]',
  shipping numeric(14,2),
  customer_email text,
  note text not null default '',
  -- The caller's key: a second request with it is the same money back, never a second one. It also
  -- travels to the store (Shopify's @idempotent key, WooCommerce meta / coupon code), so a retry
  -- after a lost answer finds what the first try made.
  idempotency_key text not null,
  state text not null default 'pending' check (state in ('pending','done','refused')),
  external_id text,
  -- A voucher's code, chosen here (random) when it is asked for, so every try offers the store the
  -- same code and finds the card or coupon a lost answer made; shown as the voucher code once done.
  planned_code text,
  voucher_code text,
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, idempotency_key)
);
create index store_money_backs_source on store_money_backs (tenant_id, source_kind, source_id);

-- Returns and refunds begun in the store (Shopify's Return API webhooks, a refund made in
-- WooCommerce's wp-admin), kept as received until the returns flow takes them in.
create table store_return_requests (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  channel_id bigint not null,
  -- The store's id of the return (Shopify Return GID) or refund (WooCommerce refund id).
  external_id text not null,
  external_order_id text not null,
  platform text not null check (platform in ('shopify','woocommerce')),
  -- requested | approved | declined | closed | cancelled | refunded (the store's latest word).
  store_status text not null,
  request jsonb not null,
  -- null: not taken in yet; the returns flow sets it when a return request was made from it.
  taken_in_at timestamptz,
  taken_in_as text,
  received_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, channel_id, external_id)
);
create index store_return_requests_pending on store_return_requests (tenant_id, received_at) where taken_in_at is null;
