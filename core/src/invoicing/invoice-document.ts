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
  kind: 'item' | 'shipping';
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
}

export interface DocLine {
  lineNo: number;
  kind: 'item' | 'shipping';
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

/**
 * EN 16931 arithmetic: each line's net amount is rounded to 2 decimals (BT-131 = quantity × net
 * price − line allowance); VAT is computed once per category and rate on the sum of its line net
 * amounts (BR-CO-17), and the document totals are sums of those rounded figures (BR-CO-10..16).
 * Gross store prices are converted to net per unit (4 decimals) and the discount to net.
 */
export function computeLines(inputs: LineInput[], pricesIncludeTax: boolean, ronPerUnit: string | null) {
  const lines: DocLine[] = inputs.map((l, i) => {
    const rate = toUnits(l.vatRate);
    const category = categoryFor(l.vatRate, l.vatCategory);
    // A gross store price includes the product's rate even when the supply turns out zero-rated (K, G).
    const toNet = (u: bigint) => (pricesIncludeTax && rate > 0n ? mulDiv(u, HUNDRED, HUNDRED + rate) : u);
    const netPrice = toNet(toUnits(l.unitPrice));
    const gross = r2(netPrice * BigInt(l.quantity));
    const allowance = r2(toNet(toUnits(l.discount)));
    return {
      lineNo: i + 1,
      kind: l.kind,
      sku: l.sku,
      name: l.name,
      quantity: String(l.quantity),
      unitCode: l.unitCode ?? (l.kind === 'shipping' ? 'C62' : 'H87'),
      netPrice: fromUnits(netPrice, 4),
      allowance: fromUnits(allowance, 2),
      netAmount: fromUnits(gross - allowance, 2),
      vatCategory: category,
      vatRate: category === 'S' ? fromUnits(rate, 2) : '0.00',
    };
  });
  const groups = new Map<string, { category: VatCategory; rate: bigint; taxable: bigint }>();
  for (const l of lines) {
    const key = `${l.vatCategory}:${l.vatRate}`;
    const g = groups.get(key) ?? { category: l.vatCategory, rate: toUnits(l.vatRate), taxable: 0n };
    g.taxable += toUnits(l.netAmount);
    groups.set(key, g);
  }
  const vat: VatRow[] = [...groups.values()].map((g) => ({
    vatCategory: g.category,
    vatRate: fromUnits(g.rate, 2),
    taxableAmount: fromUnits(g.taxable, 2),
    taxAmount: fromUnits(mulDiv(g.taxable, g.rate, HUNDRED), 2),
    exemptionReasonCode: EXEMPTIONS[g.category]?.code ?? null,
    exemptionReason: EXEMPTIONS[g.category]?.text ?? null,
  }));
  const lineNet = lines.reduce((a, l) => a + toUnits(l.netAmount), 0n);
  const tax = vat.reduce((a, v) => a + toUnits(v.taxAmount), 0n);
  const taxRon = ronPerUnit ? r2(mulDiv(tax, toUnits(ronPerUnit), 10_000n)) : null;
  const totals: Totals = {
    lineNetTotal: fromUnits(lineNet, 2),
    taxExclusiveTotal: fromUnits(lineNet, 2),
    taxTotal: fromUnits(tax, 2),
    taxTotalRon: taxRon === null ? null : fromUnits(taxRon, 2),
    taxInclusiveTotal: fromUnits(lineNet + tax, 2),
    payableTotal: fromUnits(lineNet + tax, 2),
  };
  return { lines, vat, totals };
}
