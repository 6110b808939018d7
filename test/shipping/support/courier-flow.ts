import { afterAll, expect } from 'vitest';
import { pollShipments } from '../../../core/src/flows/track-shipments.ts';
import { type FakeBosta, startFakeBosta } from '../../fakes/couriers/bosta/fake-bosta.ts';
import { type FakeCargus, startFakeCargus } from '../../fakes/couriers/cargus/fake-cargus.ts';
import type { FakeCourierState } from '../../fakes/couriers/fake-courier-base.ts';
import { type FakeFanCourier, startFakeFanCourier } from '../../fakes/couriers/fancourier/fake-fancourier.ts';
import { type FakeInnoship, startFakeInnoship } from '../../fakes/couriers/innoship/fake-innoship.ts';
import { type FakeSameday, startFakeSameday } from '../../fakes/couriers/sameday/fake-sameday.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../../support/core-harness.ts';
import { connectFakeStores, expectWooShipped, type FakeStores, makeDue, measure, pickAndPack, placeShopifyOrder, placeWooCodOrder, shippingApi, unfinishedWritebacks, writebackLog } from '../flow-support.ts';

/**
 * The set-up every courier end-to-end test starts from: a core, the courier's fake, a tenant whose
 * stores are faked, and one courier account at the fake. An order is then taken to a measured packing
 * list with readyToShip, and the write-backs it made are checked with expectWritebacks.
 */

interface Fakes {
  bosta: FakeBosta;
  cargus: FakeCargus;
  fancourier: FakeFanCourier;
  innoship: FakeInnoship;
  sameday: FakeSameday;
}
export type FlowCourier = keyof Fakes;

const START: { [C in FlowCourier]: () => Promise<Fakes[C]> } = {
  bosta: () => startFakeBosta(),
  cargus: () => startFakeCargus(),
  fancourier: () => startFakeFanCourier(),
  innoship: () => startFakeInnoship(),
  sameday: () => startFakeSameday(),
};

/** Where Bosta posts its webhooks for the tenant's Shopify channel (set on the account, sent with each delivery). */
export const bostaWebhookUrl = (core: CoreHarness, t: TenantFixture) => `${core.url}/webhooks/couriers/bosta/${t.shopify.channelId}`;

