-- Where an exchange rate comes from: BNR's daily XML ('bnr') or typed in by the merchant ('manual').
-- Rows before this migration were inserted by hand, so they are manual. A BNR import never
-- overwrites a manual rate of the same day (core/src/invoicing/fx-rates.ts).
alter table invoicing_fx_rates
  add column source text not null default 'manual' check (source in ('bnr', 'manual')),
  add column updated_at timestamptz not null default now();
