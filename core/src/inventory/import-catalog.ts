import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { columnKey, CsvSyntaxError, type CsvTable, parseCsv } from '../shared/parse-csv.ts';
import { addVariant, checkVariantFields, createProduct, updateVariant, type VariantFields, variantsBySku } from './catalog.ts';
import { createBin, updateBin } from './manage-warehouses.ts';
import { resolveBins, resolveProducts, type StockReceiptInput } from './stock-receipts.ts';

/*
 * CSV imports of products, bins and stock, each answered line by line: accepted (and what it did)
 * or refused with the line number, the column as the file names it, and why. A refused line
 * changes nothing; the accepted ones are written in one transaction (or, in a dry run, only
 * reported). Column names are matched without case or diacritics, in English or Romanian
 * ("Cod de bare", "cod_bare", "barcode" are one column).
 */

export type ImportKind = 'products' | 'bins' | 'stock';

export interface ImportLine {
  /** The file's line number (the header is line 1). */
  line: number;
  status: 'accepted' | 'refused';
  /** What the line is about: the SKU, or the bin code. */
  key: string | null;
  /** What an accepted line does (in a dry run: would do). */
  action: 'created' | 'updated' | 'unchanged' | 'received' | null;
  problems: Array<{ column: string; reason: string }>;
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  separator: ';' | ',';
  /** The file's columns, and those of them no import reads. */
  columns: string[];
  ignoredColumns: string[];
  accepted: number;
  refused: number;
  lines: ImportLine[];
}

const ALIASES: Record<ImportKind, Record<string, string[]>> = {
  products: {
    sku: ['sku', 'cod', 'cod_produs', 'cod_articol', 'variant_sku'],
    name: ['name', 'denumire', 'nume', 'nume_produs', 'variant_name'],
    product: ['product', 'produs', 'product_name'],
    barcode: ['barcode', 'cod_de_bare', 'cod_bare', 'ean', 'ean13', 'gtin'],
    weight_kg: ['weight_kg', 'greutate_kg', 'greutate', 'weight'],
    weight_g: ['weight_g', 'weight_grams', 'greutate_g', 'greutate_grame'],
    length_cm: ['length_cm', 'lungime_cm', 'lungime'],
    width_cm: ['width_cm', 'latime_cm', 'latime'],
    height_cm: ['height_cm', 'inaltime_cm', 'inaltime'],
    vat_rate: ['vat_rate', 'vat', 'tva', 'cota_tva'],
    price: ['price', 'pret', 'pret_vanzare'],
  },
  bins: {
    warehouse: ['warehouse', 'warehouse_code', 'depozit', 'cod_depozit'],
    code: ['code', 'bin', 'bin_code', 'locatie', 'cod_locatie', 'cod'],
    zone: ['zone', 'zona'],
    pick_sequence: ['pick_sequence', 'sequence', 'ordine', 'ordine_culegere', 'secventa'],
  },
  stock: {
    sku: ['sku', 'cod', 'cod_produs', 'cod_articol'],
    barcode: ['barcode', 'cod_de_bare', 'cod_bare', 'ean', 'ean13', 'gtin'],
    warehouse: ['warehouse', 'warehouse_code', 'depozit', 'cod_depozit'],
    bin: ['bin', 'bin_code', 'locatie', 'cod_locatie'],
    quantity: ['quantity', 'qty', 'cantitate', 'stoc', 'buc'],
  },
};

const MAX_ROWS = 5000;

/** A parsed file whose columns are known: each row as a getter of a column (value and the file's own column name). */
interface Sheet {
  table: CsvTable;
  columns: Map<string, { index: number; name: string }>;
  ignored: string[];
}

