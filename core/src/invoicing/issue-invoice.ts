import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { DomainError } from '../shared/domain-error.ts';
import { add as addMoney, fromUnits, mulDiv, mulQty, round2, toUnits } from '../shared/money.ts';
import { computeLines, type InvoiceDocument, type LineInput, type Party, type StoreDifference } from './invoice-document.ts';
import { creditInputs, findInvoiceForOrder, getInvoice, loadInvoiceDocument, storeDocumentExtras } from './invoice-repo.ts';
import { getInvoicingProfile, sellerParty } from './invoicing-profile.ts';
import { bucharestSector, invoiceCountyCode } from './ro-counties.ts';
import { type InvoiceLanguage, invoiceLanguage, pdfWords } from './invoice-texts.ts';
import { buyerLegalId, documentDiscounts, eInvoiceHold, feeDiscount, feeInputs, invoiceNote, lineCategory, type ProductTreatment, paymentMeansFor, shippingInputs, treatLine } from './invoice-treatment.ts';
import { renderInvoicePdf } from './render-invoice-pdf.ts';
import { renderUbl } from './render-ubl.ts';
import { checkVatNumber } from './vat-number.ts';
import { localDate } from './ro-date.ts';
import { compareWithStore, type StoreFigures, storeChargedNoTax, storeFiguresKnown, type TotalsMismatch } from './store-totals.ts';

export type InvoiceTrigger = 'on_paid' | 'on_shipping' | 'manual';

export interface IssueResult {
  invoiceId: string | null;
  number: string | null;
  created: boolean;
  skipped?: string;
  eInvoice: boolean;
  /** Not issued: the invoice would differ from what the store charged (the flow records the stall). */
  held?: TotalsMismatch;
  /** The e-Factura was not built for upload: the order field to fix (the flow raises a stall). */
  eInvoiceHeld?: { field: string; reason: string } | null;
}


import { type InvoiceAddress, orderRef } from '../orders/index.ts';

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The next number of a series, taken under the series row's lock: concurrent issues queue on the
 * UPDATE, and a transaction that rolls back gives its number back, so there is no gap and no
 * duplicate.
 */
export async function takeNextNumber(tx: Tx, tenantId: string, seriesCode: string): Promise<{ seriesId: string; number: string }> {
  await tx`insert into invoice_series (tenant_id, code) values (${tenantId}, ${seriesCode}) on conflict (tenant_id, code) do nothing`;
  const [row] = await tx<{ seriesId: string; number: string }[]>`
    update invoice_series set next_number = next_number + 1
    where tenant_id = ${tenantId} and code = ${seriesCode}
    returning id::text as "seriesId", (next_number - 1)::text as number`;
  return row!;
}

/** An order address as the invoice's buyer is made from it (orders' type). */
type Address = InvoiceAddress;

/** The buyer from the order's billing address and client; B2B when a legal entity has a valid VAT number. */
export function buyerFrom(
  billing: Address | null,
  client: { company: string | null; vatNumber: string | null; tradeRegisterNo: string | null; firstName: string | null; lastName: string | null; kind: string } | null,
  email: string | null,
): { party: Party; b2b: boolean } {
  const a = billing ?? {};
  const country = (a.countryCode ?? 'RO').toUpperCase();
  const company = a.company?.trim() || client?.company?.trim() || null;
  const person = [a.firstName ?? client?.firstName, a.lastName ?? client?.lastName].filter(Boolean).join(' ').trim();
  const vat = checkVatNumber(client?.vatNumber, country);
  const b2b = !!company && vat.valid;
  let county: string | null = null;
  let city = a.city?.trim() || '-';
  if (country === 'RO') {
    county = invoiceCountyCode([a.provinceCode, a.province, a.city], a.postcode);
    if (county === 'RO-B') city = bucharestSector([[a.city, a.province].filter(Boolean).join(' '), a.address1, a.address2], a.postcode) ?? city;
  }
  return {
    party: {
      name: (b2b ? company : company || person) || 'Client',
      vatId: b2b && vat.valid ? vat.vatId : null,
      legalId: b2b && vat.valid ? vat.legalId : buyerLegalId(country, client?.vatNumber, (a as { cnp?: string | null }).cnp),
      tradeRegisterNo: client?.tradeRegisterNo ?? null,
      street: [a.address1, a.address2].filter((s) => s?.trim()).join(', ') || '-',
      city,
      countySubentity: county,
      postalCode: a.postcode ?? null,
      countryCode: country,
      email: a.email ?? email,
      phone: a.phone ?? null,
      bankName: null,
      iban: null,
      isCompany: !!company,
    },
    b2b,
  };
}

