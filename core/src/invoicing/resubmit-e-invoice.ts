import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type EInvoiceState, transition } from './e-invoice-state.ts';
import type { Party } from './invoice-document.ts';
import { loadInvoiceDocument } from './invoice-repo.ts';
import { getInvoicingProfile, sellerParty } from './invoicing-profile.ts';
import { invoiceLanguage } from './invoice-texts.ts';
import { renderInvoicePdf } from './render-invoice-pdf.ts';
import { renderUbl } from './render-ubl.ts';

export type BuyerFix = Partial<Pick<Party, 'name' | 'vatId' | 'legalId' | 'street' | 'city' | 'countySubentity' | 'postalCode'>>;

/**
 * A refused (nok) or held e-invoice after the operator fixed the cause: the seller is taken again from the
 * current profile, the buyer fields given are corrected, the XML and PDF are rebuilt and the
 * e-invoice goes back to pending for the worker to upload.
 */
export async function resubmitEInvoice(tx: Tx, tenantId: string, invoiceId: string, fix: BuyerFix = {}): Promise<{ state: EInvoiceState; submission: number }> {
  const [e] = await tx<{ id: string; state: EInvoiceState }[]>`
    select id::text, state from e_invoices where tenant_id = ${tenantId} and invoice_id = ${invoiceId} for update`;
  if (!e) throw new DomainError('NOT_FOUND', `Invoice ${invoiceId} has no e-invoice.`, [{ path: 'id', reason: 'no e-invoice' }]);
  const state = transition(e.state, 'resubmit', `E-invoice of invoice ${invoiceId}`);
  const { row, doc } = await loadInvoiceDocument(tx, tenantId, invoiceId);
  const profile = await getInvoicingProfile(tx, tenantId);
  const fixed = { ...doc, seller: profile ? sellerParty(profile) : doc.seller, buyer: { ...doc.buyer, ...fix } };
  await tx`update invoices set seller = ${tx.json(fixed.seller as never)}, buyer = ${tx.json(fixed.buyer as never)}, pdf = ${Buffer.from(await renderInvoicePdf(fixed, invoiceLanguage(row.language)))}
    where tenant_id = ${tenantId} and id = ${invoiceId}`;
  const [r] = await tx<{ submission: number }[]>`
    update e_invoices set state = ${state}, xml = ${renderUbl(fixed)}, submission = submission + 1, upload_index = null, download_id = null,
      anaf_state = null, status_polls = 0, next_poll_at = now(), last_error = null, upload_sent_at = null, error_streak = 0,
      held_reason = null, held_rules = null, held_at = null, claim_token = null, claimed_until = null,
      history = history || ${tx.json([{ at: new Date().toISOString(), event: 'resubmitted', fix }] as never)}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${e.id} returning submission`;
  return { state, submission: r!.submission };
}
