import type { Sql, Tx } from '../db/connect.ts';
import { PermanentFailure } from '../db/outbox.ts';
import { mailSettingsFor, sendMail, tenantMailSettings } from '../notifications/index.ts';
import { invoiceLanguage, invoiceMail } from './invoice-texts.ts';
import { getInvoicingProfile } from './invoicing-profile.ts';

/**
 * Sends the invoice (or credit note) PDF to the customer in the language it was written in, with the
 * AWB and tracking link when the parcel has one.
 * Read with the pool, sent with no transaction open (an SMTP server may take seconds), then marked
 * sent by `record` in one short transaction with the outbox item. Idempotent: a sent invoice is not
 * sent again, and the stable Message-ID lets a receiver drop the rare duplicate of a send whose
 * record was lost.
 */
export async function emailInvoice(
  db: Sql,
  tenantId: string,
  invoiceId: string,
  openSecret?: (sealed: string) => string,
  record: (tx: Tx) => Promise<unknown> = async () => {},
): Promise<'sent' | 'already_sent'> {
  const [inv] = await db<{ fullNumber: string; kind: 'invoice' | 'credit_note'; emailTo: string | null; emailedAt: Date | null; pdf: Uint8Array | null; awb: string | null; tracking: string | null; total: string; currency: string; buyer: { name: string }; language: string; credited: string | null }[]>`
    select i.full_number as "fullNumber", i.kind, i.email_to as "emailTo", i.emailed_at as "emailedAt", i.pdf, i.awb_number as awb,
      i.tracking_url as tracking, i.payable_total::text as total, i.currency, i.buyer, i.language, o.full_number as credited
    from invoices i left join invoices o on o.tenant_id = i.tenant_id and o.id = i.credited_invoice_id
    where i.tenant_id = ${tenantId} and i.id = ${invoiceId}`;
  if (!inv) throw new PermanentFailure(`invoice ${invoiceId} does not exist`);
  if (inv.emailedAt) return 'already_sent';
  if (!inv.emailTo) throw new PermanentFailure(`invoice ${inv.fullNumber} has no customer e-mail address`);
  if (!inv.pdf) throw new PermanentFailure(`invoice ${inv.fullNumber} has no PDF`);
  const profile = await getInvoicingProfile(db, tenantId);
  // The tenant's SMTP settings (password sealed) win over the profile's older smtp_url.
  const settings =
    (openSecret ? await tenantMailSettings(db, openSecret, tenantId, profile?.mailFrom) : null) ?? mailSettingsFor({ smtpUrl: profile?.smtpUrlSealed && openSecret ? openSecret(profile.smtpUrlSealed) : null, mailFrom: profile?.mailFrom ?? profile?.email ?? null });
  if (!settings) throw new PermanentFailure('no SMTP server configured (invoicing profile smtp_url or EXPEDIO_SMTP_URL)');
  const seller = profile?.legalName ?? 'Expedio';
  const mail = invoiceMail(invoiceLanguage(inv.language), { kind: inv.kind, number: inv.fullNumber, buyer: inv.buyer.name, total: inv.total, currency: inv.currency, seller, awb: inv.awb, tracking: inv.tracking, credited: inv.credited });
  await sendMail(settings, {
    to: inv.emailTo,
    subject: mail.subject,
    text: mail.text,
    messageId: `<invoice-${tenantId}-${invoiceId}@expedio.local>`,
    attachments: [{ filename: mail.filename, content: inv.pdf, contentType: 'application/pdf' }],
  });
  await db.begin(async (t) => {
    await t`update invoices set emailed_at = now() where tenant_id = ${tenantId} and id = ${invoiceId} and emailed_at is null`;
    await record(t);
  });
  return 'sent';
}
