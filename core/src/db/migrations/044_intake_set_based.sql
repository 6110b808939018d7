-- Group commit, set-based (issue 14): a batch of N store orders took N passes of the one-order
-- intake (033, 041, 043), each in its own subtransaction and each ~12 single-row statements, and
-- PostgreSQL spent 0.75–0.94 ms of CPU per order on it. Here the batch is taken in with one
-- statement per table for the whole batch (webhook_deliveries, clients, client_channel_ids,
-- client_addresses, orders, order_lines, order_status_log, outbox, sync_log), whatever N is.
--
-- Same answers per element as the one-order loop, in the same order: an element sees what the
-- elements before it in the batch did, so a delivery id that comes twice is taken by the first and
-- a duplicate for the second; a store order that comes twice under two delivery ids is created by
-- the first and answered 'fallback' for the second (nothing written for it: the TypeScript flow
-- then applies it as the update it is); one new customer in several elements is one client, its
-- store customer id linked once.
--
-- Anything unexpected — a delivery or a store order that a concurrent transaction committed
-- between this statement's reads and its inserts, any error — raises, so that nothing of the batch
-- is written; the caller (flows/intake-in-one-statement.ts) then sends the batch to the one-order
-- loop, kept as `flows_intake_store_orders_each`, whose subtransactions answer such an element
-- (duplicate, fallback or error) exactly as before. So durability and dedupe are the loop's.
--
-- Ownership as in 033: each function touches only its area's tables; the flow's function only
-- calls them and computes on their answers. All PL/pgSQL, so each statement is planned once per
-- connection (043). Because a plan is kept for the connection's life, every lookup is written as
-- a probe per element (a scalar or LATERAL … LIMIT 1 subquery): a join or EXISTS planned while a
-- table was small would be kept as a hash over the whole table, read again by every later batch.
-- Locks on unique keys are taken in key order within each statement, and the tables in one fixed
-- order, so two batches sharing a key wait for one another but do not deadlock.

-- channels: for each element of the batch, whether its delivery is on record already.
create or replace function channels_deliveries_seen(batch jsonb) returns boolean[]
language plpgsql stable as $fn$
begin
  return array(
    select coalesce((select true from webhook_deliveries w
      where w.tenant_id = (b.p ->> 'tenantId')::bigint and w.channel_id = (b.p ->> 'channelId')::bigint and w.delivery_id = b.p ->> 'deliveryId' limit 1), false)
    from jsonb_array_elements(batch) with ordinality as b(p, n)
    order by b.n);
end
$fn$;

-- channels: for each element, its channel's intake settings as the row says now, with the inbound
-- status of the element's platform word (033's channels_intake_settings; a batch may mix channels
-- and tenants); null for a channel not found.
create or replace function channels_intake_settings_many(batch jsonb) returns jsonb[]
language plpgsql stable as $fn$
begin
  return array(
    select case when c.id is not null then jsonb_build_object(
        'intake_status', coalesce(nullif(c.status_map_in ->> (b.p ->> 'platformWord'), ''), b.p ->> 'defaultIntakeStatus'),
        'auto_confirm', c.auto_confirm, 'create_invoice', c.create_invoice, 'approval_required', c.approval_required,
        'price_list_id', c.price_list_id) end
    from jsonb_array_elements(batch) with ordinality as b(p, n)
    left join lateral (select * from channels c where c.tenant_id = (b.p ->> 'tenantId')::bigint and c.id = (b.p ->> 'channelId')::bigint limit 1) c on true
    order by b.n);
end
$fn$;

-- channels: records the deliveries of the elements taken in (`take`: their 1-based positions in
-- the batch); how many were recorded (fewer: a concurrent twin committed one first).
create or replace function channels_claim_deliveries(batch jsonb, take integer[]) returns integer
language plpgsql as $fn$
declare
  v_n integer;
begin
  insert into webhook_deliveries (tenant_id, channel_id, delivery_id, topic)
  select (x.p ->> 'tenantId')::bigint, (x.p ->> 'channelId')::bigint, x.p ->> 'deliveryId', x.p ->> 'topic'
  from unnest(take) as t(i), lateral (select batch -> (t.i - 1)) as x(p)
  order by 1, 2, 3
  on conflict do nothing;
  get diagnostics v_n = row_count;
  return v_n;
end
$fn$;

