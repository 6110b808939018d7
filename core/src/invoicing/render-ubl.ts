import { js2xml } from 'xml-js';
import type { DocAllowanceCharge, DocLine, InvoiceDocument, Party, VatRow } from './invoice-document.ts';
import { cleanText, LIMITS } from './invoice-text.ts';

export const CIUS_RO_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1';

type El = Record<string, unknown>;
/** Every text goes through cleanText: no control characters (XSD), and within its CIUS-RO length when one is given. */
const t = (text: string | number, max?: number): El => ({ _text: typeof text === 'number' ? String(text) : cleanText(text, max) });
const amt = (value: string, currency: string): El => ({ _attributes: { currencyID: currency }, _text: value });
const vat: El = { 'cac:TaxScheme': { 'cbc:ID': t('VAT') } };

function address(p: Party): El {
  const a: El = { 'cbc:StreetName': t(cleanText(p.street) || '-', LIMITS.street), 'cbc:CityName': t(cleanText(p.city) || '-', LIMITS.city) };
  if (p.postalCode?.trim()) a['cbc:PostalZone'] = t(p.postalCode, LIMITS.postalCode);
  if (p.countySubentity) a['cbc:CountrySubentity'] = t(p.countySubentity, LIMITS.addressLine);
  a['cac:Country'] = { 'cbc:IdentificationCode': t(p.countryCode) };
  return a;
}

/**
 * BR-O-02: an invoice with a line "not subject to VAT" names no VAT id, the seller's or the buyer's;
 * a seller not registered for VAT is then identified by its CUI as the fiscal registration id
 * (BT-32, which BR-RO-065 asks for) and as its legal registration id (BT-30), its trade register
 * number going to the additional legal information (BT-33).
 */
function party(p: Party, role: 'seller' | 'buyer', outOfScope: boolean): El {
  const out: El = { 'cac:PostalAddress': address(p) };
  const vatId = outOfScope ? null : p.vatId;
  if (vatId) out['cac:PartyTaxScheme'] = { 'cbc:CompanyID': t(vatId), ...vat };
  else if (role === 'seller' && p.legalId) out['cac:PartyTaxScheme'] = { 'cbc:CompanyID': t(p.legalId), 'cac:TaxScheme': { 'cbc:ID': t('FC') } };
  const legal: El = { 'cbc:RegistrationName': t(cleanText(p.name) || '-', LIMITS.partyName) };
  // BT-30: a VAT-registered seller's trade register number identifies it legally in Romania; the buyer's is its CUI (or CNP).
  const legalId = role === 'seller' ? (vatId ? (p.tradeRegisterNo ?? p.legalId) : p.legalId) : p.legalId;
  if (legalId) legal['cbc:CompanyID'] = t(legalId, LIMITS.reference);
  if (role === 'seller' && !vatId && p.tradeRegisterNo) legal['cbc:CompanyLegalForm'] = t(`Nr. Reg. Com. ${p.tradeRegisterNo}`, 1000);
  out['cac:PartyLegalEntity'] = legal;
  const contact: El = {};
  if (p.phone?.trim()) contact['cbc:Telephone'] = t(p.phone, LIMITS.phone);
  // An e-mail longer than its limit is not shortened into another address: it is left out.
  const email = p.email ? cleanText(p.email) : '';
  if (email && email.length <= LIMITS.email) contact['cbc:ElectronicMail'] = t(email);
  if (Object.keys(contact).length > 0) out['cac:Contact'] = contact;
  return { 'cac:Party': out };
}

function taxCategory(category: string, rate: string, tag: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory', row?: VatRow): El {
  const c: El = { 'cbc:ID': t(category) };
  // BR-O-05: 'not subject to VAT' carries no rate.
  if (category !== 'O') c['cbc:Percent'] = t(rate);
  if (row?.exemptionReasonCode) c['cbc:TaxExemptionReasonCode'] = t(row.exemptionReasonCode);
  if (row?.exemptionReason) c['cbc:TaxExemptionReason'] = t(row.exemptionReason, LIMITS.reason);
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
      'cbc:AllowanceChargeReason': t('Discount', LIMITS.reason),
      'cbc:Amount': amt(l.allowance, cur),
    };
  }
  const item: El = { 'cbc:Name': t(cleanText(l.name) || '-', LIMITS.itemName) };
  if (l.sku?.trim()) item['cac:SellersItemIdentification'] = { 'cbc:ID': t(l.sku, LIMITS.reference) };
  Object.assign(item, taxCategory(l.vatCategory, l.vatRate, 'cac:ClassifiedTaxCategory'));
  out['cac:Item'] = item;
  out['cac:Price'] = { 'cbc:PriceAmount': amt(l.netPrice, cur) };
  return out;
}

