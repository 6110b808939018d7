import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import { createCargusAdapter } from '../../core/src/shipping/couriers/cargus/cargus-adapter.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { auditedFetch, auditRows, createThenRetryUnknown, createTimingOut, expectCancelOnlyBeforePickup, expectOneReloginAfterExpiry, expectTrackingGivesUp, expectUnknownLocalityRefused, failure, roRequest, startAdapterFixture, withRecordedSleep } from './courier-test-support.ts';

describe('Cargus adapter against the fake', () => {
  let fake: FakeCargus, strict: FakeCargus, sql: Sql, tenantId: string;
  beforeAll(async () => {
    ({ fake, sql, tenantId } = await startAdapterFixture(startFakeCargus));
    strict = await startFakeCargus({ rejectDuplicateReference: true });
  });
  afterAll(() => strict.close());
  const adapter = (over: { timeoutMs?: number; password?: string; on?: FakeCargus } = {}) =>
    withRecordedSleep((sleep) => {
      const f = over.on ?? fake;
      return createCargusAdapter({
        baseUrl: f.apiUrl,
        subscriptionKey: f.subscriptionKey,
        username: 'cargus-user',
        password: over.password ?? 'cargus-pass',
        senderLocationId: 201165677,
        fetch: auditedFetch(sql, tenantId, 'cargus'),
        sleep,
        timeoutMs: over.timeoutMs ?? 5000,
        statusOverrides: { 1: 'picked_up', 5: 'out_for_delivery', 21: 'delivered' },
      });
    });

  it('logs in with the subscription key, creates an AWB with CustomString = reference and a 10x14 PDF label, and redacts key, password and token', async () => {
    const { a } = adapter();
    const req = roRequest();
    const s = await a.createShipment(req);
    expect(s.awb).toMatch(/^1100223\d+$/);
    expect(s.meta).toEqual({ returnCode: `R${s.awb}` });
    expect(s.trackingUrl).toContain(s.awb);
    expect(s.label?.format).toBe('A6');
    expect(s.label?.source).toBe('courier');
    expect(Buffer.from(s.label!.bytes.slice(0, 4)).toString()).toBe('%PDF');
    const sent = fake.state.shipments.get(s.awb)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ CustomString: req.reference, CashRepayment: 150, TotalWeight: 2, Sender: { LocationId: '201165677' }, Recipient: { LocalityName: 'Cluj-Napoca', CountyName: 'Cluj' } });
    const labelCall = fake.state.calls.find((c) => c.path === '/api/AwbDocuments')!;
    expect(new URLSearchParams(labelCall.query).get('format')).toBe('1');
    const rows = await auditRows(sql, tenantId, 'cargus');
    const login = rows.find((r) => r.operation === 'login')!;
    expect(login.request_headers['ocp-apim-subscription-key']).toBe('[redacted]');
    expect(login.response_body).toBe('"[redacted]"');
    const create = rows.find((r) => r.operation === 'create-awb')!;
    expect(create.request_headers.authorization).toBe('[redacted]');
    const text = JSON.stringify(rows);
    expect(text).not.toContain('cargus-pass');
    expect(text).not.toContain(fake.subscriptionKey);
    for (const t of fake.state.tokens.keys()) expect(text).not.toContain(t);
  });

  it('maps traced events through the account overrides and surfaces an unmapped EventId instead of guessing', async () => {
    const { a } = adapter();
    const s = await a.createShipment(roRequest());
    const [none] = await a.track([s.awb]);
    expect(none!.current).toBeNull();
    fake.state.advance(s.awb, '1', 'Expeditie preluata de curier', 'Tunari', new Date('2026-10-01T08:00:00Z'));
    fake.state.advance(s.awb, '5', 'In livrare', 'Cluj-Napoca', new Date('2026-10-01T09:00:00Z'));
    fake.state.advance(s.awb, '77', 'Eveniment nou', 'Cluj-Napoca', new Date('2026-10-01T10:00:00Z'));
    const [t] = await a.track([s.awb]);
    expect(t!.events.map((e) => e.status)).toEqual(['picked_up', 'out_for_delivery', null]);
    expect(t!.current).toMatchObject({ status: null, unknown: true, raw: { code: '77', description: 'Eveniment nou' } });
    const call = fake.state.calls.filter((c) => c.path === '/api/AwbTrace/WithRedirect').at(-1)!;
    expect(JSON.parse(new URLSearchParams(call.query).get('barCode')!)).toEqual([s.awb]);
  });

  it('tracks many AWBs in one bulk call', async () => {
    const { a } = adapter();
    const s1 = await a.createShipment(roRequest());
    const s2 = await a.createShipment(roRequest());
    const before = fake.state.calls.filter((c) => c.path === '/api/AwbTrace/WithRedirect').length;
    const out = await a.track([s1.awb, s2.awb, '999999']);
    expect(out.map((t) => t.awb)).toEqual([s1.awb, s2.awb]);
    expect(fake.state.calls.filter((c) => c.path === '/api/AwbTrace/WithRedirect').length).toBe(before + 1);
  });

  it('cancels an AWB without checkpoints and refuses one already picked up', async () => {
    const { a } = adapter();
    const s2 = await expectCancelOnlyBeforePickup(a, fake, roRequest, ['1', 'Expeditie preluata de curier']);
    expect(fake.state.shipments.get(s2.awb)!.cancelled).toBe(false);
  });

  it('answers an unknown locality with a VALIDATION error on address.locality and creates nothing', async () => {
    const { a } = adapter();
    await expectUnknownLocalityRefused(a, fake, "Localitatea 'Atlantida' nu a fost gasita in judetul 'Cluj'");
  });

  it('rejects missing dimensions before calling Cargus', async () => {
    const { a } = adapter();
    const { err, calls } = await failure(fake, () => a.createShipment(roRequest({ parcels: [{ weightKg: 1, lengthCm: 10, widthCm: 0, heightCm: 10 }] })));
    expect(err.details).toEqual([{ path: 'parcels[0].widthCm', reason: 'must be a positive number' }]);
    expect(calls).toBe(0);
  });

  it('a retry for a reference that already has an AWB finds it by date + CustomString instead of creating a second', async () => {
    const { a } = adapter();
    const req = roRequest();
    const { first, again } = await createThenRetryUnknown(a, req);
    expect(again).toMatchObject({ awb: first.awb, recovered: true });
    expect(again.label?.source).toBe('courier');
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    const lookup = fake.state.calls.filter((c) => c.path === '/api/Awbs/GetByDate').at(-1)!;
    const q = new URLSearchParams(lookup.query);
    expect(q.get('FromDate')).toMatch(/^\d{2}-\d{2}-\d{4}$/);
  });

  it('maps a courier duplicate-reference answer to CONFLICT on reference', async () => {
    const { a } = adapter({ on: strict });
    const req = roRequest();
    await a.createShipment(req);
    await expect(a.createShipment(req)).rejects.toMatchObject({ code: 'CONFLICT', details: [{ path: 'reference' }] });
    expect(strict.state.byReference(req.reference)).toHaveLength(1);
  });

  it('re-logs once when the token expired and retries the call', async () => {
    await expectOneReloginAfterExpiry(adapter().a, fake);
  });

  it('reports wrong WebExpress credentials as NEEDS_RECONNECT', async () => {
    const { a } = adapter({ password: 'wrong' });
    await expect(a.createShipment(roRequest())).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
  });

  it('backs off on 429 for the Retry-After seconds, and on 5xx then gives UPSTREAM', async () => {
    const { a, waits } = adapter();
    const s = await a.createShipment(roRequest());
    fake.state.failNext({ kind: '429', retryAfterSeconds: 4 });
    await a.track([s.awb]);
    expect(waits).toEqual([4000]);
    await expectTrackingGivesUp(a, fake, [s.awb], waits, '503');
  });

  it('after a create timeout looks the reference up and returns the AWB the courier made: exactly one exists', async () => {
    const { a } = adapter({ timeoutMs: 300 });
    const req = roRequest();
    const s = await createTimingOut(a, fake, req);
    expect(s.recovered).toBe(true);
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    expect(fake.state.byReference(req.reference)[0]!.awb).toBe(s.awb);
    const rows = await auditRows(sql, tenantId, 'cargus');
    expect(rows.some((r) => r.operation === 'create-awb' && r.outcome === 'timeout')).toBe(true);
    expect(rows.some((r) => r.operation === 'find-by-reference' && r.outcome === 'ok')).toBe(true);
  });

  it('a create answered 5xx is not re-sent blindly: the lookup finds nothing, then one create succeeds', async () => {
    const { a } = adapter();
    const req = roRequest();
    fake.state.failNext({ kind: '500' });
    const s = await a.createShipment(req);
    expect(s.recovered).toBe(false);
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    expect(fake.state.calls.filter((c) => c.path === '/api/Awbs/WithGetAwb' && c.body.includes(req.reference))).toHaveLength(2);
  });

  it('quotes with ShippingCalculation GrandTotal', async () => {
    const { a } = adapter();
    const [q] = await a.quote(roRequest({ sender: { ...roRequest().address, locality: 'Brasov', county: 'Brasov' } }));
    expect(q).toMatchObject({ courier: 'cargus', service: '34', price: { amount: '16.66', currency: 'RON' }, estimatedDays: null });
  });
});