-- channels: the inbound sync log rows of a batch, in the batch's order.
create or replace function channels_write_sync_logs(entries jsonb) returns void
language plpgsql as $fn$
begin
  insert into sync_log (tenant_id, channel_id, direction, kind, topic, external_id, delivery_id, outcome, error, details)
  select (e.p ->> 'tenantId')::bigint, (e.p ->> 'channelId')::bigint, 'inbound', 'webhook', e.p ->> 'topic', e.p ->> 'externalId',
    e.p ->> 'deliveryId', e.p ->> 'outcome', null, e.p -> 'details'
  from jsonb_array_elements(entries) with ordinality as e(p, n)
  order by e.n;
end
$fn$;

-- orders: for each element, whether its store order is stored already.
create or replace function orders_store_orders_exist(batch jsonb) returns boolean[]
language plpgsql stable as $fn$
begin
  return array(
    select coalesce((select true from orders o
      where o.tenant_id = (b.p ->> 'tenantId')::bigint and o.channel_id = (b.p ->> 'channelId')::bigint and o.external_order_id = b.p -> 'order' ->> 'externalOrderId' limit 1), false)
    from jsonb_array_elements(batch) with ordinality as b(p, n)
    order by b.n);
end
$fn$;

-- clients: clients_match_or_create (033) for the elements taken in (`take`), as if one after the
-- other: an element finds the client an earlier element created or linked. One lookup of the links
-- and e-mails on record; one insert each of the new clients, the new links and the addresses.
-- Returns the client of each element of `take` (null: no e-mail and no name).
create or replace function clients_match_or_create_many(batch jsonb, take integer[]) returns bigint[]
language plpgsql as $fn$
declare
  n integer := cardinality(take);
  v_tenant bigint[];
  v_link_key text[];
  v_mail_key text[];
  v_named boolean[];
  v_by_link bigint[];
  v_by_mail bigint[];
  -- per element: a client on record (> 0), the k-th new client (-k), or none (null)
  v_ref bigint[];
  -- per new client: the element whose fields it is made of
  v_new integer[] := '{}';
  -- the elements whose store customer id is linked to their client here
  v_link_of integer[] := '{}';
  v_ids bigint[];
  v_made bigint[];
  new_links text[] := '{}';
  new_link_refs bigint[] := '{}';
  new_mails text[] := '{}';
  new_mail_refs bigint[] := '{}';
  r bigint;
  needs_link boolean;
