import { issueInvoiceForOrder } from '../../core/src/flows/issue-order-invoice.ts';
import { issueCreditNote } from '../../core/src/invoicing/issue-invoice.ts';
import { loadInvoiceDocument } from '../../core/src/invoicing/invoice-repo.ts';
import { renderUbl } from '../../core/src/invoicing/render-ubl.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';

/**
 * e-Factura scenarios made the way the product makes them: an order as intake stores it on
 * Postgres (client, addresses, payment method, discounts, currency), the catalog's VAT treatment,
 * the seller profile, and the invoice issued by the flow; the XML is the stored e-Factura (what
 * the worker uploads) or, for a consumer, the document rendered from its stored rows.
 */
export interface OrderScenario {
  name: string;
  seller?: 'vat' | 'nonVat';
  client?: { company?: string | null; vatNumber?: string | null; firstName?: string; lastName?: string };
  billing?: Record<string, unknown>;
  shipping?: Record<string, unknown> | null;
  currency?: string;
  pricesIncludeTax?: boolean;
  shippingTotal?: string;
  discountTotal?: string;
  paymentMethod?: string | null;
  lines: Array<{ sku: string; name?: string; qty: number; price: string; discount?: string; vatRate?: string | null }>;
  /** Credit the whole invoice too (a storno credit note), or some lines (a return). */
  credit?: 'storno' | Array<{ lineNo: number; quantity: number }>;
}

export interface IssuedScenario {
  name: string;
  invoiceId: string;
  xml: string;
  eInvoiceState: string | null;
  errors: unknown;
}

const cluj = { firstName: 'Ion', lastName: 'Popescu', address1: 'Str. Memorandumului 28', address2: null, city: 'Cluj-Napoca', province: 'Cluj', provinceCode: 'CJ', postcode: '400114', countryCode: 'RO', email: null, phone: '0744123456' };

let seq = 0;

