import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import { createFanCourierAdapter } from '../../core/src/shipping/couriers/fancourier/fancourier-adapter.ts';
import { parseFanExpiry } from '../../core/src/shipping/couriers/fancourier/fancourier-mapper.ts';
import { type FakeFanCourier, startFakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import { auditedFetch, auditRows, createThenRetryUnknown, createWaitingRetryAfter, expectCancelOnlyBeforePickup, expectCreateRecoveredAfterTimeout, expectTrackingGivesUp, expectUnknownLocalityRefused, roRequest, startAdapterFixture, unknownLocalityRequest, withRecordedSleep } from './courier-test-support.ts';

describe('FAN Courier adapter against the fake', () => {
  let fake: FakeFanCourier, sql: Sql, tenantId: string;
  beforeAll(async () => {
    ({ fake, sql, tenantId } = await startAdapterFixture(startFakeFanCourier));
  });
  const adapter = (over: { timeoutMs?: number; password?: string; clientId?: number } = {}) =>
    withRecordedSleep((sleep) =>
      createFanCourierAdapter({
        baseUrl: fake.url,
        username: 'fan-user',
        password: over.password ?? 'fan-pass',
        clientId: over.clientId ?? fake.clientId,
        fetch: auditedFetch(sql, tenantId, 'fancourier'),
        sleep,
        timeoutMs: over.timeoutMs ?? 5000,
      }),
    );

  it('logs in, creates an AWB (number kept as a string) with the reference in costCenter and an A6 PDF label, and redacts password and token', async () => {
    const { a } = adapter();
    const req = roRequest();
    const s = await a.createShipment(req);
    expect(s.awb).toMatch(/^23323001\d+$/);
    expect(typeof s.awb).toBe('string');
    expect(s.price).toEqual({ amount: '30.53', currency: 'RON' });
    expect(s.label).toMatchObject({ format: 'A6', source: 'courier' });
    expect(Buffer.from(s.label!.bytes.slice(0, 4)).toString()).toBe('%PDF');
    const sent = fake.state.shipments.get(s.awb)!.body as { info: Record<string, unknown>; recipient: { address: Record<string, unknown> } };
    expect(sent.info).toMatchObject({ costCenter: req.reference, service: 'Cont Colector', cod: 150, weight: 1.5, packages: { parcel: 1, envelope: 0 } });
    expect(sent.recipient.address).toMatchObject({ county: 'Cluj', locality: 'Cluj-Napoca', streetNo: '1' });
    const rows = await auditRows(sql, tenantId, 'fancourier');
    const login = rows.find((r) => r.operation === 'login')!;
    expect(login.request_body).toContain('password=%5Bredacted%5D');
    expect(login.response_body).toContain('"token":"[redacted]"');
    const text = JSON.stringify(rows);
    expect(text).not.toContain('fan-pass');
    for (const t of fake.state.tokens.keys()) expect(text).not.toContain(t);
  });

  it('maps tracked events to the vocabulary in one bulk call and surfaces an unknown event id', async () => {
    const { a } = adapter();
    const s1 = await a.createShipment(roRequest());
    const s2 = await a.createShipment(roRequest());
    fake.state.advance(s1.awb, 'C0', 'Expeditie ridicata', 'Cluj-Napoca', new Date('2026-05-20T08:00:00Z'));
    fake.state.advance(s1.awb, 'S1', 'Expeditie in livrare', 'Cluj-Napoca', new Date('2026-05-21T08:00:00Z'));
    fake.state.advance(s1.awb, 'X9', 'Cod nou', 'Cluj-Napoca', new Date('2026-05-21T09:00:00Z'));
    const before = fake.state.calls.filter((c) => c.path === '/reports/awb/tracking').length;
    const [t1, t2] = await a.track([s1.awb, s2.awb]);
    expect(fake.state.calls.filter((c) => c.path === '/reports/awb/tracking').length).toBe(before + 1);
    expect(t1!.events.map((e) => e.status)).toEqual(['picked_up', 'out_for_delivery', null]);
    expect(t1!.current).toMatchObject({ status: null, unknown: true, raw: { code: 'X9', description: 'Cod nou' } });
    expect(t2).toMatchObject({ awb: s2.awb, events: [], current: null });
  });

  it('cancels before pickup and refuses after', async () => {
    const { a } = adapter();
    await expectCancelOnlyBeforePickup(a, fake, roRequest, ['C0', 'Expeditie ridicata']);
  });

  it('turns the per-item locality error into a VALIDATION error on address.locality and creates nothing', async () => {
    const { a } = adapter();
    await expectUnknownLocalityRefused(a, fake, 'Localitatea Atlantida nu exista in judetul Cluj.');
  });

  it('a retry for a reference that already has an AWB finds it in the day borderou instead of creating a second', async () => {
    const { a } = adapter();
    const req = roRequest();
    const { first, again } = await createThenRetryUnknown(a, req);
    expect(again).toMatchObject({ awb: first.awb, recovered: true, price: { amount: '30.53' } });
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
  });

  it('re-logs once when the token expired', async () => {
    const { a } = adapter();
    await a.createShipment(roRequest());
    const logins = fake.state.logins;
    fake.state.expireTokens();
    await a.track(['1']);
    expect(fake.state.logins).toBe(logins + 1);
  });

  it('reports wrong credentials as NEEDS_RECONNECT and a wrong clientId as a field error', async () => {
    await expect(adapter({ password: 'nope' }).a.createShipment(roRequest())).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
    const err = await adapter({ clientId: 1 }).a.createShipment(roRequest()).catch((e) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', details: [{ path: 'clientId', reason: 'The selected client id is invalid.' }] });
  });

  it('waits Retry-After on 429 and gives UPSTREAM after repeated 5xx on tracking', async () => {
    const { a, waits } = adapter();
    await createWaitingRetryAfter(a, fake, roRequest(), waits, 2);
    await expectTrackingGivesUp(a, fake, ['1'], waits, '500');
  });

  it('after a create timeout finds the AWB through reports/awb: exactly one exists', async () => {
    const { a } = adapter({ timeoutMs: 300 });
    await expectCreateRecoveredAfterTimeout(a, fake, roRequest(), { sql, tenantId, courier: 'fancourier' });
  });

  it('quotes the internal tariff total', async () => {
    const { a } = adapter();
    const [q] = await a.quote(roRequest());
    expect(q).toMatchObject({ courier: 'fancourier', service: 'Cont Colector', price: { amount: '23.00', currency: 'RON' } });
    const err = await a.quote(unknownLocalityRequest()).catch((e) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', details: [{ path: 'address.locality' }] });
  });

  it('reads expiresAt conservatively (never past the real expiry in Bucharest time, never beyond 24 h)', () => {
    const now = new Date('2026-05-20T10:00:00Z');
    expect(parseFanExpiry('2026-05-21 13:00:00', now).toISOString()).toBe('2026-05-21T10:00:00.000Z');
    expect(parseFanExpiry('2030-01-01 00:00:00', now).toISOString()).toBe('2026-05-21T10:00:00.000Z');
    expect(parseFanExpiry('garbage', now).toISOString()).toBe('2026-05-21T06:00:00.000Z');
  });
});
