-- Connecting a WooCommerce store from the Expedio plugin (channels/connect-codes.ts,
-- flows/connect-woocommerce.ts).
--
-- A connect code is what an operator grants on the core's consent page (/warehouse/connect/woocommerce)
-- for one store: the browser carries it back to the plugin, which spends it once, within ten
-- minutes, to hand the core the store's REST keys. Only its sha256 is kept.
create table channel_connect_codes (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  code_hash text not null,
  -- The store the operator agreed to connect (normalized home URL); the code is refused for any other.
  store_url text not null,
  granted_by_user_id bigint,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index channel_connect_codes_hash on channel_connect_codes (code_hash);

-- One WooCommerce channel per store per tenant: connecting the same store again reuses it.
create unique index channels_woo_store on channels (tenant_id, lower(external_ref)) where kind = 'woocommerce';

-- The plugin's API key speaks for its own channel only (like the Shopify app's session token):
-- a key readable by every WordPress administrator must not reach the tenant's other stores.
alter table api_keys add column channel_id bigint;