/** What an order's invoice is made of, gathered by the flow (`flows/issue-order-invoice.ts`) from the areas that own it. */
export interface InvoiceSource {
  order: {
    id: string;
    channelId: string;
    externalNumber: string | null;
    status: string;
    currency: string;
    shippingTotal: string;
    /** Fees the store charged beside the lines and shipping (store basis, with the store's tax of each). */
    fees?: Array<{ name: string; amount: string; tax: string | null }>;
    /** What the store charged, and the tax in it (the order's figures as the store reported them). */
    total: string;
    taxTotal: string;
    email: string | null;
    pricesIncludeTax: boolean;
    clientId: string | null;
    billing: Address | null;
    shipping: Address | null;
    paymentMethod?: string | null;
    /** The store's discount total; the part its lines do not carry becomes a document-level allowance. */
    discountTotal?: string | null;
  };
  channel: { createInvoice: 'off' | 'on_shipping' | 'on_paid'; invoiceSeries: string };
  /** The customer's language, which the PDF and the e-mail are written in (default Romanian). */
  language?: InvoiceLanguage;
  /** Compare the invoice with what the store charged (false: a manual order, or lines priced from a price list on purpose). */
  checkStoreTotals?: boolean;
  client: { company: string | null; vatNumber: string | null; tradeRegisterNo: string | null; firstName: string | null; lastName: string | null; kind: string } | null;
  /** `total` (after discounts, store basis) and `tax` (when the store reports it) are the store's figures of the line. */
  lines: Array<{ sku: string | null; name: string; quantity: number; unitPrice: string; discount: string; vatRate: string; total?: string; tax?: string | null; treatment?: ProductTreatment | null }>;
}

export interface IssueOptions {
  awbNumber?: string | null;
  trackingUrl?: string | null;
  now?: Date;
  /**
   * Issue although the invoice differs from what the store charged (by hand only): the invoice
   * total the operator saw and accepts (when it would now be another, nothing is issued), why, and
   * who. Kept with the invoice (`storeDifference`).
   */
  acceptStoreDifference?: { invoiceTotal: string; reason: string; acceptedBy: string };
}

/**
 * The order's invoice when it has one already (an order has one invoice; a repeated trigger returns
 * it), with the AWB and tracking link added if they were missing.
 */
export async function existingOrderInvoice(tx: Tx, tenantId: string, orderId: string, opts: IssueOptions = {}): Promise<IssueResult | null> {
  const existing = await findInvoiceForOrder(tx, tenantId, orderId);
  if (!existing) return null;
  if ((opts.awbNumber && !existing.awbNumber) || (opts.trackingUrl && !existing.trackingUrl)) {
    await tx`update invoices set awb_number = coalesce(awb_number, ${opts.awbNumber ?? null}),
        tracking_url = coalesce(tracking_url, ${opts.trackingUrl ?? null})
      where tenant_id = ${tenantId} and id = ${existing.id}`;
  }
  const [e] = await tx`select 1 from e_invoices where tenant_id = ${tenantId} and invoice_id = ${existing.id}`;
  return { invoiceId: existing.id, number: existing.fullNumber, created: false, eInvoice: !!e };
}

/** Automatic triggers do nothing unless the channel's create_invoice names them; the reason, or null to go on. */
export function skippedTrigger(createInvoice: InvoiceSource['channel']['createInvoice'], trigger: InvoiceTrigger): string | null {
  if (trigger === 'manual' || createInvoice === trigger) return null;
  return createInvoice === 'off' ? 'create_invoice off' : `channel issues invoices ${createInvoice}`;
}

/**
 * Issues the invoice of an order inside the caller's transaction: lines with the order's prices and
 * discounts, a shipping line, VAT per line rate, the next number of the channel's series, the PDF,
 * the e-Factura (B2B) and the e-mail to the customer (outbox). The caller has locked the order and
 * found no invoice for it (`existingOrderInvoice`).
 */
