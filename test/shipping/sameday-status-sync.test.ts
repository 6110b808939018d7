import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedSyncOptions, pollShipments, syncStatusFeeds } from '../../core/src/flows/track-shipments.ts';
import { STATUS_SYNC_MAX_WINDOW_SECONDS } from '../../core/src/shipping/couriers/sameday/sameday-adapter.ts';
import { FEED_FALLBACK_POLL_SECONDS } from '../../core/src/shipping/tracking.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { type CoreHarness, startCore } from '../support/core-harness.ts';
import { makeDue, orderRow, RO_ADDRESS, statusLog } from './flow-support.ts';
import { courierTenant, type CourierTenant, pollDue, readyToShip } from './support/courier-flow.ts';

let core: CoreHarness;
let fake: FakeSameday;

beforeAll(async () => {
  core = await startCore({ max: 12 });
  fake = await startFakeSameday();
});
afterAll(async () => {
  await fake.close();
});

interface Setup extends CourierTenant {
  sameday: FakeSameday;
}

/** A tenant of its own per test, so each test has its own Sameday account and status-sync cursor. */
async function tenantWithSameday(sameday: FakeSameday = fake): Promise<Setup> {
  return { ...(await courierTenant(core, 'sameday', sameday, { timeoutMs: 2000 })), sameday };
}

async function shipped(su: Setup): Promise<{ orderId: string; packingListId: string; id: string; awb: string }> {
  const { orderId, packingListId } = await readyToShip({ core, ...su }, { channel: 'woo', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address: RO_ADDRESS });
  const r = await su.api.post(`/packing-lists/${packingListId}/awb`);
  expect(r.status).toBe(201);
  return { orderId, packingListId, id: r.body.id, awb: r.body.awb };
}

/** Two shipments of the tenant, each out for delivery then delivered at Sameday (b 100 ms after a); t0 is just before. */
async function twoDelivered(su: Setup) {
  const a = await shipped(su);
  const b = await shipped(su);
  const t0 = Date.now();
  for (const [i, s] of [a, b].entries()) {
    su.sameday.state.advance(s.awb, '33', 'In livrare la curier', 'Cluj', new Date(t0 + 1000 + i * 100));
    su.sameday.state.advance(s.awb, '9', 'Livrata cu succes', 'Cluj', new Date(t0 + 2000 + i * 100));
  }
  return { a, b, t0 };
}

// The worker's clock a few minutes ahead of the events, so the window covers them without waiting.
const aheadDeps = () => ({ ...core.deps, now: () => new Date(Date.now() + 5 * 60_000) });
const syncOpts = (su: Setup, o: Partial<FeedSyncOptions> = {}): FeedSyncOptions => ({ tenantId: su.t.tenantId, lagSeconds: 0, ...o });

const syncCalls = (sameday: FakeSameday = fake) =>
  sameday.state.calls
    .filter((c) => c.path === '/api/client/status-sync')
    .map((c) => {
      const q = new URLSearchParams(c.query);
      return { start: Number(q.get('startTimestamp')), end: Number(q.get('endTimestamp')), page: Number(q.get('page')), perPage: Number(q.get('countPerPage')) };
    });
const perAwbCalls = () => fake.state.calls.filter((c) => /^\/api\/client\/awb\/[^/]+\/status$/.test(c.path)).length;

async function cursorOf(su: Setup) {
  const [c] = await core.sql<{ synced_until: Date; window_end: Date | null; pages_done: number; lease_token: string | null; failures: number; last_error: string | null }[]>`
    select synced_until, window_end, pages_done, lease_token, failures, last_error from tracking_cursors
    where tenant_id = ${su.t.tenantId} and courier_account_id = ${su.accountId} and feed = 'sameday.status_sync'`;
  return c!;
}

async function statusChangedItems(su: Setup, shipmentId: string) {
  return core.sql<{ status: string }[]>`select payload->>'status' as status from outbox
    where tenant_id = ${su.t.tenantId} and kind = 'shipment.status_changed' and payload->>'shipmentId' = ${shipmentId} order by id`;
}

