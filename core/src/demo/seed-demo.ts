import { randomBytes } from 'node:crypto';
import { createApiKey, setPassword } from '../auth/index.ts';
import { readCredentials, writeCredentials, writeWebhookSecret, getChannel } from '../channels/index.ts';
import { adjustStock } from '../inventory/index.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { ChannelOrder } from '../channels/index.ts';
import { ingestChannelOrder, confirmOrder } from '../flows/index.ts';
import { add as addMoney, mulQty } from '../shared/money.ts';
import type { Sql, Tx } from '../db/connect.ts';

export interface DemoCredentials {
  tenantId: string;
  apiToken: string;
  shopify: { channelId: string; shopDomain: string; apiKey: string; appSecret: string; webhookUrl: string };
  woocommerce: { channelId: string; webhookSecret: string; webhookUrl: string };
  operator: { email: string; password: string };
  /** A warehouse-role user for the pick and pack screens at `warehouseUrl`. */
  picker: { email: string; password: string };
  /** A manager: settings, the team, and connecting a store (the WooCommerce consent page). */
  manager: { email: string; password: string };
  warehouseUrl: string;
}

const PRODUCTS: Array<[string, string, string, number, number]> = [
  // sku, name, price (RON), weight kg, stock
  ['EXP-TSHIRT-S', 'Tricou bumbac organic, S', '79.90', 0.18, 40],
  ['EXP-TSHIRT-M', 'Tricou bumbac organic, M', '79.90', 0.2, 55],
  ['EXP-TSHIRT-L', 'Tricou bumbac organic, L', '79.90', 0.22, 35],
  ['EXP-HOODIE-M', 'Hanorac cu glugă, M', '189.00', 0.65, 20],
  ['EXP-HOODIE-L', 'Hanorac cu glugă, L', '189.00', 0.7, 18],
  ['EXP-MUG-01', 'Cană ceramică 330 ml', '39.00', 0.4, 120],
  ['EXP-MUG-02', 'Cană termos inox 450 ml', '89.00', 0.35, 60],
  ['EXP-BOTTLE', 'Sticlă apă 750 ml', '59.00', 0.3, 75],
  ['EXP-CAP', 'Șapcă brodată', '69.00', 0.12, 45],
  ['EXP-SOCKS-3', 'Set 3 perechi șosete', '49.00', 0.15, 90],
  ['EXP-TOTE', 'Sacoșă pânză', '29.00', 0.1, 150],
  ['EXP-NOTEBOOK', 'Caiet A5 dictando', '24.50', 0.25, 200],
  ['EXP-PEN-SET', 'Set pixuri (4)', '19.90', 0.08, 300],
  ['EXP-CANDLE', 'Lumânare parfumată', '54.00', 0.45, 30],
  ['EXP-PLANT-POT', 'Ghiveci ceramic', '64.00', 1.2, 25],
  ['EXP-BLANKET', 'Pătură lână merinos', '349.00', 1.6, 8],
  ['EXP-APRON', 'Șorț bucătărie', '74.00', 0.3, 22],
  ['EXP-COASTERS', 'Set suporturi pahare (6)', '34.00', 0.2, 80],
  ['EXP-PUZZLE', 'Puzzle 1000 piese', '99.00', 0.9, 12],
  ['EXP-GIFTCARD-BOX', 'Cutie cadou', '15.00', 0.05, 0],
];

/**
 * The demo tenant: one warehouse with bins, 20 products with barcodes, weights and stock, a price
 * list, a Shopify and a WooCommerce channel with their secrets, an operator user. Idempotent: a
 * second start reuses the tenant and issues a fresh API token (only its hash is stored).
 */
export async function seedDemo(sql: Sql, box: SecretBox, coreUrl: string): Promise<DemoCredentials> {
  const [existing] = await sql<{ id: string }[]>`select id::text from tenants where name = 'Expedio Demo' order by tenants.id limit 1`;
  const tenantId = existing?.id ?? (await createDemoTenant(sql, box));
  const [shop] = await sql<{ id: string; external_ref: string }[]>`select id::text, external_ref from channels where tenant_id = ${tenantId} and kind = 'shopify' order by channels.id limit 1`;
  const [woo] = await sql<{ id: string }[]>`select id::text from channels where tenant_id = ${tenantId} and kind = 'woocommerce' order by channels.id limit 1`;
  const shopCreds = await readCredentials(sql, box, tenantId, shop!.id);
  const [wooSecret] = await sql<{ webhook_secret_enc: string }[]>`select webhook_secret_enc from channels where tenant_id = ${tenantId} and id = ${woo!.id}`;
  const apiToken = await createApiKey(sql, tenantId, `demo token ${new Date().toISOString()}`);
  const operatorPassword = await resetDemoLogin(sql, tenantId, 'operator@demo.expedio.test', 'Ana Operator', 'operator');
  const pickerPassword = await resetDemoLogin(sql, tenantId, 'picker@demo.expedio.test', 'Petru Picker', 'warehouse');
  const managerPassword = await resetDemoLogin(sql, tenantId, 'manager@demo.expedio.test', 'Maria Manager', 'manager');
  return {
    tenantId,
    apiToken,
    shopify: {
      channelId: shop!.id,
      shopDomain: shop!.external_ref,
      apiKey: shopCreds.apiKey ?? '',
      appSecret: shopCreds.apiSecret ?? '',
      webhookUrl: `${coreUrl}/webhooks/shopify`,
    },
    woocommerce: { channelId: woo!.id, webhookSecret: box.open(wooSecret!.webhook_secret_enc), webhookUrl: `${coreUrl}/webhooks/woocommerce/${woo!.id}` },
    operator: { email: 'operator@demo.expedio.test', password: operatorPassword },
    picker: { email: 'picker@demo.expedio.test', password: pickerPassword },
    manager: { email: 'manager@demo.expedio.test', password: managerPassword },
    warehouseUrl: `${coreUrl}/warehouse/login`,
  };
}

