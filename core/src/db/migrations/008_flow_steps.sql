-- Flows are named steps with an undo (core/src/flows/steps.ts). A run and each step it did are
-- written in the same transaction as the step's own effects, so after a crash the record says
-- exactly what happened; an undo is recorded the same way, and undos that call another system go
-- through the outbox, which retries them.
create table flow_runs (
  tenant_id bigint not null,
  id bigint generated always as identity,
  flow text not null,
  subject_type text not null,
  subject_id text not null,
  status text not null default 'running' check (status in ('running','done','undoing','undone')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index flow_runs_subject on flow_runs (tenant_id, subject_type, subject_id, id);

create table flow_steps (
  tenant_id bigint not null,
  run_id bigint not null,
  seq integer not null,
  step text not null,
  status text not null check (status in ('done','undoing','undone')),
  output jsonb,
  undo_input jsonb,
  done_at timestamptz not null default now(),
  undone_at timestamptz,
  primary key (tenant_id, run_id, seq),
  foreign key (tenant_id, run_id) references flow_runs (tenant_id, id)
);
