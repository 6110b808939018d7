/**
 * The catalog and inventory side of the fake Shopify (GraphQL Admin API): `productVariants` with
 * product, barcode, price and inventory item (tracked, measurement.weight { unit value }) paged by
 * cursor; `locations` (includeInactive); `inventoryItem { inventoryLevels { quantities(names:) } }`;
 * and `inventorySetQuantities` with the rules of the API version in the URL:
 *   - before 2026-01: every quantity needs `compareQuantity` unless `ignoreCompareQuantity: true`
 *     (COMPARE_QUANTITY_REQUIRED), a stale one is COMPARE_QUANTITY_STALE; `changeFromQuantity` and
 *     the `@idempotent` directive do not exist yet (GraphQL errors);
 *   - 2026-01: `changeFromQuantity` (CHANGE_FROM_QUANTITY_STALE) and an optional `@idempotent(key:)`;
 *   - from 2026-04: `changeFromQuantity` must be given on every quantity (null opts out) and the
 *     directive is mandatory; `compareQuantity`/`ignoreCompareQuantity` are gone.
 * A repeated idempotency key with the same input returns the first answer without applying it
 * again; with another input it is IDEMPOTENCY_KEY_PARAMETER_MISMATCH.
 */

type Node = Record<string, unknown>;

export interface FakeVariant {
  id: string;
  productId: string;
  productTitle: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  inventoryItemId: string;
  tracked: boolean;
  weight: { unit: 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS'; value: number } | null;
}

export interface FakeLocation {
  id: string;
  name: string;
  isActive: boolean;
}

export interface FakeInventorySet {
  apiVersion: string;
  idempotencyKey: string | null;
  input: Node;
  applied: boolean;
}

export interface FakeProductSpec {
  title: string;
  variants: Array<{ title?: string; sku: string | null; barcode?: string | null; price?: string; grams?: number; weight?: FakeVariant['weight']; tracked?: boolean; available?: number }>;
}

export interface CatalogStore {
  variants: Map<string, FakeVariant>;
  locations: FakeLocation[];
  /** inventory item id → location id → available. */
  levels: Map<string, Map<string, number>>;
  inventorySets: FakeInventorySet[];
  addLocation(name: string, isActive?: boolean): FakeLocation;
  /** A product with its variants, stocked at every active location with `available` (default 0). */
  addProduct(spec: FakeProductSpec): FakeVariant[];
  updateVariant(id: string, patch: Partial<Omit<FakeVariant, 'id' | 'inventoryItemId'>>): void;
  available(inventoryItemId: string, locationId: string): number | undefined;
  /** A sale or an edit in the shop admin: the level changes without Expedio. */
  setAvailable(inventoryItemId: string, locationId: string, quantity: number): void;
  route(query: string, variables: Node, apiVersion: string): { cost: number; run: () => unknown; errors?: Node[] } | null;
}

const REASONS = new Set([
  'correction', 'cycle_count_available', 'damaged', 'movement_canceled', 'movement_created', 'movement_received', 'movement_updated', 'other',
  'promotion', 'quality_control', 'received', 'reservation_created', 'reservation_deleted', 'reservation_updated', 'restock', 'safety_stock', 'shrinkage',
]);

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
const tail = (gid: string) => BigInt(/(\d+)$/.exec(gid)?.[1] ?? '0');

function argVar(query: string, field: string, arg: string, variables: Node): unknown {
  const m = new RegExp(`\\b${field}\\s*\\([^)]*?\\b${arg}\\s*:\\s*\\$(\\w+)`).exec(query);
  return m ? variables[m[1]!] : undefined;
}

export function createCatalogStore(): CatalogStore {
  const variants = new Map<string, FakeVariant>();
  const locations: FakeLocation[] = [];
  const levels = new Map<string, Map<string, number>>();
  const inventorySets: FakeInventorySet[] = [];
  const idempotency = new Map<string, { input: string; answer: unknown }>();
  let seq = 7_000_000;
  const gid = (type: string) => `gid://shopify/${type}/${seq++}`;

  function page<T extends { id: string }>(all: T[], first: number, after: unknown): { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] } {
    const sorted = [...all].sort((a, b) => (tail(a.id) < tail(b.id) ? -1 : 1));
    const start = typeof after === 'string' ? sorted.findIndex((n) => n.id === decode(after)) + 1 : 0;
    const nodes = sorted.slice(start, start + first);
    return { pageInfo: { hasNextPage: start + first < sorted.length, endCursor: nodes.length ? encode(nodes.at(-1)!.id) : null }, nodes };
  }