describe('Sameday status-sync: tracking from the time-window feed, from a cursor in Postgres', () => {
  it('applies the window’s events to the tenant’s shipments by AWB: the order is delivered, the cursor passes the window, no per-AWB calls', async () => {
    const su = await tenantWithSameday();
    const s = await shipped(su);
    const t0 = Date.now();
    fake.state.advance(s.awb, '33', 'In livrare la curier', 'Cluj', new Date(t0 + 1000));
    fake.state.advance(s.awb, '9', 'Livrata cu succes', 'Cluj', new Date(t0 + 2000));
    const perAwbBefore = perAwbCalls();

    const report = await syncStatusFeeds(aheadDeps(), syncOpts(su));
    expect(report).toMatchObject({ cursors: 1, failures: 0, shipmentsUpdated: 1, statusChanges: 2 });
    expect((await statusLog(core, su.t, s.id)).map((l) => [l.status, l.raw_code])).toEqual([
      ['created', 'created'],
      ['created', '1'],
      ['out_for_delivery', '33'],
      ['delivered', '9'],
    ]);
    expect((await su.api.get(`/packing-lists/${s.packingListId}`)).body.status).toBe('delivered');
    expect((await orderRow(core, su.t, s.orderId)).status).toBe('delivered');
    expect((await statusChangedItems(su, s.id)).map((r) => r.status)).toEqual(['out_for_delivery', 'delivered']);
    const [row] = await core.sql<{ last_synced_at: Date | null; next_poll_at: Date | null }[]>`select last_synced_at, next_poll_at from shipments where tenant_id = ${su.t.tenantId} and id = ${s.id}`;
    expect(row!.last_synced_at).not.toBeNull();
    expect(row!.next_poll_at).toBeNull();

    // Within the contract's limits: windows of at most 2 h, 500 rows a page; no per-AWB status calls.
    const calls = syncCalls().slice(-report.pages);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.end - c.start).toBeGreaterThan(0);
      expect(c.end - c.start).toBeLessThanOrEqual(STATUS_SYNC_MAX_WINDOW_SECONDS);
      expect(c.perPage).toBe(500);
    }
    expect(perAwbCalls()).toBe(perAwbBefore);
    const cursor = await cursorOf(su);
    expect(cursor.synced_until.getTime()).toBeGreaterThan(t0 + 2000);
    expect(cursor).toMatchObject({ window_end: null, pages_done: 0, lease_token: null, failures: 0 });

    // Nothing new: the next run reads the next window and applies nothing twice.
    await core.sql`update tracking_cursors set next_run_at = now() where tenant_id = ${su.t.tenantId}`;
    const again = await syncStatusFeeds({ ...core.deps, now: () => new Date(Date.now() + 10 * 60_000) }, syncOpts(su));
    expect(again).toMatchObject({ failures: 0, newEvents: 0, statusChanges: 0 });
    expect(await statusLog(core, su.t, s.id)).toHaveLength(4);
  });

  it('per-AWB polling is the fallback: a shipment the feed touched is polled only after a long quiet, and then again only at the fallback interval', async () => {
    const su = await tenantWithSameday();
    const s = await shipped(su);
    await syncStatusFeeds(aheadDeps(), syncOpts(su));
    const [touched] = await core.sql<{ next_poll_at: Date; last_synced_at: Date | null }[]>`select next_poll_at, last_synced_at from shipments where tenant_id = ${su.t.tenantId} and id = ${s.id}`;
    expect(touched!.last_synced_at).not.toBeNull();
    expect(touched!.next_poll_at.getTime()).toBeGreaterThan(Date.now() + (FEED_FALLBACK_POLL_SECONDS - 600) * 1000);
    expect((await pollShipments(core.deps, { tenantId: su.t.tenantId })).claimed).toBe(0);

    // Long quiet: the shipment is due for its fallback poll, which finds the event the feed has not carried.
    fake.state.advance(s.awb, '33', 'In livrare la curier', 'Cluj', new Date(Date.now() + 1000));
    const r = await pollDue(core, su.t, [s.id]);
    expect(r).toMatchObject({ polled: 1, statusChanges: 1 });
    const [after] = await core.sql<{ status: string; next_poll_at: Date }[]>`select status, next_poll_at from shipments where tenant_id = ${su.t.tenantId} and id = ${s.id}`;
    expect(after!.status).toBe('out_for_delivery');
    // Without the feed an out-for-delivery shipment is polled every 15 minutes; the current feed covers it.
    expect(after!.next_poll_at.getTime()).toBeGreaterThan(Date.now() + (FEED_FALLBACK_POLL_SECONDS - 600) * 1000);
  });

  it('two feed workers and a per-AWB poller at once: one worker reads the window, every event is applied once, other tenants’ AWBs are left alone', async () => {
    const su = await tenantWithSameday();
    const { a, b, t0 } = await twoDelivered(su);
    await makeDue(core, su.t);
    const before = syncCalls().length;
    const opts = syncOpts(su, { perPage: 2 });
    const [w1, w2, poll] = await Promise.all([syncStatusFeeds(aheadDeps(), opts), syncStatusFeeds(aheadDeps(), opts), pollShipments(core.deps, { tenantId: su.t.tenantId })]);

    expect(w1.cursors + w2.cursors).toBe(1);
    expect(w1.failures + w2.failures).toBe(0);
    expect(poll.failures).toBe(0);
    // Each page of the window asked once.
    const calls = syncCalls().slice(before);
    expect(new Set(calls.map((c) => `${c.start}-${c.end}-${c.page}`)).size).toBe(calls.length);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // The window also holds the earlier tests' AWBs (other tenants' shipments): not applied here.
    expect(w1.foreignAwbs + w2.foreignAwbs).toBeGreaterThan(0);

    for (const s of [a, b]) {
      const log = await statusLog(core, su.t, s.id);
      expect(log.map((l) => l.raw_code)).toEqual(['created', '1', '33', '9']);
      expect((await statusChangedItems(su, s.id)).map((r) => r.status)).toEqual(['out_for_delivery', 'delivered']);
      expect((await orderRow(core, su.t, s.orderId)).status).toBe('delivered');
    }
    const [others] = await core.sql<{ n: number }[]>`select count(*)::int as n from shipment_status_log where tenant_id <> ${su.t.tenantId} and recorded_at > ${new Date(t0)}`;
    expect(others!.n).toBe(0);
  });

  it('a worker dying between pages: the cursor keeps the window and the committed pages; the next run resumes at the next page and passes the window once all are applied', async () => {
    // A Sameday account of its own, so the window holds exactly this test's rows (2 a page).
    const own = await startFakeSameday();
    afterAll(() => own.close());
    const su = await tenantWithSameday(own);
    const { a, b, t0 } = await twoDelivered(su);
    const dying = await syncStatusFeeds(
      aheadDeps(),
      syncOpts(su, {
        perPage: 2,
        onPageCommitted: ({ page }) => {
          if (page === 1) throw new Error('worker killed after page 1');
        },
      }),
    );
    expect(dying).toMatchObject({ failures: 1, pages: 1 });
    const mid = await cursorOf(su);
    expect(mid).toMatchObject({ pages_done: 1, lease_token: null, failures: 1 });
    expect(mid.last_error).toContain('worker killed');
    expect(mid.window_end).not.toBeNull();
    const [firstCall] = syncCalls(own);
    expect(firstCall).toMatchObject({ page: 1, perPage: 2 });
    // Page 1 (both AWBs' "AWB Emis") is committed with the cursor's step; the rest of the window is not.
    for (const s of [a, b]) expect((await statusLog(core, su.t, s.id)).map((l) => l.raw_code)).toEqual(['created', '1']);
    expect(mid.synced_until.getTime()).toBeLessThan(t0);

    await core.sql`update tracking_cursors set next_run_at = now() where tenant_id = ${su.t.tenantId}`;
    const r = await syncStatusFeeds(aheadDeps(), syncOpts(su, { perPage: 2 }));
    expect(r.failures).toBe(0);
    const calls = syncCalls(own);
    expect(calls.slice(1, 4)).toEqual([2, 3, 4].map((page) => ({ start: firstCall!.start, end: firstCall!.end, page, perPage: 2 })));
    // Page 1 of the interrupted window is never asked for again (a later, new window may start at page 1).
    expect(calls.filter((c) => c.page === 1 && c.start === firstCall!.start)).toHaveLength(1);
    const done = await cursorOf(su);
    expect(done).toMatchObject({ pages_done: 0, window_end: null, failures: 0, last_error: null });
    expect(done.synced_until.getTime()).toBeGreaterThanOrEqual(mid.window_end!.getTime());

    for (const s of [a, b]) {
      expect((await statusLog(core, su.t, s.id)).map((l) => l.raw_code)).toEqual(['created', '1', '33', '9']);
      expect((await statusChangedItems(su, s.id)).map((x) => x.status)).toEqual(['out_for_delivery', 'delivered']);
      expect((await orderRow(core, su.t, s.orderId)).status).toBe('delivered');
    }
  });
});
