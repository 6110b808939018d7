import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';
import { tenantCalls } from '../support/shop-helpers.ts';
import { makeOutboxDue, redeliver } from './support.ts';

// A hold, a release and a cancel done in Expedio, as the WooCommerce order's status shows them:
// through the outbox (order.store_state → writeback.woocommerce.order_state), against the fake
// WooCommerce REST API.

let core: CoreHarness;
let woo: FakeWooCommerce;
let t: TenantFixture;
const { post } = tenantCalls(() => core);
const KIND = 'writeback.woocommerce.order_state';
const KEY = { consumerKey: 'ck_state', consumerSecret: 'cs_state' };
let nextId = 8800;

beforeAll(async () => {
  core = await startCore();
  woo = await startFakeWooCommerce(KEY);
  t = await core.createTenant({ channel: { auto_confirm: false } });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { ...KEY, adminBaseUrl: woo.url });
});
afterAll(async () => {
  await woo.close();
});

/** A WooCommerce order in the store and in Expedio (its signed order.created webhook). */
async function storeOrder(status = 'processing') {
  const id = nextId++;
  const order = { ...wooOrder({ id, lines: [['A-1', 1]] }), status };
  woo.upsertOrder(order);
  const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic: 'order.created', body: order, secret: t.woo.webhookSecret, webhookId: 42 });
  expect(res.status).toBe(200);
  await core.drainOutbox();
  const [o] = await core.sql<{ id: string }[]>`select id::text from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(id)}`;
  return { orderId: o!.id, wooId: id };
}

async function writebacks(orderId: string) {
  return await core.sql<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from outbox where tenant_id = ${t.tenantId} and kind = ${KIND} and payload->>'orderId' = ${orderId} order by id`;
}

const puts = (wooId: number) => woo.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/orders/${wooId}`)).length;

describe('hold, release and cancel reach the WooCommerce order', () => {
  it('a hold puts the order on-hold once (a redelivered write-back changes nothing), and confirming releases it to processing', async () => {
    const { orderId, wooId } = await storeOrder();
    expect((await post(t, `/orders/${orderId}/hold`, { reason: 'customer asked to wait' })).status).toBe(200);
    await core.drainOutbox();
    expect(woo.orders.get(wooId)!.status).toBe('on-hold');
    expect(await writebacks(orderId)).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
    expect(puts(wooId)).toBe(1);

    expect(await redeliver(core.sql, t.tenantId, [KIND])).toBeGreaterThan(0);
    await core.drainOutbox();
    expect(puts(wooId)).toBe(1);

    const confirmed = await post(t, `/orders/${orderId}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    await core.drainOutbox();
    expect(woo.orders.get(wooId)!.status).toBe('processing');
    expect(puts(wooId)).toBe(2);
    const log = await core.sql<{ topic: string; outcome: string }[]>`select topic, outcome from sync_log where tenant_id = ${t.tenantId} and external_id = ${String(wooId)} and kind = 'writeback' order by id`;
    expect(log.map((l) => l.topic)).toEqual(['order.hold_cancel', 'order.hold_cancel', 'order.hold_cancel']);
  });

  it('a cancel in Expedio cancels the WooCommerce order with a private note giving the reason', async () => {
    const { orderId, wooId } = await storeOrder();
    expect((await post(t, `/orders/${orderId}/cancel`, { reason: 'client changed their mind' })).status).toBe(200);
    await core.drainOutbox();
    expect(woo.orders.get(wooId)!.status).toBe('cancelled');
    const notes = (woo.notes.get(wooId) ?? []).filter((n) => n.note.includes('Expedio'));
    expect(notes.map((n) => [n.note, n.customer_note])).toEqual([['Cancelled in Expedio: client changed their mind', false]]);
    expect(await writebacks(orderId)).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
  });

  it('an order the merchant already completed is left completed', async () => {
    const { orderId, wooId } = await storeOrder();
    woo.orders.get(wooId)!.status = 'completed';
    expect((await post(t, `/orders/${orderId}/cancel`, {})).status).toBe(200);
    await core.drainOutbox();
    expect(woo.orders.get(wooId)!.status).toBe('completed');
    expect(await writebacks(orderId)).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
  });

  it('a store that keeps failing: retried, then a stall after the last try naming the write-back', async () => {
    const { orderId, wooId } = await storeOrder();
    woo.failNext('500', 1000);
    expect((await post(t, `/orders/${orderId}/hold`, { reason: 'stock check' })).status).toBe(200);
    for (let i = 0; i < 12; i++) {
      await makeOutboxDue(core.sql);
      await core.drainOutbox();
      if ((await writebacks(orderId))[0]?.status === 'stalled') break;
    }
    const [item] = await writebacks(orderId);
    expect(item).toMatchObject({ status: 'stalled', last_error: expect.stringContaining('hold/cancel write-back to WooCommerce') });
    expect(item!.attempts).toBeGreaterThan(1);
    const [stall] = await core.sql<{ kind: string }[]>`select kind from stalls where tenant_id = ${t.tenantId} and kind = ${`outbox.${KIND}`} and resolved_at is null`;
    expect(stall).toBeTruthy();
    expect(woo.orders.get(wooId)!.status).toBe('processing');
  });
});