function readSheet(kind: ImportKind, csv: string, required: string[][]): Sheet {
  let table: CsvTable;
  try {
    table = parseCsv(csv);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DomainError('VALIDATION', `The CSV cannot be read: ${e.message}.`, [{ path: 'csv', reason: e.message }]);
    throw e;
  }
  if (table.header.length === 0) throw new DomainError('VALIDATION', 'The CSV is empty: a header line is needed.', [{ path: 'csv', reason: 'empty file' }]);
  if (table.rows.length > MAX_ROWS) throw new DomainError('VALIDATION', `The CSV has ${table.rows.length} lines; import at most ${MAX_ROWS} at once.`, [{ path: 'csv', reason: `more than ${MAX_ROWS} lines` }]);
  const byAlias = new Map(Object.entries(ALIASES[kind]).flatMap(([col, names]) => names.map((n) => [n, col] as const)));
  const columns = new Map<string, { index: number; name: string }>();
  const ignored: string[] = [];
  table.header.forEach((name, index) => {
    const col = byAlias.get(columnKey(name));
    if (!col) ignored.push(name);
    else if (columns.has(col)) throw new DomainError('VALIDATION', `Line 1: columns "${columns.get(col)!.name}" and "${name}" are the same column.`, [{ path: 'csv', reason: `line 1: column ${name} given twice` }]);
    else columns.set(col, { index, name });
  });
  for (const any of required) {
    if (!any.some((c) => columns.has(c))) {
      const names = any.map((c) => ALIASES[kind][c]![0]).join(' or ');
      throw new DomainError('VALIDATION', `Line 1: the CSV has no ${names} column (its columns: ${table.header.join(', ')}).`, [{ path: 'csv', reason: `line 1: no ${names} column` }]);
    }
  }
  return { table, columns, ignored };
}

const cell = (s: Sheet, cells: string[], col: string): string | undefined => {
  const c = s.columns.get(col);
  if (!c) return undefined;
  const v = cells[c.index]?.trim() ?? '';
  return v === '' ? undefined : v;
};
const colName = (s: Sheet, col: string) => s.columns.get(col)?.name ?? ALIASES.products[col]?.[0] ?? col;

function report(kind: ImportKind, s: Sheet, dryRun: boolean, lines: ImportLine[]): ImportReport {
  const accepted = lines.filter((l) => l.status === 'accepted').length;
  return { kind, dryRun, separator: s.table.separator, columns: s.table.header, ignoredColumns: s.ignored, accepted, refused: lines.length - accepted, lines };
}

/** A refused line, its problems in the file's column order. */
const refuser = (s: Sheet) => (line: number, key: string | null, problems: ImportLine['problems']): ImportLine => {
  const at = (column: string) => {
    const i = s.table.header.indexOf(column);
    return i === -1 ? s.table.header.length : i;
  };
  return { line, status: 'refused', key, action: null, problems: problems.map((p, i) => ({ p, i })).sort((a, b) => at(a.p.column) - at(b.p.column) || a.i - b.i).map((x) => x.p) };
};

// --- Products ------------------------------------------------------------------------------------

const FIELD_OF: Record<string, keyof VariantFields> = {
  sku: 'sku',
  name: 'name',
  barcode: 'barcode',
  weight_kg: 'weightKg',
  length_cm: 'lengthCm',
  width_cm: 'widthCm',
  height_cm: 'heightCm',
  vat_rate: 'vatRate',
  price: 'price',
};

/** Grams as kilograms with 3 decimals ("1250" → "1.25"), or why not. */
function gramsToKg(raw: string): { value: string } | { reason: string } {
  const s = raw.trim().replace(',', '.');
  if (!/^\d{1,10}(\.0+)?$/.test(s)) return { reason: 'must be whole grams ≥ 0' };
  const g = BigInt(s.split('.')[0]!);
  const frac = String(g % 1000n).padStart(3, '0').replace(/0+$/, '');
  return { value: `${g / 1000n}${frac ? `.${frac}` : ''}` };
}

/**
 * Products CSV: one line per variant. `sku` is required; a SKU already in the catalog is updated
 * with the non-empty cells of its line (empty cells leave a field as it is), a new SKU is created
 * (its `name` required) under the product its `product` cell names (an existing product of that
 * name, or one the file creates), else as a product of its own.
 */
