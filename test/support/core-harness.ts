import { createApiKey } from '../../core/src/auth/api-keys.ts';
import { writeCredentials, writeWebhookSecret } from '../../core/src/channels/channel-repo.ts';
import type { Sql } from '../../core/src/db/connect.ts';
import { dispatchOutbox } from '../../core/src/db/outbox.ts';
import { openOutboxStall } from '../../core/src/stalls/record-stall.ts';
import { outboxHandlers } from '../../core/src/flows/outbox-handlers.ts';
import { createApp } from '../../core/src/http/app.ts';
import { serveApp } from '../../core/src/http/serve-app.ts';
import { adjustStock } from '../../core/src/inventory/reserve-order-stock.ts';
import type { Deps } from '../../core/src/shared/deps.ts';
import { createSecretBox } from '../../core/src/shared/secret-box.ts';
import type { ShopifyAppConfig } from '../../core/src/shared/shopify-app-config.ts';
import { onFileTeardown } from './file-teardown.ts';
import { testDatabase } from './test-db.ts';

export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TenantFixture {
  tenantId: string;
  apiKey: string;
  warehouseId: string;
  binIds: string[];
  productIds: Record<string, string>;
  shopify: { channelId: string; shopDomain: string; apiKey: string; apiSecret: string };
  woo: { channelId: string; webhookSecret: string };
}

export interface CoreHarness {
  url: string;
  sql: Sql;
  /** The harness's database, for a second core process started beside it. */
  databaseUrl: string;
  deps: Deps;
  /** Runs the worker's outbox dispatch until nothing is due. */
  drainOutbox(): Promise<number>;
  createTenant(opts?: { name?: string; stock?: Record<string, number>; shopDomain?: string; channel?: Record<string, unknown> }): Promise<TenantFixture>;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies field by field
  api(path: string, init?: RequestInit & { key?: string }): Promise<{ status: number; body: any }>;
}

// The SKUs of the real contract fixtures, plus a few of our own.
export const FIXTURE_SKUS = ['SKU2006-001', 'SKU2006-020', 'SKU2006-035', 'Bar3', 'A-1', 'A-2', 'A-3', 'A-4', 'A-5'];

/** A real core (HTTP on 127.0.0.1, real Postgres database of its own) for end-to-end tests. */
export async function startCore(opts: { max?: number; shopifyApp?: ShopifyAppConfig; setupCode?: string } = {}): Promise<CoreHarness> {
  const { sql, url: databaseUrl } = await testDatabase({ max: opts.max ?? 20 });
  const deps: Deps = { sql, box: createSecretBox(TEST_MASTER_KEY), now: () => new Date(), ...(opts.shopifyApp ? { shopifyApp: opts.shopifyApp } : {}) };
  const app = createApp(deps, opts.setupCode ? { setupCode: opts.setupCode } : {});
  const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
  const url = server.url;
  // Closed when the file's tests are over, whether started at the file's top level or in a beforeAll.
  onFileTeardown(() => server.close());
  let defaultKey = '';
  let tenants = 0;

  return {
    url,
    sql,
    databaseUrl,
    deps,
    async drainOutbox() {
      let n = 0;
      for (let i = 0; i < 100; i++) {
        const r = await dispatchOutbox(sql, outboxHandlers, { batch: 100, context: { box: deps.box, now: deps.now, ...(deps.shopifyApp ? { shopifyApp: deps.shopifyApp } : {}) }, onStalled: openOutboxStall });
        n += r.done + r.failed + r.stalled;
        if (r.done + r.failed + r.stalled === 0) break;
      }
      return n;
    },
    async createTenant(o = {}) {
      tenants++;
      const box = deps.box;
      return await sql.begin(async (tx) => {
        const [t] = await tx<{ id: string }[]>`insert into tenants (name) values (${o.name ?? `Tenant ${tenants}`}) returning id::text`;
        const tenantId = t!.id;
        const [wh] = await tx<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${tenantId}, 'W1', 'Main') returning id::text`;
        const binIds: string[] = [];
        for (const [code, seq] of [
          ['B-02', 20],
          ['B-01', 10],
        ] as const) {
          const [b] = await tx<{ id: string }[]>`insert into bins (tenant_id, warehouse_id, code, pick_sequence) values (${tenantId}, ${wh!.id}, ${code}, ${seq}) returning id::text`;
          binIds.push(b!.id);
        }
        const [pl] = await tx<{ id: string }[]>`insert into price_lists (tenant_id, name, currency) values (${tenantId}, 'Web', 'RON') returning id::text`;
        const productIds: Record<string, string> = {};
        for (const sku of FIXTURE_SKUS) {
          const [p] = await tx<{ id: string }[]>`insert into products (tenant_id, sku, barcode, name, weight_kg) values (${tenantId}, ${sku}, ${`590${sku}`}, ${`Product ${sku}`}, 0.5) returning id::text`;
          productIds[sku] = p!.id;
          await tx`insert into price_list_items (tenant_id, price_list_id, product_id, price) values (${tenantId}, ${pl!.id}, ${p!.id}, '10.00')`;
          const qty = o.stock?.[sku] ?? 100;
          if (qty > 0) await adjustStock(tx, tenantId, { warehouseId: wh!.id, binId: binIds[0]!, productId: p!.id, delta: qty, kind: 'receipt', causeType: 'test', causeId: 'setup' });
        }
        const shopDomain = o.shopDomain ?? `shop-${tenantId}-${Math.random().toString(36).slice(2, 7)}.myshopify.com`;
        const extra = o.channel ?? {};
        const [shop] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, price_list_id, default_warehouse_id)
          values (${tenantId}, 'shopify', 'Shopify', ${shopDomain}, ${pl!.id}, ${wh!.id}) returning id::text`;
        const [woo] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, price_list_id, default_warehouse_id)
          values (${tenantId}, 'woocommerce', 'Woo', 'https://woo.example.test', ${pl!.id}, ${wh!.id}) returning id::text`;
        for (const [col, value] of Object.entries(extra)) {
          await tx.unsafe(`update channels set ${col} = $1 where tenant_id = $2`, [value as never, tenantId]);
        }
        const shopify = { channelId: shop!.id, shopDomain, apiKey: `api-key-${tenantId}`, apiSecret: `shpss_secret_${tenantId}` };
        // Points at a closed local port: a test that does not start the fake Shopify must never reach the internet.
        await writeCredentials(tx, box, tenantId, shop!.id, { apiKey: shopify.apiKey, apiSecret: shopify.apiSecret, accessToken: 'shpat_test', adminBaseUrl: 'http://127.0.0.1:9' });
        const webhookSecret = `woo&secret<"${tenantId}"`;
        await writeWebhookSecret(tx, box, tenantId, woo!.id, webhookSecret);
        const apiKey = await createApiKey(tx, tenantId, 'test');
        if (!defaultKey) defaultKey = apiKey;
        return { tenantId, apiKey, warehouseId: wh!.id, binIds, productIds, shopify, woo: { channelId: woo!.id, webhookSecret } };
      });
    },
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${init.key ?? defaultKey}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const res = await fetch(`${url}${path}`, { ...init, headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, body };
    },
  };
}

export async function stockOf(sql: Sql, tenantId: string, productId: string) {
  const [row] = await sql<{ on_hand: number; reserved: number }[]>`
    select coalesce(sum(on_hand),0)::int as on_hand, coalesce(sum(reserved),0)::int as reserved
    from stock where tenant_id = ${tenantId} and product_id = ${productId}`;
  return row!;
}