/** Like the API token, a fresh password per start: only its scrypt hash is stored, the plaintext goes to the credentials file. */
async function resetDemoLogin(sql: Sql, tenantId: string, email: string, name: string, role: 'operator' | 'warehouse' | 'manager'): Promise<string> {
  await sql`insert into users (tenant_id, email, name, role) values (${tenantId}, ${email}, ${name}, ${role}) on conflict do nothing`;
  const [u] = await sql<{ id: string }[]>`select id::text from users where tenant_id = ${tenantId} and lower(email) = ${email}`;
  const password = randomBytes(12).toString('base64url');
  await setPassword(sql, tenantId, u!.id, password);
  return password;
}

async function createDemoTenant(sql: Sql, box: SecretBox): Promise<string> {
  return await sql.begin(async (tx) => {
    const [t] = await tx<{ id: string }[]>`insert into tenants (name) values ('Expedio Demo') returning id::text`;
    const tenantId = t!.id;
    await tx`insert into users (tenant_id, email, name, role) values (${tenantId}, 'operator@demo.expedio.test', 'Ana Operator', 'operator')`;
    const [wh] = await tx<{ id: string }[]>`insert into warehouses (tenant_id, code, name, address)
      values (${tenantId}, 'CLJ1', 'Depozit Cluj', ${tx.json({ city: 'Cluj-Napoca', county: 'CJ', country: 'RO' })}) returning id::text`;
    const binIds: string[] = [];
    for (let aisle = 1; aisle <= 2; aisle++) {
      for (let shelf = 1; shelf <= 5; shelf++) {
        const [b] = await tx<{ id: string }[]>`insert into bins (tenant_id, warehouse_id, code, pick_sequence)
          values (${tenantId}, ${wh!.id}, ${`A${aisle}-${String(shelf).padStart(2, '0')}`}, ${aisle * 100 + shelf}) returning id::text`;
        binIds.push(b!.id);
      }
    }
    const [pl] = await tx<{ id: string }[]>`insert into price_lists (tenant_id, name, currency) values (${tenantId}, 'Online RON', 'RON') returning id::text`;
    let i = 0;
    for (const [sku, name, price, weight, qty] of PRODUCTS) {
      const barcode = ean13(`594000000${String(100 + i).padStart(3, '0')}`);
      const [p] = await tx<{ id: string }[]>`insert into products (tenant_id, sku, barcode, name, vat_rate, weight_kg, length_cm, width_cm, height_cm)
        values (${tenantId}, ${sku}, ${barcode}, ${name}, ${21}, ${weight}, ${30}, ${20}, ${5 + (i % 4) * 5}) returning id::text`;
      await tx`insert into price_list_items (tenant_id, price_list_id, product_id, price) values (${tenantId}, ${pl!.id}, ${p!.id}, ${price})`;
      if (qty > 0) {
        await adjustStock(tx, tenantId, { warehouseId: wh!.id, binId: binIds[i % binIds.length]!, productId: p!.id, delta: qty, kind: 'receipt', causeType: 'seed', causeId: 'demo' });
      }
      i++;
    }
    const [shop] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, price_list_id, default_warehouse_id)
      values (${tenantId}, 'shopify', 'Shopify demo store', 'expedio-demo.myshopify.com', ${pl!.id}, ${wh!.id}) returning id::text`;
    await writeCredentials(tx, box, tenantId, shop!.id, {
      apiKey: `demo-app-${randomBytes(6).toString('hex')}`,
      apiSecret: `shpss_${randomBytes(16).toString('hex')}`,
      apiVersion: '2025-10',
    });
    const [woo] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, price_list_id, default_warehouse_id)
      values (${tenantId}, 'woocommerce', 'WooCommerce demo store', 'https://woo.demo.expedio.test', ${pl!.id}, ${wh!.id}) returning id::text`;
    await writeWebhookSecret(tx, box, tenantId, woo!.id, randomBytes(24).toString('base64url'));
    await seedDemoOrders(tx, tenantId, shop!.id, woo!.id);
    return tenantId;
  });
}

