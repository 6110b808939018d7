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

-- The intake's line matching (033) joined the order's lines to the tenant's products and their
-- list prices as sets: the planner, who guesses 100 elements in a JSON array, hashed every product
-- of the catalog (or probed the price list once per product) for each order, so an intake cost the
-- size of the catalog. One index lookup per line instead (a lateral subquery per line) (products (tenant_id, sku) and the price
-- list's primary key are unique, so each line still matches at most one product and one price).
create or replace function inventory_match_lines(p_tenant bigint, p_price_list bigint, p_lines jsonb) returns jsonb
language sql stable as $fn$
  select coalesce(jsonb_agg(l.line || jsonb_build_object('productId', m.id::text, 'listPrice', m.price::text, 'vatRate', m.vat_rate::text) order by l.n), '[]')
  from jsonb_array_elements(p_lines) with ordinality as l(line, n)
  left join lateral (
    select p.id, p.vat_rate,
           (select pli.price from price_list_items pli where pli.tenant_id = p.tenant_id and pli.price_list_id = p_price_list and pli.product_id = p.id) as price
    from products p where p.tenant_id = p_tenant and p.sku = nullif(l.line ->> 'sku', '')
    -- at most one row anyway; the limit keeps the planner from flattening this back into a join
    limit 1
  ) m on true
$fn$;
