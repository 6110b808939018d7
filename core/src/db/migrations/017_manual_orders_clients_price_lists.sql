-- Manual orders, clients and price lists (issue [C]).

-- One channel of kind 'manual' per tenant: the orders an operator types in (phone, e-mail, B2B)
-- belong to it, with its own settings (warehouse, price list, invoice series). Created on demand;
-- the index makes two first manual orders converge on one channel.
create unique index channels_one_manual on channels (tenant_id) where kind = 'manual';

-- Which prices an invoice of the channel's orders carries: the order's own (the store's), or the
-- channel's price list (a B2B channel whose store shows retail prices).
alter table channels add column invoice_prices text not null default 'order' check (invoice_prices in ('order', 'price_list'));

-- B2B: the bank account printed on the invoice; the mailbox key finds clients that are one person
-- under two spellings of an e-mail (case, a +tag, Gmail's dots), which the unique e-mail index cannot.
alter table clients add column iban text;
alter table clients add column email_key text generated always as (
  case when email is null then null else
    case when lower(split_part(btrim(email), '@', 2)) in ('gmail.com', 'googlemail.com')
      then replace(regexp_replace(lower(split_part(btrim(email), '@', 1)), '\+.*$', ''), '.', '') || '@gmail.com'
      else regexp_replace(lower(split_part(btrim(email), '@', 1)), '\+.*$', '') || '@' || lower(split_part(btrim(email), '@', 2))
    end
  end) stored;
create index clients_email_key on clients (tenant_id, email_key) where email_key is not null;

-- A merge on record: the client that was folded into the kept one, as it was, and what moved.
create table client_merges (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  kept_client_id bigint not null,
  merged_client_id bigint not null,
  merged_client jsonb not null,
  order_ids bigint[] not null default '{}',
  invoice_ids bigint[] not null default '{}',
  addresses_moved integer not null default 0,
  merged_by text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, kept_client_id) references clients (tenant_id, id) on delete cascade
);
create index client_merges_kept on client_merges (tenant_id, kept_client_id);

-- A price list derived from another: a product the list does not price itself costs the base
-- list's price less discount_percent. Its own items are per-variant prices, taken as they are.
alter table price_lists add column base_price_list_id bigint;
alter table price_lists add column discount_percent numeric(5,2) not null default 0 check (discount_percent >= 0 and discount_percent < 100);
alter table price_lists add column created_at timestamptz not null default now();
alter table price_lists add column updated_at timestamptz not null default now();
alter table price_lists add constraint price_lists_base_fkey foreign key (tenant_id, base_price_list_id) references price_lists (tenant_id, id);
alter table price_lists add constraint price_lists_not_own_base check (base_price_list_id is null or base_price_list_id <> id);
alter table price_lists add constraint price_lists_currency_upper check (currency ~ '^[A-Z]{3}$');
