-- An invoice keeps the order reference it was issued with ("Comanda 1042"), as it keeps its seller
-- and buyer: a document does not change when the order does, and invoicing no longer reads orders.
alter table invoices add column order_ref text;
update invoices i set order_ref = 'Comanda ' || coalesce(o.external_number, o.id::text)
from orders o where o.tenant_id = i.tenant_id and o.id = i.order_id;
