-- The store's catalog and locations as Expedio knows them (owned by inventory/, written by
-- inventory/channel-catalog.ts). A channel variant is one sellable unit of the store (a Shopify
-- product variant; a WooCommerce variation, or a simple product) tied to one Expedio product;
-- the synced_* columns are what the last catalog sync wrote into the product, so a later sync can
-- tell a value edited in Expedio (it differs from what was synced) from one it may refresh.
create table channel_variants (
  tenant_id bigint not null,
  channel_id bigint not null,
  -- Shopify: gid://shopify/ProductVariant/…; WooCommerce: the variation id, or the product id of a simple product.
  external_variant_id text not null,
  external_product_id text not null,
  -- Shopify: gid://shopify/InventoryItem/… (where stock levels live); WooCommerce: null.
  inventory_item_id text,
  product_id bigint not null,
  store_title text not null,
  store_price numeric(14,4),
  -- Whether the store tracks this unit's stock (Shopify inventoryItem.tracked; WooCommerce manage_stock).
  store_tracks_stock boolean not null default false,
  synced_sku text not null,
  synced_barcode text,
  synced_name text not null,
  synced_weight_kg numeric(10,3),
  -- Bumped in the transaction of every change of the product's stock; a stock push carries the
  -- value it was queued with and does nothing when a newer one exists (a burst makes one push).
  stock_seq bigint not null default 0,
  synced_at timestamptz not null default now(),
  primary key (tenant_id, channel_id, external_variant_id),
  foreign key (tenant_id, channel_id) references channels (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);
create index channel_variants_product on channel_variants (tenant_id, product_id);

-- A store location (Shopify) and the Expedio warehouse whose stock it shows; null: not mapped, no push.
create table channel_locations (
  tenant_id bigint not null,
  channel_id bigint not null,
  external_location_id text not null,
  name text not null,
  active boolean not null default true,
  warehouse_id bigint,
  synced_at timestamptz not null default now(),
  primary key (tenant_id, channel_id, external_location_id),
  foreign key (tenant_id, channel_id) references channels (tenant_id, id) on delete cascade,
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id) on delete set null (warehouse_id)
);

-- Whether Expedio writes available stock back to the store (off until the merchant turns it on).
alter table channels add column push_stock boolean not null default false;
