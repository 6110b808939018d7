import { literalLimit, presentFilters } from '../db/where.ts';
import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import type { Tx } from '../db/connect.ts';
import type { DocAllowanceCharge, DocLine, InvoiceDocument, LineInput, Party, PaymentMeans, StoreDifference, Totals, VatRow } from './invoice-document.ts';

export interface InvoiceRow extends Totals {
  id: string;
  kind: 'invoice' | 'credit_note';
  series: string;
  number: string;
  fullNumber: string;
  orderId: string | null;
  /** "Comanda 1042": the order reference printed on the document, kept as issued. */
  orderRef: string | null;
  channelId: string | null;
  creditedInvoiceId: string | null;
  source: string;
  sourceRef: string | null;
  reason: string | null;
  currency: string;
  ronPerUnit: string | null;
  issueDate: string;
  dueDate: string;
  seller: Party;
  buyer: Party;
  awbNumber: string | null;
  trackingUrl: string | null;
  emailTo: string | null;
  emailedAt: Date | null;
  /** The language of the PDF and the e-mail ('ro' | 'en'). */
  language: string;
  createdAt: Date;
}

export const INVOICE_COLUMNS = `i.id::text, i.kind, i.series, i.number::text, i.full_number as "fullNumber", i.order_id::text as "orderId", i.order_ref as "orderRef",
  i.channel_id::text as "channelId", i.credited_invoice_id::text as "creditedInvoiceId", i.source, i.source_ref as "sourceRef", i.reason,
  i.currency, i.ron_per_unit::text as "ronPerUnit", to_char(i.issue_date, 'YYYY-MM-DD') as "issueDate",
  to_char(i.due_date, 'YYYY-MM-DD') as "dueDate", i.seller, i.buyer, i.line_net_total::text as "lineNetTotal",
  i.tax_exclusive_total::text as "taxExclusiveTotal", i.tax_total::text as "taxTotal", i.tax_total_ron::text as "taxTotalRon",
  i.tax_inclusive_total::text as "taxInclusiveTotal", i.payable_total::text as "payableTotal", i.awb_number as "awbNumber",
  i.tracking_url as "trackingUrl", i.email_to as "emailTo", i.emailed_at as "emailedAt", i.created_at as "createdAt", i.language`;

export async function getInvoice(db: Db, tenantId: string, invoiceId: string): Promise<InvoiceRow> {
  if (!isId(invoiceId)) throw new DomainError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, [{ path: 'id', reason: 'unknown invoice' }]);
  const [row] = await db.unsafe(`select ${INVOICE_COLUMNS} from invoices i where i.tenant_id = $1 and i.id = $2`, [tenantId, invoiceId]);
  if (!row) throw new DomainError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, [{ path: 'id', reason: 'unknown invoice' }]);
  return row as unknown as InvoiceRow;
}

export async function findInvoiceForOrder(db: Db, tenantId: string, orderId: string): Promise<InvoiceRow | null> {
  const [row] = await db.unsafe(`select ${INVOICE_COLUMNS} from invoices i where i.tenant_id = $1 and i.order_id = $2 and i.kind = 'invoice'`, [tenantId, orderId]);
  return (row as unknown as InvoiceRow) ?? null;
}

/** Rebuilds the document (for the PDF, the UBL and the API) from the stored rows. */
export async function loadInvoiceDocument(db: Db, tenantId: string, invoiceId: string): Promise<{ row: InvoiceRow; doc: InvoiceDocument }> {
  const row = await getInvoice(db, tenantId, invoiceId);
  const lines = await db<DocLine[]>`
    select line_no as "lineNo", kind, sku, name, trim_scale(quantity)::text as quantity, unit_code as "unitCode", net_price::text as "netPrice",
      allowance::text, net_amount::text as "netAmount", vat_category as "vatCategory", vat_rate::text as "vatRate"
    from invoice_lines where tenant_id = ${tenantId} and invoice_id = ${invoiceId} order by line_no`;
  const vat = await db<VatRow[]>`
    select vat_category as "vatCategory", vat_rate::text as "vatRate", taxable_amount::text as "taxableAmount", tax_amount::text as "taxAmount",
      exemption_reason_code as "exemptionReasonCode", exemption_reason as "exemptionReason"
    from invoice_vat_breakdown where tenant_id = ${tenantId} and invoice_id = ${invoiceId} order by vat_category, vat_rate desc`;
  let credited: InvoiceDocument['credited'] = null;
  if (row.creditedInvoiceId) {
    const orig = await getInvoice(db, tenantId, row.creditedInvoiceId);
    credited = { number: orig.fullNumber, issueDate: orig.issueDate };
  }
  const orderRef = row.orderRef;
  const [extras] = await db<{ x: DocumentExtras }[]>`select document_extras as x from invoices where tenant_id = ${tenantId} and id = ${invoiceId}`;
  const doc: InvoiceDocument = {
    kind: row.kind,
    number: row.fullNumber,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    ronPerUnit: row.ronPerUnit,
    seller: row.seller,
    buyer: row.buyer,
    lines,
    vat,
    totals: {
      lineNetTotal: row.lineNetTotal,
      taxExclusiveTotal: row.taxExclusiveTotal,
      taxTotal: row.taxTotal,
      taxTotalRon: row.taxTotalRon,
      taxInclusiveTotal: row.taxInclusiveTotal,
      payableTotal: row.payableTotal,
    },
    orderRef,
    note: row.reason,
    credited,
    awbNumber: row.awbNumber,
    trackingUrl: row.trackingUrl,
    delivery: extras?.x.delivery ?? null,
    paymentMeans: extras?.x.paymentMeans ?? null,
    allowanceCharges: extras?.x.allowanceCharges ?? [],
    storeDifference: extras?.x.storeDifference ?? null,
  };
  return { row, doc };
}