begin
  select array_agg((c.p ->> 'tenantId')::bigint order by t.k),
         array_agg(case when c.c ->> 'externalId' is not null then concat_ws(' ', c.p ->> 'tenantId', c.p ->> 'channelId', c.c ->> 'externalId') end order by t.k),
         array_agg(case when c.c ->> 'email' is not null then (c.p ->> 'tenantId') || ' ' || (c.c ->> 'email') end order by t.k),
         array_agg(coalesce(c.c ->> 'firstName', c.c ->> 'lastName', c.c ->> 'company') is not null order by t.k),
         array_agg(l.client_id order by t.k),
         array_agg(m.id order by t.k)
    into v_tenant, v_link_key, v_mail_key, v_named, v_by_link, v_by_mail
  from unnest(take) with ordinality as t(i, k)
  cross join lateral (select batch -> (t.i - 1), batch -> (t.i - 1) -> 'client') as c(p, c)
  left join lateral (select l.client_id from client_channel_ids l where l.tenant_id = (c.p ->> 'tenantId')::bigint
    and l.channel_id = (c.p ->> 'channelId')::bigint and l.external_customer_id = c.c ->> 'externalId' limit 1) l on true
  left join lateral (select m.id from clients m where m.tenant_id = (c.p ->> 'tenantId')::bigint and lower(m.email) = c.c ->> 'email' limit 1) m on true;

  if (select count(distinct k1) = count(k1) from unnest(v_link_key) as x(k1))
     and (select count(distinct k2) = count(k2) from unnest(v_mail_key) as y(k2)) then
    -- No store customer id and no e-mail comes twice (the common batch): each element's client is
    -- decided alone, in one statement.
    v_new := array(
      select k from generate_series(1, n) as k
      where (v_link_key[k] is null or v_by_link[k] is null)
        and case when v_mail_key[k] is not null then v_by_mail[k] is null else v_named[k] end
      order by k);
    v_ref := array(
      select case when v_link_key[k] is not null and v_by_link[k] is not null then v_by_link[k]
                  when v_mail_key[k] is not null and v_by_mail[k] is not null then v_by_mail[k]
                  else -array_position(v_new, k) end
      from generate_series(1, n) as k order by k);
    v_link_of := array(select k from generate_series(1, n) as k where v_link_key[k] is not null and v_by_link[k] is null and v_ref[k] is not null order by k);
  else
    v_ref := array_fill(null::bigint, array[n]);
    for i in 1 .. n loop
      r := null;
      needs_link := false;
      if v_link_key[i] is not null then
        r := coalesce(v_by_link[i], new_link_refs[array_position(new_links, v_link_key[i])]);
        needs_link := r is null;
      end if;
      if r is null and v_mail_key[i] is not null then
        r := coalesce(v_by_mail[i], new_mail_refs[array_position(new_mails, v_mail_key[i])]);
        if r is null then
          v_new := v_new || i;
          r := -cardinality(v_new);
          new_mails := new_mails || v_mail_key[i];
          new_mail_refs := new_mail_refs || r;
        end if;
      elsif r is null and v_named[i] then
        v_new := v_new || i;
        r := -cardinality(v_new);
      end if;
      if needs_link and r is not null then
        new_links := new_links || v_link_key[i];
        new_link_refs := new_link_refs || r;
        v_link_of := v_link_of || i;
      end if;
      v_ref[i] := r;
    end loop;
  end if;

  if cardinality(v_new) > 0 then
    -- The ids are drawn first so that each new client's id is known for its elements whatever
    -- order the rows come back in (a client without e-mail has no other key to find it by).
    v_ids := array(select nextval(pg_get_serial_sequence('clients', 'id')) from generate_series(1, cardinality(v_new)));
    with made as (
      insert into clients (tenant_id, id, email, first_name, last_name, phone, company, vat_number, kind) overriding system value
      select v_tenant[w.e], v_ids[w.k], c ->> 'email', c ->> 'firstName', c ->> 'lastName', c ->> 'phone', c ->> 'company', c ->> 'vat', c ->> 'kind'
      from unnest(v_new) with ordinality as w(e, k), lateral (select batch -> (take[w.e] - 1) -> 'client') as x(c)
      order by v_tenant[w.e], c ->> 'email', w.k
      on conflict (tenant_id, lower(email)) where email is not null do nothing
      returning id)
    select array_agg(id) into v_made from made;
    if coalesce(cardinality(v_made), 0) < cardinality(v_new) then
      -- An e-mail a concurrent intake committed since the lookup: its client, read by a statement
      -- of its own (a snapshot taken after that commit), as clients_match_or_create does.
      v_ids := array(
        select case when v_ids[w.k] = any(v_made) then v_ids[w.k]
                    else (select m.id from clients m where m.tenant_id = v_tenant[w.e] and lower(m.email) = batch -> (take[w.e] - 1) -> 'client' ->> 'email') end
        from unnest(v_new) with ordinality as w(e, k)
        order by w.k);
      if array_position(v_ids, null) is not null then
        raise exception 'a new client of the batch was neither created nor found' using errcode = 'EX002';
      end if;
    end if;
    v_ref := array(select case when r0 < 0 then v_ids[-r0] else r0 end from unnest(v_ref) with ordinality as x(r0, k) order by x.k);
  end if;

  if cardinality(v_link_of) > 0 then
    insert into client_channel_ids (tenant_id, channel_id, external_customer_id, client_id)
    select v_tenant[l.e], (x.p ->> 'channelId')::bigint, x.p -> 'client' ->> 'externalId', v_ref[l.e]
    from unnest(v_link_of) as l(e), lateral (select batch -> (take[l.e] - 1)) as x(p)
    order by 1, 2, 3
    on conflict do nothing;
  end if;

  insert into client_addresses (tenant_id, client_id, kind, address, fingerprint)
  select v_tenant[t.k], v_ref[t.k], a.v ->> 'kind', a.v -> 'address', a.v ->> 'fingerprint'
  from unnest(take) with ordinality as t(i, k),
       jsonb_array_elements(coalesce(batch -> (t.i - 1) -> 'client' -> 'addresses', '[]')) with ordinality as a(v, j)
  where v_ref[t.k] is not null
  order by 1, 2, 3, 5, t.k, a.j
  on conflict (tenant_id, client_id, kind, fingerprint) do nothing;

  return v_ref;