export async function issueInvoice(tx: Tx, tenantId: string, source: InvoiceSource, trigger: InvoiceTrigger, opts: IssueOptions = {}): Promise<IssueResult> {
  const { order, channel, client } = source;
  const orderId = order.id;
  const skipped = skippedTrigger(channel.createInvoice, trigger);
  if (skipped) return { invoiceId: null, number: null, created: false, skipped, eInvoice: false };
  const ref = orderRef(order);
  if (order.status === 'cancelled' || order.status === 'draft') {
    throw new DomainError('INVALID_STATE', `${ref} is ${order.status}; an invoice is issued for a live order.`, [{ path: 'id', reason: `order is ${order.status}` }]);
  }
  const profile = await getInvoicingProfile(tx, tenantId);
  if (!profile) throw new DomainError('VALIDATION', `Tenant ${tenantId} has no invoicing profile (seller name, CUI, address); set it before issuing invoices.`, [{ path: 'invoicingProfile', reason: 'missing' }]);
  const o = order;
  const { party: buyer, b2b } = buyerFrom(o.billing ?? o.shipping, client, order.email);
  // B2C e-Factura is mandatory for invoices to Romanian natural persons since 2025-01-01 (OUG 120/2021 art. 10^1, as amended by OUG 69/2024).
  const eInvoice = b2b || (!buyer.isCompany && buyer.countryCode === 'RO');

  const orderLines = source.lines;
  if (orderLines.length === 0) throw new DomainError('INVALID_STATE', `${ref} has no lines to invoice.`, [{ path: 'lines', reason: 'empty' }]);
  // The category of each line from its product, the buyer and the seller (invoice-treatment.ts); shipping and the order's discount follow the goods.
  const goods: LineInput[] = orderLines.map((l) =>
    treatLine({ kind: 'item', sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount, vatRate: l.vatRate }, l.treatment, lineCategory(l.treatment, buyer, b2b, profile.vatRegistered)),
  );
  const fees = order.fees ?? [];
  const inputs: LineInput[] = [
    ...goods,
    ...shippingInputs(goods, order.shippingTotal, profile.shippingVatRate, pdfWords(source.language ?? 'ro').shipping),
    ...feeInputs(goods, fees, profile.shippingVatRate),
  ];
  const issueDate = localDate(opts.now ?? new Date());
  const ronPerUnit = order.currency === 'RON' ? null : await fxRate(tx, tenantId, order.currency, issueDate);
  // A negative fee is a discount the store gave outside its lines: part of the document-level allowance.
  const discounts = addMoney(order.discountTotal ?? '0', feeDiscount(fees));
  const amounts = amountsAsCharged(source, inputs, ronPerUnit, documentDiscounts(goods, discounts));
  const storeDifference = amounts.held ? acceptedDifference(ref, amounts.held, opts) : null;
  if (amounts.held && !storeDifference) return { invoiceId: null, number: null, created: false, eInvoice: false, held: amounts.held };
  const { lines, vat, totals, allowanceCharges } = amounts;
  const held = eInvoiceHold(buyer);
  const { seriesId, number } = await takeNextNumber(tx, tenantId, channel.invoiceSeries);
  const doc: InvoiceDocument = {
    kind: 'invoice',
    number: `${channel.invoiceSeries}${number}`,
    issueDate,
    dueDate: addDays(issueDate, profile.paymentTermsDays),
    currency: order.currency,
    ronPerUnit,
    seller: sellerParty(profile),
    buyer,
    lines,
    vat,
    totals,
    orderRef: `Comanda ${order.externalNumber ?? order.id}`,
    note: invoiceNote(profile.invoiceNote, order.currency, ronPerUnit),
    credited: null,
    awbNumber: opts.awbNumber ?? null,
    trackingUrl: opts.trackingUrl ?? null,
    delivery: o.shipping && o.billing ? buyerFrom(o.shipping, client, null).party : null,
    paymentMeans: paymentMeansFor(order.paymentMethod, !!profile.iban),
    allowanceCharges,
    storeDifference,
  };
  const invoiceId = await storeDocument(tx, tenantId, doc, {
    seriesId,
    series: channel.invoiceSeries,
    number,
    orderId,
    channelId: order.channelId,
    clientId: o.clientId,
    source: trigger,
    sourceRef: null,
    creditedInvoiceId: null,
    emailTo: buyer.email,
    eInvoice,
    eInvoiceHeld: eInvoice ? held : null,
    language: source.language ?? 'ro',
  });
  return { invoiceId, number: doc.number, created: true, eInvoice, eInvoiceHeld: eInvoice ? held : null };
}

