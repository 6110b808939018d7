-- shop/redact deletes the shop's orders, and their delivery notes go with them (on delete cascade);
-- a delivery note already on a pick list blocked that delete with a foreign-key violation, so the
-- compliance webhook failed (500) on every retry. The pick list's entry for the note goes with it.
alter table pick_list_orders drop constraint pick_list_orders_tenant_id_delivery_note_id_fkey;
alter table pick_list_orders add constraint pick_list_orders_tenant_id_delivery_note_id_fkey
  foreign key (tenant_id, delivery_note_id) references delivery_notes (tenant_id, id) on delete cascade;