end
$fn$;

-- inventory: inventory_match_lines (043) for the elements taken in (`take`, each under the price
-- list of `price_lists` at the same place): each element's lines matched to the catalog by SKU and
-- priced, in their order.
create or replace function inventory_match_lines_many(batch jsonb, take integer[], price_lists bigint[]) returns jsonb[]
language plpgsql stable as $fn$
begin
  return array(
    select coalesce((
      select jsonb_agg(l.line || jsonb_build_object('productId', m.id::text, 'listPrice', m.price::text, 'vatRate', m.vat_rate::text) order by l.n)
      from jsonb_array_elements(batch -> (t.i - 1) -> 'lines') with ordinality as l(line, n)
      left join lateral (
        select p.id, p.vat_rate,
               (select pli.price from price_list_items pli
                where pli.tenant_id = p.tenant_id and pli.price_list_id = price_lists[t.k] and pli.product_id = p.id) as price
        from products p where p.tenant_id = (batch -> (t.i - 1) ->> 'tenantId')::bigint and p.sku = nullif(l.line ->> 'sku', '')
        limit 1
      ) m on true), '[]')
    from unnest(take) with ordinality as t(i, k)
    order by t.k);
end
$fn$;

-- orders: new store orders written with their lines and first timeline row (orders_insert_store_order
-- of 041 for every element taken in, `take`): at the same place in the arrays, each one's client,
-- status, hold reason and details, and its lines matched. Returns the order ids in `take`'s order.
-- An order that exists already (a concurrent intake committed it since the check) raises:
-- nothing of the batch is written.
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
      billing_address, shipping_address, email, note, tags, external_created_at, external_updated_at, channel_content_hash)
    select (x.p ->> 'tenantId')::bigint, (x.p ->> 'channelId')::bigint, o ->> 'externalOrderId', o ->> 'externalNumber', p_clients[t.k],
      p_statuses[t.k], null, p_hold_reasons[t.k], p_hold_details[t.k],
      o ->> 'platformStatus', o ->> 'paymentMethod', o ->> 'paymentStatus', o ->> 'currency', (o ->> 'pricesIncludeTax')::boolean,
      (o ->> 'subtotal')::numeric, (o ->> 'discountTotal')::numeric, (o ->> 'shippingTotal')::numeric, (o ->> 'taxTotal')::numeric, (o ->> 'total')::numeric,
      o -> 'billingAddress', o -> 'shippingAddress', o ->> 'email', o ->> 'note',
      array(select jsonb_array_elements_text(coalesce(o -> 'tags', '[]'))),
      (o ->> 'createdAt')::timestamptz, (o ->> 'updatedAt')::timestamptz, o ->> 'contentHash'
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

-- db: db_enqueue (033) for many: items [{tenantId, kind, payload, key}], in their order.
create or replace function db_enqueue_many(items jsonb) returns void
language plpgsql as $fn$
begin
  insert into outbox (tenant_id, kind, payload, idempotency_key)
  select (e.p ->> 'tenantId')::bigint, e.p ->> 'kind', e.p -> 'payload', e.p ->> 'key'
  from jsonb_array_elements(items) with ordinality as e(p, n)
  order by e.n
  on conflict (tenant_id, idempotency_key) do nothing;
end
$fn$;

-- flows: the one-order loop of 033 under another name, for the caller to fall back on when the
-- set-based statement below raised: each order in its own subtransaction, as before.
create or replace function flows_intake_store_orders_each(batch jsonb) returns jsonb
language plpgsql as $fn$
declare
  item jsonb;
  answers jsonb := '[]';
begin
  if jsonb_array_length(batch) = 1 then
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