/**
 * The record of a difference accepted by hand, or null when none was: the operator accepts the
 * invoice total they were shown; if the order changed since and the invoice would be another,
 * that is a CONFLICT and nothing is issued.
 */
function acceptedDifference(ref: string, held: TotalsMismatch, opts: IssueOptions): StoreDifference | null {
  const accept = opts.acceptStoreDifference;
  if (!accept) return null;
  if (toUnits(accept.invoiceTotal) !== toUnits(held.invoiceTotal)) {
    throw new DomainError(
      'CONFLICT',
      `${ref}: the invoice would now be ${held.invoiceTotal} ${held.currency}, not the ${accept.invoiceTotal} accepted (the store charged ${held.storeTotal}); look at the difference again before accepting it.`,
      [{ path: 'acceptStoreDifference.invoiceTotal', reason: `the invoice would be ${held.invoiceTotal} ${held.currency}` }],
    );
  }
  return {
    storeTotal: held.storeTotal,
    invoiceTotal: held.invoiceTotal,
    difference: held.difference,
    currency: held.currency,
    reason: accept.reason,
    acceptedBy: accept.acceptedBy,
    acceptedAt: (opts.now ?? new Date()).toISOString(),
  };
}

/**
 * The invoice's lines and totals on the store's tax basis: gross prices split, net prices taxed,
 * and prices a store charged no tax on at all split too (`storeChargedNoTax`). When the store's
 * figures are known and the result differs from what it charged beyond rounding, `held` says how.
 */
function amountsAsCharged(
  source: InvoiceSource,
  inputs: LineInput[],
  ronPerUnit: string | null,
  documentLevel: Parameters<typeof computeLines>[3],
): ReturnType<typeof computeLines> & { held?: TotalsMismatch } {
  const { order } = source;
  const store: StoreFigures = {
    pricesIncludeTax: order.pricesIncludeTax,
    total: order.total,
    taxTotal: order.taxTotal,
    shippingTotal: order.shippingTotal,
    fees: (order.fees ?? []).map((f) => ({ amount: f.amount, tax: f.tax })),
    lines: source.lines.map((l) => ({ total: l.total ?? '0', tax: l.tax ?? null })),
  };
  const known = source.checkStoreTotals === true && storeFiguresKnown(store);
  let taxIncluded = order.pricesIncludeTax;
  let computed = computeLines(inputs, taxIncluded, ronPerUnit, documentLevel);
  if (known && storeChargedNoTax(store) && toUnits(computed.totals.taxTotal) > 0n) {
    taxIncluded = true;
    computed = computeLines(inputs, true, ronPerUnit, documentLevel);
  }
  if (!known) return computed;
  const held = compareWithStore(store, { ...computed, currency: order.currency }, taxIncluded);
  return held ? { ...computed, held } : computed;
}

async function fxRate(tx: Tx, tenantId: string, currency: string, onDate: string): Promise<string> {
  const [r] = await tx<{ rate: string }[]>`
    select ron_per_unit::text as rate from invoicing_fx_rates
    where tenant_id = ${tenantId} and currency = ${currency} and valid_on <= ${onDate} order by valid_on desc limit 1`;
  if (!r) throw new DomainError('VALIDATION', `No BNR exchange rate for ${currency} on or before ${onDate}; record one before invoicing in ${currency}.`, [{ path: 'currency', reason: `no ${currency}/RON rate` }]);
  return r.rate;
}

interface StoreMeta {
  seriesId: string;
  series: string;
  number: string;
  orderId: string | null;
  channelId: string | null;
  clientId: string | null;
  source: string;
  sourceRef: string | null;
  creditedInvoiceId: string | null;
  emailTo: string | null;
  eInvoice: boolean;
  language: InvoiceLanguage;
  /** The e-Factura would be refused: kept as nok with the field to fix (a stall), never uploaded; resubmitting with the fix sends it. */
  eInvoiceHeld?: { field: string; reason: string } | null;
  /** A credit note: for each of its lines, in order, the line of the credited invoice it credits. */
  creditedLineNos?: number[];
}

