import type { Tx } from '../db/connect.ts';
import { PermanentFailure } from '../db/outbox.ts';
import { mailSettingsFor, sendMail, tenantMailSettings } from '../notifications/index.ts';
import { getInvoicingProfile } from './invoicing-profile.ts';

/**
 * Sends the invoice PDF to the customer, with the AWB and tracking link when the parcel has one.
 * Idempotent: a sent invoice is marked in the same transaction as the outbox item; the stable
 * Message-ID lets a receiver drop the rare duplicate of a send whose commit was lost.
 */
export async function emailInvoice(tx: Tx, tenantId: string, invoiceId: string, openSecret?: (sealed: string) => string): Promise<'sent' | 'already_sent'> {
  const [inv] = await tx<{ fullNumber: string; kind: string; emailTo: string | null; emailedAt: Date | null; pdf: Uint8Array | null; awb: string | null; tracking: string | null; total: string; currency: string; buyer: { name: string } }[]>`
    select full_number as "fullNumber", kind, email_to as "emailTo", emailed_at as "emailedAt", pdf, awb_number as awb,
      tracking_url as tracking, payable_total::text as total, currency, buyer
    from invoices where tenant_id = ${tenantId} and id = ${invoiceId} for update`;
  if (!inv) throw new PermanentFailure(`invoice ${invoiceId} does not exist`);
  if (inv.emailedAt) return 'already_sent';
  if (!inv.emailTo) throw new PermanentFailure(`invoice ${inv.fullNumber} has no customer e-mail address`);
  if (!inv.pdf) throw new PermanentFailure(`invoice ${inv.fullNumber} has no PDF`);
  const profile = await getInvoicingProfile(tx, tenantId);
  // The tenant's SMTP settings (password sealed) win over the profile's older smtp_url.
  const settings =
    (openSecret ? await tenantMailSettings(tx, openSecret, tenantId, profile?.mailFrom) : null) ?? mailSettingsFor({ smtpUrl: profile?.smtpUrlSealed && openSecret ? openSecret(profile.smtpUrlSealed) : null, mailFrom: profile?.mailFrom ?? profile?.email ?? null });
  if (!settings) throw new PermanentFailure('no SMTP server configured (invoicing profile smtp_url or EXPEDIO_SMTP_URL)');
  const seller = profile?.legalName ?? 'Expedio';
  const lines = [
    `Bună ziua, ${inv.buyer.name},`,
    '',
    `Vă transmitem atașat factura ${inv.fullNumber} în valoare de ${inv.total} ${inv.currency}.`,
    ...(inv.awb ? [`Coletul dumneavoastră are AWB-ul ${inv.awb}.`] : []),
    ...(inv.tracking ? [`Urmărire colet: ${inv.tracking}`] : []),
    '',
    'Mulțumim,',
    seller,
  ];
  await sendMail(settings, {
    to: inv.emailTo,
    subject: `Factura ${inv.fullNumber} — ${seller}`,
    text: lines.join('\n'),
    messageId: `<invoice-${tenantId}-${invoiceId}@expedio.local>`,
    attachments: [{ filename: `Factura-${inv.fullNumber}.pdf`, content: inv.pdf, contentType: 'application/pdf' }],
  });
  await tx`update invoices set emailed_at = now() where tenant_id = ${tenantId} and id = ${invoiceId}`;
  return 'sent';
}
