-- orders: the one-statement intake (033) writes the order's first timeline row, as
-- orders/move-order.ts setIntakeStatus does on the TypeScript path: the status the order arrived
-- in, with its hold reason. Before this, an order taken in by the statement had an empty timeline.
create or replace function orders_insert_store_order(p_tenant bigint, p_channel bigint, o jsonb, p_client bigint, p_status text,
  p_hold_reason text, p_hold_details jsonb, p_lines jsonb) returns bigint
language plpgsql as $fn$
declare
  v_id bigint;
begin
  insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, approval_status, hold_reason, hold_details,
    platform_status, payment_method, payment_status, currency, prices_include_tax, subtotal, discount_total, shipping_total, tax_total, total,
    billing_address, shipping_address, email, note, tags, external_created_at, external_updated_at, channel_content_hash)
  values (p_tenant, p_channel, o ->> 'externalOrderId', o ->> 'externalNumber', p_client, p_status, null, p_hold_reason, p_hold_details,
    o ->> 'platformStatus', o ->> 'paymentMethod', o ->> 'paymentStatus', o ->> 'currency', (o ->> 'pricesIncludeTax')::boolean,
    (o ->> 'subtotal')::numeric, (o ->> 'discountTotal')::numeric, (o ->> 'shippingTotal')::numeric, (o ->> 'taxTotal')::numeric, (o ->> 'total')::numeric,
    o -> 'billingAddress', o -> 'shippingAddress', o ->> 'email', o ->> 'note',
    array(select jsonb_array_elements_text(coalesce(o -> 'tags', '[]'))),
    (o ->> 'createdAt')::timestamptz, (o ->> 'updatedAt')::timestamptz, o ->> 'contentHash')
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
