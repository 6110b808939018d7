import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import { createSamedayAdapter } from '../../core/src/shipping/couriers/sameday/sameday-adapter.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { auditedFetch, auditRows, createTimingOut, createWaitingRetryAfter, expectOneReloginAfterExpiry, roRequest, startAdapterFixture, unknownLocalityRequest, withRecordedSleep } from './courier-test-support.ts';

describe('Sameday adapter against the fake', () => {
  let fake: FakeSameday, sql: Sql, tenantId: string;
  beforeAll(async () => {
    ({ fake, sql, tenantId } = await startAdapterFixture(startFakeSameday));
  });
  const adapter = (timeoutMs = 5000) =>
    withRecordedSleep((sleep) =>
      createSamedayAdapter({ baseUrl: fake.url, username: 'sameday-user', password: 'sameday-pass', pickupPointId: 1234, fetch: auditedFetch(sql, tenantId, 'sameday'), sleep, timeoutMs }),
    );

  it('logs in, creates an AWB from form fields with parcel AWBs and an A6 label, and redacts the password and token in the audit', async () => {
    const { a } = adapter();
    const req = roRequest({ parcels: [{ weightKg: 1, lengthCm: 10, widthCm: 10, heightCm: 10 }, { weightKg: 2.5, lengthCm: 20, widthCm: 20, heightCm: 20 }] });
    const s = await a.createShipment(req);
    expect(s.awb).toMatch(/^1SDY\d+$/);
    expect(s.parcelAwbs).toEqual([`${s.awb}001`, `${s.awb}002`]);
    expect(s.label?.format).toBe('A6');
    const form = fake.state.shipments.get(s.awb)!.body as Record<string, string>;
    expect(form).toMatchObject({ clientInternalReference: req.reference, 'parcels[1][weight]': '2.5', 'awbRecipient[cityString]': 'Cluj-Napoca', cashOnDelivery: '150.00', packageWeight: '3.5' });
    const rows = await auditRows(sql, tenantId, 'sameday');
    const login = rows.find((r) => r.operation === 'login')!;
    expect(login.request_headers['x-auth-password']).toBe('[redacted]');
    expect(login.response_body).toContain('"token":"[redacted]"');
    expect(JSON.stringify(rows)).not.toContain('sameday-pass');
  });

  it('refreshes an expired token once and retries the call', async () => {
    await expectOneReloginAfterExpiry(adapter().a, fake);
  });

  it('maps tracking to the vocabulary and surfaces an unknown status id instead of guessing', async () => {
    const { a } = adapter();
    const s = await a.createShipment(roRequest());
    fake.state.advance(s.awb, '33', 'In livrare la curier');
    fake.state.advance(s.awb, '9', 'Livrata cu succes');
    const [t] = await a.track([s.awb]);
    expect(t!.events.map((e) => e.status)).toEqual(['created', 'out_for_delivery', 'delivered']);
    fake.state.advance(s.awb, '77', 'Ceva nou');
    const [t2] = await a.track([s.awb]);
    expect(t2!.current).toMatchObject({ status: null, unknown: true, raw: { code: '77', description: 'Ceva nou' } });
  });

  it('cancels before pickup', async () => {
    const { a } = adapter();
    const s = await a.createShipment(roRequest());
    await a.cancel(s.awb);
    expect(fake.state.shipments.get(s.awb)!.cancelled).toBe(true);
  });

  it('turns "Invalid city." into a VALIDATION error on address.locality', async () => {
    const { a } = adapter();
    const err = await a.createShipment(unknownLocalityRequest()).catch((e) => e);
    expect(err.code).toBe('VALIDATION');
    expect(err.details).toEqual([{ path: 'address.locality', reason: 'Invalid city.' }]);
  });

  it('reports a duplicate reference as CONFLICT without a second AWB', async () => {
    const { a } = adapter();
    const req = roRequest();
    await a.createShipment(req);
    await expect(a.createShipment(req)).rejects.toMatchObject({ code: 'CONFLICT', details: [{ path: 'reference', reason: 'awb.not_unique' }] });
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
  });

  it('waits Retry-After on 429', async () => {
    const { a, waits } = adapter();
    await createWaitingRetryAfter(a, fake, roRequest(), waits, 3);
  });

  it('after a timeout re-sends once, Sameday refuses the duplicate reference, and exactly one AWB exists', async () => {
    const { a } = adapter(300);
    const req = roRequest();
    const err = await createTimingOut(a, fake, req).catch((e) => e);
    expect(err.code).toBe('CONFLICT');
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    expect(fake.state.calls.filter((c) => c.path === '/api/awb' && c.body.includes(encodeURIComponent(req.reference)))).toHaveLength(2);
  });

  it('quotes', async () => {
    const { a } = adapter();
    const [q] = await a.quote(roRequest());
    expect(q).toMatchObject({ courier: 'sameday', price: { amount: '16.00', currency: 'RON' }, estimatedDays: 1 });
  });
});
