/**
 * The words of an invoice or credit note as the customer reads them (the PDF and its e-mail), in
 * Romanian or English. The e-Factura XML has no language: its codes are the same for both.
 */
export const INVOICE_LANGUAGES = ['ro', 'en'] as const;
export type InvoiceLanguage = (typeof INVOICE_LANGUAGES)[number];

export const invoiceLanguage = (raw: string | null | undefined): InvoiceLanguage => (raw === 'en' ? 'en' : 'ro');

export interface PdfWords {
  title: string;
  creditTitle: string;
  /** The PDF's document title (its metadata), e.g. "Factură EXP12". */
  docTitle: string;
  creditDocTitle: string;
  number: string;
  creditNumber: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  bnrRate: (rate: string) => string;
  reverses: (number: string, date: string) => string;
  seller: string;
  buyer: string;
  vatId: string;
  legalId: string;
  tradeRegister: string;
  bank: string;
  email: string;
  orderRef: string;
  lineNo: string;
  name: string;
  quantity: string;
  unitPrice: string;
  vat: string;
  netAmount: string;
  discount: string;
  vatBreakdown: string;
  taxable: string;
  totalNet: string;
  totalVat: string;
  totalVatRon: string;
  payable: string;
  refund: string;
  /** The line a shipping charge is written as. */
  shipping: string;
  /** Thousands and decimal separators. */
  separators: [string, string];
  /** The exemption text of a VAT category, by its VATEX code (null: the document's own text). */
  exemption: (code: string | null) => string | null;
}

const RO: PdfWords = {
  title: 'FACTURĂ',
  creditTitle: 'FACTURĂ STORNO',
  docTitle: 'Factură',
  creditDocTitle: 'Factură storno',
  number: 'Seria și nr.',
  creditNumber: 'Seria și nr.',
  issueDate: 'Data emiterii',
  dueDate: 'Data scadenței',
  currency: 'Moneda',
  bnrRate: (rate) => `curs BNR ${rate} RON`,
  reverses: (n, d) => `Stornează factura ${n} din ${d}`,
  seller: 'FURNIZOR',
  buyer: 'CUMPĂRĂTOR',
  vatId: 'CUI/CIF',
  legalId: 'CUI/Nr. înreg.',
  tradeRegister: 'Reg. Com.',
  bank: 'Banca',
  email: 'E-mail',
  orderRef: 'Referință comandă',
  lineNo: 'Nr.',
  name: 'Denumire',
  quantity: 'Cant.',
  unitPrice: 'Preț unitar',
  vat: 'TVA',
  netAmount: 'Valoare fără TVA',
  discount: 'reducere',
  vatBreakdown: 'Defalcare TVA',
  taxable: 'Bază impozabilă',
  totalNet: 'Total fără TVA',
  totalVat: 'Total TVA',
  totalVatRon: 'Total TVA în RON',
  payable: 'Total de plată',
  refund: 'Total de restituit',
  shipping: 'Transport',
  separators: ['.', ','],
  exemption: () => null,
};

/** The legal grounds stay Romania's (the seller's law); only the words are translated. */
const EN_EXEMPTIONS: Record<string, string> = {
  'VATEX-EU-132': 'VAT exempt under art. 292 of the Romanian Fiscal Code',
  'VATEX-EU-AE': 'Reverse charge',
  'VATEX-EU-IC': 'Intra-Community supply, exempt under art. 294(2) of the Romanian Fiscal Code',
  'VATEX-EU-G': 'Export, exempt under art. 294(1) of the Romanian Fiscal Code',
  'VATEX-EU-O': 'Not subject to VAT',
};

const EN: PdfWords = {
  title: 'INVOICE',
  creditTitle: 'CREDIT NOTE',
  docTitle: 'Invoice',
  creditDocTitle: 'Credit note',
  number: 'Invoice no.',
  creditNumber: 'Credit note no.',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  currency: 'Currency',
  bnrRate: (rate) => `BNR rate ${rate} RON`,
  reverses: (n, d) => `Reverses invoice ${n} of ${d}`,
  seller: 'SELLER',
  buyer: 'BUYER',
  vatId: 'VAT ID',
  legalId: 'Company ID',
  tradeRegister: 'Trade register',
  bank: 'Bank',
  email: 'E-mail',
  orderRef: 'Order reference',
  lineNo: 'No.',
  name: 'Description',
  quantity: 'Qty',
  unitPrice: 'Unit price',
  vat: 'VAT',
  netAmount: 'Amount excl. VAT',
  discount: 'discount',
  vatBreakdown: 'VAT breakdown',
  taxable: 'Taxable amount',
  totalNet: 'Total excl. VAT',
  totalVat: 'Total VAT',
  totalVatRon: 'Total VAT in RON',
  payable: 'Total due',
  refund: 'Total to refund',
  shipping: 'Shipping',
  separators: [',', '.'],
  exemption: (code) => (code ? (EN_EXEMPTIONS[code] ?? null) : null),
};

export const pdfWords = (language: InvoiceLanguage): PdfWords => (language === 'en' ? EN : RO);

export interface InvoiceMail {
  subject: string;
  text: string;
  filename: string;
}

/** The e-mail that carries an invoice or a credit note to the customer. */
export function invoiceMail(
  language: InvoiceLanguage,
  m: { kind: 'invoice' | 'credit_note'; number: string; buyer: string; total: string; currency: string; seller: string; awb: string | null; tracking: string | null; credited: string | null },
): InvoiceMail {
  const credit = m.kind === 'credit_note';
  if (language === 'en') {
    const lines = [
      `Hello ${m.buyer},`,
      '',
      credit
        ? `Please find attached credit note ${m.number}${m.credited ? `, reversing invoice ${m.credited}` : ''}, for ${m.total} ${m.currency}.`
        : `Please find attached invoice ${m.number} for ${m.total} ${m.currency}.`,
      ...(m.awb && !credit ? [`Your parcel's AWB is ${m.awb}.`] : []),
      ...(m.tracking && !credit ? [`Track the parcel: ${m.tracking}`] : []),
      '',
      'Thank you,',
      m.seller,
    ];
    return { subject: `${credit ? 'Credit note' : 'Invoice'} ${m.number} — ${m.seller}`, text: lines.join('\n'), filename: `${credit ? 'Credit-note' : 'Invoice'}-${m.number}.pdf` };
  }
  const lines = [
    `Bună ziua, ${m.buyer},`,
    '',
    credit
      ? `Vă transmitem atașat factura storno ${m.number}${m.credited ? `, care stornează factura ${m.credited}` : ''}, în valoare de ${m.total} ${m.currency}.`
      : `Vă transmitem atașat factura ${m.number} în valoare de ${m.total} ${m.currency}.`,
    ...(m.awb && !credit ? [`Coletul dumneavoastră are AWB-ul ${m.awb}.`] : []),
    ...(m.tracking && !credit ? [`Urmărire colet: ${m.tracking}`] : []),
    '',
    'Mulțumim,',
    m.seller,
  ];
  return { subject: `${credit ? 'Factura storno' : 'Factura'} ${m.number} — ${m.seller}`, text: lines.join('\n'), filename: `${credit ? 'Factura-storno' : 'Factura'}-${m.number}.pdf` };
}
