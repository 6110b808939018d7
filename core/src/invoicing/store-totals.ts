import { fromUnits, mulDiv, toUnits } from '../shared/money.ts';
import type { DocLine, Totals } from './invoice-document.ts';

/**
 * What the store charged, beside what our invoice says. An invoice is the legal record of the
 * sale: if its total differs from what the customer paid, either the store's tax settings or our
 * VAT rates are wrong, and neither may be papered over by issuing it anyway.
 */
export interface StoreFigures {
  /** The store's prices include tax (Shopify `taxes_included`, WooCommerce `prices_include_tax`). */
  pricesIncludeTax: boolean;
  /** What the customer was charged (the order's total as the store reports it). */
  total: string;
  /** The tax the store charged on the whole order (lines and shipping). */
  taxTotal: string;
  /** Per goods line, in the invoice's line order: the line total after discounts (store basis) and its tax when the store reports one. */
  lines: Array<{ total: string; tax: string | null }>;
  /** The shipping the store charged, on the store basis. */
  shippingTotal: string;
  /** The fees it charged beside lines and shipping (store basis) and the tax of each when it says. */
  fees?: Array<{ amount: string; tax: string | null }>;
}

export interface LineDifference {
  lineNo: number;
  name: string;
  store: string;
  invoice: string;
}

export interface TotalsMismatch {
  currency: string;
  storeTotal: string;
  invoiceTotal: string;
  difference: string;
  tolerance: string;
  lines: LineDifference[];
}

const CENT = 100n; // 0.01 at the money scale
const HUNDRED = 1_000_000n;

/**
 * Rounding tolerances. Per line, 0.02: each side rounds the line's net and its VAT to the cent once
 * (our net comes from a 4-decimal unit price, so a gross price split back can land one cent off
 * either way). For the total, 0.01 per invoice line, at least 0.02: the store rounds tax per line
 * (Shopify, WooCommerce by default) and EN 16931 rounds it once per VAT rate (BR-CO-17), so the two
 * may drift by up to half a cent per line. A wrong rate on any line is far above both.
 */
export const LINE_TOLERANCE = '0.02';
export const totalTolerance = (lineCount: number): bigint => (lineCount > 2 ? CENT * BigInt(lineCount) : 2n * CENT);

/**
 * Whether the store reported figures at all: a row written without them (total 0 while its lines
 * are worth something) has nothing to compare with, so it is invoiced from its lines as before.
 */
export function storeFiguresKnown(s: StoreFigures): boolean {
  return toUnits(s.total) !== 0n || s.lines.every((l) => toUnits(l.total) === 0n);
}

/**
 * The store charged no tax at all on prices it says exclude tax: a store whose taxes were never
 * set up. The customer paid the shown price, and a price agreed without VAT includes it
 * (CJEU C-249/12 and C-250/12, Tulică and Plavoşin), so the invoice splits that price rather than
 * adding VAT the customer never paid.
 */
export function storeChargedNoTax(s: StoreFigures): boolean {
  return !s.pricesIncludeTax && toUnits(s.taxTotal) === 0n && s.lines.every((l) => l.tax === null || toUnits(l.tax) === 0n);
}

/** A line's gross amount on the invoice: its net plus its VAT, each rounded to the cent. */
const invoiceLineGross = (l: DocLine): bigint => {
  const net = toUnits(l.netAmount);
  return net + toUnits(fromUnits(mulDiv(net, toUnits(l.vatRate), HUNDRED), 2));
};

/**
 * Where the invoice would differ from what the store charged beyond rounding: per line (goods and
 * shipping, on the gross amounts when the store's tax is known, else on the net) and in total.
 * Null when they agree. `taxIncluded` says how the store's amounts were read (split or not).
 */
export function compareWithStore(store: StoreFigures, doc: { lines: DocLine[]; totals: Totals; currency: string }, taxIncluded: boolean): TotalsMismatch | null {
  const lines: LineDifference[] = [];
  const lineTolerance = toUnits(LINE_TOLERANCE);
  const goods = doc.lines.filter((l) => l.kind === 'item');
  const knownLineTax = store.lines.reduce((a, l) => (a === null || l.tax === null ? null : a + toUnits(l.tax)), 0n as bigint | null);
  goods.forEach((l, i) => {
    const s = store.lines[i];
    if (!s) return;
    // Store amounts that exclude tax: compare gross when the store says its tax, else the net.
    const storeAmount = taxIncluded ? toUnits(s.total) : s.tax === null ? toUnits(s.total) : toUnits(s.total) + toUnits(s.tax);
    const ours = taxIncluded || s.tax !== null ? invoiceLineGross(l) : toUnits(l.netAmount);
    if (abs(storeAmount - ours) > lineTolerance) lines.push({ lineNo: l.lineNo, name: l.name, store: fromUnits(storeAmount, 2), invoice: fromUnits(ours, 2) });
  });
  const shipping = doc.lines.find((l) => l.kind === 'shipping');
  if (shipping) {
    // The store's shipping tax is what its tax total leaves after the lines' and the fees' taxes.
    const fees = store.fees ?? [];
    const feeTax = fees.reduce((a, f) => (a === null || f.tax === null ? null : a + toUnits(f.tax)), 0n as bigint | null);
    const shippingTax = taxIncluded ? 0n : knownLineTax === null || feeTax === null ? null : toUnits(store.taxTotal) - knownLineTax - feeTax;
    const storeAmount = toUnits(store.shippingTotal) + (shippingTax ?? 0n);
    const ours = shippingTax === null ? toUnits(shipping.netAmount) : invoiceLineGross(shipping);
    if (abs(storeAmount - ours) > lineTolerance) lines.push({ lineNo: shipping.lineNo, name: shipping.name, store: fromUnits(storeAmount, 2), invoice: fromUnits(ours, 2) });
  }
  const storeTotal = toUnits(store.total);
  const invoiceTotal = toUnits(doc.totals.payableTotal);
  const tolerance = totalTolerance(doc.lines.length);
  const difference = invoiceTotal - storeTotal;
  if (abs(difference) <= tolerance && lines.length === 0) return null;
  return {
    currency: doc.currency,
    storeTotal: fromUnits(storeTotal, 2),
    invoiceTotal: fromUnits(invoiceTotal, 2),
    difference: fromUnits(difference, 2),
    tolerance: fromUnits(tolerance, 2),
    lines,
  };
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** The stall's words: both totals, the lines that differ, and what to correct. */
export function describeMismatch(ref: string, orderId: string, m: TotalsMismatch): { message: string; fix: string } {
  const shown = m.lines
    .slice(0, 5)
    .map((l) => `line ${l.lineNo} "${l.name}": store ${l.store}, invoice ${l.invoice}`)
    .join('; ');
  return {
    message: `${ref}: the store charged ${m.storeTotal} ${m.currency}, the invoice would be ${m.invoiceTotal} ${m.currency} (difference ${m.difference}, beyond the ${m.tolerance} of rounding)${shown ? `; ${shown}${m.lines.length > 5 ? '; …' : ''}` : ''}. The invoice is held, not issued.`,
    fix:
      `Make the two agree: check the VAT rate of each product that differs (Catalog, or the order line's rate) and the store's tax settings (tax rates, prices entered with or without tax); a fee the store charged outside the lines is on the invoice only when the store reports it (WooCommerce fee lines). Then issue the invoice from the order. If the store's figures cannot be corrected, issue it as computed at ${m.invoiceTotal} ${m.currency} with the reason ("Issue anyway" on this stall; over the API, acceptStoreDifference on POST /api/v1/orders/${orderId}/invoice): the reason is kept with the invoice.`,
  };
}
