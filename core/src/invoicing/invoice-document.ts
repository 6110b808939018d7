import { fromUnits, mulDiv, toUnits } from '../shared/money.ts';

/**
 * The invoice (or credit note) as a document: everything the PDF, the UBL and the database rows
 * are made from. Amounts are decimal strings; a credit note carries positive amounts (its type
 * code 381 says it reduces).
 */
export type VatCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface Party {
  name: string;
  /** VAT id with country prefix (BT-31/BT-48), when VAT-registered. */
  vatId: string | null;
  /** Legal registration id (BT-30/BT-47): the bare CUI for Romanian companies. */
  legalId: string | null;
  tradeRegisterNo: string | null;
  street: string;
  city: string;
  /** ISO 3166-2 subdivision ('RO-CJ'); required for Romania. */
  countySubentity: string | null;
  postalCode: string | null;
  countryCode: string;
  email: string | null;
  phone: string | null;
  bankName: string | null;
  iban: string | null;
  isCompany: boolean;
}

export interface LineInput {
  kind: 'item' | 'shipping' | 'fee';
  sku: string | null;
  name: string;
  quantity: number;
  unitCode?: string;
  /** Unit price before discount, gross or net per `pricesIncludeTax`. */
  unitPrice: string;
  /** Discount for the whole line, same basis as unitPrice. */
  discount: string;
  vatRate: string;
  vatCategory?: VatCategory;
  /** For E (exempt): the VATEX code and the legal text from the product; defaults below otherwise. */
  exemptionCode?: string | null;
  exemptionReason?: string | null;
}

/** A document-level allowance (BG-20, e.g. an order discount) or charge (BG-21), same basis as the line prices. */
export interface AllowanceChargeInput {
  charge: boolean;
  reasonCode: string;
  reason: string;
  amount: string;
  vatRate: string;
  vatCategory?: VatCategory;
  exemptionCode?: string | null;
  exemptionReason?: string | null;
}

export interface DocAllowanceCharge {
  charge: boolean;
  reasonCode: string;
  reason: string;
  /** Net amount, 2 decimals. */
  amount: string;
  vatCategory: VatCategory;
  vatRate: string;
}

/** Payment means (BG-16): UNCL4461 code and the text shown beside it (BT-82). */
export interface PaymentMeans {
  code: string;
  text: string | null;
}

export interface DocLine {
  lineNo: number;
  kind: 'item' | 'shipping' | 'fee';
  sku: string | null;
  name: string;
  quantity: string;
  unitCode: string;
  netPrice: string;
  allowance: string;
  netAmount: string;
  vatCategory: VatCategory;
  vatRate: string;
}

export interface VatRow {
  vatCategory: VatCategory;
  vatRate: string;
  taxableAmount: string;
  taxAmount: string;
  exemptionReasonCode: string | null;
  exemptionReason: string | null;
}

export interface Totals {
  lineNetTotal: string;
  taxExclusiveTotal: string;
  taxTotal: string;
  taxTotalRon: string | null;
  taxInclusiveTotal: string;
  payableTotal: string;
}

/** The record of an invoice issued by hand although its total differs from the store's (IssueOptions.acceptStoreDifference). */
export interface StoreDifference {
  storeTotal: string;
  invoiceTotal: string;
  difference: string;
  currency: string;
  reason: string;
  acceptedBy: string;
  acceptedAt: string;
}

export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  ronPerUnit: string | null;
  seller: Party;
  buyer: Party;
  lines: DocLine[];
  vat: VatRow[];
  totals: Totals;
  orderRef: string | null;
  note: string | null;
  credited: { number: string; issueDate: string } | null;
  awbNumber: string | null;
  trackingUrl: string | null;
  /** Where the goods go (BG-15) when not the buyer's address; required for K (BR-IC-12). */
  delivery?: Party | null;
  paymentMeans?: PaymentMeans | null;
  allowanceCharges?: DocAllowanceCharge[];
  /** Issued although it differs from what the store charged, on the record of who accepted that and why. */
  storeDifference?: StoreDifference | null;
}

const EXEMPTIONS: Partial<Record<VatCategory, { code: string; text: string }>> = {
  E: { code: 'VATEX-EU-132', text: 'Scutit de TVA conform art. 292 Cod fiscal' },
  AE: { code: 'VATEX-EU-AE', text: 'Taxare inversă' },
  K: { code: 'VATEX-EU-IC', text: 'Livrare intracomunitară scutită conform art. 294 alin. (2) Cod fiscal' },
  G: { code: 'VATEX-EU-G', text: 'Export scutit conform art. 294 alin. (1) Cod fiscal' },
  O: { code: 'VATEX-EU-O', text: 'Neinclus în sfera TVA' },
};

const HUNDRED = 1_000_000n; // 100 at the money scale (4 decimals)

const r2 = (u: bigint) => toUnits(fromUnits(u, 2));

export function categoryFor(rate: string, explicit?: VatCategory): VatCategory {
  if (explicit) return explicit;
  return toUnits(rate) > 0n ? 'S' : 'Z';
}

/** Only S carries a rate above zero; every other category is 0 % (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05). */
const docRate = (category: VatCategory, rate: bigint) => (category === 'S' ? fromUnits(rate, 2) : '0.00');

