import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Table ownership (ARCHITECTURE.md): an area's SQL writes only its own tables, and reads another
 * area's table only where the read is declared below with its reason. The import rules are
 * dependency-cruiser's (.dependency-cruiser.cjs); this is the part of the rule imports cannot see.
 */
const SRC = new URL('.', import.meta.url).pathname;

export const OWNER: Record<string, string[]> = {
  auth: ['tenants', 'users', 'api_keys', 'user_sessions'],
  channels: ['channels', 'sync_log', 'webhook_deliveries', 'compliance_requests'],
  clients: ['clients', 'client_addresses', 'client_channel_ids', 'client_merges'],
  inventory: ['products', 'product_channel_ids', 'price_lists', 'price_list_items', 'warehouses', 'bins', 'stock', 'stock_reservations', 'stock_movements', 'stock_receipts', 'stock_receipt_lines', 'catalog_products', 'channel_variants', 'channel_locations'],
  orders: ['orders', 'order_lines'],
  warehouse: ['delivery_notes', 'delivery_note_lines', 'pick_lists', 'pick_list_orders', 'pick_list_lines', 'pick_list_allocations', 'packing_lists', 'packing_list_parcels', 'packing_list_lines'],
  shipping: ['courier_accounts', 'shipments', 'shipment_status_log', 'courier_audit_log', 'label_batches', 'tracking_cursors'],
  invoicing: ['invoicing_profiles', 'invoice_series', 'invoicing_fx_rates', 'invoices', 'invoice_lines', 'invoice_vat_breakdown', 'e_invoices', 'anaf_connections'],
  stalls: ['stalls'],
  notifications: ['smtp_settings'],
  flows: ['flow_runs', 'flow_steps'],
  db: ['outbox', 'schema_migrations'],
};
OWNER['channels']!.push('channel_connect_codes');
OWNER['invoicing']!.push('anaf_call_minutes');
OWNER['auth']!.push('login_throttles');
OWNER['returns'] = ['returns', 'return_lines', 'return_receipts', 'return_receipt_lines', 'quarantine_records'];
OWNER['channels']!.push('store_money_backs', 'store_return_requests');
OWNER['orders']!.push('order_status_log');
OWNER['shipping']!.push('ship_batches', 'ship_batch_orders');
OWNER['orders']!.push('order_day_totals');
OWNER['invoicing']!.push('invoice_day_totals');

/** Folders whose SQL may read any table: read models and the demo seed (which writes fixtures of every area). */
const READ_ANYTHING = new Set(['reports', 'demo']);
const WRITE_ANYTHING = new Set(['demo']);

/**
 * Declared cross-area reads: `area → table` with the reason. Each is one SQL join that would
 * otherwise be a round trip per row on a hot path, or a read model that lives beside its only user.
 */
export const DECLARED_READS: Record<string, string> = {
  'flows → channels':
    'flows/writeback/shipment-context.ts: the write-back context (shipment, order, channel, shipped lines) in one join, read by every write-back and customer message',
  'flows → order_lines':
    "the write-back context's shipped lines (see flows → channels)",
  'flows → orders':
    'the write-back context (see flows → channels)',
  'flows → packing_list_lines':
    "the write-back context's shipped lines (see flows → channels)",
  'flows → shipments':
    'the write-back context (see flows → channels)',
  'inventory → channels':
    "inventory/channel-catalog.ts: a stock change queues store pushes only for channels whose push_stock is on, in the change's own statement (no round trip per change)",
  'orders → clients':
    "the client's name beside each order of a list page (one join, not a lookup per row; the list stays O(page))",
  'stalls → channels':
    'stall detectors are read models over what they watch: credentials rejected, webhooks missing, auto delivery note off',
  'stalls → delivery_notes':
    'stall detector: confirmed orders with no delivery note',
  'stalls → e_invoices':
    'stall detector: e-invoices ANAF rejected',
  'stalls → anaf_connections':
    'stall detector: ANAF refused the token or SPV rights (anaf.needs_reconnect)',
  'stalls → invoices':
    'stall detector: the invoice number beside a rejected e-invoice',
  'stalls → orders':
    'stall detectors: held orders, orders with no delivery note',
  'stalls → packing_list_parcels':
    'stall detector: packing lists missing measures',
  'stalls → packing_lists':
    'stall detectors: missing measures, a partial parcel forgotten, an AWB refused for an unknown locality',
  'stalls → sync_log':
    'stall detectors: no webhook received while the store has new orders; webhooks refused again and again for the same reason',
  'warehouse → bins':
    "the pick list is built in one set-based statement: reservations walked in the bins' pick sequence",
  'warehouse → order_lines':
    "a delivery note's coverage per order line (ordered, on notes, reserved) in one statement",
  'shipping → orders':
    "shipping/shipments.ts: a channel-bound credential lists only its channel's shipments (a shipment's channel is its order's)",
  'warehouse → orders':
    "the order's external number shown on delivery notes, pick lists and packing lists (display join)",
  'warehouse → products':
    "the pick list's lines copy SKU, barcode and name in the same set-based statement; a packing list's estimated weight",
  'warehouse → stock_reservations':
    "the pick list's allocation and a delivery note's coverage read the order's reservations in the same statement",
  'warehouse → users':
    "the picker's name on a pick list summary (display join)",
  'stalls → returns':
    'stall detector: returns received long ago without money back (return.money_back_missing)',
  'stalls → quarantine_records':
    'stall detector: quarantined units undecided for too long (return.quarantine_aging)',
};

