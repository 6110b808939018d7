import { fromUnits, mulDiv, toUnits } from '../shared/money.ts';
import type { AllowanceChargeInput, LineInput, Party, PaymentMeans, VatCategory } from './invoice-document.ts';
import { EU_COUNTRIES } from './vat-number.ts';

/**
 * How an order's lines are taxed on its invoice, decided from the product, the client and the seller
 * profile. Kept out of the amounts (issue-invoice.ts) so that the data path reads in one place.
 */

/** A product's own VAT treatment (products.vat_category, vat_exemption_code, vat_exemption_reason). */
export interface ProductTreatment {
  /** 'S' (or null): taxed at its rate; 'Z' zero-rated; 'E' exempt (with the reason); 'AE' domestic reverse charge (art. 331). */
  vatCategory: 'S' | 'Z' | 'E' | 'AE' | null;
  exemptionCode: string | null;
  exemptionReason: string | null;
}

/** Key 279146358279 (Romanian personal numeric code, CNP). */
export function isValidCnp(value: string | null | undefined): boolean {
  const c = value?.replace(/\s/g, '') ?? '';
  if (!/^[1-9]\d{12}$/.test(c)) return false;
  const key = '279146358279';
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(c[i]) * Number(key[i]);
  const control = sum % 11 === 10 ? 1 : sum % 11;
  return control === Number(c[12]);
}

/** BR-RO-120: a buyer without a CUI/VAT id is identified by its CNP, or by thirteen zeros (ANAF's rule for persons and foreign buyers). */
export const NO_CNP = '0000000000000';

/**
 * The category of a line: a seller not registered for VAT supplies outside its scope (O); goods
 * to a buyer outside the EU are an export (G); to an EU business with a valid VAT id an
 * intra-community supply (K). Otherwise the product says: exempt (E) stays exempt, domestic
 * reverse charge (AE) applies only between two Romanian VAT payers (to a consumer it is taxed at
 * the product's rate), zero-rated (Z), else S at the rate (or Z at 0 %).
 */
export function lineCategory(p: ProductTreatment | null | undefined, buyer: Party, b2b: boolean, sellerVatRegistered: boolean): VatCategory | undefined {
  if (!sellerVatRegistered) return 'O';
  if (buyer.countryCode !== 'RO' && !EU_COUNTRIES.has(buyer.countryCode)) return 'G';
  if (buyer.countryCode !== 'RO' && b2b) return 'K';
  if (p?.vatCategory === 'E') return 'E';
  if (p?.vatCategory === 'AE') return buyer.countryCode === 'RO' && b2b ? 'AE' : undefined;
  if (p?.vatCategory === 'Z') return 'Z';
  return undefined;
}

/** A line's category with the product's exemption fields, and the rate a non-VAT seller's price never contains. */
export function treatLine(line: LineInput, p: ProductTreatment | null | undefined, category: VatCategory | undefined): LineInput {
  const out: LineInput = { ...line };
  if (category) out.vatCategory = category;
  // A seller outside VAT charges none: its prices hold no VAT to take out.
  if (category === 'O') out.vatRate = '0';
  if (category === 'E' && p) {
    out.exemptionCode = p.exemptionCode;
    out.exemptionReason = p.exemptionReason;
  }
  return out;
}

interface Share {
  vatRate: string;
  vatCategory?: VatCategory;
  exemptionCode?: string | null;
  exemptionReason?: string | null;
  weight: bigint;
}

/** The goods' tax groups, weighted by their value (quantity × price − discount, on the store's basis). */
function goodsShares(goods: LineInput[]): Share[] {
  const m = new Map<string, Share>();
  for (const l of goods) {
    const key = `${l.vatCategory ?? ''}:${toUnits(l.vatRate)}`;
    const s = m.get(key) ?? { vatRate: l.vatRate, ...(l.vatCategory ? { vatCategory: l.vatCategory } : {}), exemptionCode: l.exemptionCode ?? null, exemptionReason: l.exemptionReason ?? null, weight: 0n };
    s.weight += toUnits(l.unitPrice) * BigInt(l.quantity) - toUnits(l.discount);
    m.set(key, s);
  }
  return [...m.values()];
}

