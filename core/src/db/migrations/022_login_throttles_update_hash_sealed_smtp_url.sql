-- Login throttling (auth/login-throttle.ts): one row per e-mail ('account') and per client address
-- ('address'). An attempt is counted before the password is checked, under the row's lock, so N core
-- processes share one budget and a throttled attempt never costs a scrypt.
create table login_throttles (
  scope text not null check (scope in ('account', 'address')),
  key text not null,
  attempts integer not null default 0,
  last_attempt_at timestamptz not null,
  -- The next attempt is refused with 429 before this time (the growing delay).
  wait_until timestamptz not null,
  -- An account locked after too many failures: an operator lifts it, or it lapses.
  locked_until timestamptz,
  primary key (scope, key)
);
create index login_throttles_stale on login_throttles (last_attempt_at);

-- A store update at the same second as the stored one is stale only when its content is the same
-- (orders/store-order-writes.ts: sha-256 of the fields an update changes).
alter table orders add column channel_content_hash text;

-- The invoicing profile's older SMTP URL carries a password: sealed like the other credentials.
-- Rows written before this are sealed at start-up (db/seal-plain-secrets.ts), which needs the
-- master key that SQL does not have.
alter table invoicing_profiles add column smtp_url_enc text;