-- flows: group commit, set-based — flows_intake_store_order (033) for every element of the batch,
-- with one call of each area's set function. The answer per element, in the batch's order:
-- {"outcome":"created","orderId","status"} | {"outcome":"duplicate"} | {"outcome":"fallback","why"}.
-- Generic plans, for this function and the area functions it calls: the planner kept planning their
-- statements again on every call (a custom plan looked cheaper with the batch's arrays as
-- constants), 0.85 ms of a batch of two's 2.1 ms; every lookup here is a probe per element, so the
-- generic plan is the right one whatever the values.
create or replace function flows_intake_store_orders(batch jsonb) returns jsonb
language plpgsql set plan_cache_mode = force_generic_plan as $fn$
declare
  n integer := jsonb_array_length(batch);
  v_delivery_key text[];
  v_order_key text[];
  v_seen boolean[];
  v_settings jsonb[];
  v_exists boolean[];
  -- per element: its answer when nothing else in the batch counts; null: to be taken in
  v_alone jsonb[];
  v_answer jsonb[];
  -- the elements taken in, by their 1-based positions in the batch, in its order
  v_take integer[] := '{}';
  claimed text[] := '{}';
  stored text[] := '{}';
  v_clients bigint[];
  v_lines jsonb[];
  v_statuses text[];
  v_reasons text[];
  v_details jsonb[];
  v_ids bigint[];
