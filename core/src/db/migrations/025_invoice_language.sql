-- The language an invoice or credit note was written in (its PDF and its e-mail): the customer's,
-- which is the channel's notifications.language when the invoice is issued. Kept on the document so
-- a later change of the channel setting does not change what a customer already received, and a
-- credit note is written in the language of the invoice it reverses.
alter table invoices add column language text not null default 'ro' check (language in ('ro', 'en'));