// The account a merchant would connect, pointed at the fake; a test adds settings of its own.
const ACCOUNT: { [C in FlowCourier]: (fake: Fakes[C], core: CoreHarness, t: TenantFixture) => Record<string, unknown> } = {
  bosta: (fake, core, t) => ({ name: 'Bosta', channelId: t.shopify.channelId, credentials: { apiKey: fake.apiKey }, baseUrl: fake.apiUrl, settings: { webhookUrl: bostaWebhookUrl(core, t) } }),
  cargus: (fake) => ({ name: 'Cargus', credentials: { subscriptionKey: fake.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' }, baseUrl: fake.apiUrl, settings: { senderLocationId: 201165677 } }),
  fancourier: (fake) => ({ name: 'FAN', credentials: { username: 'fan-user', password: 'fan-pass' }, baseUrl: fake.url, defaultService: 'Cont Colector', settings: { clientId: fake.clientId } }),
  innoship: (fake, _core, t) => ({ name: 'Innoship', channelId: t.shopify.channelId, credentials: { apiKey: fake.apiKey }, baseUrl: fake.url, settings: { clientLocationId: 'CLJ1' } }),
  sameday: (fake, _core, t) => ({ name: 'Sameday', warehouseId: t.warehouseId, credentials: { username: 'sameday-user', password: 'sameday-pass' }, baseUrl: fake.url, settings: { pickupPointId: 1234 } }),
};

export interface CourierTenantOptions {
  /** Stock levels by SKU for the tenant (default: 100 of each fixture SKU). */
  stock?: Record<string, number>;
  /** The courier client's timeout (default 400 ms: short, so a timeout case does not hold the test up). */
  timeoutMs?: number;
  /** Settings added to the account's own. */
  settings?: Record<string, unknown>;
}

export interface CourierTenant {
  t: TenantFixture;
  stores: FakeStores;
  api: ReturnType<typeof shippingApi>;
  accountId: string;
  /** The API's answer to creating the account. */
  account: Record<string, unknown>;
}

/** A tenant (orders confirmed by hand) with faked stores and one account of the courier at the fake. */
export async function courierTenant<C extends FlowCourier>(core: CoreHarness, courier: C, fake: Fakes[C], o: CourierTenantOptions = {}): Promise<CourierTenant> {
  const t = await core.createTenant({ channel: { auto_confirm: false }, ...(o.stock ? { stock: o.stock } : {}) });
  const stores = await connectFakeStores(core, t);
  const api = shippingApi(core, t);
  const base = ACCOUNT[courier](fake, core, t);
  const settings = { ...(base.settings as Record<string, unknown>), timeoutMs: o.timeoutMs ?? 400, ...o.settings };
  const acc = await api.post('/courier-accounts', { courier, ...base, settings });
  expect(acc.status).toBe(201);
  return { t, stores, api, accountId: acc.body.id as string, account: acc.body };
}

/** Call in beforeAll: a core, the courier's fake (closed after the file) and a courierTenant on them. */
export async function startCourierFlow<C extends FlowCourier>(courier: C, o: CourierTenantOptions & { max?: number } = {}): Promise<CourierTenant & { core: CoreHarness; fake: Fakes[C] }> {
  const core = await startCore({ max: o.max ?? 10 });
  const fake = await START[courier]();
  afterAll(async () => {
    await fake.close();
  });
  return { core, fake, ...(await courierTenant(core, courier, fake, o)) };
}

type Flow = { core: CoreHarness; t: TenantFixture; stores: FakeStores };

/**
 * An order through intake (Shopify, or WooCommerce cash on delivery), pick and pack, measured for the
 * courier: its packing list is ready for an AWB.
 */
export async function readyToShip(
  f: Flow,
  o: { channel: 'shopify' | 'woo'; lines: Array<[string, number]>; courier: FlowCourier; service: string; address: Record<string, unknown>; parcels?: unknown[]; partial?: boolean },
): Promise<{ orderId: string; packingListId: string }> {
  const orderId = await (o.channel === 'shopify' ? placeShopifyOrder : placeWooCodOrder)(f.core, f.t, o.lines, f.stores);
  const packingListId = await pickAndPack(f.core, f.t, orderId, o.partial ? { partial: true } : {});
  await measure(f.core, f.t, packingListId, { courier: o.courier, service: o.service, address: o.address, parcels: o.parcels });
  return { orderId, packingListId };
}

/** The order's write-backs, as [topic, outcome] oldest first, and nothing left pending or stalled. */
export async function expectWritebacks(f: Flow, orderId: string, topics: Array<[string, string]>): Promise<void> {
  expect((await writebackLog(f.core, f.t, orderId)).map((l) => [l.topic, l.outcome])).toEqual(topics);
  expect(await unfinishedWritebacks(f.core, f.t, orderId)).toEqual([]);
}

/** The AWB is refused with a field error on the delivery address's city, and no shipment is made. */
export async function expectCityRefused(f: Flow & { api: ReturnType<typeof shippingApi> }, packingListId: string): Promise<void> {
  const r = await f.api.post(`/packing-lists/${packingListId}/awb`);
  expect(r.status).toBe(400);
  expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('deliveryAddress.city');
  expect((await f.core.sql`select 1 from shipments where tenant_id = ${f.t.tenantId} and packing_list_id = ${packingListId}`).length).toBe(0);
}

/** Asks for the packing list's AWB and expects it created (201); returns the shipment. */
export async function createAwb(api: ReturnType<typeof shippingApi>, packingListId: string) {
  const r = await api.post(`/packing-lists/${packingListId}/awb`);
  expect(r.status).toBe(201);
  return r.body;
}

/** Asks for the AWB while the courier answers only after our timeout, having created it: the AWB exists at the courier, our call gave up. */
export async function awbAfterCourierTimeout(fake: { state: Pick<FakeCourierState, 'failNext'> }, api: ReturnType<typeof shippingApi>, packingListId: string) {
  fake.state.failNext({ kind: 'timeout-after-create', delayMs: 2000 });
  return api.post(`/packing-lists/${packingListId}/awb`);
}

/** Makes the shipments due now and runs one tracking poll for the tenant; returns its report. */
export async function pollDue(core: CoreHarness, t: TenantFixture, shipmentIds?: string[]) {
  await makeDue(core, t, shipmentIds);
  return pollShipments(core.deps, { tenantId: t.tenantId });
}

/** The write-backs of a Shopify order shipped with one AWB: the fulfillment, then one event per mapped tracking status. */
export const fulfillmentWithEvents = (events: number): Array<[string, string]> => [['fulfillment.create', 'ok'], ...Array.from({ length: events }, (): [string, string] => ['fulfillment.event', 'ok'])];

/** A second ask for the AWB is refused (409) while the first is unresolved, and the courier holds exactly one AWB for the packing list; returns it. */
export async function expectRetryRefused(fake: { state: Pick<FakeCourierState, 'byReference'> }, api: ReturnType<typeof shippingApi>, packingListId: string) {
  const retry = await api.post(`/packing-lists/${packingListId}/awb`);
  expect(retry.status).toBe(409);
  const atCourier = fake.state.byReference(`EXP-PL${packingListId}`);
  expect(atCourier).toHaveLength(1);
  return atCourier;
}

/** Once the outbox has run, the WooCommerce order carries the AWB (its tracking link names it) and is still processing. */
export async function expectWooShippedWhenDrained(f: Flow, orderId: string, s: { awb: string; trackingUrl: string }, provider: string): Promise<void> {
  await f.core.drainOutbox();
  expect(s.trackingUrl).toContain(s.awb);
  await expectWooShipped(f.core, f.t, f.stores, orderId, s, provider, 'processing');
}
