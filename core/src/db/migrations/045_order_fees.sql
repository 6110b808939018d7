-- orders: the fees a store charges outside the lines and the shipping (WooCommerce `fee_lines`: a
-- cash-on-delivery fee, a packing fee; negative for a discount given as a fee), each
-- {name, amount, tax} on the store's tax basis as the shipping total is. Null when there are none.
-- The invoice carries them as lines of their own; without them an order with a fee could never be
-- invoiced (its total was the store's, with the fee, against an invoice without it: held).
alter table orders add column fees jsonb;
alter table invoice_lines drop constraint invoice_lines_kind_check;
alter table invoice_lines add constraint invoice_lines_kind_check check (kind in ('item', 'shipping', 'fee'));

-- The two intake insert functions (041, one order; 044, a batch) write the column too; otherwise as before.
create or replace function orders_insert_store_order(p_tenant bigint, p_channel bigint, o jsonb, p_client bigint, p_status text,
  p_hold_reason text, p_hold_details jsonb, p_lines jsonb) returns bigint
language plpgsql as $fn$
declare
  v_id bigint;
begin
  insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, approval_status, hold_reason, hold_details,
    platform_status, payment_method, payment_status, currency, prices_include_tax, subtotal, discount_total, shipping_total, tax_total, total,
    billing_address, shipping_address, email, note, tags, external_created_at, external_updated_at, channel_content_hash, fees)
  values (p_tenant, p_channel, o ->> 'externalOrderId', o ->> 'externalNumber', p_client, p_status, null, p_hold_reason, p_hold_details,
    o ->> 'platformStatus', o ->> 'paymentMethod', o ->> 'paymentStatus', o ->> 'currency', (o ->> 'pricesIncludeTax')::boolean,
    (o ->> 'subtotal')::numeric, (o ->> 'discountTotal')::numeric, (o ->> 'shippingTotal')::numeric, (o ->> 'taxTotal')::numeric, (o ->> 'total')::numeric,
    o -> 'billingAddress', o -> 'shippingAddress', o ->> 'email', o ->> 'note',
    array(select jsonb_array_elements_text(coalesce(o -> 'tags', '[]'))),
    (o ->> 'createdAt')::timestamptz, (o ->> 'updatedAt')::timestamptz, o ->> 'contentHash', nullif(o -> 'fees', 'null'))
  on conflict (tenant_id, channel_id, external_order_id) do nothing
  returning id into v_id;
  if v_id is null then
    return null;
  end if;
  insert into order_lines (tenant_id, order_id, line_no, external_line_id, product_id, sku, name, quantity, unit_price, list_price, discount, total, tax, vat_rate)
  select p_tenant, v_id, l.n, l.line ->> 'externalLineId', (l.line ->> 'productId')::bigint, l.line ->> 'sku', l.line ->> 'name',
    (l.line ->> 'quantity')::integer, (l.line ->> 'unitPrice')::numeric, (l.line ->> 'listPrice')::numeric, (l.line ->> 'discount')::numeric,
    (l.line ->> 'total')::numeric, (l.line ->> 'tax')::numeric, (l.line ->> 'vatRate')::numeric
  from jsonb_array_elements(p_lines) with ordinality as l(line, n);
  insert into order_status_log (tenant_id, order_id, status, reason) values (p_tenant, v_id, p_status, p_hold_reason);
  return v_id;
end
$fn$;

create or replace function orders_insert_store_orders(batch jsonb, take integer[], p_clients bigint[], p_statuses text[],
  p_hold_reasons text[], p_hold_details jsonb[], p_lines jsonb[]) returns bigint[]
language plpgsql as $fn$
declare
  v_ids bigint[];
  v_made bigint;
begin
  with made as (
    insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, approval_status, hold_reason, hold_details,
      platform_status, payment_method, payment_status, currency, prices_include_tax, subtotal, discount_total, shipping_total, tax_total, total,
      billing_address, shipping_address, email, note, tags, external_created_at, external_updated_at, channel_content_hash, fees)
    select (x.p ->> 'tenantId')::bigint, (x.p ->> 'channelId')::bigint, o ->> 'externalOrderId', o ->> 'externalNumber', p_clients[t.k],
      p_statuses[t.k], null, p_hold_reasons[t.k], p_hold_details[t.k],
      o ->> 'platformStatus', o ->> 'paymentMethod', o ->> 'paymentStatus', o ->> 'currency', (o ->> 'pricesIncludeTax')::boolean,
      (o ->> 'subtotal')::numeric, (o ->> 'discountTotal')::numeric, (o ->> 'shippingTotal')::numeric, (o ->> 'taxTotal')::numeric, (o ->> 'total')::numeric,
      o -> 'billingAddress', o -> 'shippingAddress', o ->> 'email', o ->> 'note',
      array(select jsonb_array_elements_text(coalesce(o -> 'tags', '[]'))),
      (o ->> 'createdAt')::timestamptz, (o ->> 'updatedAt')::timestamptz, o ->> 'contentHash', nullif(o -> 'fees', 'null')
    from unnest(take) with ordinality as t(i, k), lateral (select batch -> (t.i - 1), batch -> (t.i - 1) -> 'order') as x(p, o)
    order by 1, 2, 3
    on conflict (tenant_id, channel_id, external_order_id) do nothing
    returning tenant_id, channel_id, external_order_id, id)
  select array_agg(made.id order by t.k), (select count(*) from made) into v_ids, v_made
  from unnest(take) with ordinality as t(i, k)
  cross join lateral (select batch -> (t.i - 1)) as x(p)
  left join made on made.tenant_id = (x.p ->> 'tenantId')::bigint and made.channel_id = (x.p ->> 'channelId')::bigint
    and made.external_order_id = x.p -> 'order' ->> 'externalOrderId';
  if v_made < cardinality(take) or array_position(v_ids, null) is not null then
    raise exception 'a store order of the batch exists already' using errcode = 'EX001';
  end if;

  insert into order_lines (tenant_id, order_id, line_no, external_line_id, product_id, sku, name, quantity, unit_price, list_price, discount, total, tax, vat_rate)
  select (batch -> (t.i - 1) ->> 'tenantId')::bigint, v_ids[t.k], l.n, l.line ->> 'externalLineId', (l.line ->> 'productId')::bigint, l.line ->> 'sku', l.line ->> 'name',
    (l.line ->> 'quantity')::integer, (l.line ->> 'unitPrice')::numeric, (l.line ->> 'listPrice')::numeric, (l.line ->> 'discount')::numeric,
    (l.line ->> 'total')::numeric, (l.line ->> 'tax')::numeric, (l.line ->> 'vatRate')::numeric
  from unnest(take) with ordinality as t(i, k), jsonb_array_elements(p_lines[t.k]) with ordinality as l(line, n);

  insert into order_status_log (tenant_id, order_id, status, reason)
  select (batch -> (t.i - 1) ->> 'tenantId')::bigint, v_ids[t.k], p_statuses[t.k], p_hold_reasons[t.k]
  from unnest(take) with ordinality as t(i, k)
  order by t.k;
  return v_ids;
end
$fn$;
