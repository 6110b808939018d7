import type { Context, Hono } from 'hono';
import { readWooFixture } from './make-woo-order.ts';

/**
 * The catalog side of the fake WooCommerce (REST v3, contract §7.5): products built on the docs'
 * product fixture (`woocommerce-product.json`), `GET /products` and `/products/{id}/variations`
 * paged by page/per_page with X-WP-Total/X-WP-TotalPages, single reads, updates by PUT/POST/PATCH
 * (`manage_stock`, `stock_quantity` — an integer or null — and the stock status following the
 * quantity, as WC_Product_Data_Store does), and the weight unit setting
 * (`GET /settings/products/woocommerce_weight_unit`). Mounted on the fake's app, behind its auth
 * and injected failures (401/429/503/500).
 */

export type FakeWooProduct = Record<string, unknown> & {
  id: number;
  name: string;
  type: 'simple' | 'variable' | 'grouped' | 'external';
  sku: string;
  manage_stock: boolean;
  stock_quantity: number | null;
};

export type FakeWooVariation = Record<string, unknown> & {
  id: number;
  sku: string;
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  attributes: Array<{ id: number; name: string; option: string }>;
};

export interface WooProductSpec {
  name: string;
  sku?: string;
  type?: FakeWooProduct['type'];
  globalUniqueId?: string;
  price?: string;
  weight?: string;
  manageStock?: boolean;
  stockQuantity?: number | null;
  variations?: Array<{ sku?: string; option: string; globalUniqueId?: string; price?: string; weight?: string; manageStock?: boolean; stockQuantity?: number | null }>;
}

export interface WooProductStore {
  products: Map<number, FakeWooProduct>;
  variations: Map<number, FakeWooVariation[]>;
  /** Every stock update the API received, in order. */
  stockUpdates: Array<{ path: string; body: Record<string, unknown> }>;
  weightUnit: string;
  addProduct(spec: WooProductSpec): FakeWooProduct;
  mount(app: Hono, wpError: (c: Context, status: number, code: string, message: string, extra?: Record<string, unknown>) => Response, baseUrl: () => string): void;
}

const API = '/wp-json/wc/v3';

