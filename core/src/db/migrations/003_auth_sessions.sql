-- Warehouse web UI: users log in with e-mail + password; a session is a random id in an HttpOnly
-- cookie, stored here only as its sha256 so a leaked table cannot be replayed as cookies.

alter table users add column language text not null default 'ro' check (language in ('ro','en'));
alter table users add column disabled_at timestamptz;
-- Login asks only for the e-mail; the tenant is found through it (an address may exist in several).
create index users_email_any on users (lower(email));

create table user_sessions (
  tenant_id bigint not null,
  id_hash text not null,
  user_id bigint not null,
  -- Synchronizer token: rendered into forms and sent back on every POST (form field or X-CSRF-Token).
  csrf_token text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id_hash),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
-- The cookie is all a browser sends, so the session (and through it the tenant) is found by hash.
create unique index user_sessions_id on user_sessions (id_hash);
create index user_sessions_user on user_sessions (tenant_id, user_id);
