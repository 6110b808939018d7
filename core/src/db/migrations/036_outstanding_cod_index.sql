-- Outstanding COD (issue 14): the report sums the cash on delivery still owed and lists its first
-- 200 parcels per courier. Both read this index alone (an index-only scan in its order): the work is
-- the parcels whose cash is still open, never the settled history (shipments_cod_open, 006, held
-- the courier only, and every open parcel's row was visited to test its status and read its amount).
create index shipments_cod_outstanding on shipments (tenant_id, courier, cod_collected_at, id)
  include (cod_status, cod_amount, cod_currency, status, order_id, awb)
  where cod_status in ('pending', 'collected') and status not in ('creating', 'cancelled', 'returned_to_sender');

-- The stall "received, no money back" lists the returns waiting longest: in that order from this
-- index (returns_open, 028, is by status then received_at, so every open return was read and sorted).
create index returns_waiting_since on returns (tenant_id, (coalesce(received_at, approved_at)), id)
  where status in ('receiving', 'received', 'approved', 'settling');
