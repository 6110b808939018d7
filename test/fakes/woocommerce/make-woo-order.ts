import { readContractJson } from '../../fixtures/contract-fixtures.ts';

/**
 * A WooCommerce REST v3 order as the store returns it. Loose on purpose: tests put malformed and
 * plugin-specific fields in it; the adapter's zod schema is what decides what is valid.
 */
export interface WooOrder {
  id: number;
  number: string;
  status: string;
  date_created: string;
  date_created_gmt: string;
  date_modified: string;
  date_modified_gmt: string;
  meta_data: { id?: number; key: string; value: unknown }[];
  [field: string]: unknown;
}

export function readWooFixture<T = unknown>(name: string): T {
  return readContractJson<T>(name);
}

let nextId = 10_000;

/**
 * The real `woocommerce-order.json` sample with overrides applied (shallow; pass a whole
 * `billing` to change one field of it). Without an `id` each call gets a fresh id and number, so
 * several orders can live in one fake store.
 */
export function makeWooOrder(overrides: Partial<WooOrder> = {}): WooOrder {
  const base = readWooFixture<WooOrder>('woocommerce-order.json');
  const id = overrides.id ?? nextId++;
  return { ...base, id, number: String(id), ...overrides };
}

/** `YYYY-MM-DDTHH:MM:SS`, Woo's zone-less format for both the local and the *_gmt fields. */
export function wooDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}
