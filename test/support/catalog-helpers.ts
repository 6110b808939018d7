import { expect } from 'vitest';

/*
 * The catalog set up the way a merchant does it, through /api/v1 with an API key (no SQL): for
 * end-to-end tests that start from an empty install. Each call expects success and returns the body.
 */

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
type Body = any;

async function call(baseUrl: string, apiKey: string, method: string, path: string, body?: unknown): Promise<Body> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json();
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

/** A warehouse (code, name, sender address) and its bins: `{ warehouse, bins }` as the API answers them. */
export async function createWarehouseWithBins(
  baseUrl: string,
  apiKey: string,
  w: { code: string; name: string; address?: Record<string, string>; bins: Array<{ code: string; zone?: string; pickSequence?: number }> },
): Promise<{ warehouse: Body; bins: Body[] }> {
  const { bins, ...input } = w;
  const warehouse = await call(baseUrl, apiKey, 'POST', '/warehouses', input);
  const made: Body[] = [];
  for (const b of bins) made.push(await call(baseUrl, apiKey, 'POST', `/warehouses/${warehouse.id}/bins`, b));
  return { warehouse, bins: made };
}

/** Products with their variants (`POST /products` each); the products as the API answers them. */
export async function createProducts(
  baseUrl: string,
  apiKey: string,
  products: Array<{ name: string; variants: Array<{ sku: string; barcode?: string; name?: string; weightKg?: string; price?: string; vatRate?: string }> }>,
): Promise<Body[]> {
  const out: Body[] = [];
  for (const p of products) out.push(await call(baseUrl, apiKey, 'POST', '/products', p));
  return out;
}

/** A CSV import (`products`, `bins` or `stock`); the line-by-line report. */
export const importCsv = (baseUrl: string, apiKey: string, kind: 'products' | 'bins' | 'stock', body: { csv: string; dryRun?: boolean; warehouseId?: string; reason?: string }): Promise<Body> =>
  call(baseUrl, apiKey, 'POST', `/imports/${kind}`, body);
