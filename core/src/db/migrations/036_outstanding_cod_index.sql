-- Outstanding COD (issue 14): the report sums the cash on delivery still owed and lists its first
-- 200 parcels per courier. Both read this index alone (an index-only scan in its order): the work is
-- the parcels whose cash is still open, never the settled history (shipments_cod_open, 006, held
-- the courier only, and every open parcel's row was visited to test its status and read its amount).
create index shipments_cod_outstanding on shipments (tenant_id, courier, cod_collected_at, id)
  include (cod_status, cod_amount, cod_currency, status, order_id, awb)
  where cod_status in ('pending', 'collected') and status not in ('creating', 'cancelled', 'returned_to_sender');