async function storeDocument(tx: Tx, tenantId: string, doc: InvoiceDocument, m: StoreMeta): Promise<string> {
  const pdf = await renderInvoicePdf(doc, m.language);
  const t = doc.totals;
  const [inv] = await tx<{ id: string }[]>`
    insert into invoices (tenant_id, kind, series_id, series, number, full_number, order_id, channel_id, client_id, credited_invoice_id,
      source, source_ref, reason, currency, ron_per_unit, issue_date, due_date, seller, buyer, line_net_total, tax_exclusive_total,
      tax_total, tax_total_ron, tax_inclusive_total, payable_total, awb_number, tracking_url, pdf, email_to, order_ref, language)
    values (${tenantId}, ${doc.kind}, ${m.seriesId}, ${m.series}, ${m.number}, ${doc.number}, ${m.orderId}, ${m.channelId}, ${m.clientId},
      ${m.creditedInvoiceId}, ${m.source}, ${m.sourceRef}, ${doc.note}, ${doc.currency}, ${doc.ronPerUnit}, ${doc.issueDate}, ${doc.dueDate},
      ${tx.json(doc.seller as never)}, ${tx.json(doc.buyer as never)}, ${t.lineNetTotal}, ${t.taxExclusiveTotal}, ${t.taxTotal},
      ${t.taxTotalRon}, ${t.taxInclusiveTotal}, ${t.payableTotal}, ${doc.awbNumber}, ${doc.trackingUrl}, ${Buffer.from(pdf)}, ${m.emailTo}, ${doc.orderRef}, ${m.language})
    returning id::text`;
  const invoiceId = inv!.id;
  await storeDocumentExtras(tx, tenantId, invoiceId, doc);
  // One statement each for the lines and the VAT breakdown, not one round trip per row.
  if (doc.lines.length > 0) {
    await tx`insert into invoice_lines ${tx(
      doc.lines.map((l, i) => ({
        tenant_id: tenantId,
        invoice_id: invoiceId,
        line_no: l.lineNo,
        credited_line_no: m.creditedLineNos?.[i] ?? null,
        kind: l.kind,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unit_code: l.unitCode,
        net_price: l.netPrice,
        allowance: l.allowance,
        net_amount: l.netAmount,
        vat_category: l.vatCategory,
        vat_rate: l.vatRate,
      })),
    )}`;
  }
  if (doc.vat.length > 0) {
    await tx`insert into invoice_vat_breakdown ${tx(
      doc.vat.map((v) => ({
        tenant_id: tenantId,
        invoice_id: invoiceId,
        vat_category: v.vatCategory,
        vat_rate: v.vatRate,
        taxable_amount: v.taxableAmount,
        tax_amount: v.taxAmount,
        exemption_reason_code: v.exemptionReasonCode,
        exemption_reason: v.exemptionReason,
      })),
    )}`;
  }
  if (m.eInvoice && m.eInvoiceHeld) {
    const h = m.eInvoiceHeld;
    await tx`insert into e_invoices (tenant_id, invoice_id, standard, xml, state, errors, history)
      values (${tenantId}, ${invoiceId}, ${doc.kind === 'credit_note' ? 'CN' : 'UBL'}, ${renderUbl(doc)}, 'nok', ${tx.json([`${h.field}: ${h.reason}`] as never)},
        ${tx.json([{ at: new Date().toISOString(), event: 'held_before_upload', field: h.field }] as never)})`;
  } else if (m.eInvoice) {
    await tx`insert into e_invoices (tenant_id, invoice_id, standard, xml) values (${tenantId}, ${invoiceId}, ${doc.kind === 'credit_note' ? 'CN' : 'UBL'}, ${renderUbl(doc)})`;
  }
  if (m.emailTo) await enqueue(tx, tenantId, 'invoice.email', { invoiceId }, `invoice.email:${invoiceId}`);
  return invoiceId;
}