export async function getInvoicePdf(db: Db, tenantId: string, invoiceId: string): Promise<{ fullNumber: string; pdf: Uint8Array }> {
  const row = await getInvoice(db, tenantId, invoiceId);
  const [p] = await db<{ pdf: Uint8Array | null }[]>`select pdf from invoices where tenant_id = ${tenantId} and id = ${invoiceId}`;
  if (!p?.pdf) throw new DomainError('NOT_FOUND', `Invoice ${invoiceId} has no PDF yet.`, [{ path: 'id', reason: 'no PDF' }]);
  return { fullNumber: row.fullNumber, pdf: p.pdf };
}

/**
 * Invoices per channel and period with totals per currency (report). The totals are read from the
 * invoice day totals (migration 035, kept by a trigger on invoices), a few rows per day of the period.
 */
export async function invoiceReport(db: Db, tenantId: string, f: { from: string; to: string; channelId?: string; limit?: number }) {
  const rows = await db<{ channelId: string | null; kind: string; currency: string; count: number; net: string; tax: string; total: string }[]>`
    select t.channel_id::text as "channelId", t.kind, t.currency::text as currency, sum(t.invoices)::int as count, sum(t.net)::text as net,
      sum(t.tax)::text as tax, sum(t.payable)::text as total
    from invoice_day_totals t
    where t.tenant_id = ${tenantId} and t.day between ${f.from} and ${f.to}
      ${f.channelId ? db`and t.channel_id = ${f.channelId}::bigint` : db``}
    group by t.channel_id, t.kind, t.currency
    having sum(t.invoices) <> 0 or sum(t.net) <> 0 or sum(t.tax) <> 0 or sum(t.payable) <> 0
    order by t.channel_id nulls last, t.kind, t.currency`;
  const params: unknown[] = [tenantId, f.from, f.to];
  const where = presentFilters(params, { 'i.channel_id = ?::bigint': f.channelId });
  // The totals cover the whole period; the list is its first page in numbering order.
  const invoices = await db.unsafe(
    `select ${INVOICE_COLUMNS} from invoices i where i.tenant_id = $1 and i.issue_date between $2 and $3${where}
     order by i.issue_date, i.series, i.number limit ${literalLimit(f.limit ?? 200)}`,
    params as never[],
  );
  return { totals: rows, invoices: (invoices as unknown as InvoiceRow[]).map(publicInvoice) };
}

export function publicInvoice(r: InvoiceRow) {
  const { seller: _s, ...rest } = r;
  return { ...rest, emailedAt: r.emailedAt ? r.emailedAt.toISOString() : null, createdAt: r.createdAt.toISOString() };
}

interface DocumentExtras {
  delivery?: Party | null;
  paymentMeans?: PaymentMeans | null;
  allowanceCharges?: DocAllowanceCharge[];
  storeDifference?: StoreDifference | null;
}

/** The parts of a document the rows do not hold (delivery, payment means, document-level allowances and charges). */
export async function storeDocumentExtras(tx: Tx, tenantId: string, invoiceId: string, doc: InvoiceDocument): Promise<void> {
  const x: DocumentExtras = {
    delivery: doc.delivery ?? null,
    paymentMeans: doc.paymentMeans ?? null,
    allowanceCharges: doc.allowanceCharges ?? [],
    ...(doc.storeDifference ? { storeDifference: doc.storeDifference } : {}),
  };
  await tx`update invoices set document_extras = ${tx.json(x as never)} where tenant_id = ${tenantId} and id = ${invoiceId}`;
}

/** A credit note's lines keep the exemption reason the invoice gave (BR-E-10 and the same text on both documents). */
export function creditInputs(inputs: LineInput[], original: InvoiceDocument): LineInput[] {
  return inputs.map((l) => {
    const row = original.vat.find((v) => v.vatCategory === l.vatCategory && v.vatCategory === 'E');
    return row ? { ...l, exemptionCode: row.exemptionReasonCode, exemptionReason: row.exemptionReason } : l;
  });
}