export async function importProducts(tx: Tx, tenantId: string, o: { csv: string; dryRun: boolean }): Promise<ImportReport> {
  const s = readSheet('products', o.csv, [['sku']]);
  const refuse = refuser(s);
  const skus = s.table.rows.map((r) => cell(s, r.cells, 'sku')).filter((x): x is string => x !== undefined);
  const existing = await variantsBySku(tx, tenantId, skus);
  const barcodes = s.table.rows.map((r) => cell(s, r.cells, 'barcode')).filter((x): x is string => x !== undefined);
  const barcodeRows = await tx<{ id: string; barcode: string }[]>`select id::text, barcode from products where tenant_id = ${tenantId} and barcode = any(${barcodes}::text[])`;
  const barcodeOwner = new Map(barcodeRows.map((r) => [r.barcode, r.id]));
  const seenSku = new Map<string, number>();
  const seenBarcode = new Map<string, number>();
  const lines: ImportLine[] = [];
  const plan: Array<{ line: ImportLine; fields: VariantFields; productName: string | undefined; variantId: string | null; productId: string | null }> = [];

  for (const row of s.table.rows) {
    const problems: ImportLine['problems'] = [];
    const raw: Record<string, string> = {};
    for (const col of Object.keys(FIELD_OF)) {
      const v = cell(s, row.cells, col);
      if (v !== undefined) raw[FIELD_OF[col]!] = v;
    }
    const grams = cell(s, row.cells, 'weight_g');
    if (grams !== undefined) {
      if (raw.weightKg !== undefined) problems.push({ column: colName(s, 'weight_g'), reason: `give the weight once: in ${colName(s, 'weight_kg')} or in grams` });
      const kg = gramsToKg(grams);
      if ('reason' in kg) problems.push({ column: colName(s, 'weight_g'), reason: kg.reason });
      else raw.weightKg = kg.value;
    }
    const sku = raw.sku ?? null;
    const { value, faults } = checkVariantFields(raw as unknown as VariantFields);
    const columnOf = (f: string) => {
      if (f === 'weightKg' && grams !== undefined && raw.weightKg !== undefined && !s.columns.has('weight_kg')) return colName(s, 'weight_g');
      const col = Object.entries(FIELD_OF).find(([, v]) => v === f)?.[0] ?? f;
      return colName(s, col);
    };
    problems.push(...faults.map((f: ErrorDetail) => ({ column: columnOf(f.path), reason: f.reason })));
    if (sku === null) problems.push({ column: colName(s, 'sku'), reason: 'required' });
    const current = sku !== null ? existing.get(value.sku) : undefined;
    if (sku !== null && seenSku.has(value.sku)) problems.push({ column: colName(s, 'sku'), reason: `SKU ${value.sku} is also on line ${seenSku.get(value.sku)}` });
    if (typeof value.barcode === 'string') {
      const owner = barcodeOwner.get(value.barcode);
      if (owner !== undefined && owner !== current?.id) problems.push({ column: colName(s, 'barcode'), reason: `barcode ${value.barcode} is already used by variant ${owner}` });
      else if (seenBarcode.has(value.barcode)) problems.push({ column: colName(s, 'barcode'), reason: `barcode ${value.barcode} is also on line ${seenBarcode.get(value.barcode)}` });
    }
    const productName = cell(s, row.cells, 'product');
    if (!current && sku !== null && value.name === undefined && productName === undefined) problems.push({ column: colName(s, 'name'), reason: `required for a new SKU (${value.sku})` });
    if (sku !== null && !seenSku.has(value.sku)) seenSku.set(value.sku, row.line);
    if (typeof value.barcode === 'string' && !seenBarcode.has(value.barcode)) seenBarcode.set(value.barcode, row.line);
    if (problems.length > 0) {
      lines.push(refuse(row.line, sku, problems));
      continue;
    }
    const line: ImportLine = { line: row.line, status: 'accepted', key: value.sku, action: current ? 'updated' : 'created', problems: [] };
    lines.push(line);
    plan.push({ line, fields: value, productName, variantId: current?.id ?? null, productId: current?.productId ?? null });
  }

  // What an update would change: a line equal to the catalog is 'unchanged' and writes nothing.
  const updates = plan.filter((p) => p.variantId !== null);
  if (updates.length > 0) {
    const rows = await tx<Record<string, string | null>[]>`select id::text, sku, barcode, name, weight_kg::text as "weightKg", length_cm::text as "lengthCm",
        width_cm::text as "widthCm", height_cm::text as "heightCm", vat_rate::text as "vatRate", price::text as price
      from products where tenant_id = ${tenantId} and id = any(${updates.map((u) => u.variantId!)}::bigint[])`;
    const now = new Map(rows.map((r) => [r.id!, r]));
    for (const u of updates) {
      const cur = now.get(u.variantId!)!;
      const differs = Object.entries(u.fields).some(([k, v]) => v !== undefined && !sameValue(cur[k] ?? null, v as string | null));
      if (!differs) u.line.action = 'unchanged';
    }
  }
  if (!o.dryRun) {
    const products = new Map<string, string>();
    for (const p of plan) {
      if (p.line.action === 'unchanged') continue;
      if (p.variantId !== null) {
        const { sku: _sku, ...patch } = p.fields;
        await updateVariant(tx, tenantId, p.productId!, p.variantId, patch);
        continue;
      }
      const group = p.productName ?? null;
      const target = group === null ? undefined : (products.get(group) ?? (await productNamed(tx, tenantId, group)));
      if (target) await addVariant(tx, tenantId, target, p.fields, 'csv_import');
      else {
        const made = await createProduct(tx, tenantId, { name: group ?? p.fields.name!, variants: [p.fields], origin: 'csv_import' });
        if (group !== null) products.set(group, made.id);
      }
    }
  }
  return report('products', s, o.dryRun, lines);
}