/**
 * A credit note (storno) for an invoice: all that is left of it (manual storno) or some lines and
 * quantities (a return; the returns issue calls this with its return id as sourceRef, which makes it
 * idempotent). Amounts are positive; the type code 381 and the reference to the original make it a
 * reduction. An invoice is never credited beyond what it billed: each credit-note line names the
 * invoice line it credits (migration 046), a quantity above what earlier credit notes left is
 * refused, and a storno after a partial return credits the rest only. The credit note that leaves
 * no goods uncredited takes the document-level allowances and charges with it (the order discount
 * the lines do not carry: credited with the last goods, or the credit notes together would give back
 * more than was paid). A return credits goods, and with `withShipping` (a whole order sent back) its
 * last credit note the shipping lines left, as its money back gives the delivery back
 * (return-goods.ts deliveryGivenBack); fees are credited by the storno.
 */
export async function issueCreditNote(
  tx: Tx,
  tenantId: string,
  invoiceId: string,
  o: { source: 'return' | 'storno'; sourceRef?: string | null; reason?: string | null; lines?: Array<{ lineNo: number; quantity: number }>; withShipping?: boolean; now?: Date },
): Promise<{ creditNoteId: string; number: string; created: boolean }> {
  const [lock] = await tx`select id from invoices where tenant_id = ${tenantId} and id = ${invoiceId} for update`;
  if (!lock) throw new DomainError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, [{ path: 'id', reason: 'unknown invoice' }]);
  if (o.sourceRef) {
    const [prev] = await tx<{ id: string; fullNumber: string }[]>`
      select id::text, full_number as "fullNumber" from invoices where tenant_id = ${tenantId} and kind = 'credit_note' and source = ${o.source} and source_ref = ${o.sourceRef}`;
    if (prev) return { creditNoteId: prev.id, number: prev.fullNumber, created: false };
  }
  const { row, doc: original } = await loadInvoiceDocument(tx, tenantId, invoiceId);
  if (row.kind !== 'invoice') throw new DomainError('INVALID_STATE', `Document ${invoiceId} is a credit note; credit the invoice it refers to.`, [{ path: 'id', reason: 'is a credit note' }]);
  const taken = await creditedSoFar(tx, tenantId, invoiceId);
  const left = (l: { lineNo: number; quantity: string }) => Number(l.quantity) - (taken.lines.get(l.lineNo)?.quantity ?? 0);
  if (original.lines.every((l) => left(l) <= 0)) {
    throw new DomainError('CONFLICT', `Invoice ${row.fullNumber} (${invoiceId}) is credited in full already (${taken.numbers.join(', ')}).`, [{ path: 'id', reason: 'already reversed' }]);
  }
  const wanted = o.lines ? new Map(o.lines.map((l) => [l.lineNo, l.quantity])) : null;
  if (wanted) for (const n of wanted.keys()) if (!original.lines.some((l) => l.lineNo === n)) throw new DomainError('VALIDATION', `Invoice ${row.fullNumber} has no line ${n}.`, [{ path: `lines.${n}`, reason: 'unknown line' }]);
  const quantityOf = new Map<number, number>();
  for (const l of original.lines) {
    const qty = wanted ? (wanted.get(l.lineNo) ?? 0) : left(l);
    if (qty <= 0) continue;
    if (qty > left(l)) {
      const before = Number(l.quantity) - left(l);
      throw new DomainError(
        'VALIDATION',
        `Line ${l.lineNo} of invoice ${row.fullNumber} has quantity ${l.quantity}${before > 0 ? `, ${before} of it credited already (${taken.numbers.join(', ')})` : ''}; ${qty} cannot be credited.`,
        [{ path: `lines.${l.lineNo}.quantity`, reason: before > 0 ? `more than is left to credit (${left(l)})` : `more than invoiced (${l.quantity})` }],
      );
    }
    quantityOf.set(l.lineNo, qty);
  }
  if (quantityOf.size === 0) throw new DomainError('VALIDATION', 'Nothing to credit: give at least one line with a quantity above 0.', [{ path: 'lines', reason: 'empty' }]);
  const goodsDone = original.lines.filter((l) => l.kind === 'item').every((l) => left(l) - (quantityOf.get(l.lineNo) ?? 0) <= 0);
  if (goodsDone && o.withShipping) for (const l of original.lines) if (l.kind === 'shipping' && left(l) > 0) quantityOf.set(l.lineNo, left(l));
  const inputs: LineInput[] = [];
  const creditedLineNos: number[] = [];
  for (const l of original.lines) {
    const qty = quantityOf.get(l.lineNo);
    if (!qty) continue;
    // The line's discount in proportion to the quantity. The line's last credit takes what is left of
    // its amount (the discount set so the line comes to it; each credit's price × quantity is rounded
    // on its own), so the credit notes of a line add up to the line to the cent.
    const before = taken.lines.get(l.lineNo);
    let allowance = fromUnits(mulDiv(toUnits(l.allowance), toUnits(String(qty)), toUnits(String(l.quantity))), 2);
    if (qty === left(l) && before) {
      // Price × quantity rounded as computeLines rounds it, less what is left of the line's amount.
      const fitted = toUnits(round2(mulQty(l.netPrice, qty))) - (toUnits(l.netAmount) - toUnits(before.netAmount));
      allowance = fromUnits(fitted >= 0n ? fitted : toUnits(l.allowance) - toUnits(before.allowance), 2);
    }
    inputs.push({ kind: l.kind, sku: l.sku, name: l.name, quantity: qty, unitCode: l.unitCode, unitPrice: l.netPrice, discount: allowance, vatRate: l.vatRate, vatCategory: l.vatCategory });
    creditedLineNos.push(l.lineNo);
  }
  const withAllowances = goodsDone && !taken.allowanceCharges;
  const { lines, vat, totals, allowanceCharges } = computeLines(creditInputs(inputs, original), false, original.ronPerUnit, withAllowances ? (original.allowanceCharges ?? []) : []);
  const { seriesId, number } = await takeNextNumber(tx, tenantId, row.series);
  const issueDate = localDate(o.now ?? new Date());
  const doc: InvoiceDocument = {
    ...original,
    kind: 'credit_note',
    number: `${row.series}${number}`,
    issueDate,
    dueDate: issueDate,
    lines,
    vat,
    totals,
    allowanceCharges,
    note: o.reason ?? (o.source === 'return' ? 'Retur marfă' : 'Stornare factură'),
    credited: { number: row.fullNumber, issueDate: row.issueDate },
  };
  const [e] = await tx`select 1 from e_invoices where tenant_id = ${tenantId} and invoice_id = ${invoiceId}`;
  const id = await storeDocument(tx, tenantId, doc, {
    seriesId,
    series: row.series,
    number,
    orderId: row.orderId,
    channelId: row.channelId,
    clientId: null,
    source: o.source,
    sourceRef: o.sourceRef ?? null,
    creditedInvoiceId: invoiceId,
    // The customer who got the invoice gets its credit note, in the same language.
    emailTo: row.emailTo,
    eInvoice: !!e,
    language: invoiceLanguage(row.language),
    creditedLineNos,
  });
  return { creditNoteId: id, number: doc.number, created: true };
}

