import { getChannel, getChannelSettings } from '../channels/index.ts';
import { clientForInvoice } from '../clients/index.ts';
import type { Tx } from '../db/connect.ts';
import { priceListCurrency, productVatRates, productVatTreatments, resolvePrices } from '../inventory/index.ts';
import { describeMismatch, existingOrderInvoice, type InvoiceSource, type InvoiceTrigger, type IssueOptions, type IssueResult, issueCreditNote, issueInvoice, skippedTrigger } from '../invoicing/index.ts';
import { orderForInvoice, lockOrder, orderRef } from '../orders/index.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { openStall } from '../stalls/index.ts';
import { buyerVatHold, openBuyerVatStall, resolveInvoiceHolds, TOTAL_MISMATCH } from './invoice-holds.ts';
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
  const buyer = o.clientId && client ? { clientId: o.clientId, company: client.company, vatNumber: client.vatNumber, countryCode: (o.billing ?? o.shipping)?.countryCode ?? 'RO' } : null;
  const vatHold = buyer ? buyerVatHold(orderRef(order), buyer) : null;
  if (vatHold && buyer) {
    if (trigger === 'manual') throw new DomainError('VALIDATION', `${vatHold.message} ${vatHold.fix}`, [{ path: 'client.cui', reason: vatHold.reason }]);
    await openBuyerVatStall(tx, tenantId, orderId, vatHold, buyer);
    return { invoiceId: null, number: null, created: false, eInvoice: false, skipped: `held: ${vatHold.reason}` };
  }
  const listPrices = await invoiceListPrices(tx, tenantId, channel, order.currency, o.lines);
  // The customer's language is the channel's (orders carry none): the invoice's PDF and e-mail are written in it.
  const { language } = (await getChannelSettings(tx, tenantId, channel.id)).notifications;
  const source: InvoiceSource = {
    order: { ...order, pricesIncludeTax: o.pricesIncludeTax, clientId: o.clientId, billing: o.billing, shipping: o.shipping },
    channel,
    language,
    // What the store charged is checked on store orders invoiced at the order's prices.
    checkStoreTotals: channel.kind !== 'manual' && listPrices.size === 0,
    client,
    lines: o.lines.map((l) => ({
      ...l,
      unitPrice: (l.productId ? listPrices.get(l.productId) : undefined) ?? l.unitPrice,
      vatRate: l.vatRate ?? (l.productId ? catalogRates.get(l.productId) : undefined) ?? STANDARD_VAT_RATE,
      treatment: l.productId ? (treatments.get(l.productId) ?? null) : null,
    })),
  };
  const r = await runStep(tx, startFlow(tenantId, 'order.invoice', { type: 'order', id: orderId }), issueInvoiceStep, { tenantId, source, trigger, opts });
  const subject = { subjectType: 'order', subjectId: orderId };
  if (!r.held) {
    if (r.created) await resolveInvoiceHolds(tx, tenantId, orderId);
    return r;
  }
  const { message, fix } = describeMismatch(orderRef(order), orderId, r.held);
  // Asked for by hand, the answer is the refusal itself; from the worker, a stall the operator sees.
  if (trigger === 'manual') throw new DomainError('CONFLICT', `${message} ${fix}`, [{ path: 'total', reason: `store ${r.held.storeTotal}, invoice ${r.held.invoiceTotal} ${r.held.currency}` }]);
  await openStall(tx, tenantId, { kind: TOTAL_MISMATCH, ...subject, message, fix, details: { ...r.held } });
  return r;
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