  function setQuantities(apiVersion: string, query: string, variables: Node): { errors?: Node[]; run?: () => unknown } {
    const input = (argVar(query, 'inventorySetQuantities', 'input', variables) ?? {}) as Node;
    const directive = /@idempotent\s*\(\s*key\s*:\s*"([^"]*)"\s*\)/.exec(query);
    const key = directive ? directive[1]! : null;
    const v2601 = apiVersion >= '2026-01';
    const v2604 = apiVersion >= '2026-04';
    const quantities = (Array.isArray(input['quantities']) ? input['quantities'] : []) as Node[];
    const gqlError = (message: string) => ({ errors: [{ message, extensions: { code: 'argumentLiteralsIncompatible' } }] });
    if (directive && !v2601) return gqlError("Directive 'idempotent' is not defined");
    if (!directive && v2604) return gqlError('The @idempotent directive is required for this mutation.');
    if (!v2601 && quantities.some((q) => 'changeFromQuantity' in q)) return gqlError('InputObject \'InventoryQuantityInput\' doesn\'t accept argument \'changeFromQuantity\'');
    if (v2604 && ('ignoreCompareQuantity' in input || quantities.some((q) => 'compareQuantity' in q))) {
      return gqlError('compareQuantity and ignoreCompareQuantity were removed in 2026-04; use changeFromQuantity');
    }
    return {
      run: () => {
        const record: FakeInventorySet = { apiVersion, idempotencyKey: key, input: structuredClone(input), applied: false };
        inventorySets.push(record);
        const inputText = JSON.stringify(input);
        if (key !== null) {
          const seen = idempotency.get(key);
          if (seen) {
            if (seen.input !== inputText) return { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ field: ['input'], message: 'The same idempotency key cannot be used with different operation parameters.', code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }] } };
            return seen.answer;
          }
        }
        const userErrors: Node[] = [];
        const name = input['name'];
        if (name !== 'available' && name !== 'on_hand') userErrors.push({ field: ['input', 'name'], message: "The quantity name must be either 'available' or 'on_hand'.", code: 'INVALID_NAME' });
        if (!REASONS.has(String(input['reason']))) userErrors.push({ field: ['input', 'reason'], message: 'The specified reason is invalid.', code: 'INVALID_REASON' });
        const check = (q: Node, i: number): Node | null => {
          const field = (f: string) => ['input', 'quantities', String(i), f];
          const item = String(q['inventoryItemId']);
          const loc = String(q['locationId']);
          const quantity = Number(q['quantity']);
          const itemLevels = levels.get(item);
          if (!itemLevels) return ({ field: field('inventoryItemId'), message: 'The specified inventory item could not be found.', code: 'INVALID_INVENTORY_ITEM' });
          if (!locations.some((l) => l.id === loc)) return ({ field: field('locationId'), message: 'The specified location could not be found.', code: 'INVALID_LOCATION' });
          if (!itemLevels.has(loc)) return ({ field: field('locationId'), message: 'The specified inventory item is not stocked at the location.', code: 'ITEM_NOT_STOCKED_AT_LOCATION' });
          if (!Number.isInteger(quantity) || quantity < 0) return ({ field: field('quantity'), message: "The quantity can't be negative.", code: 'INVALID_QUANTITY_NEGATIVE' });
          const persisted = itemLevels.get(loc)!;
          if (v2601) {
            if (v2604 && !('changeFromQuantity' in q)) return ({ field: field('changeFromQuantity'), message: 'changeFromQuantity must be given (null opts out of the check).', code: 'CHANGE_FROM_QUANTITY_STALE' });
            if (q['changeFromQuantity'] !== undefined && q['changeFromQuantity'] !== null && q['changeFromQuantity'] !== persisted) {
              return ({ field: field('changeFromQuantity'), message: 'The changeFromQuantity value does not match persisted value.', code: 'CHANGE_FROM_QUANTITY_STALE' });
            }
          } else if (input['ignoreCompareQuantity'] !== true) {
            if (q['compareQuantity'] === undefined || q['compareQuantity'] === null) {
              return ({ field: field('compareQuantity'), message: 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.', code: 'COMPARE_QUANTITY_REQUIRED' });
            }
            if (q['compareQuantity'] !== persisted) return ({ field: field('compareQuantity'), message: 'The compareQuantity value does not match persisted value.', code: 'COMPARE_QUANTITY_STALE' });
          }
          return null;
        };
        for (const [i, q] of quantities.entries()) {
          const error = check(q, i);
          if (error) userErrors.push(error);
        }
        let answer: unknown;
        if (userErrors.length > 0) {
          answer = { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors } };
        } else {
          for (const q of quantities) levels.get(String(q['inventoryItemId']))!.set(String(q['locationId']), Number(q['quantity']));
          record.applied = true;
          answer = { inventorySetQuantities: { inventoryAdjustmentGroup: { id: gid('InventoryAdjustmentGroup') }, userErrors: [] } };
        }
        if (key !== null) idempotency.set(key, { input: inputText, answer });
        return answer;
      },
    };
  }

  return {
    variants,
    locations,
    levels,
    inventorySets,
    addLocation(name, isActive = true) {
      const l = { id: gid('Location'), name, isActive };
      locations.push(l);
      return l;
    },
    addProduct(spec) {
      const productId = gid('Product');
      return spec.variants.map((v) => {
        const variant: FakeVariant = {
          id: gid('ProductVariant'),
          productId,
          productTitle: spec.title,
          title: v.title ?? 'Default Title',
          sku: v.sku,
          barcode: v.barcode ?? null,
          price: v.price ?? '10.00',
          inventoryItemId: gid('InventoryItem'),
          tracked: v.tracked ?? true,
          weight: v.weight !== undefined ? v.weight : v.grams !== undefined ? { unit: 'GRAMS', value: v.grams } : null,
        };
        variants.set(variant.id, variant);
        levels.set(variant.inventoryItemId, new Map(locations.filter((l) => l.isActive).map((l) => [l.id, v.available ?? 0])));
        return variant;
      });
    },
    updateVariant(id, patch) {
      const v = variants.get(id);
      if (!v) throw new Error(`no variant ${id}`);
      Object.assign(v, patch);
    },
    available: (item, loc) => levels.get(item)?.get(loc),
    setAvailable(item, loc, quantity) {
      levels.get(item)?.set(loc, quantity);
    },
    route(query, variables, apiVersion) {
      if (/\binventorySetQuantities\s*\(/.test(query)) {
        const r = setQuantities(apiVersion, query, variables);
        if (r.errors) return { cost: 0, run: () => null, errors: r.errors };
        return { cost: 10, run: r.run! };
      }
      if (/\bproductVariants\s*\(/.test(query)) {
        const first = Number(variables['first'] ?? 50);
        return {
          cost: 2 + first * 5,
          run: () => {
            const p = page([...variants.values()], first, variables['after']);
            return {
              productVariants: {
                pageInfo: p.pageInfo,
                nodes: p.nodes.map((v) => ({
                  id: v.id,
                  sku: v.sku,
                  barcode: v.barcode,
                  title: v.title,
                  price: v.price,
                  product: { id: v.productId, title: v.productTitle },
                  inventoryItem: { id: v.inventoryItemId, tracked: v.tracked, measurement: { weight: v.weight } },
                })),
              },
            };
          },
        };
      }
      if (/\blocations\s*\(/.test(query)) {
        const first = Number(variables['first'] ?? 50);
        const includeInactive = /includeInactive\s*:\s*true/.test(query);
        return { cost: 2 + first, run: () => ({ locations: page(locations.filter((l) => includeInactive || l.isActive), first, variables['after']) }) };
      }
      if (/\binventoryItem\s*\(/.test(query)) {
        return {
          cost: 2 + 50 * 3,
          run: () => {
            const id = String(argVar(query, 'inventoryItem', 'id', variables) ?? '');
            const v = [...variants.values()].find((x) => x.inventoryItemId === id);
            const lv = levels.get(id);
            if (!v || !lv) return { inventoryItem: null };
            return {
              inventoryItem: {
                id,
                tracked: v.tracked,
                inventoryLevels: { nodes: [...lv.entries()].map(([loc, q]) => ({ location: { id: loc }, quantities: [{ name: 'available', quantity: q }] })) },
              },
            };
          },
        };
      }
      return null;
    },
  };
}