/**
 * What the credit notes of an invoice took so far: quantity, discount and amount per invoice line, whether
 * one took the document-level allowances and charges, and their numbers (for the messages).
 */
async function creditedSoFar(tx: Tx, tenantId: string, invoiceId: string) {
  const notes = await tx<{ number: string; allowanceCharges: number }[]>`
    select c.full_number as number, coalesce(jsonb_array_length(c.document_extras -> 'allowanceCharges'), 0)::int as "allowanceCharges"
    from invoices c where c.tenant_id = ${tenantId} and c.credited_invoice_id = ${invoiceId} and c.kind = 'credit_note' order by c.id`;
  const rows = await tx<{ lineNo: number; quantity: string; allowance: string; netAmount: string }[]>`
    select l.credited_line_no as "lineNo", sum(l.quantity)::text as quantity, sum(l.allowance)::text as allowance, sum(l.net_amount)::text as "netAmount"
    from invoices c join invoice_lines l on l.tenant_id = c.tenant_id and l.invoice_id = c.id
    where c.tenant_id = ${tenantId} and c.credited_invoice_id = ${invoiceId} and c.kind = 'credit_note' and l.credited_line_no is not null
    group by l.credited_line_no`;
  return {
    numbers: notes.map((n) => n.number),
    allowanceCharges: notes.some((n) => n.allowanceCharges > 0),
    lines: new Map(rows.map((r) => [r.lineNo, { quantity: Number(r.quantity), allowance: r.allowance, netAmount: r.netAmount }])),
  };
}

export { getInvoice };