begin
  if n = 1 then
    -- One order alone costs less through the one-order function (measured by
    -- bench/ingest/intake-function-cpu.ts: 1.0 ms of backend CPU against 1.5 ms here, while from
    -- four orders on a batch costs less here); its statement is its transaction, as before.
    return jsonb_build_array(flows_intake_store_order(batch -> 0));
  end if;
  select array_agg(concat_ws(' ', b.p ->> 'tenantId', b.p ->> 'channelId', b.p ->> 'deliveryId') order by b.n),
         array_agg(concat_ws(' ', b.p ->> 'tenantId', b.p ->> 'channelId', b.p -> 'order' ->> 'externalOrderId') order by b.n)
    into v_delivery_key, v_order_key
  from jsonb_array_elements(batch) with ordinality as b(p, n);
  v_seen := channels_deliveries_seen(batch);
  v_settings := channels_intake_settings_many(batch);
  v_exists := orders_store_orders_exist(batch);

  -- flows_intake_store_order's decisions, in its order: a delivery seen is a duplicate; a channel
  -- that is not this function's case, or an order stored already, falls back.
  v_alone := array(
    select case
        when v_seen[i] then '{"outcome":"duplicate"}'::jsonb
        when v_settings[i] is null then '{"outcome":"fallback","why":"channel not found"}'
        when (v_settings[i] ->> 'approval_required')::boolean then '{"outcome":"fallback","why":"the channel asks for approval"}'
        when v_settings[i] ->> 'intake_status' not in ('new', 'draft') then
          jsonb_build_object('outcome', 'fallback', 'why', 'intake status ' || (v_settings[i] ->> 'intake_status'))
        when v_exists[i] then '{"outcome":"fallback","why":"the order is stored already"}'
      end
    from generate_series(1, n) as i order by i);
  if (select count(distinct d) = n and count(distinct o) = n from unnest(v_delivery_key, v_order_key) as k(d, o)) then
    -- No delivery and no store order comes twice (the common batch): the elements cannot see one another.
    v_answer := v_alone;
    v_take := array(select i from generate_series(1, n) as i where v_alone[i] is null order by i);
  else
    -- As the loop would: an element sees the deliveries claimed and the orders created by the elements before it.
    v_answer := array_fill(null::jsonb, array[n]);
    for i in 1 .. n loop
      if v_delivery_key[i] = any(claimed) then
        v_answer[i] := '{"outcome":"duplicate"}';
      elsif v_alone[i] is not null then
        v_answer[i] := v_alone[i];
      elsif v_order_key[i] = any(stored) then
        v_answer[i] := '{"outcome":"fallback","why":"the order is stored already"}';
      else
        v_take := v_take || i;
        claimed := claimed || v_delivery_key[i];
        stored := stored || v_order_key[i];
      end if;
    end loop;
  end if;

  if cardinality(v_take) > 0 then
    if channels_claim_deliveries(batch, v_take) < cardinality(v_take) then
      raise exception 'a delivery of the batch was recorded meanwhile' using errcode = 'EX003';
    end if;
    v_clients := clients_match_or_create_many(batch, v_take);
    v_lines := inventory_match_lines_many(batch, v_take, array(select (v_settings[i] ->> 'price_list_id')::bigint from unnest(v_take) with ordinality as t(i, k) order by k));

    -- Holds as flows_intake_store_order: unknown SKUs and a missing client hold the order unless it is a draft.
    select array_agg(h.status order by t.k), array_agg(h.reason order by t.k), array_agg(h.details order by t.k)
      into v_statuses, v_reasons, v_details
    from unnest(v_take) with ordinality as t(i, k)
    cross join lateral (
      select coalesce(jsonb_agg(coalesce(l ->> 'sku', '(no SKU: ' || (l ->> 'name') || ')')), '[]') as unknown
      from jsonb_array_elements(v_lines[t.k]) as l where l ->> 'productId' is null) as u
    cross join lateral (
      select nullif(concat_ws('; ',
          case when jsonb_array_length(u.unknown) > 0 then 'unknown SKU ' || (select string_agg(s0, ', ') from jsonb_array_elements_text(u.unknown) as s0) end,
          case when v_clients[t.k] is null then 'client not created: ' || (batch -> (t.i - 1) -> 'client' ->> 'noClientReason') end), '') as reasons) as r
    cross join lateral (
      select case when r.reasons is not null and v_settings[t.i] ->> 'intake_status' <> 'draft' then 'on_hold' else v_settings[t.i] ->> 'intake_status' end as status) as st
    cross join lateral (
      select st.status,
             case when st.status = 'on_hold' then r.reasons end as reason,
             case when st.status = 'on_hold' then jsonb_build_object('unknownSkus', u.unknown) end as details) as h;
    v_ids := orders_insert_store_orders(batch, v_take, v_clients, v_statuses, v_reasons, v_details, v_lines);

    -- As flows_intake_store_order: held in the store too when on hold; validation queued when
    -- auto-confirmed; the invoice on payment.
    perform db_enqueue_many(coalesce((
      select jsonb_agg(q.item order by q.k, q.seq)
      from unnest(v_take) with ordinality as t(i, k)
      cross join lateral (select batch -> (t.i - 1)) as x(p)
      cross join lateral (
        select t.k, 1 as seq, jsonb_build_object('tenantId', x.p ->> 'tenantId', 'kind', 'order.store_state',
            'payload', jsonb_build_object('orderId', v_ids[t.k]::text, 'status', 'on_hold'),
            'key', 'order.store_state:' || v_ids[t.k] || ':on_hold:' || txid_current()) as item
        where v_statuses[t.k] = 'on_hold'
        union all
        select t.k, 2, jsonb_build_object('tenantId', x.p ->> 'tenantId', 'kind', 'order.validate',
            'payload', jsonb_build_object('orderId', v_ids[t.k]::text),
            'key', 'order.validate:' || v_ids[t.k] || ':' || (x.p ->> 'updatedAt'))
        where v_statuses[t.k] = 'new' and (v_settings[t.i] ->> 'auto_confirm')::boolean
        union all
        select t.k, 3, jsonb_build_object('tenantId', x.p ->> 'tenantId', 'kind', 'invoice.issue',
            'payload', jsonb_build_object('orderId', v_ids[t.k]::text, 'trigger', 'on_paid'),
            'key', 'invoice.issue:' || v_ids[t.k] || ':on_paid')
        where v_settings[t.i] ->> 'create_invoice' = 'on_paid' and x.p -> 'order' ->> 'paymentStatus' = 'paid'
      ) as q), '[]'));

    for k in 1 .. cardinality(v_take) loop
      v_answer[v_take[k]] := jsonb_build_object('outcome', 'created', 'orderId', v_ids[k]::text, 'status', v_statuses[k]);
    end loop;
  end if;

  perform channels_write_sync_logs(coalesce((
    select jsonb_agg(jsonb_build_object('tenantId', p ->> 'tenantId', 'channelId', p ->> 'channelId', 'topic', p ->> 'topic', 'deliveryId', p ->> 'deliveryId',
        'outcome', case when a ->> 'outcome' = 'created' then 'ok' else 'duplicate' end,
        'externalId', case when a ->> 'outcome' = 'created' then p -> 'order' ->> 'externalOrderId' end,
        'details', case when a ->> 'outcome' = 'created' then jsonb_build_object('result', 'created', 'orderId', a ->> 'orderId', 'status', a ->> 'status') end)
      order by b.n)
    from jsonb_array_elements(batch) with ordinality as b(p, n), lateral (select v_answer[b.n]) as x(a)
    where a ->> 'outcome' in ('created', 'duplicate')), '[]'));
  return to_jsonb(v_answer);
end
$fn$;