/** Splits an amount over the shares in proportion to their weight, the last share taking the rounding remainder. */
function split(amount: string, shares: Share[]): Array<{ share: Share; amount: string }> {
  const total = shares.reduce((a, s) => a + (s.weight > 0n ? s.weight : 0n), 0n);
  const units = toUnits(amount);
  if (shares.length === 1 || total === 0n) return [{ share: shares[0]!, amount: fromUnits(units, 2) }];
  let left = units;
  return shares.map((s, i) => {
    const part = i === shares.length - 1 ? left : toUnits(fromUnits(mulDiv(units, s.weight > 0n ? s.weight : 0n, total), 2));
    left -= part;
    return { share: s, amount: fromUnits(part, 2) };
  });
}

const percent = (rate: string) => `${Number(rate)}%`;

/**
 * Shipping is accessory to the goods and follows their tax (Cod fiscal art. 286 (1) b: the taxable
 * amount includes transport invoiced with the goods): one line at the goods' rate and category;
 * when the goods carry several rates, one shipping line per rate, the amount split in proportion
 * to the goods' value at each rate.
 */
/** `label` is the shipping line's name in the invoice's language; with several rates each part names its rate. */
export function shippingInputs(goods: LineInput[], shippingTotal: string, fallbackRate: string, label = 'Transport'): LineInput[] {
  return accessoryInputs('shipping', goods, shippingTotal, fallbackRate, (rate, parts) => (parts > 1 ? `${label} (${label === 'Transport' ? 'cota ' : 'VAT '}${percent(rate)})` : label));
}

/**
 * The fees the store charged beside the goods (a cash-on-delivery fee, a packing fee) are accessory
 * costs of the supply and follow the goods' tax as shipping does (Cod fiscal art. 286 (1) b):
 * each positive fee a line under its own name, split by rate like shipping. A negative fee is a
 * discount, not a line: `feeDiscount` adds it to the document-level allowance.
 */
export function feeInputs(goods: LineInput[], fees: Array<{ name: string; amount: string }>, fallbackRate: string): LineInput[] {
  return fees
    .filter((f) => toUnits(f.amount) > 0n)
    .flatMap((f) => accessoryInputs('fee', goods, f.amount, fallbackRate, (rate, parts) => (parts > 1 ? `${f.name} (${percent(rate)})` : f.name)));
}

/** The discount given as negative fees, as a positive amount ('0' when none). */
export function feeDiscount(fees: Array<{ amount: string }>): string {
  const units = fees.reduce((a, f) => (toUnits(f.amount) < 0n ? a - toUnits(f.amount) : a), 0n);
  return fromUnits(units, 2);
}

function accessoryInputs(kind: 'shipping' | 'fee', goods: LineInput[], total: string, fallbackRate: string, name: (vatRate: string, parts: number) => string): LineInput[] {
  if (toUnits(total) <= 0n) return [];
  const shares = goods.length > 0 ? goodsShares(goods) : [{ vatRate: fallbackRate, weight: 1n }];
  const parts = split(total, shares);
  return parts
    .filter((p) => toUnits(p.amount) > 0n)
    .map(({ share, amount }) => ({
      kind,
      sku: null,
      name: name(share.vatRate, parts.length),
      quantity: 1,
      unitPrice: amount,
      discount: '0',
      vatRate: share.vatRate,
      ...(share.vatCategory ? { vatCategory: share.vatCategory } : {}),
      ...(share.exemptionCode ? { exemptionCode: share.exemptionCode } : {}),
      ...(share.exemptionReason ? { exemptionReason: share.exemptionReason } : {}),
    }));
}

/**
 * The order's discount not already given on its lines (discount_total − the lines' discounts) as a
 * document-level allowance (BG-20, reason 95), one per tax group of the goods, split by value.
 */
