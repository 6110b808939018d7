import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import { isCourierError } from '../../core/src/shipping/courier-adapter.ts';
import { createInnoshipAdapter } from '../../core/src/shipping/couriers/innoship/innoship-adapter.ts';
import { type FakeInnoship, startFakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import { auditedCreateTimeout, auditedFetch, auditRows, createTimingOut, createWaitingRetryAfter, expectReconnectWithoutRetry, failure, roRequest, startAdapterFixture, unknownLocalityRequest, withRecordedSleep } from './courier-test-support.ts';

describe('Innoship adapter against the fake', () => {
  let fake: FakeInnoship, sql: Sql, tenantId: string;
  beforeAll(async () => {
    ({ fake, sql, tenantId } = await startAdapterFixture(startFakeInnoship));
  });
  const adapter = (over: { timeoutMs?: number; apiKey?: string } = {}) =>
    withRecordedSleep((sleep) =>
      createInnoshipAdapter({ baseUrl: fake.url, apiKey: over.apiKey ?? fake.apiKey, clientLocationId: '1', fetch: auditedFetch(sql, tenantId, 'innoship'), sleep, timeoutMs: over.timeoutMs ?? 5000 }),
    );

  it('creates an AWB with tracking URL, courier id and an A6 PDF label, and audits the calls without the API key', async () => {
    const { a } = adapter();
    const req = roRequest();
    const s = await a.createShipment(req);
    expect(s.awb).toMatch(/^9909230\d+$/);
    expect(s.meta).toEqual({ courierId: 1 });
    expect(s.trackingUrl).toBe(`https://track.innoship.io/${s.awb}`);
    expect(s.label?.format).toBe('A6');
    expect(Buffer.from(s.label!.bytes.slice(0, 4)).toString()).toBe('%PDF');
    expect(s.price).toEqual({ amount: '19.04', currency: 'RON' });
    const sent = fake.state.shipments.get(s.awb)!.body as { externalOrderId: string; extra: { bankRepaymentAmount: number }; content: { parcels: unknown[] } };
    expect(sent.externalOrderId).toBe(req.reference);
    expect(sent.extra.bankRepaymentAmount).toBe(150);
    expect(sent.content.parcels[0]).toMatchObject({ weight: 1.5, size: { width: 20, height: 10, length: 30 } });
    const rows = await auditRows(sql, tenantId, 'innoship');
    const create = rows.find((r) => r.operation === 'create-awb')!;
    expect(create.request_headers['x-api-key']).toBe('[redacted]');
    expect(JSON.stringify(rows)).not.toContain(fake.apiKey);
    expect(create.outcome).toBe('ok');
    expect(rows.find((r) => r.operation === 'label')!.response_body).toMatch(/^\[\d+ bytes application\/pdf\]$/);
  });

  it('maps tracking events advanced on the fake to the common vocabulary, keeping raw codes', async () => {
    const { a } = adapter();
    const s = await a.createShipment(roRequest());
    fake.state.advance(s.awb, '2', 'Picked-Up');
    fake.state.advance(s.awb, '30', 'Out for Delivery');
    fake.state.advance(s.awb, '999', 'Brand new status');
    const [t] = await a.track([{ awb: s.awb, meta: s.meta }]);
    expect(t!.events.map((e) => e.status)).toEqual(['created', 'picked_up', 'out_for_delivery', null]);
    expect(t!.current).toMatchObject({ status: null, unknown: true, raw: { code: '999', description: 'Brand new status' } });
  });

  it('cancels an AWB before pickup and refuses after pickup', async () => {
    const { a } = adapter();
    const s = await a.createShipment(roRequest());
    await a.cancel({ awb: s.awb, meta: s.meta });
    expect(fake.state.shipments.get(s.awb)!.cancelled).toBe(true);
    const s2 = await a.createShipment(roRequest());
    fake.state.advance(s2.awb, '2', 'Picked-Up');
    await expect(a.cancel({ awb: s2.awb, meta: s2.meta })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('answers an unknown locality with a VALIDATION error on address.locality and creates nothing', async () => {
    const { a } = adapter();
    const { err, created } = await failure(fake, () => a.createShipment(unknownLocalityRequest()));
    expect(err.code).toBe('VALIDATION');
    expect(err.details[0]!.path).toBe('address.locality');
    expect(created).toBe(0);
  });

  it('rejects a parcel without weight before calling Innoship', async () => {
    const { a } = adapter();
    const { err, calls } = await failure(fake, () => a.createShipment(roRequest({ parcels: [{ weightKg: undefined as unknown as number, lengthCm: 1, widthCm: 1, heightCm: 1 }] })));
    expect(err.details).toEqual([{ path: 'parcels[0].weightKg', reason: 'is missing' }]);
    expect(calls).toBe(0);
  });

  it('reports a rejected static key as NEEDS_RECONNECT without retrying (no token to refresh)', async () => {
    const { a } = adapter({ apiKey: 'wrong' });
    await expectReconnectWithoutRetry(a, fake, roRequest());
  });

  it('backs off on 429 for the Retry-After seconds and then creates the AWB', async () => {
    const { a, waits } = adapter();
    const s = await createWaitingRetryAfter(a, fake, roRequest(), waits, 2);
    expect(fake.state.shipments.has(s.awb)).toBe(true);
  });

  it('retries tracking on 5xx with back-off, then gives UPSTREAM when the fake keeps failing', async () => {
    const { a, waits } = adapter();
    const s = await a.createShipment(roRequest());
    fake.state.failNext({ kind: '503' });
    const [t] = await a.track([{ awb: s.awb, meta: s.meta }]);
    expect(t!.awb).toBe(s.awb);
    expect(waits).toEqual([500]);
    fake.state.failNext({ kind: '500' }, 4);
    await expect(a.track([{ awb: s.awb, meta: s.meta }])).rejects.toMatchObject({ code: 'UPSTREAM' });
  });

  it('never sends a create twice after a timeout: exactly one AWB exists and the outcome is reported, not guessed', async () => {
    const { a } = adapter({ timeoutMs: 300 });
    const req = roRequest();
    const err = await createTimingOut(a, fake, req).catch((e) => e);
    expect(isCourierError(err) && err.ambiguous).toBe(true);
    expect(err.code).toBe('UPSTREAM');
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    // A later retry by the AWB flow says the earlier attempt is unknown: still no second AWB.
    const again = await a.createShipment({ ...req, previousAttemptUnknown: true }).catch((e) => e);
    expect(again.code).toBe('CONFLICT');
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    expect(await auditedCreateTimeout(sql, tenantId, 'innoship')).toBe(true);
  });

  it('quotes the routed couriers', async () => {
    const { a } = adapter();
    const q = await a.quote(roRequest());
    expect(q.map((x) => x.service)).toEqual(['1@1', '1@6']);
    expect(q[0]).toMatchObject({ courier: 'innoship', price: { amount: '19.63', currency: 'RON' }, estimatedDays: 2 });
  });
});
