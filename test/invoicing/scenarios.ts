import { buyerFrom } from '../../core/src/invoicing/issue-invoice.ts';
import { type AllowanceChargeInput, computeLines, type InvoiceDocument, type LineInput, type Party, type PaymentMeans } from '../../core/src/invoicing/invoice-document.ts';
import { paymentMeansFor, shippingInputs } from '../../core/src/invoicing/invoice-treatment.ts';

/** The seller of every scenario: checksum-valid CUI, Bucharest sector 1 (BR-RO-100). */
export const SELLER: Party = {
  name: 'Expedio Demo SRL',
  vatId: 'RO13548146',
  legalId: '13548146',
  tradeRegisterNo: 'J40/1234/2020',
  street: 'Str. Ștefan cel Mare nr. 10',
  city: 'SECTOR1',
  countySubentity: 'RO-B',
  postalCode: '010101',
  countryCode: 'RO',
  email: 'facturi@expedio.test',
  phone: '0212345678',
  bankName: 'Banca Transilvania',
  iban: 'RO49AAAA1B31007593840000',
  isCompany: true,
};

const party = (p: Partial<Party>): Party => ({
  name: 'Client SRL',
  vatId: null,
  legalId: null,
  tradeRegisterNo: null,
  street: 'Str. Principală 1',
  city: 'Cluj-Napoca',
  countySubentity: 'RO-CJ',
  postalCode: '400001',
  countryCode: 'RO',
  email: 'contabilitate@client.test',
  phone: null,
  bankName: null,
  iban: null,
  isCompany: true,
  ...p,
});

export const BUYERS = {
  roCluj: party({ name: 'Țesătoria Âmbră SRL', vatId: 'RO18547290', legalId: '18547290' }),
  roBucharest: party({ name: 'Înălțimi Distribuție SRL', vatId: 'RO4267117', legalId: '4267117', city: 'SECTOR3', countySubentity: 'RO-B', postalCode: '030167' }),
  roNonVat: party({ name: 'Asociația Șoimii', vatId: null, legalId: '6859662', city: 'Iași', countySubentity: 'RO-IS', postalCode: '700001' }),
  eu: party({ name: 'Müller Handel GmbH', vatId: 'DE123456789', legalId: 'HRB 12345', street: 'Hauptstraße 5', city: 'Berlin', countySubentity: null, postalCode: '10115', countryCode: 'DE' }),
  nonEu: party({ name: 'Alpen Trade AG', vatId: null, legalId: 'CHE-123.456.789', street: 'Bahnhofstrasse 1', city: 'Zürich', countySubentity: null, postalCode: '8001', countryCode: 'CH' }),
};

const item = (sku: string, name: string, quantity: number, unitPrice: string, vatRate = '21', discount = '0', extra: Partial<LineInput> = {}): LineInput => ({
  kind: 'item',
  sku,
  name,
  quantity,
  unitPrice,
  discount,
  vatRate,
  ...extra,
});
const shipping = (price: string, vatRate = '21'): LineInput => ({ kind: 'shipping', sku: null, name: 'Transport', quantity: 1, unitPrice: price, discount: '0', vatRate });

export function makeDocument(o: {
  number: string;
  buyer: Party;
  lines: LineInput[];
  pricesIncludeTax?: boolean;
  currency?: string;
  ronPerUnit?: string | null;
  kind?: 'invoice' | 'credit_note';
  credited?: { number: string; issueDate: string } | null;
  seller?: Party;
  allowanceCharges?: AllowanceChargeInput[];
  paymentMeans?: PaymentMeans | null;
  note?: string | null;
}): InvoiceDocument {
  const ron = o.currency && o.currency !== 'RON' ? (o.ronPerUnit ?? '4.9750') : null;
  const { lines, vat, totals, allowanceCharges } = computeLines(o.lines, o.pricesIncludeTax ?? true, ron, o.allowanceCharges ?? []);
  return {
    kind: o.kind ?? 'invoice',
    number: o.number,
    issueDate: '2026-03-02',
    dueDate: '2026-03-17',
    currency: o.currency ?? 'RON',
    ronPerUnit: ron,
    seller: o.seller ?? SELLER,
    buyer: o.buyer,
    lines,
    vat,
    totals,
    orderRef: 'Comanda #1042',
    note: o.note ?? null,
    credited: o.credited ?? null,
    awbNumber: null,
    trackingUrl: null,
    allowanceCharges,
    ...(o.paymentMeans !== undefined ? { paymentMeans: o.paymentMeans } : {}),
  };
}

