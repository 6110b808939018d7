-- Issue 16 [I]: every VAT category reachable from product and client data, and what an e-Factura
-- needs beside the amounts.
-- A product's own VAT treatment: null/'S' taxed at vat_rate, 'Z' zero-rated, 'E' exempt with its
-- reason (VATEX code and legal text), 'AE' domestic reverse charge (Cod fiscal art. 331).
alter table products
  add column vat_category text check (vat_category in ('S','Z','E','AE')),
  add column vat_exemption_code text check (vat_exemption_code ~ '^VATEX-[A-Z0-9-]{1,30}$'),
  add column vat_exemption_reason text check (char_length(vat_exemption_reason) <= 100);

-- BT-22: a note printed on every invoice of the seller (share capital, "TVA la încasare", ...).
alter table invoicing_profiles add column invoice_note text check (char_length(invoice_note) <= 300);

-- What the UBL is rebuilt from beside the rows: delivery address (BG-15), payment means (BG-16),
-- document-level allowances and charges (BG-20/21). One jsonb, written once when the document is issued.
alter table invoices add column document_extras jsonb not null default '{}';