export function documentDiscounts(goods: LineInput[], orderDiscountTotal: string | null | undefined): AllowanceChargeInput[] {
  if (!orderDiscountTotal || goods.length === 0) return [];
  const onLines = goods.reduce((a, l) => a + toUnits(l.discount), 0n);
  const rest = toUnits(orderDiscountTotal) - onLines;
  if (rest < 50n) return []; // under half a ban: the lines' rounding
  return split(fromUnits(rest, 2), goodsShares(goods))
    .filter((p) => toUnits(p.amount) > 0n)
    .map(({ share, amount }) => ({
      charge: false,
      reasonCode: '95',
      reason: 'Discount',
      amount,
      vatRate: share.vatRate,
      ...(share.vatCategory ? { vatCategory: share.vatCategory } : {}),
      ...(share.exemptionCode ? { exemptionCode: share.exemptionCode } : {}),
      ...(share.exemptionReason ? { exemptionReason: share.exemptionReason } : {}),
    }));
}

/**
 * UNCL 4461 payment means from the order's payment method as the stores and the manual order
 * write it: card (48 bank card; 54 credit card when the gateway says so), online wallets (68),
 * cash on delivery (10 in cash: the courier collects cash for the seller, the code ANAF's own
 * examples use for numerar), cash (10), bank transfer (30 credit transfer, with the seller's IBAN;
 * 42 payment to bank account when no IBAN is known). Unknown: 30 with an IBAN, else 1 (not defined).
 */
export function paymentMeansFor(method: string | null | undefined, hasIban: boolean): PaymentMeans {
  const m = (method ?? '').toLowerCase();
  const transfer = (text: string): PaymentMeans => (hasIban ? { code: '30', text } : { code: '42', text });
  if (/\bcod\b|cash on delivery|ramburs|collect/.test(m)) return { code: '10', text: 'Ramburs (numerar la livrare)' };
  if (/^cash$|numerar|\bcash\b/.test(m)) return { code: '10', text: 'Numerar' };
  if (/credit card|credit_card/.test(m)) return { code: '54', text: 'Card de credit' };
  if (/card|visa|mastercard|maestro|stripe|shopify_payments|netopia|mobilpay|euplatesc|payu|bogus/.test(m)) return { code: '48', text: 'Card bancar' };
  if (/paypal|revolut|apple|google/.test(m)) return { code: '68', text: 'Plată online' };
  if (/bank|transfer|bacs|wire|virament|op\b|cheque/.test(m)) return transfer('Ordin de plată');
  return hasIban ? { code: '30', text: null } : { code: '1', text: null };
}

/** BT-22: the profile's invoice note, and on a foreign-currency invoice the BNR rate its RON VAT is computed at. */
export function invoiceNote(profileNote: string | null | undefined, currency: string, ronPerUnit: string | null): string | null {
  const parts: string[] = [];
  if (profileNote?.trim()) parts.push(profileNote.trim());
  if (currency !== 'RON' && ronPerUnit) parts.push(`Curs BNR: 1 ${currency} = ${Number(ronPerUnit).toFixed(4)} RON`);
  return parts.length ? parts.join(' · ') : null;
}

/**
 * Why a buyer's e-Factura cannot be built for upload, naming the order field to fix: a Romanian
 * address needs its county (BR-RO-110/111) and a Bucharest one its sector (BR-RO-101).
 */
export function eInvoiceHold(buyer: Party): { field: string; reason: string } | null {
  if (buyer.countryCode !== 'RO') return null;
  if (!buyer.countySubentity) return { field: 'billingAddress.province', reason: 'the county is missing or not recognised (BR-RO-111), and the postal code does not name one' };
  if (buyer.countySubentity === 'RO-B' && !/^SECTOR[1-6]$/.test(buyer.city)) return { field: 'billingAddress.city', reason: 'a Bucharest address must name its sector, e.g. "Sector 4" (BR-RO-101)' };
  return null;
}

/**
 * BR-RO-120: the buyer's legal registration id when it has no valid CUI/VAT id: the CNP a
 * Romanian customer gave (on the client or the address), a foreign buyer's own tax number as
 * typed, else thirteen zeros.
 */
export function buyerLegalId(countryCode: string, rawTaxId: string | null | undefined, cnp: string | null | undefined): string {
  for (const c of [cnp, rawTaxId]) if (isValidCnp(c)) return c!.replace(/\s/g, '');
  const raw = rawTaxId?.trim();
  if (countryCode !== 'RO' && raw) return raw.slice(0, 100);
  return NO_CNP;
}