/** At least 15 scenarios covering rates, exemptions, discounts, shipping, buyers, currency and rounding. */
export function scenarios(): Array<{ name: string; doc: InvoiceDocument }> {
  const B = BUYERS;
  const list: Array<{ name: string; doc: InvoiceDocument }> = [
    { name: 'vat21-ro-county', doc: makeDocument({ number: 'EXP1', buyer: B.roCluj, lines: [item('A-1', 'Cană ceramică', 2, '121.00')] }) },
    { name: 'vat11-reduced', doc: makeDocument({ number: 'EXP2', buyer: B.roCluj, lines: [item('BK-1', 'Carte „Învățăm ș și ț”', 3, '55.50', '11')] }) },
    { name: 'vat0-zero-rated', doc: makeDocument({ number: 'EXP3', buyer: B.roCluj, lines: [item('Z-1', 'Manual școlar', 4, '20.00', '0')] }) },
    { name: 'exempt', doc: makeDocument({ number: 'EXP4', buyer: B.roCluj, lines: [item('E-1', 'Curs de formare', 1, '500.00', '0', '0', { vatCategory: 'E' })] }) },
    { name: 'mixed-rates-shipping', doc: makeDocument({ number: 'EXP5', buyer: B.roCluj, lines: [item('A-1', 'Cană', 1, '49.99'), item('BK-1', 'Carte', 2, '39.90', '11'), shipping('19.99')] }) },
    { name: 'line-discount', doc: makeDocument({ number: 'EXP6', buyer: B.roCluj, lines: [item('A-2', 'Set pahare', 3, '99.99', '21', '30.00')] }) },
    { name: 'discount-and-shipping-net-prices', doc: makeDocument({ number: 'EXP7', buyer: B.roCluj, pricesIncludeTax: false, lines: [item('A-3', 'Lampă', 2, '150.00', '21', '15.00'), shipping('15.00')] }) },
    { name: 'bucharest-sector-buyer', doc: makeDocument({ number: 'EXP8', buyer: B.roBucharest, lines: [item('A-4', 'Scaun', 1, '350.00'), shipping('25.00')] }) },
    { name: 'ro-buyer-legal-id-only', doc: makeDocument({ number: 'EXP9', buyer: B.roNonVat, lines: [item('A-5', 'Birou', 1, '899.00')] }) },
    { name: 'eu-buyer-intra-community', doc: makeDocument({ number: 'EXP10', buyer: B.eu, lines: [item('A-1', 'Mug', 10, '8.50', '0', '0', { vatCategory: 'K' })], pricesIncludeTax: false }) },
    { name: 'eu-buyer-eur-currency', doc: makeDocument({ number: 'EXP11', buyer: B.eu, currency: 'EUR', ronPerUnit: '4.9771', pricesIncludeTax: false, lines: [item('A-1', 'Mug', 5, '12.40', '0', '0', { vatCategory: 'K' }), shipping('9.90', '0')].map((l) => (l.kind === 'shipping' ? { ...l, vatCategory: 'K' as const } : l)) }) },
    { name: 'non-eu-export', doc: makeDocument({ number: 'EXP12', buyer: B.nonEu, pricesIncludeTax: false, lines: [item('A-2', 'Glass set', 4, '75.00', '0', '0', { vatCategory: 'G' })] }) },
    { name: 'ro-buyer-eur-vat21', doc: makeDocument({ number: 'EXP13', buyer: B.roCluj, currency: 'EUR', ronPerUnit: '4.9771', lines: [item('A-3', 'Lampă', 3, '33.33'), shipping('5.00')] }) },
    {
      name: 'multi-line-rounding',
      doc: makeDocument({
        number: 'EXP14',
        buyer: B.roBucharest,
        lines: [item('R-1', 'Șurub', 7, '0.33'), item('R-2', 'Piuliță', 13, '0.17'), item('R-3', 'Șaibă', 3, '0.01'), item('R-4', 'Dibluri', 11, '1.99', '11'), item('R-5', 'Bandă', 9, '3.33', '21', '1.11'), shipping('14.99')],
      }),
    },
    { name: 'non-eu-usd', doc: makeDocument({ number: 'EXP15', buyer: B.nonEu, currency: 'USD', ronPerUnit: '4.5612', pricesIncludeTax: false, lines: [item('A-4', 'Chair', 2, '120.00', '0', '0', { vatCategory: 'G' })] }) },
    { name: 'many-lines-discounts', doc: makeDocument({ number: 'EXP16', buyer: B.roCluj, lines: Array.from({ length: 25 }, (_, i) => item(`M-${i}`, `Produs ${i} ăâîșț`, (i % 4) + 1, `${(i * 3.37 + 1).toFixed(2)}`, i % 3 === 0 ? '11' : '21', i % 5 === 0 ? '0.99' : '0')) }) },
    {
      name: 'credit-note-storno',
      doc: makeDocument({ number: 'EXPCN1', kind: 'credit_note', buyer: B.roCluj, credited: { number: 'EXP1', issueDate: '2026-03-02' }, lines: [item('A-1', 'Cană ceramică', 2, '121.00')] }),
    },
    {
      name: 'credit-note-return-bucharest-shipping',
      doc: makeDocument({ number: 'EXPCN2', kind: 'credit_note', buyer: B.roBucharest, credited: { number: 'EXP8', issueDate: '2026-03-02' }, lines: [item('A-4', 'Scaun', 1, '350.00'), shipping('25.00')] }),
    },
    {
      name: 'credit-note-eur-eu',
      doc: makeDocument({ number: 'EXPCN3', kind: 'credit_note', buyer: B.eu, currency: 'EUR', pricesIncludeTax: false, credited: { number: 'EXP11', issueDate: '2026-03-02' }, lines: [item('A-1', 'Mug', 1, '12.40', '0', '0', { vatCategory: 'K' })] }),
    },
    {
      name: 'order-mapping-bucharest-address-text',
      doc: makeDocument({
        number: 'EXP17',
        buyer: buyerFrom(
          { company: 'Înălțimi Distribuție SRL', address1: 'Bd. Unirii 20', city: 'București, Sector 3', province: 'București', provinceCode: null, postcode: null, countryCode: 'RO' },
          { company: 'Înălțimi Distribuție SRL', vatNumber: '4267117', tradeRegisterNo: null, firstName: null, lastName: null, kind: 'company' },
          'a@b.test',
        ).party,
        lines: [item('A-1', 'Cană', 1, '10.00')],
      }),
    },
    ...moreScenarios(),
  ];
  return list;
}

