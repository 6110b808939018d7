import type { Db } from '../db/connect.ts';
import { loadInvoiceDocument, publicInvoice } from './invoice-repo.ts';
import { renderUbl } from './render-ubl.ts';

/** One invoice or credit note as the API shows it: lines, VAT breakdown and its e-Factura state (null before any). */
export async function getInvoiceView(db: Db, tenantId: string, invoiceId: string) {
  const { row, doc } = await loadInvoiceDocument(db, tenantId, invoiceId);
  const [e] = await db<{ state: string; anafState: string | null; uploadIndex: string | null; downloadId: string | null; errors: unknown; submission: number }[]>`
    select state, anaf_state as "anafState", upload_index as "uploadIndex", download_id as "downloadId", errors, submission
    from e_invoices where tenant_id = ${tenantId} and invoice_id = ${invoiceId}`;
  return { ...publicInvoice(row), seller: doc.seller, lines: doc.lines, vat: doc.vat, storeDifference: doc.storeDifference ?? null, eInvoice: e ?? null };
}

/** The UBL 2.1 XML (CIUS-RO) as sent to ANAF, or as it would be when not sent yet. */
export async function invoiceUblXml(db: Db, tenantId: string, invoiceId: string): Promise<string> {
  const [e] = await db<{ xml: string }[]>`select xml from e_invoices where tenant_id = ${tenantId} and invoice_id = ${invoiceId}`;
  return e ? e.xml : renderUbl((await loadInvoiceDocument(db, tenantId, invoiceId)).doc);
}
