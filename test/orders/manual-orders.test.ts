import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { PROFILE } from '../invoicing/support.ts';
import { newB2bClient, manualOrderBody } from '../support/manual-orders.ts';

let core: CoreHarness;
beforeAll(async () => {
  core = await startCore();
});

const post = (t: TenantFixture, path: string, body: unknown) => core.api(path, { method: 'POST', key: t.apiKey, body: JSON.stringify(body) });
const patch = (t: TenantFixture, path: string, body: unknown) => core.api(path, { method: 'PATCH', key: t.apiKey, body: JSON.stringify(body) });
const count = async (table: 'orders' | 'clients' | 'channels', tenantId: string) =>
  (await core.sql.unsafe(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenantId]))[0]!.n as number;

describe('manual orders', () => {
  it('refuses a new B2B client whose CUI fails the checksum, naming client.cui, and writes nothing', async () => {
    const t = await core.createTenant();
    const before = { orders: await count('orders', t.tenantId), clients: await count('clients', t.tenantId), channels: await count('channels', t.tenantId) };
    const r = await post(t, '/api/v1/orders', manualOrderBody({ client: newB2bClient({ cui: 'RO18547291' }), lines: [{ sku: 'A-1', quantity: 1 }] }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION');
    expect(r.body.error.details).toContainEqual({ path: 'client.cui', reason: 'CUI 18547291 fails the checksum' });
    expect({ orders: await count('orders', t.tenantId), clients: await count('clients', t.tenantId), channels: await count('channels', t.tenantId) }).toEqual(before);
  });

  it('names every field it refuses: a missing county, a bad IBAN, an unknown SKU, a zero quantity', async () => {
    const t = await core.createTenant();
    const client = newB2bClient({ iban: 'RO49AAAA1B31007593840001', billingAddress: { address1: 'Str. Lungă 1', city: 'Cluj-Napoca', province: 'Nowhere' } });
    const r = await post(t, '/api/v1/orders', manualOrderBody({ client, lines: [{ sku: 'NOPE', quantity: 1, unitPrice: '5.00' }] }));
    expect(r.status).toBe(400);
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['client.iban', 'client.billingAddress.province']));
    const r2 = await post(t, '/api/v1/orders', manualOrderBody({ client: newB2bClient({}), lines: [{ sku: 'NOPE', quantity: 1, unitPrice: '5.00' }] }));
    expect(r2.body.error.details).toContainEqual({ path: 'lines[0].sku', reason: 'no product NOPE in the catalog' });
    const r3 = await post(t, '/api/v1/orders', manualOrderBody({ client: newB2bClient({}), lines: [{ sku: 'A-1', quantity: 0 }] }));
    expect(r3.body.error.details[0]).toMatchObject({ path: 'lines[0].quantity' });
    expect(await count('orders', t.tenantId)).toBe(0);
  });

  it('creates the order with a new B2B client on the manual channel, priced from the price list; confirming reserves the stock', async () => {
    const t = await core.createTenant({ stock: { 'A-1': 10, 'A-2': 10 } });
    const ch = await post(t, '/api/v1/channels/manual', {});
    expect(ch.status).toBe(200);
    expect(ch.body).toMatchObject({ name: 'Manual orders', defaultWarehouseId: t.warehouseId, priceListId: null });
    // B2B list: 15 % below the Web list (10.00 each), A-2 at its own price.
    const web = (await core.api('/api/v1/price-lists', { key: t.apiKey })).body.priceLists[0];
    const b2b = await post(t, '/api/v1/price-lists', { name: 'B2B', currency: 'RON', basePriceListId: web.id, discountPercent: '15', items: [{ sku: 'A-2', price: '7.25' }] });
    expect(b2b.status).toBe(201);
    expect((await patch(t, `/api/v1/channels/${ch.body.channelId}/settings`, { priceListId: b2b.body.id })).status).toBe(200);

    const r = await post(t, '/api/v1/orders', manualOrderBody({ client: newB2bClient({}), lines: [{ sku: 'A-1', quantity: 2 }, { sku: 'A-2', quantity: 1 }, { sku: 'A-3', quantity: 1, unitPrice: '3.00' }], shippingTotal: '19.99' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ channelId: ch.body.channelId, status: 'new', paymentMethod: 'cod', paymentStatus: 'pending', currency: 'RON' });
    expect(r.body.lines.map((l: { sku: string; unitPrice: string; total: string }) => [l.sku, l.unitPrice, l.total])).toEqual([
      ['A-1', '8.5000', '17.00'],
      ['A-2', '7.2500', '7.25'],
      ['A-3', '3.0000', '3.00'],
    ]);
    expect(r.body.total).toBe('47.24');
    expect(r.body.client).toMatchObject({ company: 'Țesătoria Âmbră SRL', vatNumber: 'RO18547290' });
    expect(r.body.shippingAddress).toMatchObject({ city: 'Cluj-Napoca', province: 'Cluj', provinceCode: 'CJ', countryCode: 'RO' });
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).reserved).toBe(0);

    const confirmed = await post(t, `/api/v1/orders/${r.body.id}/confirm`, {});
    expect(confirmed.body).toMatchObject({ status: 'confirmed', deliveryType: 'total' });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toEqual({ on_hand: 10, reserved: 2 });
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).toEqual({ on_hand: 10, reserved: 1 });
    const moves = await core.sql`select count(*)::int as n from stock_movements where tenant_id = ${t.tenantId} and cause_type = 'order' and cause_id = ${r.body.id} and kind = 'reserve'`;
    expect(moves[0]!.n).toBe(3);
    // The channel auto-creates delivery notes: the manual order goes on as a store order does.
    await core.drainOutbox();
    const notes = await core.api(`/api/v1/delivery-notes?orderId=${r.body.id}`, { key: t.apiKey });
    expect(notes.body.deliveryNotes?.length ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('picks an existing client by id, keeps a draft until submitted, and holds an order whose stock is short', async () => {
    const t = await core.createTenant({ stock: { 'A-4': 1 } });
    const c = await post(t, '/api/v1/clients', { firstName: 'Maria', lastName: 'Ionescu', email: 'maria@example.test', phone: '0722 123 456', shippingAddress: { address1: 'Bd. Unirii 5', city: 'Iași', province: 'IS', postcode: '700001' } });
    expect(c.status).toBe(201);
    const r = await post(t, '/api/v1/orders', { clientId: c.body.id, lines: [{ sku: 'A-4', quantity: 3, unitPrice: '20.00' }], paymentMethod: 'card', paid: true, submit: false, reference: 'TEL-0001', note: 'call before delivery' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', externalNumber: 'TEL-0001', paid: true, note: 'call before delivery' });
    expect(r.body.shippingAddress).toMatchObject({ firstName: 'Maria', lastName: 'Ionescu', phone: '0722 123 456', provinceCode: 'IS' });
    const again = await post(t, '/api/v1/orders', { clientId: c.body.id, lines: [{ sku: 'A-4', quantity: 1, unitPrice: '20.00' }], paymentMethod: 'card', reference: 'TEL-0001' });
    expect(again.status).toBe(409);
    expect(again.body.error.details[0]).toMatchObject({ path: 'reference' });
    expect((await post(t, `/api/v1/orders/${r.body.id}/confirm`, {})).status).toBe(409);
    expect((await post(t, `/api/v1/orders/${r.body.id}/submit`, {})).body.status).toBe('new');
    const held = await post(t, `/api/v1/orders/${r.body.id}/confirm`, {});
    expect(held.body).toMatchObject({ status: 'on_hold', missing: [expect.objectContaining({ sku: 'A-4', needed: 3, available: 1 })] });
  });

  it("invoices a manual order at the order's prices, or at the price list's where the channel says so", async () => {
    const t = await core.createTenant();
    expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) })).status).toBeLessThan(300);
    const ch = (await post(t, '/api/v1/channels/manual', {})).body;
    const list = await post(t, '/api/v1/price-lists', { name: 'Distributors', currency: 'RON', items: [{ sku: 'A-1', price: '100.00' }] });
    await patch(t, `/api/v1/channels/${ch.channelId}/settings`, { priceListId: list.body.id, invoiceSeries: 'MAN' });
    const client = newB2bClient({});
    const order = async (c: string | Record<string, unknown>) => (await post(t, '/api/v1/orders', manualOrderBody({ ...(typeof c === 'string' ? { clientId: c } : { client: c }), lines: [{ sku: 'A-1', quantity: 2, unitPrice: '121.00' }] }))).body;
    const first = await order(client);
    const invoiceOf = async (orderId: string) => {
      const issued = await post(t, `/api/v1/orders/${orderId}/invoice`, {});
      expect(issued.status).toBe(201);
      return (await core.api(`/api/v1/invoices/${issued.body.invoiceId}`, { key: t.apiKey })).body;
    };
    const atOrder = await invoiceOf(first.id);
    expect(atOrder.fullNumber ?? atOrder.number).toMatch(/^MAN\d+$/);
    // 121.00 gross at 21 % VAT: 100.00 net per unit.
    expect(atOrder.lines[0]).toMatchObject({ sku: 'A-1', quantity: '2', netPrice: '100.0000' });
    expect(atOrder.eInvoice).not.toBeNull();

    await patch(t, `/api/v1/channels/${ch.channelId}/settings`, { invoicePrices: 'price_list' });
    expect((await core.api(`/api/v1/channels/${ch.channelId}/settings`, { key: t.apiKey })).body.invoicePrices).toBe('price_list');
    const second = await order(first.client.id);
    const atList = await invoiceOf(second.id);
    // The list's 100.00 is gross like the order's prices: 82.64 net.
    expect(atList.lines[0]).toMatchObject({ sku: 'A-1', quantity: '2', netPrice: '82.6446' });
  });
});