/**
 * A few orders through the same intake the webhooks use, so the demo opens on real states: confirmed
 * with stock reserved, on hold for stock, on hold for an unknown SKU, and a draft awaiting payment.
 */
async function seedDemoOrders(tx: Tx, tenantId: string, shopifyId: string, wooId: string) {
  const shopify = await getChannel(tx, tenantId, shopifyId);
  const woo = await getChannel(tx, tenantId, wooId);
  const people = [
    ['Maria', 'Popescu', 'maria.popescu@example.ro', 'Cluj-Napoca', 'CJ', 'Str. Memorandumului 12'],
    ['Andrei', 'Ionescu', 'andrei.ionescu@example.ro', 'București', 'B', 'Bd. Unirii 45, Sector 3'],
    ['Ioana', 'Stan', 'ioana.stan@example.ro', 'Iași', 'IS', 'Str. Lăpușneanu 7'],
    ['Mihai', 'Dumitrescu', 'mihai@firma-exemplu.ro', 'Timișoara', 'TM', 'Calea Aradului 90'],
  ] as const;
  const specs: Array<{ channel: typeof shopify; n: number; status: string; lines: Array<[string, number, string]>; person: number }> = [
    { channel: shopify, n: 1001, status: 'paid', lines: [['EXP-TSHIRT-M', 2, '79.90'], ['EXP-MUG-01', 1, '39.00']], person: 0 },
    { channel: shopify, n: 1002, status: 'paid', lines: [['EXP-HOODIE-L', 1, '189.00'], ['EXP-CAP', 1, '69.00']], person: 1 },
    { channel: shopify, n: 1003, status: 'pending', lines: [['EXP-BLANKET', 1, '349.00'], ['EXP-GIFTCARD-BOX', 1, '15.00']], person: 2 },
    { channel: woo, n: 2001, status: 'processing', lines: [['EXP-NOTEBOOK', 3, '24.50'], ['EXP-PEN-SET', 2, '19.90']], person: 3 },
    { channel: woo, n: 2002, status: 'processing', lines: [['EXP-OLD-SKU', 1, '10.00']], person: 0 },
    { channel: woo, n: 2003, status: 'pending', lines: [['EXP-TOTE', 4, '29.00']], person: 1 },
  ];
  for (const s of specs) {
    const [first, last, email, city, county, street] = people[s.person]!;
    const address = { firstName: first, lastName: last, company: null, address1: street, address2: null, city, province: null, provinceCode: county, postcode: null, country: 'Romania', countryCode: 'RO', phone: '+40712345678', email };
    const total = s.lines.reduce((a, [, q, p]) => addMoney(a, mulQty(p, q)), '0');
    const at = new Date(Date.now() - (7 - specs.indexOf(s)) * 3600_000).toISOString();
    const order: ChannelOrder = {
      externalOrderId: String(s.channel.kind === 'shopify' ? 5_100_000_000_000 + s.n : s.n),
      externalNumber: s.channel.kind === 'shopify' ? `#${s.n}` : String(s.n),
      platformStatus: s.status,
      createdAt: at,
      updatedAt: at,
      currency: 'RON',
      pricesIncludeTax: true,
      email,
      customer: { externalId: null, email, firstName: first, lastName: last, phone: address.phone, company: null, vatNumber: null },
      billingAddress: address,
      shippingAddress: address,
      lines: s.lines.map(([sku, q, p], i) => ({ externalLineId: String(i + 1), sku, name: sku, quantity: q, unitPrice: p, discount: '0', total: mulQty(p, q), tax: null, externalProductId: null, externalVariantId: null })),
      shippingLines: [],
      subtotal: total,
      discountTotal: '0',
      shippingTotal: '0',
      taxTotal: '0',
      total,
      paymentMethod: s.status === 'pending' ? 'cod' : 'card',
      paymentStatus: s.status === 'paid' || s.status === 'processing' ? 'paid' : 'pending',
      cancelled: false,
      note: null,
      tags: ['demo'],
    };
    const r = await ingestChannelOrder(tx, s.channel, order);
    if (r.status === 'new' && r.orderId) await confirmOrder(tx, tenantId, r.orderId);
  }
}

/** EAN-13 with its check digit, so scanners and validators accept the demo barcodes. */
export function ean13(twelve: string): string {
  const sum = [...twelve].reduce((a, d, i) => a + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return twelve + ((10 - (sum % 10)) % 10);
}
