import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { findInvoiceForOrder } from './invoice-repo.ts';
import { issueCreditNote } from './issue-invoice.ts';

/**
 * The credit note of a return: the returned units of the order's invoice lines, referencing the
 * invoice (UBL BillingReference, type 381), with its PDF, e-Factura (where the invoice had one) and
 * e-mail like any credit note. The invoice's item lines are the order's lines with a quantity, in
 * line order (issue-invoice.ts builds them so); `itemNo` is that position, checked against the SKU.
 * Idempotent per return: a second call returns the credit note already issued. `wholeOrder` (a
 * return of type `fully`): the credit note that leaves no goods uncredited credits the shipping too.
 */
export async function creditReturnedGoods(
  tx: Tx,
  tenantId: string,
  orderId: string,
  r: { returnId: string; reason: string; lines: Array<{ itemNo: number; sku: string | null; quantity: number }>; wholeOrder?: boolean; now?: Date },
): Promise<{ creditNoteId: string; number: string; created: boolean; invoiceId: string }> {
  const invoice = await findInvoiceForOrder(tx, tenantId, orderId);
  if (!invoice) {
    throw new DomainError('INVALID_STATE', `Order ${orderId} has no invoice; issue it before crediting return ${r.returnId}.`, [{ path: 'moneyBack', reason: 'the order has no invoice to credit' }]);
  }
  const items = await tx<{ lineNo: number; sku: string | null }[]>`
    select line_no as "lineNo", sku from invoice_lines where tenant_id = ${tenantId} and invoice_id = ${invoice.id} and kind = 'item' order by line_no`;
  const lines = r.lines
    .filter((l) => l.quantity > 0)
    .map((l) => {
      const item = items[l.itemNo - 1];
      if (!item || (l.sku && item.sku && item.sku !== l.sku)) {
        throw new DomainError('CONFLICT', `Invoice ${invoice.fullNumber} has no line for ${l.sku ?? `item ${l.itemNo}`} of return ${r.returnId}; credit it by hand.`, [{ path: 'lines', reason: `no invoice line for ${l.sku ?? l.itemNo}` }]);
      }
      return { lineNo: item.lineNo, quantity: l.quantity };
    });
  // A whole order sent back is refunded with its delivery (return-goods.ts deliveryGivenBack): once
  // no goods are left uncredited, its shipping lines are credited too.
  const cn = await issueCreditNote(tx, tenantId, invoice.id, { source: 'return', sourceRef: `return:${r.returnId}`, reason: r.reason, lines, withShipping: r.wholeOrder === true, ...(r.now ? { now: r.now } : {}) });
  return { ...cn, invoiceId: invoice.id };
}
