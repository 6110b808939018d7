import { js2xml } from 'xml-js';
import type { DocLine, InvoiceDocument, Party, VatRow } from './invoice-document.ts';

export const CIUS_RO_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1';

type El = Record<string, unknown>;
const t = (text: string | number): El => ({ _text: String(text) });
const amt = (value: string, currency: string): El => ({ _attributes: { currencyID: currency }, _text: value });
const vat: El = { 'cac:TaxScheme': { 'cbc:ID': t('VAT') } };

function address(p: Party): El {
  const a: El = { 'cbc:StreetName': t(p.street), 'cbc:CityName': t(p.city) };
  if (p.postalCode) a['cbc:PostalZone'] = t(p.postalCode);
  if (p.countySubentity) a['cbc:CountrySubentity'] = t(p.countySubentity);
  a['cac:Country'] = { 'cbc:IdentificationCode': t(p.countryCode) };
  return a;
}

function party(p: Party, role: 'seller' | 'buyer'): El {
  const out: El = { 'cac:PostalAddress': address(p) };
  if (p.vatId) out['cac:PartyTaxScheme'] = { 'cbc:CompanyID': t(p.vatId), ...vat };
  const legal: El = { 'cbc:RegistrationName': t(p.name) };
  // BT-30: the seller's trade register number identifies it legally in Romania; the buyer's is its CUI.
  const legalId = role === 'seller' ? (p.tradeRegisterNo ?? p.legalId) : p.legalId;
  if (legalId) legal['cbc:CompanyID'] = t(legalId);
  out['cac:PartyLegalEntity'] = legal;
  const contact: El = {};
  if (p.phone) contact['cbc:Telephone'] = t(p.phone);
  if (p.email) contact['cbc:ElectronicMail'] = t(p.email);
  if (Object.keys(contact).length > 0) out['cac:Contact'] = contact;
  return { 'cac:Party': out };
}

function taxCategory(category: string, rate: string, tag: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory', row?: VatRow): El {
  const c: El = { 'cbc:ID': t(category) };
  // BR-O-05: 'not subject to VAT' carries no rate.
  if (category !== 'O') c['cbc:Percent'] = t(rate);
  if (row?.exemptionReasonCode) c['cbc:TaxExemptionReasonCode'] = t(row.exemptionReasonCode);
  if (row?.exemptionReason) c['cbc:TaxExemptionReason'] = t(row.exemptionReason);
  Object.assign(c, vat);
  return { [tag]: c };
}