const tableOwner = new Map(Object.entries(OWNER).flatMap(([area, tables]) => tables.map((t) => [t, area] as const)));
const WRITE = /\b(?:update|insert\s+into|delete\s+from)\s+([a-z_]+)\b/gi;
const READ = /\b(?:from|join)\s+([a-z_]+)\b/gi;

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    // Tests and their fixtures (…test-data.ts) set up every area's rows; only product code counts.
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('test-data.ts')) yield p;
  }
}

function crossings(kind: 'write' | 'read'): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file);
    const area = rel.split('/')[0]!;
    if (!rel.includes('/')) continue;
    if ((kind === 'write' ? WRITE_ANYTHING : READ_ANYTHING).has(area)) continue;
    // The SQL is in tagged templates and strings; `import … from '…'` lines are not SQL.
    const text = readFileSync(file, 'utf8').replace(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'[^']+';/gms, '');
    for (const m of text.matchAll(kind === 'write' ? WRITE : READ)) {
      const table = m[1]!.toLowerCase();
      const owner = tableOwner.get(table);
      if (!owner || owner === area) continue;
      const key = `${area} → ${table}`;
      found.set(key, [...(found.get(key) ?? []), rel]);
    }
  }
  return found;
}

describe('table ownership', () => {
  it("no area's SQL writes another area's tables", () => {
    expect(Object.fromEntries(crossings('write'))).toEqual({});
  });

  it("an area reads another area's table in SQL only where the read is declared with its reason", () => {
    const undeclared = [...crossings('read').entries()].filter(([key]) => !(key in DECLARED_READS));
    expect(Object.fromEntries(undeclared)).toEqual({});
  });

  it('every declared read is still needed (a read moved behind its owner leaves the list)', () => {
    const used = crossings('read');
    expect(Object.keys(DECLARED_READS).filter((key) => !used.has(key))).toEqual([]);
  });

  it('every table of the migrations has one owner', () => {
    const migrations = readdirSync(join(SRC, 'db', 'migrations')).map((f) => readFileSync(join(SRC, 'db', 'migrations', f), 'utf8'));
    const tables = migrations.flatMap((sql) => [...sql.matchAll(/create table (?:if not exists )?([a-z_]+)/g)].map((m) => m[1]!));
    expect(tables.filter((t) => !tableOwner.has(t))).toEqual([]);
  });
});

/**
 * SQL functions of the migrations (033: the intake in one statement) follow the same ownership:
 * a function is named after the area that owns what it touches (`orders_…`, `db_…`), and its body
 * writes and reads only that area's tables. `flows_…` functions combine areas by calling theirs
 * and touch no table themselves, as the TypeScript flows do.
 */
describe('table ownership in SQL functions', () => {
  const FUNCTION = /create or replace function ([a-z]+)_([a-z_]+)\([^$]*?\$fn\$([\s\S]*?)\$fn\$/g;
  const functions = readdirSync(join(SRC, 'db', 'migrations'))
    .flatMap((f) => [...readFileSync(join(SRC, 'db', 'migrations', f), 'utf8').matchAll(FUNCTION)])
    .map((m) => ({ area: m[1]!, name: `${m[1]}_${m[2]}`, body: m[3]!.replace(/--[^\n]*/g, '') }));

  it('finds the intake functions (the check is not vacuous)', () => {
    expect(functions.map((f) => f.name)).toEqual(expect.arrayContaining(['flows_intake_store_orders', 'orders_insert_store_order', 'clients_match_or_create']));
  });

  it('each function is named after an area and touches only its tables; flows functions touch none', () => {
    const wrong = functions.flatMap((f) => {
      if (!(f.area in OWNER)) return [`${f.name}: ${f.area} is not an area`];
      const touched = [...f.body.matchAll(WRITE), ...f.body.matchAll(READ)].map((m) => m[1]!.toLowerCase()).filter((t) => tableOwner.has(t));
      return touched.filter((t) => tableOwner.get(t) !== f.area).map((t) => `${f.name} → ${t}`);
    });
    expect(wrong).toEqual([]);
  });
});
