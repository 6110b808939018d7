-- Intake of store orders in one statement (issue 14): the common case of a webhook — a new order
-- under a fresh delivery id, or a redelivery — is taken in by one call, and a batch of them
-- (group commit) by one call as well. The TypeScript side (flows/intake-in-one-statement.ts)
-- prepares the JSON argument: the order mapped and hashed, the client's fields and address
-- fingerprints, the lines; everything that needs the database happens here.
--
-- Ownership stays as in the TypeScript code: each function is named after the area that owns the
-- tables it touches (`<area>_…`) and touches only those (core/src/architecture.test.ts checks the
-- bodies); only `flows_intake_store_orders`, the flow's function, combines them, and it reads or
-- writes no table itself. Anything outside the common case (an order already stored, a channel
-- that asks for approval, an order cancelled before we saw it, a buyer VAT number that fails its
-- check) is answered 'fallback' with nothing written, and the TypeScript flow takes it in as before.

-- channels: a delivery id seen before?
create or replace function channels_delivery_seen(p_tenant bigint, p_channel bigint, p_delivery text) returns boolean
language sql stable as $fn$
  select exists (select 1 from webhook_deliveries where tenant_id = p_tenant and channel_id = p_channel and delivery_id = p_delivery)
$fn$;

-- channels: records a delivery; false when it was recorded before (a concurrent twin committed first).
create or replace function channels_claim_delivery(p_tenant bigint, p_channel bigint, p_delivery text, p_topic text) returns boolean
language plpgsql as $fn$
begin
  insert into webhook_deliveries (tenant_id, channel_id, delivery_id, topic) values (p_tenant, p_channel, p_delivery, p_topic)
    on conflict do nothing;
  return found;
end
$fn$;

create or replace function channels_write_sync_log(p_tenant bigint, p_channel bigint, p_topic text, p_delivery text, p_outcome text, p_external_id text, p_details jsonb) returns void
language sql as $fn$
  insert into sync_log (tenant_id, channel_id, direction, kind, topic, external_id, delivery_id, outcome, error, details)
  values (p_tenant, p_channel, 'inbound', 'webhook', p_topic, p_external_id, p_delivery, p_outcome, null, p_details)
$fn$;

-- channels: the settings an intake is decided by, as the row says now (a merchant who just turned
-- approval on must not see the next order skip it), with the inbound status of the platform's word.
create or replace function channels_intake_settings(p_tenant bigint, p_channel bigint, p_word text, p_default_status text) returns jsonb
language sql stable as $fn$
  select jsonb_build_object(
    'intake_status', coalesce(nullif(status_map_in ->> p_word, ''), p_default_status),
    'auto_confirm', auto_confirm, 'create_invoice', create_invoice, 'approval_required', approval_required,
    'price_list_id', price_list_id)
  from channels where tenant_id = p_tenant and id = p_channel
$fn$;

-- clients: clients/match-client.ts `matchOrCreateClient` in SQL — by the store's customer id, then
-- by e-mail (insert-or-find without locking an existing row), else a new client by name; the
-- customer id link and the addresses written with it. Null: no e-mail and no name.
create or replace function clients_match_or_create(p_tenant bigint, p_channel bigint, c jsonb) returns bigint
language plpgsql as $fn$
declare
  v_id bigint;
  v_link text;
begin
  if c ->> 'externalId' is not null then
    select client_id into v_id from client_channel_ids
      where tenant_id = p_tenant and channel_id = p_channel and external_customer_id = c ->> 'externalId';
  end if;
  v_link := case when v_id is null then c ->> 'externalId' end;
  if v_id is null and c ->> 'email' is not null then
    insert into clients (tenant_id, email, first_name, last_name, phone, company, vat_number, kind)
    values (p_tenant, c ->> 'email', c ->> 'firstName', c ->> 'lastName', c ->> 'phone', c ->> 'company', c ->> 'vat', c ->> 'kind')
    on conflict (tenant_id, lower(email)) where email is not null do nothing
    returning id into v_id;
    if v_id is null then
      select id into v_id from clients where tenant_id = p_tenant and lower(email) = c ->> 'email';
    end if;
  elsif v_id is null then
    if coalesce(c ->> 'firstName', c ->> 'lastName', c ->> 'company') is null then
      return null;
    end if;
    insert into clients (tenant_id, first_name, last_name, phone, company, vat_number, kind)
    values (p_tenant, c ->> 'firstName', c ->> 'lastName', c ->> 'phone', c ->> 'company', c ->> 'vat', c ->> 'kind')
    returning id into v_id;
  end if;
  if v_link is not null then
    insert into client_channel_ids (tenant_id, channel_id, external_customer_id, client_id)
    values (p_tenant, p_channel, v_link, v_id) on conflict do nothing;
  end if;
  insert into client_addresses (tenant_id, client_id, kind, address, fingerprint)
  select p_tenant, v_id, a.kind, a.address, a.fingerprint
  from jsonb_to_recordset(coalesce(c -> 'addresses', '[]')) as a(kind text, address jsonb, fingerprint text)
  on conflict (tenant_id, client_id, kind, fingerprint) do nothing;
  return v_id;
