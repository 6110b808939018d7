import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { createProducts, createWarehouseWithBins, importCsv } from '../support/catalog-helpers.ts';
import { placeShopifyOrder, tenantCalls } from '../support/shop-helpers.ts';

let core: CoreHarness;
beforeAll(async () => {
  core = await startCore({ max: 10 });
});
const { post, get } = tenantCalls(() => core);

type Line = { line: number; status: string; key: string | null; action: string | null; problems: Array<{ column: string; reason: string }> };
const summary = (lines: Line[]) => lines.map((l) => (l.status === 'accepted' ? `${l.line} ${l.action} ${l.key}` : `${l.line} refused ${l.problems.map((p) => `${p.column}: ${p.reason}`).join(' | ')}`));

async function footprint(tenantId: string) {
  const [r] = await core.sql`select
      (select count(*)::int from products where tenant_id = ${tenantId}) as products,
      (select count(*)::int from catalog_products where tenant_id = ${tenantId}) as catalog,
      (select count(*)::int from bins where tenant_id = ${tenantId}) as bins,
      (select count(*)::int from stock_receipts where tenant_id = ${tenantId}) as receipts,
      (select count(*)::int from stock_movements where tenant_id = ${tenantId}) as movements,
      (select coalesce(sum(on_hand), 0)::int from stock where tenant_id = ${tenantId}) as on_hand,
      (select coalesce(string_agg(sku || '=' || name || '/' || coalesce(weight_kg::text, '-') || '/' || coalesce(barcode, '-'), ',' order by sku), '') from products where tenant_id = ${tenantId}) as catalog_text`;
  return r!;
}

// As Excel in a Romanian locale saves "CSV UTF-8": BOM, `;`, decimal commas, quotes where a cell has a `;`.
const PRODUCTS_CSV = [
  '\uFEFFCod produs;Denumire;Produs;Cod de bare;Greutate (kg);Preț;Cotă TVA;Culoare',
  'TR-ROS-S;Tricou roșu S;Tricou roșu;5941234500016;0,18;49,90;19;roșu',
  'TR-ROS-M;Tricou roșu M;Tricou roșu;5941234500023;0,2;49,90;19;roșu',
  '"CANA;MARE";"Cană ""Ștefan"" mare";;;0,45;35;;alb',
  'A-1;Produs A-1 reetichetat;;;;;;',
  'BAD 1;Cu spațiu;;;;;;',
  'TR-ROS-L;;;5941234500023;greu;;;',
  'TR-ROS-S;Dublură;;;;;;',
  'NEW-X;;;;;-3;150;',
  '',
].join('\r\n');