/** "0.500" and "0.5" are one weight; texts compare as they are. */
function sameValue(current: string | null, next: string | null): boolean {
  if (current === null || next === null) return current === next;
  if (/^\d+(\.\d+)?$/.test(current) && /^\d+(\.\d+)?$/.test(next)) return Number(current) === Number(next);
  return current === next;
}

async function productNamed(db: Db, tenantId: string, name: string): Promise<string | undefined> {
  const [p] = await db<{ id: string }[]>`select id::text from catalog_products where tenant_id = ${tenantId} and name = ${name} order by catalog_products.id limit 1`;
  return p?.id;
}

// --- Warehouses of a file ------------------------------------------------------------------------

/** The warehouse a line names (its code), else the request's, else the tenant's only one. */
async function warehouseResolver(db: Db, tenantId: string, s: Sheet, requested: string | undefined) {
  const all = await db<{ id: string; code: string }[]>`select id::text, code from warehouses where tenant_id = ${tenantId} order by warehouses.id`;
  const byCode = new Map(all.map((w) => [w.code, w]));
  let fallback: { id: string; code: string } | undefined;
  if (requested !== undefined) {
    fallback = all.find((w) => w.id === requested);
    if (!isId(requested) || !fallback) throw new DomainError('NOT_FOUND', `Warehouse ${requested} does not exist.`, [{ path: 'warehouseId', reason: 'unknown warehouse' }]);
  } else if (all.length === 1) fallback = all[0];
  return (cells: string[]): { warehouse: { id: string; code: string } } | { problem: { column: string; reason: string } } => {
    const code = cell(s, cells, 'warehouse');
    const column = s.columns.get('warehouse')?.name ?? 'warehouse';
    if (code !== undefined) {
      const w = byCode.get(code);
      return w ? { warehouse: w } : { problem: { column, reason: `no warehouse has the code ${code}` } };
    }
    if (fallback) return { warehouse: fallback };
    return { problem: { column, reason: `required: the tenant has ${all.length} warehouses (or give warehouseId)` } };
  };
}

const wholeNumber = (raw: string, min: number) => {
  const s = raw.trim();
  if (!/^\d{1,10}$/.test(s) || Number(s) < min || Number(s) > 1_000_000_000) return null;
  return Number(s);
};

