-- A core-only install is set up and configured without SQL.
-- The tenant's own CUI as typed at first-run setup (optional; the invoicing profile holds the
-- checked seller CUI that invoices carry).
alter table tenants add column cui text;

-- The pickup point a courier account ships from (name, phone, county, locality, address line),
-- checked by shipping/sender-address.ts; null until the merchant enters it.
alter table courier_accounts add column sender_address jsonb;

-- The tenant's SMTP server for every e-mail Expedio sends (invoices, shipped notices). The password
-- is a SecretBox `v1.…` value, never stored or returned in clear.
create table smtp_settings (
  tenant_id bigint not null references tenants(id) on delete cascade,
  host text not null,
  port integer not null check (port between 1 and 65535),
  -- TLS from the first byte (port 465); false: plain connect, STARTTLS when the server offers it.
  secure boolean not null default false,
  username text,
  password_enc text,
  mail_from text not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id)
);