describe('CSV import of products', () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await core.createTenant();
  });

  it('reports each line, and a dry run writes nothing', async () => {
    const before = await footprint(t.tenantId);
    const dry = await post(t, '/imports/products', { csv: PRODUCTS_CSV, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ kind: 'products', dryRun: true, separator: ';', accepted: 4, refused: 4, ignoredColumns: ['Culoare'] });
    expect(summary(dry.body.lines)).toEqual([
      '2 created TR-ROS-S',
      '3 created TR-ROS-M',
      '4 created CANA;MARE',
      '5 updated A-1',
      '6 refused Cod produs: required: 1-100 characters without spaces',
      '7 refused Denumire: required for a new SKU (TR-ROS-L) | Cod de bare: barcode 5941234500023 is also on line 3 | Greutate (kg): must be a number ≥ 0 with at most 3 decimals',
      '8 refused Cod produs: SKU TR-ROS-S is also on line 2',
      '9 refused Denumire: required for a new SKU (NEW-X) | Preț: must be a number ≥ 0 with at most 4 decimals | Cotă TVA: must be at most 100',
    ]);
    expect(await footprint(t.tenantId)).toEqual(before);
  });

  it('writes the accepted lines (variants grouped under their product, diacritics kept), the refused ones change nothing', async () => {
    const run = await post(t, '/imports/products', { csv: PRODUCTS_CSV });
    expect(run.body).toMatchObject({ dryRun: false, accepted: 4, refused: 4 });
    const tshirt = (await get(t, '/products?q=TR-ROS')).body.products;
    expect(tshirt).toHaveLength(1);
    expect(tshirt[0].name).toBe('Tricou roșu');
    expect(tshirt[0].variants.map((v: Record<string, unknown>) => [v.sku, v.name, v.barcode, v.weightKg, v.price, v.vatRate, v.origin])).toEqual([
      ['TR-ROS-S', 'Tricou roșu S', '5941234500016', '0.180', '49.9000', '19.00', 'csv_import'],
      ['TR-ROS-M', 'Tricou roșu M', '5941234500023', '0.200', '49.9000', '19.00', 'csv_import'],
    ]);
    const mug = (await get(t, `/products?q=${encodeURIComponent('CANA;MARE')}`)).body.products[0];
    expect(mug).toMatchObject({ name: 'Cană "Ștefan" mare', variants: [{ sku: 'CANA;MARE', weightKg: '0.450', price: '35.0000', barcode: null }] });
    const a1 = (await get(t, `/products/${t.productIds['A-1']}`)).body;
    // An update writes the non-empty cells only: the barcode and weight stay.
    expect(a1.variants[0]).toMatchObject({ sku: 'A-1', name: 'Produs A-1 reetichetat', barcode: '590A-1', weightKg: '0.500', editedAt: expect.any(String) });
    expect((await footprint(t.tenantId)).catalog_text).not.toMatch(/TR-ROS-L|NEW-X|BAD/);

    // The same file again: nothing new, nothing changed.
    const again = await post(t, '/imports/products', { csv: PRODUCTS_CSV, dryRun: true });
    expect(summary(again.body.lines).slice(0, 4)).toEqual(['2 unchanged TR-ROS-S', '3 unchanged TR-ROS-M', '4 unchanged CANA;MARE', '5 unchanged A-1']);
  });

  it('takes a comma file with grams, adds a new size to an existing product by name', async () => {
    const csv = 'sku,name,product,weight_g,barcode\nTR-ROS-XL,Tricou roșu XL,Tricou roșu,1250,\nG-1,Grame,,12.5,\n';
    const r = await post(t, '/imports/products', { csv });
    expect(r.body.separator).toBe(',');
    expect(summary(r.body.lines)).toEqual(['2 created TR-ROS-XL', '3 refused weight_g: must be whole grams ≥ 0']);
    const tshirt = (await get(t, '/products?q=TR-ROS-XL')).body.products[0];
    expect(tshirt.variants.map((v: { sku: string; weightKg: string }) => `${v.sku}:${v.weightKg}`)).toEqual(['TR-ROS-S:0.180', 'TR-ROS-M:0.200', 'TR-ROS-XL:1.250']);
  });

  it('refuses a file it cannot read with 400 naming csv and the line', async () => {
    const before = await footprint(t.tenantId);
    const noSku = await post(t, '/imports/products', { csv: 'name;price\nX;1\n' });
    expect(noSku.status).toBe(400);
    expect(noSku.body.error.details).toEqual([{ path: 'csv', reason: 'line 1: no sku column' }]);
    const open = await post(t, '/imports/products', { csv: 'sku;name\nA;"unclosed\n' });
    expect(open.body.error.details).toEqual([{ path: 'csv', reason: 'line 2: a quote is opened and never closed' }]);
    expect((await post(t, '/imports/products', { csv: '' })).body.error.details).toEqual([{ path: 'csv', reason: 'required: the CSV file as text' }]);
    expect((await post(t, '/imports/products', { csv: 'sku;cod\nA;B\n' })).body.error.details).toEqual([{ path: 'csv', reason: 'line 1: column cod given twice' }]);
    expect(await footprint(t.tenantId)).toEqual(before);
  });
});

describe('CSV import of bins', () => {
  it('creates and updates bins per warehouse code, refusing unknown warehouses and bad sequences by line', async () => {
    const t = await core.createTenant();
    const w2 = await post(t, '/warehouses', { code: 'OTP', name: 'Otopeni' });
    const csv = ['Depozit;Locație;Zonă;Ordine culegere', 'W1;B-01;A;15', 'W1;C-01;C;300', 'OTP;A-01;;', 'OTP;A-02;;', 'XX;A-01;;', 'W1;C-02;C;-4', 'OTP;A-01;Z;1', ';D-01;;'].join('\n');
    const before = await footprint(t.tenantId);
    const dry = await post(t, '/imports/bins', { csv, dryRun: true });
    expect(summary(dry.body.lines)).toEqual([
      '2 updated B-01',
      '3 created C-01',
      '4 created A-01',
      '5 created A-02',
      '6 refused Depozit: no warehouse has the code XX',
      '7 refused Ordine culegere: must be a whole number ≥ 0',
      '8 refused Locație: bin A-01 is also on line 4',
      '9 refused Depozit: required: the tenant has 2 warehouses (or give warehouseId)',
    ]);
    expect(await footprint(t.tenantId)).toEqual(before);
    const run = await post(t, '/imports/bins', { csv });
    expect(run.body).toMatchObject({ accepted: 4, refused: 4 });
    expect((await get(t, `/warehouses/${t.warehouseId}/bins`)).body.bins.map((b: { code: string; zone: string | null; pickSequence: number }) => `${b.code}/${b.zone}/${b.pickSequence}`)).toEqual([
      'B-01/A/15',
      'B-02/null/20',
      'C-01/C/300',
    ]);
    expect((await get(t, `/warehouses/${w2.body.id}/bins`)).body.bins.map((b: { code: string; pickSequence: number }) => `${b.code}@${b.pickSequence}`)).toEqual(['A-01@10', 'A-02@20']);
    // With warehouseId, lines without a warehouse go there.
    const into = await post(t, '/imports/bins', { csv: 'code,pick_sequence\nA-03,25\n', warehouseId: w2.body.id });
    expect(summary(into.body.lines)).toEqual(['2 created A-03']);
  });
});