end
$fn$;

-- inventory: the store's lines matched to the catalog by SKU, priced from the price list
-- (flows/ingest-channel-order.ts `matchLines`), in their order: productId null = unknown SKU.
create or replace function inventory_match_lines(p_tenant bigint, p_price_list bigint, p_lines jsonb) returns jsonb
language sql stable as $fn$
  select coalesce(jsonb_agg(l.line || jsonb_build_object('productId', p.id::text, 'listPrice', pli.price::text, 'vatRate', p.vat_rate::text) order by l.n), '[]')
  from jsonb_array_elements(p_lines) with ordinality as l(line, n)
  left join products p on p.tenant_id = p_tenant and p.sku = nullif(l.line ->> 'sku', '')
  left join price_list_items pli on pli.tenant_id = p.tenant_id and pli.product_id = p.id and pli.price_list_id = p_price_list
$fn$;

-- orders: a new store order written once with its first status and its lines
-- (orders/store-order-writes.ts); null when the row exists already (nothing written then).
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
  return v_id;
end
$fn$;

-- orders: whether the store order is stored already (then it is an update, not this function's case).
create or replace function orders_store_order_exists(p_tenant bigint, p_channel bigint, p_external_id text) returns boolean
language sql stable as $fn$
  select exists (select 1 from orders where tenant_id = p_tenant and channel_id = p_channel and external_order_id = p_external_id)
$fn$;

-- db: db/outbox.ts `enqueue` for local work (no target, the default attempts, due now).
create or replace function db_enqueue(p_tenant bigint, p_kind text, p_payload jsonb, p_key text) returns boolean
language plpgsql as $fn$
begin
  insert into outbox (tenant_id, kind, payload, idempotency_key) values (p_tenant, p_kind, p_payload, p_key)
    on conflict (tenant_id, idempotency_key) do nothing;
  return found;
end
$fn$;

-- flows: one store order's intake (flows/ingest-channel-order.ts for a new order). The answer:
-- {"outcome":"created","orderId","status"} | {"outcome":"duplicate"} | {"outcome":"fallback","why"}.
-- 'fallback' writes nothing: the caller takes the order in through the TypeScript flow.
create or replace function flows_intake_store_order(p jsonb) returns jsonb
language plpgsql as $fn$
declare
  v_tenant bigint := (p ->> 'tenantId')::bigint;
  v_channel bigint := (p ->> 'channelId')::bigint;
  v_delivery text := p ->> 'deliveryId';
  v_topic text := p ->> 'topic';
  o jsonb := p -> 'order';
  s jsonb;
  v_lines jsonb;
  v_client bigint;
  v_order bigint;
  v_status text;
  v_unknown jsonb;
  v_holds text[] := '{}';
  v_hold_reason text;
  v_hold_details jsonb;
begin
  if channels_delivery_seen(v_tenant, v_channel, v_delivery) then
    perform channels_write_sync_log(v_tenant, v_channel, v_topic, v_delivery, 'duplicate', null, null);
    return '{"outcome":"duplicate"}';
  end if;
  s := channels_intake_settings(v_tenant, v_channel, p ->> 'platformWord', p ->> 'defaultIntakeStatus');
  if s is null then
    return '{"outcome":"fallback","why":"channel not found"}';
  end if;
  if (s ->> 'approval_required')::boolean then
    return '{"outcome":"fallback","why":"the channel asks for approval"}';
  end if;
  if s ->> 'intake_status' not in ('new', 'draft') then
    return jsonb_build_object('outcome', 'fallback', 'why', 'intake status ' || (s ->> 'intake_status'));
  end if;
  if orders_store_order_exists(v_tenant, v_channel, o ->> 'externalOrderId') then
    return '{"outcome":"fallback","why":"the order is stored already"}';
  end if;
  if not channels_claim_delivery(v_tenant, v_channel, v_delivery, v_topic) then
    perform channels_write_sync_log(v_tenant, v_channel, v_topic, v_delivery, 'duplicate', null, null);
    return '{"outcome":"duplicate"}';
  end if;

  v_client := clients_match_or_create(v_tenant, v_channel, p -> 'client');
  v_lines := inventory_match_lines(v_tenant, (s ->> 'price_list_id')::bigint, p -> 'lines');
  select coalesce(jsonb_agg(coalesce(l ->> 'sku', '(no SKU: ' || (l ->> 'name') || ')')), '[]') into v_unknown
    from jsonb_array_elements(v_lines) as l where l ->> 'productId' is null;
  if jsonb_array_length(v_unknown) > 0 then
    v_holds := v_holds || ('unknown SKU ' || (select string_agg(u, ', ') from jsonb_array_elements_text(v_unknown) as u));
  end if;
  if v_client is null then
    v_holds := v_holds || ('client not created: ' || (p -> 'client' ->> 'noClientReason'));
  end if;
  v_status := s ->> 'intake_status';
  if cardinality(v_holds) > 0 and v_status <> 'draft' then
    v_status := 'on_hold';
    v_hold_reason := array_to_string(v_holds, '; ');
    v_hold_details := jsonb_build_object('unknownSkus', v_unknown);
  end if;

  v_order := orders_insert_store_order(v_tenant, v_channel, o, v_client, v_status, v_hold_reason, v_hold_details, v_lines);
  if v_order is null then
    -- The row appeared since (another delivery of the same order): this element's writes go back
    -- with the exception, and the TypeScript flow applies it as an update.
    raise exception 'store order % exists already', o ->> 'externalOrderId' using errcode = 'EX001';
  end if;
  -- As orders/move-order.ts setIntakeStatus: a store order that arrives on hold is held in the store too.
  if v_status = 'on_hold' then
    perform db_enqueue(v_tenant, 'order.store_state', jsonb_build_object('orderId', v_order::text, 'status', 'on_hold'), 'order.store_state:' || v_order || ':on_hold:' || txid_current());
  end if;
  if v_status = 'new' and (s ->> 'auto_confirm')::boolean then
    perform db_enqueue(v_tenant, 'order.validate', jsonb_build_object('orderId', v_order::text), 'order.validate:' || v_order || ':' || (p ->> 'updatedAt'));
  end if;
  if s ->> 'create_invoice' = 'on_paid' and o ->> 'paymentStatus' = 'paid' then
    perform db_enqueue(v_tenant, 'invoice.issue', jsonb_build_object('orderId', v_order::text, 'trigger', 'on_paid'), 'invoice.issue:' || v_order || ':on_paid');
  end if;
  perform channels_write_sync_log(v_tenant, v_channel, v_topic, v_delivery, 'ok', o ->> 'externalOrderId',
    jsonb_build_object('result', 'created', 'orderId', v_order::text, 'status', v_status));
  return jsonb_build_object('outcome', 'created', 'orderId', v_order::text, 'status', v_status);
end
$fn$;

-- flows: group commit — the store orders of webhooks that arrived together, in one statement and
-- so one commit. Each order runs in its own subtransaction: one that fails answers
-- {"outcome":"error"} (its writes undone) and the others commit; the caller retries it alone.
create or replace function flows_intake_store_orders(batch jsonb) returns jsonb
language plpgsql as $fn$
declare
  item jsonb;
  answers jsonb := '[]';
begin
  if jsonb_array_length(batch) = 1 then
    -- One order: the statement is its transaction; a failure fails the call and the caller retries.
    return jsonb_build_array(flows_intake_store_order(batch -> 0));
  end if;
  for item in select value from jsonb_array_elements(batch) loop
    begin
      answers := answers || jsonb_build_array(flows_intake_store_order(item));
    exception when others then
      answers := answers || jsonb_build_array(jsonb_build_object('outcome', 'error', 'error', sqlerrm));
    end;
  end loop;
  return answers;
end
$fn$;
