-- The catalog managed through the API instead of SQL.
--
-- A `products` row stays what it always was: one sellable SKU (a variant, in Shopify's and
-- WooCommerce's words), the thing that is stocked, reserved, ordered and picked. A catalog product
-- groups variants under one name. Its id is the id of its first variant: every products row that
-- belongs to no catalog product is a product of one variant whose product id is its own id, so a
-- row written by any other path (store pull, demo seed) is already a product without a write here.
create table catalog_products (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint not null,
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, id) references products (tenant_id, id) on delete cascade
);

alter table products
  add column catalog_product_id bigint,
  -- The catalog's own price of the variant (price lists per channel come on top of it).
  add column price numeric(14,4) check (price >= 0),
  add column archived_at timestamptz,
  -- Where the row came from: 'api', 'csv_import', 'channel' (a store pull, origin_channel_id
  -- names the store), or null for rows written before this was recorded. Editable whatever the
  -- origin; edited_at says the row was changed here after it was written, so a later store pull
  -- can tell a local edit from its own data.
  add column origin text,
  add column origin_channel_id bigint,
  add column edited_at timestamptz,
  add foreign key (tenant_id, catalog_product_id) references catalog_products (tenant_id, id) on delete set null (catalog_product_id);
create index products_catalog_product on products (tenant_id, catalog_product_id) where catalog_product_id is not null;

alter table bins
  add column zone text,
  add column active boolean not null default true;
