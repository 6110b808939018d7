-- The ANAF client survives ANAF (owned by invoicing/): claims with a lease so the network call is
-- made with no transaction open, answers that are not final, the pre-upload gate, limits shared
-- across workers, and the test/production switch.

-- held: the pre-upload gate (official CIUS-RO rules + UBL XSD) failed, or ANAF's status answers
-- kept failing; nothing more is sent until the operator fixes and resubmits.
alter table e_invoices drop constraint e_invoices_state_check;
alter table e_invoices add constraint e_invoices_state_check check (state in ('pending','in_processing','ok','nok','held'));
alter table e_invoices
  -- A worker that claimed the row owns it until this time (its call to ANAF runs after the claim
  -- committed); a crashed worker's claim simply runs out.
  add column claim_token text,
  add column claimed_until timestamptz,
  -- Set when an upload was sent and no answer recorded (timeout, lost answer, crash): before
  -- uploading again the message list is searched for this file.
  add column upload_sent_at timestamptz,
  -- Consecutive answers that were errors (status errors, temporary upload errors): bounded.
  add column error_streak integer not null default 0,
  add column held_reason text,
  add column held_rules jsonb,
  add column held_at timestamptz;

-- test: ANAF's test host (/test/FCTEL/rest), prod: production. Same OAuth application and token.
alter table anaf_connections
  add column environment text not null default 'prod' check (environment in ('test','prod')),
  add column test_api_base_url text not null default 'https://api.anaf.ro/test/FCTEL/rest',
  -- Set when ANAF refused the token or the SPV rights (the e-invoices wait; a stall says so),
  -- cleared by the next answered call or a new authorization.
  add column reconnect_reason text,
  add column reconnect_since timestamptz;

-- Calls made to ANAF per tenant and minute (every call, answered or not), so the 1,000 calls a
-- minute ANAF allows are shared by every worker. Old minutes are deleted as new ones start.
create table anaf_call_minutes (
  tenant_id bigint not null references tenants(id) on delete cascade,
  minute timestamptz not null,
  calls integer not null default 0,
  primary key (tenant_id, minute)
);