// --- Bins ----------------------------------------------------------------------------------------

/**
 * Bins CSV: `code` required, `warehouse` (its code) unless the request names one or the tenant has
 * only one, `zone` and `pick_sequence` optional. A bin already in the warehouse is updated with the
 * non-empty cells; a new one is created (without a sequence: after the warehouse's last).
 */
export async function importBins(tx: Tx, tenantId: string, o: { csv: string; dryRun: boolean; warehouseId?: string | undefined }): Promise<ImportReport> {
  const s = readSheet('bins', o.csv, [['code']]);
  const refuse = refuser(s);
  const whOf = await warehouseResolver(tx, tenantId, s, o.warehouseId);
  const bins = await tx<{ id: string; warehouseId: string; code: string; zone: string | null; pickSequence: number }[]>`
    select id::text, warehouse_id::text as "warehouseId", code, zone, pick_sequence as "pickSequence" from bins where tenant_id = ${tenantId}`;
  const binAt = new Map(bins.map((b) => [`${b.warehouseId}:${b.code}`, b]));
  const seen = new Map<string, number>();
  const lines: ImportLine[] = [];
  const plan: Array<{ line: ImportLine; warehouseId: string; code: string; zone: string | undefined; pickSequence: number | undefined; binId: string | null }> = [];
  for (const row of s.table.rows) {
    const problems: ImportLine['problems'] = [];
    const code = cell(s, row.cells, 'code');
    const zone = cell(s, row.cells, 'zone');
    const seqRaw = cell(s, row.cells, 'pick_sequence');
    const wh = whOf(row.cells);
    if ('problem' in wh) problems.push(wh.problem);
    if (code === undefined) problems.push({ column: colName(s, 'code'), reason: 'required' });
    else if (code.length > 50 || /\s/.test(code)) problems.push({ column: colName(s, 'code'), reason: 'at most 50 characters without spaces' });
    if (zone !== undefined && zone.length > 50) problems.push({ column: colName(s, 'zone'), reason: 'at most 50 characters' });
    const seq = seqRaw === undefined ? undefined : wholeNumber(seqRaw, 0);
    if (seq === null) problems.push({ column: colName(s, 'pick_sequence'), reason: 'must be a whole number ≥ 0' });
    const key = 'warehouse' in wh && code !== undefined ? `${wh.warehouse.id}:${code}` : null;
    if (key !== null && seen.has(key)) problems.push({ column: colName(s, 'code'), reason: `bin ${code} is also on line ${seen.get(key)}` });
    if (key !== null && !seen.has(key)) seen.set(key, row.line);
    if (problems.length > 0 || !('warehouse' in wh) || code === undefined || key === null) {
      lines.push(refuse(row.line, code ?? null, problems));
      continue;
    }
    const current = binAt.get(key);
    const changes = current && ((zone !== undefined && zone !== current.zone) || (seq !== undefined && seq !== current.pickSequence));
    const line: ImportLine = { line: row.line, status: 'accepted', key: code, action: !current ? 'created' : changes ? 'updated' : 'unchanged', problems: [] };
    lines.push(line);
    plan.push({ line, warehouseId: wh.warehouse.id, code, zone, pickSequence: seq ?? undefined, binId: current?.id ?? null });
  }
  if (!o.dryRun) {
    for (const p of plan) {
      if (p.line.action === 'created') await createBin(tx, tenantId, p.warehouseId, { code: p.code, zone: p.zone, pickSequence: p.pickSequence });
      else if (p.line.action === 'updated') await updateBin(tx, tenantId, p.binId!, { zone: p.zone, pickSequence: p.pickSequence });
    }
  }
  return report('bins', s, o.dryRun, lines);
}

// --- Stock ---------------------------------------------------------------------------------------

/**
 * Stock CSV, checked line by line: `sku` or `barcode`, `bin` (its code), `quantity` (a whole number
 * above 0, added to the bin), `warehouse` as for bins. The accepted lines come back as one stock
 * receipt per warehouse (the reason is its reference), for flows/import-stock.ts to receive as any
 * receipt is received; this function writes nothing.
 */
