import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type UblResult, validateUblFiles } from '@expedio/efactura-rules';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderUbl } from '../../core/src/invoicing/render-ubl.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { type IssuedScenario, issueScenarios, ORDER_SCENARIOS } from './order-scenarios.ts';
import { scenarios } from './scenarios.ts';
import { PROFILE } from './support.ts';

/**
 * The official CIUS-RO rules, the CEN EN 16931 rules and the UBL 2.1 XSD, run by the project's own
 * runner (tools/efactura) over every scenario in one batch per rule set: the documents built by
 * hand (scenarios.ts) and the ones the product issues from orders on Postgres (order-scenarios.ts).
 */
let core: CoreHarness;
let vatTenant: TenantFixture;
let issued: IssuedScenario[];
let held: IssuedScenario;
const files: Array<{ name: string; file: string }> = [];
let ro: UblResult[];
let en: UblResult[];

const xmlOf = (name: string) => {
  const s = issued.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s.xml;
};

beforeAll(async () => {
  core = await startCore({ max: 10 });
  const vat = await core.createTenant({ channel: { invoice_series: 'EFV' } });
  const nonVat = await core.createTenant({ channel: { invoice_series: 'EFN' } });
  for (const [t, profile] of [
    [vat, { ...PROFILE, invoiceNote: 'Capital social: 200 lei. Factura circulă fără semnătură și ștampilă.' }],
    [nonVat, { ...PROFILE, legalName: 'Atelier Mic PFA', cui: '18547290', vatRegistered: false, city: 'Cluj-Napoca', countyCode: 'Judetul Cluj', postalCode: '400114', street: 'Str. Horea 5', iban: null, bankName: null }],
  ] as Array<[TenantFixture, Record<string, unknown>]>) {
    const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(profile) });
    expect(r.status).toBe(204);
    await core.sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${t.tenantId}, 'EUR', '2020-01-01', 4.9771), (${t.tenantId}, 'USD', '2020-01-01', 4.5612)`;
    // The product's VAT treatment, set through the catalog API.
    for (const [sku, patch] of [
      ['A-3', { vatRate: '0', vatCategory: 'E', vatExemptionCode: 'VATEX-EU-132-1I', vatExemptionReason: 'Scutit conform art. 292 alin. (1) lit. a) pct. 5 Cod fiscal (formare profesională)' }],
      ['A-4', { vatCategory: 'AE' }],
      ['A-5', { vatRate: '0', vatCategory: 'Z' }],
    ] as const) {
      const id = t.productIds[sku]!;
      const p = await core.api(`/api/v1/products/${id}/variants/${id}`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify(patch) });
      expect(p.status, JSON.stringify(p.body)).toBe(200);
    }
  }
  const tenants = { vat, nonVat };
  vatTenant = vat;
  issued = await issueScenarios(core, tenants, ORDER_SCENARIOS);
  [held] = await issueScenarios(core, tenants, [
    { name: 'ord-bucharest-without-sector-held', client: { company: 'Înălțimi Distribuție SRL', vatNumber: '4267117' }, billing: { company: 'Înălțimi Distribuție SRL', city: 'București', province: 'București', provinceCode: 'B', postcode: null }, lines: [{ sku: 'A-1', qty: 1, price: '10.00' }] },
  ]) as [IssuedScenario];

  const dir = mkdtempSync(join(tmpdir(), 'expedio-ubl-'));
  for (const { name, xml } of [...scenarios().map(({ name, doc }) => ({ name, xml: renderUbl(doc) })), ...issued]) {
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, xml);
    files.push({ name, file });
  }
  const heldFile = join(dir, 'held.xml');
  writeFileSync(heldFile, held.xml);
  // One batch per rule set; the held document goes with the CIUS-RO batch as the proof that the gate can fail.
  ro = await validateUblFiles([...files.map((f) => f.file), heldFile], { rules: 'ro', xsd: true });
  en = await validateUblFiles(files.map((f) => f.file), { rules: 'en16931' });
}, 300_000);

const failures = (results: UblResult[]) => results.filter((r) => r.fatalIds.length > 0).map((r) => `${r.file}: ${r.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`).join(' | ')}`);

