-- Invoicing and Romanian e-Factura (issue 5).

-- The tenant as seller: what every invoice prints and what the UBL carries as AccountingSupplierParty.
create table invoicing_profiles (
  tenant_id bigint not null references tenants(id) on delete cascade,
  legal_name text not null,
  -- Bare CUI (digits, checksum-valid); the VAT id is 'RO' || cui when vat_registered.
  cui text not null check (cui ~ '^[0-9]{2,10}$'),
  vat_registered boolean not null default true,
  trade_register_no text,
  street text not null,
  city text not null,
  -- ISO 3166-2:RO without the prefix ('CJ', 'B').
  county_code text not null,
  postal_code text,
  country_code char(2) not null default 'RO',
  bank_name text,
  iban text,
  email text,
  phone text,
  payment_terms_days integer not null default 15 check (payment_terms_days between 0 and 365),
  shipping_vat_rate numeric(5,2) not null default 21,
  -- SMTP for customer e-mail (falls back to EXPEDIO_SMTP_URL); from address for invoices.
  smtp_url text,
  mail_from text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id)
);

-- One counter per series. Issuing locks the row (FOR UPDATE) in the issuing transaction, so numbers
-- are consecutive with no gap (a rolled-back issue rolls back its increment) and no duplicate.
create table invoice_series (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  code text not null check (code ~ '^[A-Za-z0-9-]{1,20}$'),
  kind text not null default 'invoice' check (kind in ('invoice','credit_note')),
  next_number bigint not null default 1 check (next_number >= 1),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);

-- BNR exchange rates the tenant records for invoices in another currency (BT-6 VAT in RON).
create table invoicing_fx_rates (
  tenant_id bigint not null references tenants(id) on delete cascade,
  currency char(3) not null,
  valid_on date not null,
  ron_per_unit numeric(12,6) not null check (ron_per_unit > 0),
  primary key (tenant_id, currency, valid_on)
);

-- Invoices and credit notes (kind = 'credit_note', UBL CreditNote type 381 referencing the original).
create table invoices (
  tenant_id bigint not null references tenants(id) on delete cascade,
  id bigint generated always as identity,
  kind text not null default 'invoice' check (kind in ('invoice','credit_note')),
  series_id bigint not null,
  series text not null,
  number bigint not null,
  full_number text not null,
  order_id bigint,
  channel_id bigint,
  client_id bigint,
  credited_invoice_id bigint,
  source text not null check (source in ('on_paid','on_shipping','manual','return','storno')),
  source_ref text,
  reason text,
  currency char(3) not null,
  ron_per_unit numeric(12,6),
  issue_date date not null,
  due_date date not null,
  seller jsonb not null,
  buyer jsonb not null,
  line_net_total numeric(14,2) not null,
  tax_exclusive_total numeric(14,2) not null,
  tax_total numeric(14,2) not null,
  tax_total_ron numeric(14,2),
  tax_inclusive_total numeric(14,2) not null,
  payable_total numeric(14,2) not null,
  awb_number text,
  tracking_url text,
  pdf bytea,
  email_to text,
  emailed_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, series_id, number),
  foreign key (tenant_id, series_id) references invoice_series (tenant_id, id),
  foreign key (tenant_id, credited_invoice_id) references invoices (tenant_id, id)
);
-- One invoice per order: a repeated trigger (paid webhook redelivered, shipping retried) finds it.
create unique index invoices_one_per_order on invoices (tenant_id, order_id) where kind = 'invoice' and order_id is not null;
create unique index invoices_credit_source on invoices (tenant_id, source, source_ref) where kind = 'credit_note' and source_ref is not null;
create index invoices_period on invoices (tenant_id, issue_date, channel_id);

create table invoice_lines (
  tenant_id bigint not null,
  invoice_id bigint not null,
  line_no integer not null,
  kind text not null default 'item' check (kind in ('item','shipping')),
  sku text,
  name text not null,
  quantity numeric(14,3) not null,
  unit_code text not null default 'H87',
  net_price numeric(14,4) not null,
  allowance numeric(14,2) not null default 0,
  net_amount numeric(14,2) not null,
  vat_category text not null,
  vat_rate numeric(5,2) not null,
  primary key (tenant_id, invoice_id, line_no),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);

create table invoice_vat_breakdown (
  tenant_id bigint not null,
  invoice_id bigint not null,
  vat_category text not null,
  vat_rate numeric(5,2) not null,
  taxable_amount numeric(14,2) not null,
  tax_amount numeric(14,2) not null,
  exemption_reason_code text,
  exemption_reason text,
  primary key (tenant_id, invoice_id, vat_category, vat_rate),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);

-- The e-Factura of one invoice or credit note and its life at ANAF.
create table e_invoices (
  tenant_id bigint not null,
  id bigint generated always as identity,
  invoice_id bigint not null,
  standard text not null check (standard in ('UBL','CN')),
  state text not null default 'pending' check (state in ('pending','in_processing','ok','nok')),
  xml text not null,
  submission integer not null default 1,
  upload_index text,
  download_id text,
  anaf_state text,
  errors jsonb,
  history jsonb not null default '[]',
  upload_attempts integer not null default 0,
  uploaded_at timestamptz,
  status_polls integer not null default 0,
  -- Per-message daily counters: ANAF allows 100 status queries and 10 downloads per message per day.
  polls_day date,
  polls_today integer not null default 0,
  downloads_day date,
  downloads_today integer not null default 0,
  next_poll_at timestamptz not null default now(),
  last_error text,
  response_zip bytea,
  signed_xml text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, invoice_id),
  foreign key (tenant_id, invoice_id) references invoices (tenant_id, id) on delete cascade
);
create index e_invoices_due on e_invoices (next_poll_at) where state in ('pending','in_processing');

-- The tenant's OAuth2 connection to ANAF SPV; tokens sealed with SecretBox.
create table anaf_connections (
  tenant_id bigint not null references tenants(id) on delete cascade,
  client_id text not null,
  client_secret_enc text not null,
  redirect_uri text not null,
  oauth_base_url text not null default 'https://logincert.anaf.ro/anaf-oauth2/v1',
  api_base_url text not null default 'https://api.anaf.ro/prod/FCTEL/rest',
  oauth_state text,
  access_token_enc text,
  refresh_token_enc text,
  access_expires_at timestamptz,
  refresh_expires_at timestamptz,
  connected_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id)
);