export async function planStockImport(
  db: Db,
  tenantId: string,
  o: { csv: string; dryRun: boolean; warehouseId?: string | undefined; reason: string },
): Promise<{ report: ImportReport; receipts: Array<StockReceiptInput & { fileLines: number[] }> }> {
  const s = readSheet('stock', o.csv, [['sku', 'barcode'], ['bin'], ['quantity']]);
  const refuse = refuser(s);
  const whOf = await warehouseResolver(db, tenantId, s, o.warehouseId);
  const refs = s.table.rows.map((r) => {
    const sku = cell(s, r.cells, 'sku');
    return sku !== undefined ? { sku } : { barcode: cell(s, r.cells, 'barcode') ?? '' };
  });
  const products = await resolveProducts(db, tenantId, refs);
  const binsByWarehouse = new Map<string, Awaited<ReturnType<typeof resolveBins>>>();
  const lines: ImportLine[] = [];
  const receipts = new Map<string, StockReceiptInput & { fileLines: number[] }>();
  for (const [i, row] of s.table.rows.entries()) {
    const problems: ImportLine['problems'] = [];
    const ref = refs[i]!;
    const refCol = 'sku' in ref ? 'sku' : 'barcode';
    const refValue = 'sku' in ref ? ref.sku : ref.barcode;
    const product = refValue ? products.get(`${refCol}:${refValue}`) : undefined;
    if (!refValue) problems.push({ column: s.columns.get('sku')?.name ?? colName(s, 'barcode'), reason: 'required: a SKU or a barcode' });
    else if (!product) problems.push({ column: colName(s, refCol), reason: `no product has the ${refCol === 'sku' ? 'SKU' : 'barcode'} ${refValue}` });
    const wh = whOf(row.cells);
    if ('problem' in wh) problems.push(wh.problem);
    const binCode = cell(s, row.cells, 'bin');
    let binId: string | undefined;
    if (binCode === undefined) problems.push({ column: colName(s, 'bin'), reason: 'required' });
    else if ('warehouse' in wh) {
      let bins = binsByWarehouse.get(wh.warehouse.id);
      if (!bins) {
        const codes = s.table.rows.map((r) => cell(s, r.cells, 'bin')).filter((c): c is string => c !== undefined);
        bins = await resolveBins(db, tenantId, wh.warehouse.id, codes.map((binCode) => ({ binCode })));
        binsByWarehouse.set(wh.warehouse.id, bins);
      }
      const bin = bins.get(`binCode:${binCode}`);
      if (!bin) problems.push({ column: colName(s, 'bin'), reason: `no bin ${binCode} in warehouse ${wh.warehouse.code}` });
      else if (!bin.active) problems.push({ column: colName(s, 'bin'), reason: `bin ${binCode} is deactivated` });
      else binId = bin.id;
    }
    const qRaw = cell(s, row.cells, 'quantity');
    const quantity = qRaw === undefined ? null : wholeNumber(qRaw, 1);
    if (quantity === null || quantity > 1_000_000) problems.push({ column: colName(s, 'quantity'), reason: 'required: a whole number from 1 to 1000000' });
    if (problems.length > 0 || !product || !binId || !('warehouse' in wh) || quantity === null) {
      lines.push(refuse(row.line, refValue || null, problems));
      continue;
    }
    lines.push({ line: row.line, status: 'accepted', key: product.sku, action: 'received', problems: [] });
    const r = receipts.get(wh.warehouse.id) ?? { warehouseId: wh.warehouse.id, reference: o.reason, note: null, lines: [], fileLines: [] };
    r.lines.push({ productId: product.id, binId, quantity });
    r.fileLines.push(row.line);
    receipts.set(wh.warehouse.id, r);
  }
  const out = [...receipts.values()].map((r) => ({ ...r, note: `CSV import, file lines ${r.fileLines.join(', ')}` }));
  return { report: report('stock', s, o.dryRun, lines), receipts: out };
}