describe('CSV import of stock', () => {
  it('receives the accepted lines into the ledger with the reason, and releases the blocked delivery note they cover', async () => {
    const t = await core.createTenant({ stock: { 'A-5': 1, 'A-1': 0 }, channel: { auto_confirm: false, auto_create_delivery_note: false } });
    const orderId = await placeShopifyOrder(core, t, [['A-5', 3]]);
    expect((await post(t, `/orders/${orderId}/confirm`)).body.status).toBe('on_hold');
    expect((await post(t, `/orders/${orderId}/confirm`, { partial: true })).body.status).toBe('confirmed');
    const notes = (await post(t, `/orders/${orderId}/delivery-notes`, { partial: true })).body.deliveryNotes;
    const blocked = notes.find((n: { blocked: boolean }) => n.blocked);
    expect(blocked).toBeDefined();

    const csv = ['\uFEFFCod produs;Cod de bare;Locație;Cantitate', 'A-5;;B-01;2', ';590A-1;B-02;7', 'A-9;;B-01;1', 'A-1;;Z-99;1', 'A-1;;B-01;1,5', 'A-1;;B-01;0', ';;B-01;3'].join('\r\n');
    const before = await footprint(t.tenantId);
    const dry = await post(t, '/imports/stock', { csv, dryRun: true, reason: 'Inventar inițial' });
    expect(dry.status).toBe(200);
    expect(summary(dry.body.lines)).toEqual([
      '2 received A-5',
      '3 received A-1',
      '4 refused Cod produs: no product has the SKU A-9',
      '5 refused Locație: no bin Z-99 in warehouse W1',
      '6 refused Cantitate: required: a whole number from 1 to 1000000',
      '7 refused Cantitate: required: a whole number from 1 to 1000000',
      '8 refused Cod produs: required: a SKU or a barcode',
    ]);
    expect(dry.body.stockReceipts).toEqual([]);
    expect(await footprint(t.tenantId)).toEqual(before);

    const run = await post(t, '/imports/stock', { csv, reason: 'Inventar inițial' });
    expect(run.body).toMatchObject({ accepted: 2, refused: 5, stockReceipts: [{ warehouseId: t.warehouseId, fileLines: [2, 3] }] });
    expect(run.body.releasedDeliveryNotes.map((n: { id: string }) => n.id)).toEqual([blocked.id]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).toEqual({ on_hand: 3, reserved: 3 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 7, reserved: 0 });
    const receiptId = run.body.stockReceipts[0].id;
    const ledger = await get(t, `/reports/stock-movements?causeType=stock_receipt&causeId=${receiptId}`);
    expect(ledger.body.movements.map((m: { sku: string; binCode: string; kind: string; onHandDelta: number; note: string }) => [m.sku, m.binCode, m.kind, m.onHandDelta, m.note]).sort()).toEqual([
      ['A-1', 'B-02', 'receipt', 7, 'Inventar inițial'],
      ['A-5', 'B-01', 'receipt', 2, 'Inventar inițial'],
    ]);
    expect((await get(t, `/stock-receipts/${receiptId}`)).body).toMatchObject({ reference: 'Inventar inițial', note: 'CSV import, file lines 2, 3' });
    expect((await post(t, '/imports/stock', { csv })).body.error.details).toEqual([{ path: 'reason', reason: 'required: why the stock comes in (1-100 characters)' }]);
  });
});

describe('a catalog from nothing, through the API only (the test-support helpers)', () => {
  it('a warehouse with bins, products and their stock: the stock is available to orders', async () => {
    const t = await core.createTenant();
    const { warehouse, bins } = await createWarehouseWithBins(core.url, t.apiKey, {
      code: 'SB1',
      name: 'Depozit Sibiu',
      address: { name: 'Magazin SRL', phone: '0740000000', addressLine: 'Str. Morii 1', locality: 'Sibiu', county: 'Sibiu', countryCode: 'RO' },
      bins: [{ code: 'P-01', zone: 'Parter', pickSequence: 10 }, { code: 'P-02', zone: 'Parter' }],
    });
    expect(bins.map((b) => [b.code, b.pickSequence])).toEqual([
      ['P-01', 10],
      ['P-02', 20],
    ]);
    const [cup] = await createProducts(core.url, t.apiKey, [{ name: 'Cană', variants: [{ sku: 'CANA-SB', barcode: '5940000000031', weightKg: '0.4', price: '30' }] }]);
    const report = await importCsv(core.url, t.apiKey, 'stock', { csv: 'depozit;sku;locatie;cantitate\nSB1;CANA-SB;P-02;5\n', reason: 'Stoc inițial' });
    expect(report).toMatchObject({ accepted: 1, refused: 0, stockReceipts: [{ warehouseId: warehouse.id }] });
    const lookup = await get(t, '/stock/lookup?barcode=5940000000031');
    expect(lookup.body.product.id).toBe(cup.variants[0].id);
    expect(lookup.body.stock.filter((s: { warehouseCode: string }) => s.warehouseCode === 'SB1').map((s: { binCode: string; available: number }) => [s.binCode, s.available])).toEqual([['P-02', 5]]);
  });
});