async function insertOrder(core: CoreHarness, t: TenantFixture, s: OrderScenario): Promise<string> {
  seq++;
  return core.sql.begin(async (tx) => {
    const c = s.client ?? { company: 'Țesătoria Âmbră SRL', vatNumber: 'RO18547290' };
    const company = c.company === undefined ? 'Țesătoria Âmbră SRL' : c.company;
    const [client] = await tx<{ id: string }[]>`insert into clients (tenant_id, email, first_name, last_name, company, vat_number, kind)
      values (${t.tenantId}, ${`scn${seq}-${Math.random().toString(36).slice(2, 8)}@client.test`}, ${c.firstName ?? 'Ion'}, ${c.lastName ?? 'Popescu'}, ${company},
        ${c.vatNumber ?? null}, ${company ? 'company' : 'person'}) returning id::text`;
    const billing = { ...cluj, company, ...s.billing };
    const lines = s.lines.map((l, i) => ({ ...l, lineNo: i + 1, total: (Number(l.price) * l.qty - Number(l.discount ?? 0)).toFixed(2) }));
    const [ord] = await tx<{ id: string }[]>`insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, payment_status, currency,
        prices_include_tax, shipping_total, discount_total, payment_method, billing_address, shipping_address, email)
      values (${t.tenantId}, ${t.shopify.channelId}, ${`scn-${seq}-${Math.random()}`}, ${`#S${2000 + seq}`}, ${client!.id}, 'confirmed', 'paid',
        ${s.currency ?? 'RON'}, ${s.pricesIncludeTax ?? true}, ${s.shippingTotal ?? '0'}, ${s.discountTotal ?? '0'}, ${s.paymentMethod === undefined ? 'shopify_payments' : s.paymentMethod},
        ${tx.json(billing as never)}, ${s.shipping ? tx.json(s.shipping as never) : null}, 'cumparator@client.test') returning id::text`;
    await tx`insert into order_lines ${tx(
      lines.map((l) => ({
        tenant_id: t.tenantId,
        order_id: ord!.id,
        line_no: l.lineNo,
        product_id: t.productIds[l.sku] ?? null,
        sku: l.sku,
        name: l.name ?? `Produs ${l.sku} ăâîșț`,
        quantity: l.qty,
        unit_price: l.price,
        discount: l.discount ?? '0',
        total: l.total,
        vat_rate: l.vatRate === undefined ? '21' : l.vatRate,
      })),
    )}`;
    return ord!.id;
  });
}

async function xmlOf(core: CoreHarness, tenantId: string, invoiceId: string) {
  const [e] = await core.sql<{ xml: string; state: string; errors: unknown }[]>`select xml, state, errors from e_invoices where tenant_id = ${tenantId} and invoice_id = ${invoiceId} order by id desc limit 1`;
  if (e) return { xml: e.xml, eInvoiceState: e.state, errors: e.errors };
  const { doc } = await loadInvoiceDocument(core.sql, tenantId, invoiceId);
  return { xml: renderUbl(doc), eInvoiceState: null, errors: null };
}

/** Issues every scenario's invoice (and credit note) through the product's own path; the documents in order. */
export async function issueScenarios(core: CoreHarness, tenants: Record<'vat' | 'nonVat', TenantFixture>, list: OrderScenario[]): Promise<IssuedScenario[]> {
  const out: IssuedScenario[] = [];
  for (const s of list) {
    const t = tenants[s.seller ?? 'vat'];
    const orderId = await insertOrder(core, t, s);
    const r = await core.sql.begin((tx) => issueInvoiceForOrder(tx, t.tenantId, orderId, 'manual'));
    if (!r.invoiceId) throw new Error(`${s.name}: no invoice (${r.skipped})`);
    out.push({ name: s.name, invoiceId: r.invoiceId, ...(await xmlOf(core, t.tenantId, r.invoiceId)) });
    if (s.credit) {
      const credit = s.credit;
      const cn = await core.sql.begin((tx) =>
        issueCreditNote(tx, t.tenantId, r.invoiceId!, credit === 'storno' ? { source: 'storno', reason: 'Comandă anulată' } : { source: 'return', sourceRef: `ret-${orderId}`, lines: credit }),
      );
      out.push({ name: `${s.name}-credit-${credit === 'storno' ? 'storno' : 'return'}`, invoiceId: cn.creditNoteId, ...(await xmlOf(core, t.tenantId, cn.creditNoteId)) });
    }
  }
  return out;
}

const person = { company: null, vatNumber: null, firstName: 'Maria', lastName: 'Ionescu' };
const bucharestCo = { company: 'Înălțimi Distribuție SRL', vatNumber: '4267117' };
const addr = (a: Record<string, unknown>) => ({ ...cluj, provinceCode: null, ...a });
const mug = { sku: 'A-1', qty: 2, price: '121.00' };
const book = { sku: 'A-2', qty: 1, price: '55.50', vatRate: '11', discount: '5.55' };

/** Every VAT category, buyer kind, address form, currency, payment means, discount, text and size the intake can hand the invoice. */
export const ORDER_SCENARIOS: OrderScenario[] = [
  // VAT categories from product, client and seller data
  { name: 'ord-S21-b2b-card', lines: [mug], shippingTotal: '19.99' },
  { name: 'ord-S11-only-shipping-at-11', lines: [{ sku: 'A-2', qty: 3, price: '39.90', vatRate: '11' }], shippingTotal: '15.00' },
  { name: 'ord-mixed-rates-shipping-split', lines: [mug, book], shippingTotal: '19.99', credit: 'storno' },
  { name: 'ord-Z-zero-rated-product', lines: [{ sku: 'A-5', qty: 4, price: '20.00', vatRate: '0' }] },
  { name: 'ord-E-exempt-with-reason', lines: [{ sku: 'A-3', name: 'Curs de formare profesională', qty: 1, price: '500.00', vatRate: '0' }, mug], shippingTotal: '10.00', credit: 'storno' },
  { name: 'ord-AE-reverse-charge-b2b', pricesIncludeTax: false, lines: [{ sku: 'A-4', name: 'Telefon mobil', qty: 3, price: '1500.00' }] },
  { name: 'ord-AE-product-to-consumer-is-S', client: person, lines: [{ sku: 'A-4', name: 'Telefon mobil', qty: 1, price: '1815.00' }] },
  { name: 'ord-K-intra-eu-delivery-address', client: { company: 'Müller Handel GmbH', vatNumber: 'DE123456789' }, pricesIncludeTax: false, currency: 'EUR', shippingTotal: '9.90',
    billing: addr({ company: 'Müller Handel GmbH', address1: 'Hauptstraße 5', city: 'Berlin', province: null, postcode: '10115', countryCode: 'DE' }),
    shipping: { company: 'Müller Lager', address1: 'Lagerweg 12', city: 'München', province: 'Bayern', postcode: '80331', countryCode: 'DE' },
    lines: [{ sku: 'A-1', qty: 10, price: '8.50' }], credit: [{ lineNo: 1, quantity: 4 }] },
  { name: 'ord-K-austria-vat-id', client: { company: 'Alpen Handel GmbH', vatNumber: 'ATU12345678' }, pricesIncludeTax: false,
    billing: addr({ company: 'Alpen Handel GmbH', address1: 'Ringstraße 1', city: 'Wien', province: null, postcode: '1010', countryCode: 'AT' }), lines: [mug] },
  { name: 'ord-G-export-usd-company', client: { company: 'Acme Imports Inc.', vatNumber: '12-3456789' }, currency: 'USD', pricesIncludeTax: false,
    billing: addr({ company: 'Acme Imports Inc.', address1: '1 Main Street', city: 'New York', province: 'NY', postcode: '10001', countryCode: 'US' }), lines: [{ sku: 'A-2', qty: 4, price: '75.00' }], shippingTotal: '25.00' },
  { name: 'ord-G-export-person-ch', client: { company: null, vatNumber: null, firstName: 'Hans', lastName: 'Meier' },
    billing: addr({ company: null, firstName: 'Hans', lastName: 'Meier', address1: 'Bahnhofstrasse 1', city: 'Zürich', province: null, postcode: '8001', countryCode: 'CH' }), lines: [mug] },
  { name: 'ord-eu-consumer-fr-S21', client: { company: null, vatNumber: null, firstName: 'Élise', lastName: 'Dubois' },
    billing: addr({ company: null, firstName: 'Élise', lastName: 'Dubois', address1: '12 rue de la Paix', city: 'Paris', province: null, postcode: '75002', countryCode: 'FR' }), lines: [mug] },
  { name: 'ord-O-non-vat-seller-b2b', seller: 'nonVat', lines: [mug, book], shippingTotal: '15.00', credit: 'storno' },
  { name: 'ord-O-non-vat-seller-person', seller: 'nonVat', client: person, billing: { company: null }, lines: [mug] },
  // Persons
  { name: 'ord-person-with-cnp', client: { ...person, vatNumber: '1960523460032' }, billing: { company: null, firstName: 'Maria', lastName: 'Ionescu' }, lines: [mug] },
  { name: 'ord-person-cnp-on-address', client: person, billing: { company: null, cnp: '2951103123456' }, lines: [mug] },
  { name: 'ord-person-without-cnp', client: person, billing: { company: null }, lines: [mug], paymentMethod: 'Cash on Delivery (COD)' },
  // Bucharest sectors written every way, and counties
  { name: 'ord-bucharest-sectorul-4', client: bucharestCo, billing: addr({ company: bucharestCo.company, city: 'București', province: 'București', address1: 'Str. Lungă 3, Sectorul 4', postcode: null }), lines: [mug] },
  { name: 'ord-bucharest-city-S4', client: bucharestCo, billing: addr({ company: bucharestCo.company, city: 'Bucuresti S4', province: null, postcode: null }), lines: [mug] },
  { name: 'ord-bucharest-sect-dot-2', client: bucharestCo, billing: addr({ company: bucharestCo.company, city: 'Bucuresti', province: 'Municipiul București', address1: 'Bd. Pache Protopopescu 9, sect. 2', postcode: null }), lines: [mug] },
  { name: 'ord-bucharest-sector-in-province', client: bucharestCo, billing: addr({ company: bucharestCo.company, city: 'Bucharest', province: 'Sector 3', postcode: null }), lines: [mug] },
  { name: 'ord-bucharest-postcode-only', client: bucharestCo, billing: addr({ company: bucharestCo.company, city: 'Bucharest', province: 'Bucharest', postcode: '061234' }), lines: [mug] },
  { name: 'ord-county-judet-cluj', billing: addr({ province: 'Judet Cluj' }), lines: [mug] },
  { name: 'ord-county-judetul-cluj', billing: addr({ province: 'JUDETUL CLUJ' }), lines: [mug] },
  { name: 'ord-county-jud-dot', billing: addr({ province: 'jud. Cluj' }), lines: [mug] },
  { name: 'ord-county-diacritics-cedilla', billing: addr({ province: 'Judeţul Bistriţa-Năsăud', city: 'Bistrița', postcode: '420001' }), lines: [mug] },
  { name: 'ord-county-from-postcode', billing: addr({ province: null, city: 'Turda', postcode: '401001' }), lines: [mug] },
  { name: 'ord-county-code-ro-prefix', billing: addr({ province: null, provinceCode: 'RO-IS', city: 'Iași', postcode: '700001' }), lines: [mug] },
  // Currencies, discounts, payment means, notes
  { name: 'ord-eur-ro-b2b-ron-vat-total', currency: 'EUR', lines: [{ sku: 'A-3x', qty: 3, price: '33.33' }], shippingTotal: '5.00', paymentMethod: 'bacs' },
  { name: 'ord-document-discount-cod', lines: [mug, book], shippingTotal: '19.99', discountTotal: '25.55', paymentMethod: 'cod', credit: 'storno' },
  { name: 'ord-free-shipping-discount', lines: [mug], shippingTotal: '19.99', discountTotal: '19.99', paymentMethod: 'paypal' },
  { name: 'ord-bank-transfer-net-prices', pricesIncludeTax: false, lines: [{ sku: 'A-2', qty: 2, price: '150.00', discount: '15.00' }], shippingTotal: '15.00', paymentMethod: 'bank_transfer' },
  { name: 'ord-cash-unknown-method', lines: [mug], paymentMethod: null },
  // Text: diacritics, XML-special characters, control characters, long fields
  { name: 'ord-xml-special-and-control-chars', client: { company: 'Ana & Ion <Comerț> "SRL"', vatNumber: 'RO18547290' },
    billing: addr({ company: 'Ana & Ion <Comerț> "SRL"', address1: "Str. Mihai Viteazu' nr. 5 & 7 \u0007\u001b", city: 'Cluj-Napoca\u0001', province: 'Cluj' }),
    lines: [{ sku: 'A-1', name: 'Cană „Șoim” 0,5 l <roșu> & albastru \u0002\u0008\u000b tab\there', qty: 1, price: '49.99' }] },
  { name: 'ord-long-fields', client: { company: `Societatea ${'Foarte Lungă '.repeat(25)}SRL`, vatNumber: 'RO18547290' },
    billing: addr({ company: `Societatea ${'Foarte Lungă '.repeat(25)}SRL`, address1: `Strada ${'Nume Foarte Lung De Stradă '.repeat(8)}`, address2: `Bloc ${'A'.repeat(60)}`, city: `Localitatea ${'Cu Nume Lung '.repeat(6)}`, email: `${'contabilitate.'.repeat(8)}@client.test` }),
    lines: [{ sku: 'A-1', name: `Produs ${'cu denumire foarte lungă '.repeat(12)}`, qty: 1, price: '10.00' }] },
  { name: 'ord-100-lines', lines: Array.from({ length: 100 }, (_, i) => ({ sku: `L-${i}`, name: `Articol ${i} ăâîșț`, qty: (i % 5) + 1, price: `${(i * 1.37 + 0.99).toFixed(2)}`, vatRate: i % 4 === 0 ? '11' : '21', discount: i % 7 === 0 ? '0.50' : '0' })), shippingTotal: '29.99', credit: [{ lineNo: 1, quantity: 1 }, { lineNo: 50, quantity: 2 }] },
];