export function createWooProductStore(now: () => Date): WooProductStore {
  const products = new Map<number, FakeWooProduct>();
  const variations = new Map<number, FakeWooVariation[]>();
  const stockUpdates: WooProductStore['stockUpdates'] = [];
  let nextId = 900;
  const store: WooProductStore = {
    products,
    variations,
    stockUpdates,
    weightUnit: 'kg',
    addProduct(spec) {
      const base = readWooFixture<Record<string, unknown>>('woocommerce-product.json');
      const id = nextId++;
      const type = spec.type ?? (spec.variations ? 'variable' : 'simple');
      const p: FakeWooProduct = {
        ...base,
        id,
        name: spec.name,
        slug: spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        type,
        sku: spec.sku ?? '',
        global_unique_id: spec.globalUniqueId ?? '',
        price: spec.price ?? '21.99',
        regular_price: spec.price ?? '21.99',
        weight: spec.weight ?? '',
        manage_stock: spec.manageStock ?? false,
        stock_quantity: spec.manageStock ? (spec.stockQuantity ?? 0) : null,
        variations: [],
      };
      products.set(id, p);
      if (spec.variations) {
        const list = spec.variations.map((v): FakeWooVariation => {
          const vid = nextId++;
          return {
            id: vid,
            parent_id: id,
            sku: v.sku ?? '',
            global_unique_id: v.globalUniqueId ?? '',
            price: v.price ?? p.price,
            regular_price: v.price ?? p.price,
            weight: v.weight ?? '',
            manage_stock: v.manageStock ?? false,
            stock_quantity: v.manageStock ? (v.stockQuantity ?? 0) : null,
            stock_status: 'instock',
            attributes: [{ id: 1, name: 'Size', option: v.option }],
            date_modified_gmt: now().toISOString().slice(0, 19),
          };
        });
        variations.set(id, list);
        p['variations'] = list.map((v) => v.id);
      }
      return p;
    },
    mount(app, wpError, baseUrl) {
      const paging = (c: Context): { perPage: number; page: number } | Response => {
        const q = new URL(c.req.url).searchParams;
        const perPage = Number(q.get('per_page') ?? '10');
        const page = Number(q.get('page') ?? '1');
        const params: Record<string, string> = {};
        if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) params['per_page'] = 'per_page must be between 1 (inclusive) and 100 (inclusive)';
        if (!Number.isInteger(page) || page < 1) params['page'] = 'page must be greater than or equal to 1';
        if (Object.keys(params).length) return wpError(c, 400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });
        return { perPage, page };
      };
      const list = <T extends { id: number }>(c: Context, all: T[], out: (x: T) => unknown) => {
        const p = paging(c);
        if (p instanceof Response) return p;
        const sorted = [...all].sort((a, b) => a.id - b.id);
        const slice = sorted.slice((p.page - 1) * p.perPage, p.page * p.perPage);
        return c.json(slice.map(out), 200, { 'x-wp-total': String(sorted.length), 'x-wp-totalpages': String(Math.ceil(sorted.length / p.perPage)) });
      };
      const links = (path: string) => ({ self: [{ href: `${baseUrl()}${API}/${path}` }], collection: [{ href: `${baseUrl()}${API}/${path.replace(/\/\d+$/, '')}` }] });
      const productOut = (p: FakeWooProduct) => ({ ...p, stock_status: stockStatus(p.manage_stock, p.stock_quantity), _links: links(`products/${p.id}`) });
      const variationOut = (pid: number) => (v: FakeWooVariation) => ({ ...v, _links: links(`products/${pid}/variations/${v.id}`) });

      app.get(`${API}/products`, (c) => list(c, [...products.values()], productOut));
      app.get(`${API}/products/:id{[0-9]+}`, (c) => {
        const p = products.get(Number(c.req.param('id')));
        return p ? c.json(productOut(p)) : wpError(c, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      });
      app.get(`${API}/products/:id{[0-9]+}/variations`, (c) => {
        const id = Number(c.req.param('id'));
        if (!products.has(id)) return wpError(c, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
        return list(c, variations.get(id) ?? [], variationOut(id));
      });
      app.get(`${API}/products/:id{[0-9]+}/variations/:vid{[0-9]+}`, (c) => {
        const id = Number(c.req.param('id'));
        const v = (variations.get(id) ?? []).find((x) => x.id === Number(c.req.param('vid')));
        return v ? c.json(variationOut(id)(v)) : wpError(c, 404, 'woocommerce_rest_product_variation_invalid_id', 'Invalid ID.');
      });

      const update = (target: (c: Context) => { row: FakeWooProduct | FakeWooVariation; path: string; out: () => unknown } | null) => async (c: Context) => {
        const t = target(c);
        if (!t) return wpError(c, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse((await c.req.text()) || '{}') as Record<string, unknown>;
        } catch {
          return wpError(c, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
        }
        const params: Record<string, string> = {};
        if ('stock_quantity' in body && body['stock_quantity'] !== null && !Number.isInteger(body['stock_quantity'])) params['stock_quantity'] = 'stock_quantity is not of type integer,null.';
        if ('manage_stock' in body && typeof body['manage_stock'] !== 'boolean') params['manage_stock'] = 'manage_stock is not of type boolean.';
        if (Object.keys(params).length) return wpError(c, 400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });
        stockUpdates.push({ path: t.path, body });
        for (const [k, v] of Object.entries(body)) if (k !== 'id') (t.row as Record<string, unknown>)[k] = v;
        (t.row as Record<string, unknown>)['stock_status'] = stockStatus(t.row.manage_stock === true, t.row.stock_quantity);
        (t.row as Record<string, unknown>)['date_modified_gmt'] = now().toISOString().slice(0, 19);
        return c.json(t.out());
      };
      const product = (c: Context) => {
        const p = products.get(Number(c.req.param('id')));
        return p ? { row: p, path: `products/${p.id}`, out: () => productOut(p) } : null;
      };
      const variation = (c: Context) => {
        const id = Number(c.req.param('id'));
        const v = (variations.get(id) ?? []).find((x) => x.id === Number(c.req.param('vid')));
        return v ? { row: v, path: `products/${id}/variations/${v.id}`, out: () => variationOut(id)(v) } : null;
      };
      for (const method of ['put', 'post', 'patch'] as const) {
        app[method](`${API}/products/:id{[0-9]+}`, update(product));
        app[method](`${API}/products/:id{[0-9]+}/variations/:vid{[0-9]+}`, update(variation));
      }

      app.get(`${API}/settings/products/woocommerce_weight_unit`, (c) =>
        c.json({
          id: 'woocommerce_weight_unit',
          label: 'Weight unit',
          description: 'This controls what unit you will define weights in.',
          type: 'select',
          default: 'kg',
          options: { kg: 'kg', g: 'g', lbs: 'lbs', oz: 'oz' },
          tip: 'This controls what unit you will define weights in.',
          value: store.weightUnit,
          group_id: 'products',
        }),
      );
    },
  };
  return store;
}

function stockStatus(manage: boolean, quantity: number | null): string {
  if (!manage) return 'instock';
  return (quantity ?? 0) > 0 ? 'instock' : 'outofstock';
}