function line(l: DocLine, doc: InvoiceDocument, credit: boolean): El {
  const cur = doc.currency;
  const out: El = {
    'cbc:ID': t(l.lineNo),
    [credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity']: { _attributes: { unitCode: l.unitCode }, _text: l.quantity },
    'cbc:LineExtensionAmount': amt(l.netAmount, cur),
  };
  if (l.allowance !== '0.00') {
    out['cac:AllowanceCharge'] = {
      'cbc:ChargeIndicator': t('false'),
      'cbc:AllowanceChargeReasonCode': t('95'),
      'cbc:AllowanceChargeReason': t('Discount'),
      'cbc:Amount': amt(l.allowance, cur),
    };
  }
  const item: El = { 'cbc:Name': t(l.name.slice(0, 100)) };
  if (l.sku) item['cac:SellersItemIdentification'] = { 'cbc:ID': t(l.sku) };
  Object.assign(item, taxCategory(l.vatCategory, l.vatRate, 'cac:ClassifiedTaxCategory'));
  out['cac:Item'] = item;
  out['cac:Price'] = { 'cbc:PriceAmount': amt(l.netPrice, cur) };
  return out;
}

/**
 * UBL 2.1 Invoice (type 380) or CreditNote (type 381) per EN 16931 with the CIUS-RO 1.0.1
 * customization. Element order follows the UBL 2.1 XSD sequences (ANAF rejects XSD-invalid files).
 */
export function renderUbl(doc: InvoiceDocument): string {
  const credit = doc.kind === 'credit_note';
  const cur = doc.currency;
  const root: El = {
    _attributes: {
      xmlns: `urn:oasis:names:specification:ubl:schema:xsd:${credit ? 'CreditNote' : 'Invoice'}-2`,
      'xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
      'xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
    },
    'cbc:CustomizationID': t(CIUS_RO_CUSTOMIZATION_ID),
    'cbc:ID': t(doc.number),
    'cbc:IssueDate': t(doc.issueDate),
  };
  if (!credit) root['cbc:DueDate'] = t(doc.dueDate);
  root[credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode'] = t(credit ? '381' : '380');
  if (doc.note) root['cbc:Note'] = t(doc.note.slice(0, 300));
  root['cbc:DocumentCurrencyCode'] = t(cur);
  if (cur !== 'RON') root['cbc:TaxCurrencyCode'] = t('RON');
  if (doc.orderRef) root['cac:OrderReference'] = { 'cbc:ID': t(doc.orderRef.slice(0, 200)) };
  if (doc.credited) {
    root['cac:BillingReference'] = { 'cac:InvoiceDocumentReference': { 'cbc:ID': t(doc.credited.number), 'cbc:IssueDate': t(doc.credited.issueDate) } };
  }
  root['cac:AccountingSupplierParty'] = party(doc.seller, 'seller');
  root['cac:AccountingCustomerParty'] = party(doc.buyer, 'buyer');
  const delivery: El = { 'cbc:ActualDeliveryDate': t(doc.issueDate) };
  // BR-IC-12: an intra-community supply names the country goods are delivered to.
  if (doc.vat.some((v) => v.vatCategory === 'K')) {
    // BR-RO-180/201/211: a delivery address needs street, city and subdivision even abroad.
    delivery['cac:DeliveryLocation'] = { 'cac:Address': address({ ...doc.buyer, countySubentity: doc.buyer.countySubentity ?? doc.buyer.city }) };
  }
  root['cac:Delivery'] = delivery;
  if (doc.seller.iban) {
    const account: El = { 'cbc:ID': t(doc.seller.iban.replace(/\s/g, '')) };
    if (doc.seller.bankName) account['cbc:Name'] = t(doc.seller.bankName);
    root['cac:PaymentMeans'] = { 'cbc:PaymentMeansCode': t('30'), 'cac:PayeeFinancialAccount': account };
  }
  if (credit) root['cac:PaymentTerms'] = { 'cbc:Note': t(`Storno pentru factura ${doc.credited?.number ?? ''}`.trim()) };
  const taxTotals: El[] = [
    {
      'cbc:TaxAmount': amt(doc.totals.taxTotal, cur),
      'cac:TaxSubtotal': doc.vat.map((v) => ({
        'cbc:TaxableAmount': amt(v.taxableAmount, cur),
        'cbc:TaxAmount': amt(v.taxAmount, cur),
        ...taxCategory(v.vatCategory, v.vatRate, 'cac:TaxCategory', v),
      })),
    },
  ];
  if (cur !== 'RON' && doc.totals.taxTotalRon !== null) taxTotals.push({ 'cbc:TaxAmount': amt(doc.totals.taxTotalRon, 'RON') });
  root['cac:TaxTotal'] = taxTotals;
  root['cac:LegalMonetaryTotal'] = {
    'cbc:LineExtensionAmount': amt(doc.totals.lineNetTotal, cur),
    'cbc:TaxExclusiveAmount': amt(doc.totals.taxExclusiveTotal, cur),
    'cbc:TaxInclusiveAmount': amt(doc.totals.taxInclusiveTotal, cur),
    'cbc:PayableAmount': amt(doc.totals.payableTotal, cur),
  };
  root[credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine'] = doc.lines.map((l) => line(l, doc, credit));
  return js2xml(
    { _declaration: { _attributes: { version: '1.0', encoding: 'UTF-8' } }, [credit ? 'CreditNote' : 'Invoice']: root },
    { compact: true, spaces: 1 },
  );
}
