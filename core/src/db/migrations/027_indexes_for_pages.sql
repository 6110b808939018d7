-- Every list and lookup a screen makes costs O(page) at a million orders (bench/queries):

-- An order found by the store's id alone (the API's externalOrderId filter, the apps' deep links):
-- the unique key leads with the channel, so this lookup scanned every order of the tenant.
create index orders_external_id on orders (tenant_id, external_order_id);
-- The order list's channel and status tabs, in the list's own keyset order (created_at, id).
create index orders_channel_list on orders (tenant_id, channel_id, created_at desc, id desc);
create index orders_status_list on orders (tenant_id, status, created_at desc, id desc);
drop index orders_status;

-- The sync log newest first by id, per channel and per outcome; the rare outcomes (rejected, error,
-- stale, duplicate) are what an operator filters for. Not a partial index: a generic plan cannot
-- prove its parameter is not 'ok', and would not use it.
create index sync_log_channel on sync_log (tenant_id, channel_id, id desc);
create index sync_log_outcome on sync_log (tenant_id, outcome, id desc);

-- Clients, most recently active first (the client list and its search).
create index clients_recent on clients (tenant_id, updated_at desc, id desc) where erased_at is null;

-- AWBs in transit, oldest first (the report and the tracking dashboard).
create index shipments_in_transit on shipments (tenant_id, created_at, id)
  where awb is not null and status not in ('creating', 'delivered', 'cancelled');

-- Invoices of a period in their numbering order (the e-commerce reconciliation report).
create index invoices_period_numbers on invoices (tenant_id, issue_date, series, number);
-- Its totals per channel, kind and currency read from the index alone (an index-only scan).
create index invoices_period_totals on invoices (tenant_id, issue_date, channel_id)
  include (kind, currency, tax_exclusive_total, tax_total, payable_total);
drop index invoices_period;

-- Stall detectors (each lists the oldest STALLS_PER_KIND of its kind):
-- packing lists waiting for their AWB, oldest first (missing measures, forgotten partial parcels).
create index packing_lists_ready_oldest on packing_lists (tenant_id, created_at, id) where status = 'ready_to_deliver';
-- open recorded stalls by kind, oldest first.
create index stalls_open_by_kind on stalls (tenant_id, kind, opened_at, id) where resolved_at is null;

-- Outbox items of one sequence (a shipment's tracking events to its store) run one after
-- the other, in the order they were enqueued, although a store takes two calls at once.
alter table outbox add column sequence_key text;
create index outbox_sequence on outbox (tenant_id, sequence_key, id) where status = 'pending' and sequence_key is not null;
-- packing lists whose AWB a courier refused (the unknown-locality stall).
create index packing_lists_awb_refused on packing_lists (tenant_id, id) where status = 'ready_to_deliver' and awb_refusal is not null;
-- orders on hold and confirmed ones waiting for a delivery note, longest waiting first.
create index orders_waiting on orders (tenant_id, status, updated_at, id) where status in ('on_hold', 'confirmed');
