import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type FakeStores, measure, orderRow, pickAndPack, RO_ADDRESS, type shippingApi, unfinishedWritebacks } from '../shipping/flow-support.ts';
import { createAwb, pollDue, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { manualOrderBody, newB2bClient } from '../support/manual-orders.ts';

let core: CoreHarness, fake: FakeFanCourier, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('fancourier'));
  expect((await api.put('/invoicing/profile', PROFILE)).status).toBeLessThan(300);
});

describe('a manual order with a new B2B client goes the way of a store order', () => {
  it('confirm → delivery note → pick → pack → AWB → delivered; invoiced on shipping in the manual channel’s series; nothing written to a store', async () => {
    const ch = (await api.post('/channels/manual', {})).body;
    expect((await api.patch(`/channels/${ch.channelId}/settings`, { invoiceSeries: 'TEL' })).status).toBe(200);
    const created = await api.post('/orders', manualOrderBody({ client: newB2bClient({}), lines: [{ sku: 'A-3', quantity: 1, unitPrice: '59.90' }], shippingTotal: '15.00' }));
    expect(created.status).toBe(201);
    const orderId = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'new', channelId: ch.channelId, total: '74.90', paymentMethod: 'cod' });

    const packingListId = await pickAndPack(core, t, orderId);
    await measure(core, t, packingListId, { courier: 'fancourier', service: 'Cont Colector', address: { ...RO_ADDRESS, street: 'Str. Exemplu', streetNo: '1' } });
    const s = await createAwb(api, packingListId);
    // Cash on delivery: the courier collects the order's total.
    expect(s).toMatchObject({ courier: 'fancourier', status: 'created', codStatus: 'pending' });
    expect(Number(s.cod.amount)).toBe(74.9);
    await core.drainOutbox();

    const [invoice] = await core.sql<{ full_number: string; payable_total: string; e: string | null }[]>`
      select i.full_number, i.payable_total::text, e.state as e from invoices i left join e_invoices e on e.tenant_id = i.tenant_id and e.invoice_id = i.id
      where i.tenant_id = ${t.tenantId} and i.order_id = ${orderId}`;
    expect(invoice).toMatchObject({ full_number: expect.stringMatching(/^TEL\d+$/), payable_total: '74.90' });
    // A company with a checked CUI: the invoice goes to e-Factura.
    expect(invoice!.e).toBe('pending');

    const t0 = Date.now();
    fake.state.advance(s.awb, 'C0', 'Expeditie ridicata', 'Cluj-Napoca', new Date(t0 + 1000));
    fake.state.advance(s.awb, 'S2', 'Livrat', 'Cluj-Napoca', new Date(t0 + 2000));
    await pollDue(core, t, [s.id]);
    expect((await orderRow(core, t, orderId)).status).toBe('delivered');
    await core.drainOutbox();
    // A manual channel has no store: no write-back waits or fails, and no store saw the order.
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
    expect(stores.woo.orders.size + stores.shopify.fulfillments.size).toBe(0);
  });
});
