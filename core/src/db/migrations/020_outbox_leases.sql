-- The outbox dispatcher claims an item in a short transaction and calls out with none open: the
-- claim is a lease (claimed_by, locked_until) that lapses when the process dies mid-call, so the
-- item is claimed again; attempts are counted at the claim. `target` names the system an item
-- calls (channel:<id>, courier:<id>, anaf:<tenant>, smtp:<tenant>, …): at most a few items per
-- target are in flight, so one dead store cannot take every slot. Null: local work, no limit.
alter table outbox
  add column target text,
  add column claimed_by text,
  add column locked_until timestamptz,
  -- A target whose items must arrive in order (a customer's messages) says 1; null: the dispatcher's default.
  add column in_flight_limit smallint check (in_flight_limit > 0);

-- Items already queued for a channel get its target; write-backs queued by shipment id stay
-- unlimited until they are retried from a fan-out written after this migration.
update outbox set target = 'channel:' || (payload->>'channelId')
where status = 'pending' and payload ? 'channelId' and payload->>'channelId' ~ '^[0-9]+$';

-- The claim counts the in-flight items per target.
create index outbox_in_flight on outbox (target) where status = 'pending' and locked_until is not null;
