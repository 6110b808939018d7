-- A credit note's line names the invoice line it credits (issue-invoice.ts issueCreditNote), so an
-- invoice is never credited beyond what it billed: a storno after a partial return credits what
-- is left, a return after a storno is refused, and the last credit of a line takes the rest of its
-- discount (a proportional share of it per return could leave or overshoot a cent).
alter table invoice_lines add column credited_line_no integer;

-- Credit notes issued before: each line to the first line of the credited invoice with the same
-- kind, SKU, name, net unit price and VAT rate (how issueCreditNote built them).
update invoice_lines cl set credited_line_no = (
    select ol.line_no from invoice_lines ol
    where ol.tenant_id = i.tenant_id and ol.invoice_id = i.credited_invoice_id and ol.kind = cl.kind
      and ol.sku is not distinct from cl.sku and ol.name = cl.name and ol.net_price = cl.net_price and ol.vat_rate = cl.vat_rate
    order by ol.line_no limit 1)
from invoices i
where i.tenant_id = cl.tenant_id and i.id = cl.invoice_id and i.kind = 'credit_note' and i.credited_invoice_id is not null;

-- The credit notes of an invoice, read at every credit note (before: a scan of every invoice).
create index invoices_credited on invoices (tenant_id, credited_invoice_id) where credited_invoice_id is not null;
