import { randomBytes } from 'node:crypto';
import { createApiKey } from '../auth/api-keys.ts';
import { readCredentials, writeCredentials, writeWebhookSecret } from '../channels/channel-repo.ts';
import { adjustStock } from '../inventory/reserve-order-stock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Sql } from './connect.ts';

export interface DemoCredentials {
  tenantId: string;
  apiToken: string;
  shopify: { channelId: string; shopDomain: string; apiKey: string; appSecret: string; webhookUrl: string };
  woocommerce: { channelId: string; webhookSecret: string; webhookUrl: string };
  operator: { email: string; password: string };
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
  const [existing] = await sql<{ id: string }[]>`select id::text from tenants where name = 'Expedio Demo' order by id limit 1`;
  const tenantId = existing?.id ?? (await createDemoTenant(sql, box));
  const [shop] = await sql<{ id: string; external_ref: string }[]>`select id::text, external_ref from channels where tenant_id = ${tenantId} and kind = 'shopify' order by id limit 1`;
  const [woo] = await sql<{ id: string }[]>`select id::text from channels where tenant_id = ${tenantId} and kind = 'woocommerce' order by id limit 1`;
  const shopCreds = await readCredentials(sql, box, tenantId, shop!.id);
  const [wooSecret] = await sql<{ webhook_secret_enc: string }[]>`select webhook_secret_enc from channels where tenant_id = ${tenantId} and id = ${woo!.id}`;
  const apiToken = await createApiKey(sql, tenantId, `demo token ${new Date().toISOString()}`);
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
    operator: { email: 'operator@demo.expedio.test', password: 'not set yet: the warehouse UI adds login' },
  };
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
    return tenantId;
  });
}

/** EAN-13 with its check digit, so scanners and validators accept the demo barcodes. */
export function ean13(twelve: string): string {
  const sum = [...twelve].reduce((a, d, i) => a + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return twelve + ((10 - (sum % 10)) % 10);
}
