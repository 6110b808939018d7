/** The invoicing area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { anafConnectionStatus, completeAnafAuthorization, saveAnafConnection, setAnafEnvironment, startAnafAuthorization, tenantOfAnafState } from './anaf-client.ts';
export type { AnafConnectionStatus, AnafEnvironment } from './anaf-client.ts';
export { bnrBaseUrl, parseBnrXml, ronPerUnit } from './bnr-rates.ts';
export type { BnrDay, BnrFetchOptions } from './bnr-rates.ts';
export { E_INVOICE_STATES } from './e-invoice-state.ts';
export { importBnrRates, importBnrRatesForAllTenants, listFxRates, saveManualFxRate } from './fx-rates.ts';
export type { FxImportReport, FxRate } from './fx-rates.ts';
export { getInvoicePdf, invoiceReport } from './invoice-repo.ts';
export { getInvoiceView, invoiceUblXml } from './invoice-view.ts';
export { getInvoicingProfile, saveInvoicingProfile, sealPlainSmtpUrls } from './invoicing-profile.ts';
export { existingOrderInvoice, issueCreditNote, issueInvoice, skippedTrigger } from './issue-invoice.ts';
export type { InvoiceSource, InvoiceTrigger, IssueOptions, IssueResult } from './issue-invoice.ts';
export { invoiceOutboxHandlers } from './outbox-handlers.ts';
export { eInvoiceReport, processEInvoices } from './process-e-invoices.ts';
export { renderInvoicePdf } from './render-invoice-pdf.ts';
export { renderUbl } from './render-ubl.ts';
export { resubmitEInvoice } from './resubmit-e-invoice.ts';
export { bucharestSector, roCountyCode, roCountyName } from './ro-counties.ts';
export { buyerVatProblem, checkVatNumber, isValidCui } from './vat-number.ts';
export { describeMismatch } from './store-totals.ts';
export type { TotalsMismatch } from './store-totals.ts';
export { reassignInvoicesClient } from './reassign-invoices-client.ts';
export { invoiceOrderId } from './invoice-order.ts';
export { creditReturnedGoods } from './credit-returned-goods.ts';
export { orderInvoices } from './order-invoices.ts';
export type { OrderInvoice } from './order-invoices.ts';
export { foldInvoiceDayTotals } from './day-totals.ts';
