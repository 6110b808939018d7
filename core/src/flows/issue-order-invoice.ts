import { getChannel } from '../channels/index.ts';
import { clientForInvoice } from '../clients/index.ts';
import type { Tx } from '../db/connect.ts';
import { priceListCurrency, productVatRates, productVatTreatments, resolvePrices } from '../inventory/index.ts';
import { existingOrderInvoice, type InvoiceSource, type InvoiceTrigger, type IssueOptions, type IssueResult, issueCreditNote, issueInvoice, skippedTrigger } from '../invoicing/index.ts';
import { orderForInvoice, lockOrder } from '../orders/index.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { defineStep, runStep, startFlow } from './steps.ts';

/**
 * Invoice ↔ credit note: an order cancelled after its invoice was issued gets a storno credit note
 * for all of it (with its e-Factura where the invoice had one); a document is never deleted.
 */
export const issueInvoiceStep = defineStep({
  id: 'order.issue_invoice',
  async run(tx: Tx, i: { tenantId: string; source: InvoiceSource; trigger: InvoiceTrigger; opts: IssueOptions }) {
    const r = await issueInvoice(tx, i.tenantId, i.source, i.trigger, i.opts);
    return { output: r, undo: r.created && r.invoiceId ? { invoiceId: r.invoiceId } : null };
  },
  async undo(tx: Tx, tenantId: string, u: { invoiceId: string }, why: string) {
    try {
      return await issueCreditNote(tx, tenantId, u.invoiceId, { source: 'storno', sourceRef: `undo:${u.invoiceId}`, reason: `Stornare: ${why}` });
    } catch (e) {
      // The operator reversed the invoice by hand already: it is credited, which is what the undo wants.
      if (isDomainError(e) && e.code === 'CONFLICT') return null;
      throw e;
    }
  },
});

/** A line with no VAT rate of its own, and no product to take one from, is taxed at the standard rate. */
const STANDARD_VAT_RATE = '21';

/**
 * Issues the invoice of an order (on shipping, on payment, or by hand): the order locked, the
 * invoice it may have already returned (with the AWB added), else the invoice made from what the
 * order, its client, the channel and the catalog say. One transaction: the caller's.
 */
export async function issueInvoiceForOrder(tx: Tx, tenantId: string, orderId: string, trigger: InvoiceTrigger, opts: IssueOptions = {}): Promise<IssueResult> {
  const order = await lockOrder(tx, tenantId, orderId);
  const existing = await existingOrderInvoice(tx, tenantId, orderId, opts);
  if (existing) return existing;
  const channel = await getChannel(tx, tenantId, order.channelId);
  const skipped = skippedTrigger(channel.createInvoice, trigger);
  if (skipped) return { invoiceId: null, number: null, created: false, skipped, eInvoice: false };
  const o = await orderForInvoice(tx, tenantId, orderId);
  const [client, catalogRates, treatments] = await Promise.all([
    o.clientId ? clientForInvoice(tx, tenantId, o.clientId) : null,
    productVatRates(tx, tenantId, o.lines.filter((l) => !l.vatRate && l.productId).map((l) => l.productId!)),
    productVatTreatments(tx, tenantId, o.lines.flatMap((l) => (l.productId ? [l.productId] : []))),
  ]);
  const listPrices = await invoiceListPrices(tx, tenantId, channel, order.currency, o.lines);
  const source: InvoiceSource = {
    order: { ...order, pricesIncludeTax: o.pricesIncludeTax, clientId: o.clientId, billing: o.billing, shipping: o.shipping },
    channel,
    client,
    lines: o.lines.map((l) => ({
      ...l,
      unitPrice: (l.productId ? listPrices.get(l.productId) : undefined) ?? l.unitPrice,
      vatRate: l.vatRate ?? (l.productId ? catalogRates.get(l.productId) : undefined) ?? STANDARD_VAT_RATE,
      treatment: l.productId ? (treatments.get(l.productId) ?? null) : null,
    })),
  };
  return runStep(tx, startFlow(tenantId, 'order.invoice', { type: 'order', id: orderId }), issueInvoiceStep, { tenantId, source, trigger, opts });
}

/**
 * The channel's price-list prices of the order's products when the channel invoices at list prices
 * (`invoice_prices = price_list`); empty otherwise. A line the list does not price, or a list in
 * another currency than the order, keeps the order's price: the invoice is never in two currencies.
 */
async function invoiceListPrices(
  tx: Tx,
  tenantId: string,
  channel: { invoicePrices: 'order' | 'price_list'; priceListId: string | null },
  currency: string,
  lines: Array<{ productId: string | null }>,
): Promise<Map<string, string>> {
  if (channel.invoicePrices !== 'price_list' || !channel.priceListId) return new Map();
  if ((await priceListCurrency(tx, tenantId, channel.priceListId, 'priceListId')) !== currency) return new Map();
  return resolvePrices(tx, tenantId, channel.priceListId, lines.flatMap((l) => (l.productId ? [l.productId] : [])));
}