describe('every e-Factura the product makes passes the official rules', () => {
  it('at least 60 scenarios (hand-built and issued from orders on Postgres) have zero fatal findings under CIUS-RO + XSD and under EN 16931', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
    expect(issued.length).toBeGreaterThanOrEqual(30);
    expect(failures(ro.slice(0, files.length))).toEqual([]);
    expect(failures(en)).toEqual([]);
    expect(ro).toHaveLength(files.length + 1);
  });

  it('a Bucharest buyer without a sector is held before upload naming the field, and its XML would fail BR-RO-101', () => {
    expect(held.eInvoiceState).toBe('nok');
    expect(JSON.stringify(held.errors)).toContain('billingAddress.city');
    expect(ro.at(-1)!.fatalIds).toContain('BR-RO-101');
  });

  it('the held e-Factura is a stall naming the field; resubmitted with the sector it goes back to pending with SECTOR2', async () => {
    const stalls = await core.api('/api/v1/stalls', { key: vatTenant.apiKey });
    const stall = stalls.body.stalls.find((s: { subjectId: string }) => s.subjectId === held.invoiceId);
    expect(stall).toMatchObject({ kind: 'einvoice.rejected', message: expect.stringContaining('held before upload') });
    expect(stall.why).toContain('billingAddress.city');
    const r = await core.api(`/api/v1/invoices/${held.invoiceId}/e-invoice/resubmit`, { method: 'POST', key: vatTenant.apiKey, body: JSON.stringify({ buyer: { city: 'SECTOR2' } }) });
    expect(r.status).toBe(200);
    const [e] = await core.sql<{ state: string; xml: string }[]>`select state, xml from e_invoices where tenant_id = ${vatTenant.tenantId} and invoice_id = ${held.invoiceId}`;
    expect(e!.state).toBe('pending');
    expect(e!.xml).toContain('<cbc:CityName>SECTOR2</cbc:CityName>');
  });

  it('the documents say what the data says: identifiers, sectors, counties, categories, delivery, payment means, discounts, note and currency', () => {
    expect(xmlOf('ord-person-with-cnp')).toContain('<cbc:CompanyID>1960523460032</cbc:CompanyID>');
    expect(xmlOf('ord-person-cnp-on-address')).toContain('<cbc:CompanyID>2951103123456</cbc:CompanyID>');
    expect(xmlOf('ord-person-without-cnp')).toContain('<cbc:CompanyID>0000000000000</cbc:CompanyID>');
    expect(xmlOf('ord-G-export-person-ch')).toContain('<cbc:CompanyID>0000000000000</cbc:CompanyID>');
    for (const [name, sector] of [['ord-bucharest-sectorul-4', 'SECTOR4'], ['ord-bucharest-city-S4', 'SECTOR4'], ['ord-bucharest-sect-dot-2', 'SECTOR2'], ['ord-bucharest-sector-in-province', 'SECTOR3'], ['ord-bucharest-postcode-only', 'SECTOR6']]) {
      expect(xmlOf(name!), name).toMatch(new RegExp(`<cbc:CityName>${sector}</cbc:CityName>\\s*(<cbc:PostalZone>[^<]*</cbc:PostalZone>\\s*)?<cbc:CountrySubentity>RO-B</cbc:CountrySubentity>`));
    }
    for (const name of ['ord-county-judet-cluj', 'ord-county-judetul-cluj', 'ord-county-jud-dot', 'ord-county-from-postcode']) expect(xmlOf(name), name).toContain('<cbc:CityName>Cluj-Napoca</cbc:CityName>'.replace('Cluj-Napoca', name.endsWith('postcode') ? 'Turda' : 'Cluj-Napoca'));
    for (const name of ['ord-county-judet-cluj', 'ord-county-judetul-cluj', 'ord-county-jud-dot', 'ord-county-from-postcode']) expect(xmlOf(name), name).toContain('<cbc:CountrySubentity>RO-CJ</cbc:CountrySubentity>');
    expect(xmlOf('ord-county-diacritics-cedilla')).toContain('<cbc:CountrySubentity>RO-BN</cbc:CountrySubentity>');
    expect(xmlOf('ord-E-exempt-with-reason')).toContain('<cbc:TaxExemptionReasonCode>VATEX-EU-132-1I</cbc:TaxExemptionReasonCode>');
    expect(xmlOf('ord-AE-reverse-charge-b2b')).toMatch(/<cbc:ID>AE<\/cbc:ID>/);
    expect(xmlOf('ord-AE-product-to-consumer-is-S')).not.toMatch(/<cbc:ID>AE<\/cbc:ID>/);
    expect(xmlOf('ord-Z-zero-rated-product')).toMatch(/<cbc:ID>Z<\/cbc:ID>/);
    expect(xmlOf('ord-G-export-usd-company')).toMatch(/<cbc:ID>G<\/cbc:ID>/);
    const k = xmlOf('ord-K-intra-eu-delivery-address');
    expect(k).toMatch(/<cbc:ID>K<\/cbc:ID>/);
    expect(k).toContain('<cbc:CompanyID>DE123456789</cbc:CompanyID>');
    expect(k).toMatch(/<cac:DeliveryLocation>\s*<cac:Address>\s*<cbc:StreetName>Lagerweg 12<\/cbc:StreetName>\s*<cbc:CityName>München<\/cbc:CityName>/);
    const o = xmlOf('ord-O-non-vat-seller-b2b');
    expect(o).toMatch(/<cbc:ID>O<\/cbc:ID>/);
    expect(o).not.toContain('RO18547290'); // neither VAT id: the buyer's (BR-O-02) nor the seller's own (its CUI is 18547290 too)
    expect(o).toMatch(/<cac:PartyLegalEntity>\s*<cbc:RegistrationName>Atelier Mic PFA<\/cbc:RegistrationName>\s*<cbc:CompanyID>18547290<\/cbc:CompanyID>/);
    expect(xmlOf('ord-mixed-rates-shipping-split')).toContain('Transport (cota 11%)');
    expect(xmlOf('ord-S11-only-shipping-at-11')).toMatch(/<cbc:Name>Transport<\/cbc:Name>[\s\S]*?<cbc:Percent>11.00<\/cbc:Percent>/);
    const disc = xmlOf('ord-document-discount-cod');
    expect(disc).toMatch(/<cbc:PaymentMeansCode name="Ramburs \(numerar la livrare\)">10<\/cbc:PaymentMeansCode>/);
    expect(disc).toMatch(/<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>\s*<cbc:AllowanceChargeReasonCode>95<\/cbc:AllowanceChargeReasonCode>/);
    expect(disc).toContain('<cbc:AllowanceTotalAmount currencyID="RON">');
    expect(xmlOf('ord-S21-b2b-card')).toContain('>48</cbc:PaymentMeansCode>');
    expect(xmlOf('ord-bank-transfer-net-prices')).toContain('>30</cbc:PaymentMeansCode>');
    expect(xmlOf('ord-free-shipping-discount')).toContain('>68</cbc:PaymentMeansCode>');
    const eur = xmlOf('ord-eur-ro-b2b-ron-vat-total');
    expect(eur).toContain('<cbc:TaxCurrencyCode>RON</cbc:TaxCurrencyCode>');
    expect(eur).toMatch(/<cbc:TaxAmount currencyID="RON">\d+\.\d\d<\/cbc:TaxAmount>/);
    expect(eur).toContain('Curs BNR: 1 EUR = 4.9771 RON');
    expect(eur).toContain('<cbc:Note>Capital social: 200 lei.');
    const special = xmlOf('ord-xml-special-and-control-chars');
    expect(special).toContain('Ana &amp; Ion &lt;Comerț&gt;');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not reach the XML.
    expect(special).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const long = xmlOf('ord-long-fields');
    for (const [tag, max] of [['StreetName', 150], ['CityName', 50], ['RegistrationName', 200], ['Name', 100]] as const) {
      for (const m of long.matchAll(new RegExp(`<cbc:${tag}>([^<]*)</cbc:${tag}>`, 'g'))) expect(Array.from(m[1]!).length, tag).toBeLessThanOrEqual(max);
    }
    expect(long).not.toContain('contabilitate.contabilitate.'); // an e-mail over 100 characters is left out, not cut into another address
    expect(xmlOf('ord-100-lines').match(/<cac:InvoiceLine>/g)).toHaveLength(100 + 2);
  });
});
