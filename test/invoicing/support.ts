import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';

export const PROFILE = {
  legalName: 'Expedio Demo SRL',
  cui: '13548146',
  tradeRegisterNo: 'J40/1234/2020',
  street: 'Str. Ștefan cel Mare nr. 10',
  city: 'București, Sector 1',
  countyCode: 'B',
  postalCode: '010101',
  bankName: 'Banca Transilvania',
  iban: 'RO49AAAA1B31007593840000',
  email: 'facturi@expedio.test',
};

let seq = 0;

/** An order as intake stores it (Romanian company buyer by default), straight into the database. */
export async function insertOrder(
  core: CoreHarness,
  t: TenantFixture,
  o: { company?: string | null; vatNumber?: string | null; email?: string | null; currency?: string; shipping?: string; status?: string; paymentStatus?: string; billing?: Record<string, unknown>; lines?: Array<{ sku: string; qty: number; price: string; discount?: string; vatRate?: string }> } = {},
): Promise<string> {
  seq++;
  return core.sql.begin(async (tx) => {
    const [c] = await tx<{ id: string }[]>`insert into clients (tenant_id, email, first_name, last_name, company, vat_number, kind)
      values (${t.tenantId}, ${`buyer${seq}-${Math.random().toString(36).slice(2, 6)}@client.test`}, 'Ion', 'Popescu', ${o.company === undefined ? 'Țesătoria Âmbră SRL' : o.company},
        ${o.vatNumber === undefined ? 'RO18547290' : o.vatNumber}, ${o.vatNumber === null ? 'person' : 'company'}) returning id::text`;
    const billing = o.billing ?? { firstName: 'Ion', lastName: 'Popescu', company: o.company === undefined ? 'Țesătoria Âmbră SRL' : o.company, address1: 'Str. Memorandumului 28', address2: null, city: 'Cluj-Napoca', province: 'Cluj', provinceCode: 'CJ', postcode: '400114', countryCode: 'RO', email: null, phone: null };
    const [ord] = await tx<{ id: string }[]>`insert into orders (tenant_id, channel_id, external_order_id, external_number, client_id, status, payment_status, currency,
        prices_include_tax, shipping_total, billing_address, email)
      values (${t.tenantId}, ${t.shopify.channelId}, ${`ext-${seq}-${Math.random()}`}, ${`#${1000 + seq}`}, ${c!.id}, ${o.status ?? 'confirmed'}, ${o.paymentStatus ?? 'paid'},
        ${o.currency ?? 'RON'}, true, ${o.shipping ?? '19.99'}, ${tx.json(billing as never)}, ${o.email === undefined ? 'ion.popescu@client.test' : o.email}) returning id::text`;
    const lines = o.lines ?? [
      { sku: 'A-1', qty: 2, price: '121.00' },
      { sku: 'A-2', qty: 1, price: '55.50', vatRate: '11', discount: '5.55' },
    ];
    let n = 0;
    for (const l of lines) {
      n++;
      await tx`insert into order_lines (tenant_id, order_id, line_no, product_id, sku, name, quantity, unit_price, discount, total, vat_rate)
        values (${t.tenantId}, ${ord!.id}, ${n}, ${t.productIds[l.sku] ?? null}, ${l.sku}, ${`Produs ${l.sku} ăâîșț`}, ${l.qty}, ${l.price}, ${l.discount ?? '0'},
          ${(Number(l.price) * l.qty - Number(l.discount ?? 0)).toFixed(2)}, ${l.vatRate ?? '21'})`;
    }
    return ord!.id;
  });
}