/**
 * EN 16931 arithmetic: each line's net amount is rounded to 2 decimals (BT-131 = quantity × net
 * price − line allowance); VAT is computed once per category and rate on the sum of its line net
 * amounts less the document allowances plus the charges of that category (BR-CO-17, BR-S-08), and
 * the document totals are sums of those rounded figures (BR-CO-10..16). Gross store prices are
 * converted to net per unit (4 decimals) and the discounts to net.
 */
export function computeLines(inputs: LineInput[], pricesIncludeTax: boolean, ronPerUnit: string | null, acInputs: AllowanceChargeInput[] = []) {
  const exemptionOf = new Map<string, { code: string; text: string }>();
  const noteExemption = (category: VatCategory, rateText: string, code?: string | null, text?: string | null) => {
    const key = `${category}:${rateText}`;
    if (!exemptionOf.has(key) && (code || text)) {
      const d = EXEMPTIONS[category];
      exemptionOf.set(key, { code: code || d?.code || 'VATEX-EU-132', text: text || d?.text || '' });
    }
  };
  const lines: DocLine[] = inputs.map((l, i) => {
    const rate = toUnits(l.vatRate);
    const category = categoryFor(l.vatRate, l.vatCategory);
    // A gross store price includes the product's rate even when the supply turns out zero-rated (K, G).
    const toNet = (u: bigint) => (pricesIncludeTax && rate > 0n ? mulDiv(u, HUNDRED, HUNDRED + rate) : u);
    const netPrice = toNet(toUnits(l.unitPrice));
    const gross = r2(netPrice * BigInt(l.quantity));
    const allowance = r2(toNet(toUnits(l.discount)));
    const vatRate = docRate(category, rate);
    if (category === 'E') noteExemption(category, vatRate, l.exemptionCode, l.exemptionReason);
    return {
      lineNo: i + 1,
      kind: l.kind,
      sku: l.sku,
      name: l.name,
      quantity: String(l.quantity),
      unitCode: l.unitCode ?? (l.kind === 'item' ? 'H87' : 'C62'),
      netPrice: fromUnits(netPrice, 4),
      allowance: fromUnits(allowance, 2),
      netAmount: fromUnits(gross - allowance, 2),
      vatCategory: category,
      vatRate,
    };
  });
  const allowanceCharges: DocAllowanceCharge[] = acInputs.map((a) => {
    const rate = toUnits(a.vatRate);
    const category = categoryFor(a.vatRate, a.vatCategory);
    const amount = pricesIncludeTax && rate > 0n ? mulDiv(toUnits(a.amount), HUNDRED, HUNDRED + rate) : toUnits(a.amount);
    const vatRate = docRate(category, rate);
    if (category === 'E') noteExemption(category, vatRate, a.exemptionCode, a.exemptionReason);
    return { charge: a.charge, reasonCode: a.reasonCode, reason: a.reason, amount: fromUnits(r2(amount), 2), vatCategory: category, vatRate };
  });
  const groups = new Map<string, { category: VatCategory; rate: bigint; taxable: bigint }>();
  const add = (category: VatCategory, rateText: string, amount: bigint) => {
    const key = `${category}:${rateText}`;
    const g = groups.get(key) ?? { category, rate: toUnits(rateText), taxable: 0n };
    g.taxable += amount;
    groups.set(key, g);
  };
  for (const l of lines) add(l.vatCategory, l.vatRate, toUnits(l.netAmount));
  for (const a of allowanceCharges) add(a.vatCategory, a.vatRate, a.charge ? toUnits(a.amount) : -toUnits(a.amount));
  const vat: VatRow[] = [...groups.entries()].map(([key, g]) => {
    const ex = exemptionOf.get(key) ?? EXEMPTIONS[g.category] ?? null;
    return {
      vatCategory: g.category,
      vatRate: fromUnits(g.rate, 2),
      taxableAmount: fromUnits(g.taxable, 2),
      taxAmount: fromUnits(mulDiv(g.taxable, g.rate, HUNDRED), 2),
      exemptionReasonCode: ex?.code ?? null,
      exemptionReason: ex?.text ?? null,
    };
  });
  const lineNet = lines.reduce((a, l) => a + toUnits(l.netAmount), 0n);
  const allowances = allowanceCharges.reduce((a, x) => a + (x.charge ? 0n : toUnits(x.amount)), 0n);
  const charges = allowanceCharges.reduce((a, x) => a + (x.charge ? toUnits(x.amount) : 0n), 0n);
  const net = lineNet - allowances + charges;
  const tax = vat.reduce((a, v) => a + toUnits(v.taxAmount), 0n);
  const taxRon = ronPerUnit ? r2(mulDiv(tax, toUnits(ronPerUnit), 10_000n)) : null;
  const totals: Totals = {
    lineNetTotal: fromUnits(lineNet, 2),
    taxExclusiveTotal: fromUnits(net, 2),
    taxTotal: fromUnits(tax, 2),
    taxTotalRon: taxRon === null ? null : fromUnits(taxRon, 2),
    taxInclusiveTotal: fromUnits(net + tax, 2),
    payableTotal: fromUnits(net + tax, 2),
  };
  return { lines, vat, totals, allowanceCharges };
}