function documentAllowanceCharge(a: DocAllowanceCharge, cur: string): El {
  return {
    'cbc:ChargeIndicator': t(a.charge ? 'true' : 'false'),
    'cbc:AllowanceChargeReasonCode': t(a.reasonCode),
    'cbc:AllowanceChargeReason': t(a.reason, LIMITS.reason),
    'cbc:Amount': amt(a.amount, cur),
    ...taxCategory(a.vatCategory, a.vatRate, 'cac:TaxCategory'),
  };
}

const sameAddress = (a: Party, b: Party) => a.street === b.street && a.city === b.city && a.postalCode === b.postalCode && a.countryCode === b.countryCode;

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
  if (doc.note?.trim()) root['cbc:Note'] = t(doc.note, LIMITS.note);
  root['cbc:DocumentCurrencyCode'] = t(cur);
  if (cur !== 'RON') root['cbc:TaxCurrencyCode'] = t('RON');
  if (doc.orderRef) root['cac:OrderReference'] = { 'cbc:ID': t(doc.orderRef, LIMITS.reference) };
  if (doc.credited) {
    root['cac:BillingReference'] = { 'cac:InvoiceDocumentReference': { 'cbc:ID': t(doc.credited.number), 'cbc:IssueDate': t(doc.credited.issueDate) } };
  }
  const outOfScope = doc.lines.some((l) => l.vatCategory === 'O');
  root['cac:AccountingSupplierParty'] = party(doc.seller, 'seller', outOfScope);
  root['cac:AccountingCustomerParty'] = party(doc.buyer, 'buyer', outOfScope);
  const delivery: El = { 'cbc:ActualDeliveryDate': t(doc.issueDate) };
  // BR-IC-12: an intra-community supply names the country the goods are delivered to: the shipping address.
  const deliverTo = doc.delivery ?? null;
  if (doc.vat.some((v) => v.vatCategory === 'K') || (deliverTo && !sameAddress(deliverTo, doc.buyer))) {
    const to = deliverTo ?? doc.buyer;
    // BR-RO-180/201/211: a delivery address needs street, city and subdivision even abroad.
    delivery['cac:DeliveryLocation'] = { 'cac:Address': address({ ...to, countySubentity: to.countySubentity ?? to.city }) };
  }
  root['cac:Delivery'] = delivery;
  const means = doc.paymentMeans ?? (doc.seller.iban ? { code: '30', text: null } : null);
  if (means) {
    const pm: El = { 'cbc:PaymentMeansCode': means.text ? { _attributes: { name: cleanText(means.text, LIMITS.paymentText) }, _text: means.code } : t(means.code) };
    if (doc.seller.iban) {
      const account: El = { 'cbc:ID': t(doc.seller.iban.replace(/\s/g, '')) };
      if (doc.seller.bankName?.trim()) account['cbc:Name'] = t(doc.seller.bankName, LIMITS.accountName);
      pm['cac:PayeeFinancialAccount'] = account;
    }
    root['cac:PaymentMeans'] = pm;
  }
  if (credit) root['cac:PaymentTerms'] = { 'cbc:Note': t(`Storno pentru factura ${doc.credited?.number ?? ''}`.trim(), LIMITS.note) };
  const acs = doc.allowanceCharges ?? [];
  if (acs.length > 0) root['cac:AllowanceCharge'] = acs.map((a) => documentAllowanceCharge(a, cur));
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
  const sum = (charge: boolean) => acs.filter((a) => a.charge === charge).reduce((n, a) => n + Math.round(Number(a.amount) * 100), 0);
  const monetary: El = {
    'cbc:LineExtensionAmount': amt(doc.totals.lineNetTotal, cur),
    'cbc:TaxExclusiveAmount': amt(doc.totals.taxExclusiveTotal, cur),
    'cbc:TaxInclusiveAmount': amt(doc.totals.taxInclusiveTotal, cur),
  };
  // BR-CO-11/12: the sums of the document-level allowances and charges.
  if (acs.some((a) => !a.charge)) monetary['cbc:AllowanceTotalAmount'] = amt((sum(false) / 100).toFixed(2), cur);
  if (acs.some((a) => a.charge)) monetary['cbc:ChargeTotalAmount'] = amt((sum(true) / 100).toFixed(2), cur);
  monetary['cbc:PayableAmount'] = amt(doc.totals.payableTotal, cur);
  root['cac:LegalMonetaryTotal'] = monetary;
  root[credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine'] = doc.lines.map((l) => line(l, doc, credit));
  return js2xml(
    { _declaration: { _attributes: { version: '1.0', encoding: 'UTF-8' } }, [credit ? 'CreditNote' : 'Invoice']: root },
    { compact: true, spaces: 1 },
  );
}