const charge = (amount: string, vatRate = '21', reason = 'Ambalare', extra: Partial<AllowanceChargeInput> = {}): AllowanceChargeInput => ({ charge: true, reasonCode: 'ABL', reason, amount, vatRate, ...extra });
const allowance = (amount: string, vatRate = '21', extra: Partial<AllowanceChargeInput> = {}): AllowanceChargeInput => ({ charge: false, reasonCode: '95', reason: 'Discount', amount, vatRate, ...extra });

/** Documents only the model reaches today (document-level charges) and the edges of each rule, built by hand. */
function moreScenarios(): Array<{ name: string; doc: InvoiceDocument }> {
  const B = BUYERS;
  const goods = [item('A-1', 'Cană', 2, '121.00'), item('BK-1', 'Carte', 1, '55.50', '11')];
  const nonVatSeller: Party = { ...SELLER, name: 'Atelier Mic PFA', vatId: null, legalId: '18547290', tradeRegisterNo: 'F12/345/2019', city: 'Cluj-Napoca', countySubentity: 'RO-CJ', postalCode: '400114' };
  return [
    { name: 'doc-charge-and-allowance-mixed-rates', doc: makeDocument({ number: 'EXP18', buyer: B.roCluj, lines: goods, allowanceCharges: [charge('12.10'), allowance('11.10', '11'), allowance('24.20')] }) },
    { name: 'doc-charge-net-prices-eur', doc: makeDocument({ number: 'EXP19', buyer: B.roCluj, currency: 'EUR', ronPerUnit: '4.9771', pricesIncludeTax: false, lines: goods, allowanceCharges: [charge('5.00', '21', 'Taxă ramburs')], paymentMeans: paymentMeansFor('cod', true), note: 'Curs BNR: 1 EUR = 4.9771 RON' }) },
    { name: 'doc-exempt-custom-reason-allowance', doc: makeDocument({ number: 'EXP20', buyer: B.roNonVat, pricesIncludeTax: false, lines: [item('E-2', 'Consultanță medicală', 1, '300.00', '0', '0', { vatCategory: 'E', exemptionCode: 'VATEX-EU-132-1C', exemptionReason: 'Scutit conform art. 292 alin. (1) lit. b) Cod fiscal' })], allowanceCharges: [allowance('30.00', '0', { vatCategory: 'E', exemptionCode: 'VATEX-EU-132-1C', exemptionReason: 'Scutit conform art. 292 alin. (1) lit. b) Cod fiscal' })] }) },
    { name: 'doc-non-vat-seller-O-charge', doc: makeDocument({ number: 'EXP21', seller: nonVatSeller, buyer: B.roCluj, pricesIncludeTax: false, lines: [item('A-1', 'Cană', 3, '40.00', '0', '0', { vatCategory: 'O' })], allowanceCharges: [charge('10.00', '0', 'Transport', { vatCategory: 'O' })] }) },
    { name: 'doc-reverse-charge-AE-shipping', doc: makeDocument({ number: 'EXP22', buyer: B.roCluj, pricesIncludeTax: false, lines: [item('PH-1', 'Telefon mobil', 5, '1500.00', '21', '0', { vatCategory: 'AE' }), ...shippingInputs([item('PH-1', 'Telefon mobil', 5, '1500.00', '21', '0', { vatCategory: 'AE' })], '50.00', '21')], paymentMeans: paymentMeansFor('bank_transfer', true) }) },
    { name: 'doc-payment-credit-card-54', doc: makeDocument({ number: 'EXP23', buyer: B.roCluj, lines: [item('A-1', 'Cană', 1, '60.50')], paymentMeans: paymentMeansFor('Credit card', true) }) },
    { name: 'doc-payment-not-defined-no-iban', doc: makeDocument({ number: 'EXP24', seller: { ...SELLER, iban: null, bankName: null }, buyer: B.roCluj, lines: [item('A-1', 'Cană', 1, '60.50')], paymentMeans: paymentMeansFor(null, false) }) },
    { name: 'doc-payment-transfer-no-iban-42', doc: makeDocument({ number: 'EXP25', seller: { ...SELLER, iban: null, bankName: null }, buyer: B.roCluj, lines: [item('A-1', 'Cană', 1, '60.50')], paymentMeans: paymentMeansFor('bacs', false) }) },
    {
      name: 'credit-note-with-document-allowance',
      doc: makeDocument({ number: 'EXPCN4', kind: 'credit_note', buyer: B.roCluj, credited: { number: 'EXP18', issueDate: '2026-03-02' }, lines: goods, allowanceCharges: [allowance('24.20')] }),
    },
  ];
}
