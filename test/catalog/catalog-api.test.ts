import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { tenantCalls } from '../support/shop-helpers.ts';

let core: CoreHarness;
beforeAll(async () => {
  core = await startCore({ max: 10 });
});
const { post, get, patch } = tenantCalls(() => core);

const tshirt = {
  name: 'Tricou Bumbac',
  variants: [
    { sku: 'TR-S', barcode: '5941234000011', name: 'Tricou Bumbac S', weightKg: '0.180', price: '49.90', vatRate: '19' },
    { sku: 'TR-M', barcode: '5941234000028', name: 'Tricou Bumbac M', weightKg: 0.2, price: '49.90' },
  ],
};

async function catalogRows(tenantId: string) {
  const [r] = await core.sql`select (select count(*)::int from products where tenant_id = ${tenantId}) as products,
    (select count(*)::int from catalog_products where tenant_id = ${tenantId}) as catalog`;
  return r!;
}

describe('products and variants through the API', () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await core.createTenant();
  });

  it('creates a product with its variants, reads it back, and finds it by SKU, barcode or name', async () => {
    const made = await post(t, '/products', tshirt);
    expect(made.status).toBe(201);
    const p = made.body;
    expect(p).toMatchObject({ name: 'Tricou Bumbac', archived: false });
    expect(p.variants.map((v: Record<string, unknown>) => [v.sku, v.barcode, v.name, v.weightKg, v.price, v.vatRate, v.origin, v.editedAt])).toEqual([
      ['TR-S', '5941234000011', 'Tricou Bumbac S', '0.180', '49.9000', '19.00', 'api', null],
      ['TR-M', '5941234000028', 'Tricou Bumbac M', '0.200', '49.9000', '21.00', 'api', null],
    ]);
    // The product's id is its first variant's; each variant's id is the productId stock receipts take.
    expect(p.id).toBe(p.variants[0].id);
    expect(p.variants.every((v: { productId: string }) => v.productId === p.id)).toBe(true);
    expect((await get(t, `/products/${p.id}`)).body).toEqual(p);

    for (const q of ['TR-M', 'tr-', '5941234000028', 'bumbac m', 'Tricou']) {
      const found = await get(t, `/products?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect(found.body.products.map((x: { id: string }) => x.id)).toEqual([p.id]);
    }
    // Barcodes match exactly, never a part of one.
    expect((await get(t, '/products?q=594123400002')).body.products).toEqual([]);
    // A stock receipt by the variant's id puts goods on the variant.
    const r = await post(t, '/stock-receipts', { warehouseId: t.warehouseId, lines: [{ productId: p.variants[1].id, binCode: 'B-01', quantity: 3 }] });
    expect(r.status).toBe(201);
    expect(r.body.receipt.lines[0].sku).toBe('TR-M');
  });

  it('pages through the catalog in id order, the products the harness wrote by SQL included', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: { body: { products: Array<{ id: string; variants: Array<{ sku: string }> }>; nextCursor: string | null } } = await get(t, `/products?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.products.map((x) => x.variants.map((v) => v.sku).join('+')));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    // Nine single-variant products of the harness, then the T-shirt with two variants.
    expect(seen).toEqual(['SKU2006-001', 'SKU2006-020', 'SKU2006-035', 'Bar3', 'A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'TR-S+TR-M']);
    expect((await get(t, '/products?cursor=x')).body.error.details).toEqual([{ path: 'query.cursor', reason: 'must be a numeric id' }]);
  });

  it('refuses a SKU or barcode already in the catalog with 409 naming the field, and bad fields with 400, writing nothing', async () => {
    const before = await catalogRows(t.tenantId);
    const dup = await post(t, '/products', { name: 'Copie', variants: [{ sku: 'NEW-1' }, { sku: 'TR-S' }] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    expect(dup.body.error.details).toEqual([{ path: 'variants[1].sku', reason: expect.stringMatching(/^SKU TR-S is already used by variant \d+$/) }]);
    const twice = await post(t, '/products', { name: 'Copie', variants: [{ sku: 'NEW-1', barcode: '123' }, { sku: 'NEW-1', barcode: '123' }] });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details.map((d: { path: string }) => d.path)).toEqual(['variants[1].sku', 'variants[1].barcode']);
    const bar = await post(t, '/products', { name: 'Copie', variants: [{ sku: 'NEW-2', barcode: '590A-1' }] });
    expect(bar.status).toBe(409);
    expect(bar.body.error.details[0].path).toBe('variants[0].barcode');

    const bad = await post(t, '/products', { name: '', variants: [{ sku: 'with space', weightKg: 'heavy', price: '-1', vatRate: '120' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'variants[0].price', 'variants[0].sku', 'variants[0].vatRate', 'variants[0].weightKg']);
    expect((await post(t, '/products', { name: 'X', variants: [] })).body.error.details).toEqual([{ path: 'variants', reason: 'a product needs at least one variant' }]);
    expect((await post(t, '/products', { name: 'X', variants: [{ sku: 'Z', colour: 'red' }] })).body.error.details).toEqual([{ path: 'variants[0].colour', reason: 'unknown field' }]);
    expect(await catalogRows(t.tenantId)).toEqual(before);
  });

  it('edits a variant synced from a store (SKU, barcode, weight): the origin stays, editedAt records the edit', async () => {
    // A row as a store pull writes it: origin channel, the store's ids.
    const [v] = await core.sql`insert into products (tenant_id, sku, barcode, name, weight_kg, origin, origin_channel_id)
      values (${t.tenantId}, 'SHOP-1', '111', 'Cană din magazin', 0.3, 'channel', ${t.shopify.channelId}) returning id::text`;
    await core.sql`insert into product_channel_ids (tenant_id, channel_id, product_id, external_product_id, external_variant_id)
      values (${t.tenantId}, ${t.shopify.channelId}, ${v!.id}, '632910392', '808950810')`;
    const id = v!.id as string;
    const before = (await get(t, `/products/${id}`)).body;
    expect(before).toMatchObject({ id, name: 'Cană din magazin', variants: [{ id, origin: 'channel', originChannelId: t.shopify.channelId, editedAt: null, channels: [{ channelId: t.shopify.channelId, externalProductId: '632910392', externalVariantId: '808950810' }] }] });

    const edited = await patch(t, `/products/${id}/variants/${id}`, { sku: 'SHOP-1B', barcode: '5940000000017', weightKg: '0,35', lengthCm: 12.5 });
    expect(edited.status).toBe(200);
    expect(edited.body.variants[0]).toMatchObject({ sku: 'SHOP-1B', barcode: '5940000000017', weightKg: '0.350', lengthCm: '12.5', origin: 'channel', originChannelId: t.shopify.channelId });
    expect(edited.body.variants[0].editedAt).toEqual(expect.any(String));
    // null clears, and a key not given stays.
    const cleared = await patch(t, `/products/${id}/variants/${id}`, { barcode: null, weightKg: null });
    expect(cleared.body.variants[0]).toMatchObject({ sku: 'SHOP-1B', barcode: null, weightKg: null, lengthCm: '12.5' });
    // The old SKU no longer finds it; the new one does.
    expect((await get(t, '/products?q=SHOP-1B')).body.products.map((p: { id: string }) => p.id)).toEqual([id]);

    const taken = await patch(t, `/products/${id}/variants/${id}`, { sku: 'TR-S' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual([{ path: 'sku', reason: expect.stringContaining('SKU TR-S is already used') }]);
    expect((await patch(t, `/products/${id}/variants/${id}`, { weightKg: 'x' })).body.error.details).toEqual([{ path: 'weightKg', reason: 'must be a number ≥ 0 with at most 3 decimals' }]);
    expect((await patch(t, `/products/${id}/variants/${t.productIds['A-1']}`, { name: 'x' })).status).toBe(404);

    // A product of one variant can be named and given more variants.
    const renamed = await patch(t, `/products/${id}`, { name: 'Cană' });
    expect(renamed.body).toMatchObject({ id, name: 'Cană', variants: [{ id, name: 'Cană din magazin' }] });
    const more = await post(t, `/products/${id}/variants`, { sku: 'SHOP-2', name: 'Cană mare', weightKg: '0.5' });
    expect(more.status).toBe(201);
    expect(more.body.variants.map((x: { sku: string; productId: string }) => [x.sku, x.productId])).toEqual([
      ['SHOP-1B', id],
      ['SHOP-2', id],
    ]);
  });

  it('archives a product: out of the list (unless asked for), back when unarchived', async () => {
    const p = (await post(t, '/products', { name: 'Vechi', variants: [{ sku: 'OLD-1' }, { sku: 'OLD-2' }] })).body;
    const archived = await post(t, `/products/${p.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    expect(archived.body.variants.map((v: { archived: boolean }) => v.archived)).toEqual([true, true]);
    expect((await get(t, '/products?q=OLD')).body.products).toEqual([]);
    expect((await get(t, '/products?q=OLD&archived=only')).body.products.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await post(t, `/products/${p.id}/unarchive`)).body.archived).toBe(false);
    expect((await get(t, '/products?q=OLD')).body.products.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await get(t, '/products/999999999')).status).toBe(404);
  });

  it('a tenant never sees or collides with another tenant’s catalog', async () => {
    const other = await core.createTenant();
    const mine = (await get(t, '/products?q=TR-S')).body.products[0];
    expect((await get(other, `/products/${mine.id}`)).status).toBe(404);
    expect((await post(other, '/products', { name: 'Tricou', variants: [{ sku: 'TR-S', barcode: '5941234000011' }] })).status).toBe(201);
  });

  it('a variant carries its VAT treatment for invoices (category, exemption code and text); an exempt one with a rate above 0 is refused naming vatRate', async () => {
    const made = await post(t, '/products', { name: 'Curs online', variants: [{ sku: 'CRS-1', vatRate: '0', vatCategory: 'E', vatExemptionCode: 'VATEX-EU-132-1I', vatExemptionReason: 'Scutit conform art. 292 Cod fiscal' }] });
    expect(made.status).toBe(201);
    expect(made.body.variants[0]).toMatchObject({ vatCategory: 'E', vatExemptionCode: 'VATEX-EU-132-1I', vatExemptionReason: 'Scutit conform art. 292 Cod fiscal' });
    const v = made.body.variants[0];
    const ae = await patch(t, `/products/${made.body.id}/variants/${v.id}`, { vatCategory: 'AE', vatRate: '21', vatExemptionCode: null, vatExemptionReason: null });
    expect(ae.body.variants[0]).toMatchObject({ vatCategory: 'AE', vatRate: '21.00', vatExemptionCode: null });
    const bad = await patch(t, `/products/${made.body.id}/variants/${v.id}`, { vatCategory: 'E', vatRate: '21' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual({ path: 'vatRate', reason: 'must be 0 for VAT category E' });
    const code = await patch(t, `/products/${made.body.id}/variants/${v.id}`, { vatExemptionCode: 'art. 292' });
    expect(code.status).toBe(400);
  });
});

describe('warehouses and bins through the API', () => {
  it('creates a warehouse with its sender address, bins with zone and pick sequence, and edits them', async () => {
    const t = await core.createTenant();
    const made = await post(t, '/warehouses', { code: 'BUC1', name: 'Depozit București', address: { name: 'Depozit București', phone: '0722000000', addressLine: 'Str. Fabricii 3', locality: 'București', county: 'Sector 6', postalCode: '060000', countryCode: 'ro' } });
    expect(made.status).toBe(201);
    const w = made.body;
    expect(w).toEqual({ id: expect.any(String), code: 'BUC1', name: 'Depozit București', address: expect.objectContaining({ locality: 'București', countryCode: 'RO' }), bins: 0, activeBins: 0 });
    expect((await post(t, '/warehouses', { code: 'BUC1', name: 'Again' })).body.error).toMatchObject({ code: 'CONFLICT', details: [{ path: 'code', reason: 'BUC1 is already used by another warehouse' }] });
    expect((await post(t, '/warehouses', { code: 'has space', name: '' })).body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['code', 'name']);
    expect((await post(t, '/warehouses', { code: 'X', name: 'X', address: { city: 'Cluj' } })).body.error.details).toEqual([{ path: 'address.city', reason: 'unknown field' }]);

    const p1 = await post(t, `/warehouses/${w.id}/bins`, { code: 'A-01-01', zone: 'A', pickSequence: 100 });
    expect(p1.status).toBe(201);
    expect(p1.body).toEqual({ id: expect.any(String), warehouseId: w.id, code: 'A-01-01', zone: 'A', pickSequence: 100, active: true, onHand: 0, reserved: 0 });
    // Without a pick sequence a bin goes after the last.
    const p2 = await post(t, `/warehouses/${w.id}/bins`, { code: 'A-01-02', zone: 'A' });
    expect(p2.body.pickSequence).toBe(110);
    const p3 = await post(t, `/warehouses/${w.id}/bins`, { code: 'R-01', pickSequence: 5 });
    expect(p3.body.zone).toBeNull();
    expect((await post(t, `/warehouses/${w.id}/bins`, { code: 'A-01-01' })).body.error).toMatchObject({ code: 'CONFLICT', details: [{ path: 'code', reason: 'A-01-01 is already used in warehouse BUC1' }] });
    // The same code in another warehouse is another bin.
    expect((await post(t, `/warehouses/${t.warehouseId}/bins`, { code: 'A-01-01' })).status).toBe(201);
    expect((await post(t, `/warehouses/${w.id}/bins`, { code: 'Z', pickSequence: -1 })).body.error.details).toEqual([{ path: 'pickSequence', reason: 'must be a whole number ≥ 0' }]);
    expect((await post(t, '/warehouses/999999999/bins', { code: 'Z' })).status).toBe(404);

    const list = await get(t, `/warehouses/${w.id}/bins`);
    expect(list.body.bins.map((b: { code: string; pickSequence: number }) => `${b.code}@${b.pickSequence}`)).toEqual(['R-01@5', 'A-01-01@100', 'A-01-02@110']);
    const moved = await patch(t, `/bins/${p3.body.id}`, { code: 'R-01A', zone: 'R', pickSequence: 200 });
    expect(moved.body).toMatchObject({ code: 'R-01A', zone: 'R', pickSequence: 200 });
    expect((await patch(t, `/bins/${p3.body.id}`, { code: 'A-01-02' })).status).toBe(409);

    const edited = await patch(t, `/warehouses/${w.id}`, { name: 'București Vest', address: null });
    expect(edited.body).toMatchObject({ code: 'BUC1', name: 'București Vest', address: null, bins: 3, activeBins: 3 });
    const all = await get(t, '/warehouses');
    expect(all.body.warehouses.map((x: { code: string }) => x.code)).toEqual(['BUC1', 'W1']);
  });

  it('refuses to deactivate a bin that holds stock, naming the bin; an empty bin is deactivated and takes no goods', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 4 } });
    const [full, empty] = t.binIds;
    const refused = await post(t, `/bins/${full}/deactivate`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('INVALID_STATE');
    expect(refused.body.error.message).toMatch(/^Bin B-02 in warehouse W1 holds stock \(4 × A-1, /);
    expect(refused.body.error.details[0].path).toBe('active');
    expect((await patch(t, `/bins/${full}`, { active: false })).status).toBe(409);
    expect((await get(t, `/bins/${full}`)).body.active).toBe(true);

    const off = await post(t, `/bins/${empty}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ code: 'B-01', active: false });
    const receipt = await post(t, '/stock-receipts', { warehouseId: t.warehouseId, lines: [{ sku: 'A-1', binCode: 'B-01', quantity: 1 }] });
    expect(receipt.status).toBe(400);
    expect(receipt.body.error.details).toEqual([{ path: 'lines[0].binCode', reason: 'bin B-01 is deactivated' }]);
    expect((await get(t, `/warehouses/${t.warehouseId}/bins?active=true`)).body.bins.map((b: { code: string }) => b.code)).toEqual(['B-02']);
    expect((await patch(t, `/bins/${empty}`, { active: true })).body.active).toBe(true);
  });
});
