import { afterAll, expect } from 'vitest';
import type { Sql } from '../../core/src/db/connect.ts';
import type { CourierAdapter, CourierCode, ShipmentRequest } from '../../core/src/shipping/courier-adapter.ts';
import { createAuditedFetch } from '../../core/src/shipping/courier-audit.ts';
import type { FakeCourierState } from '../fakes/couriers/fake-courier-base.ts';
import { testDatabase } from '../support/test-db.ts';

/** Sleeps recorded instead of waited, so back-off is asserted by value and tests stay fast. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** An adapter built with recordingSleep: the adapter, and the waits it asked for. */
export function withRecordedSleep<A>(make: (sleep: (ms: number) => Promise<void>) => A): { a: A; waits: number[] } {
  const rec = recordingSleep();
  return { a: make(rec.sleep), waits: rec.waits };
}

/** Call in beforeAll: the courier's fake (closed after the file), a database of the file's own and a tenant its audit rows belong to. */
export async function startAdapterFixture<F extends { close(): Promise<void> }>(startFake: () => Promise<F>): Promise<{ fake: F; sql: Sql; tenantId: string }> {
  const fake = await startFake();
  afterAll(() => fake.close());
  const { sql } = await testDatabase();
  return { fake, sql, tenantId: await auditTenant(sql) };
}

type Fake = { state: FakeCourierState };

/** Runs a call that must fail; returns its error, with how many requests reached the fake and how many shipments it made meanwhile. */
export async function failure(fake: Fake, call: () => Promise<unknown>): Promise<{ err: { code: string; details: Array<{ path: string; reason: string }> }; calls: number; created: number }> {
  const calls = fake.state.calls.length;
  const shipments = fake.state.shipments.size;
  const err = await call().then(
    () => expect.unreachable('the call succeeded'),
    (e) => e,
  );
  return { err, calls: fake.state.calls.length - calls, created: fake.state.shipments.size - shipments };
}

/** Creates the AWB while the fake answers only after the client's timeout (set it below 1.5 s), having made it. */
export function createTimingOut(a: CourierAdapter, fake: Fake, req: ShipmentRequest) {
  fake.state.failNext({ kind: 'timeout-after-create', delayMs: 1500 });
  return a.createShipment(req);
}

/** Whether the audit log holds a create call of the courier that timed out. */
export async function auditedCreateTimeout(sql: Sql, tenantId: string, courier: CourierCode): Promise<boolean> {
  return (await auditRows(sql, tenantId, courier)).some((r) => r.operation === 'create-awb' && r.outcome === 'timeout');
}

/** A create that timed out after the courier made the AWB is recovered: that one AWB exists, and the timeout is in the audit log. */
export async function expectCreateRecoveredAfterTimeout(a: CourierAdapter, fake: Fake, req: ShipmentRequest, audit: { sql: Sql; tenantId: string; courier: CourierCode }) {
  const s = await createTimingOut(a, fake, req);
  expect(s.recovered).toBe(true);
  expect(fake.state.byReference(req.reference).map((x) => x.awb)).toEqual([s.awb]);
  expect(await auditedCreateTimeout(audit.sql, audit.tenantId, audit.courier)).toBe(true);
}

/** A rejected key or password is NEEDS_RECONNECT after one request: there is no token to refresh, so no retry. */
export async function expectReconnectWithoutRetry(a: CourierAdapter, fake: Fake, req: ShipmentRequest): Promise<void> {
  const { err, calls } = await failure(fake, () => a.createShipment(req));
  expect(err).toMatchObject({ code: 'NEEDS_RECONNECT' });
  expect(calls).toBe(1);
}

/** An unknown locality is a VALIDATION error on address.locality with the courier's reason, and nothing is created. */
export async function expectUnknownLocalityRefused(a: CourierAdapter, fake: Fake, reason: string): Promise<void> {
  const { err, created } = await failure(fake, () => a.createShipment(unknownLocalityRequest()));
  expect(err.code).toBe('VALIDATION');
  expect(err.details).toEqual([{ path: 'address.locality', reason }]);
  expect(created).toBe(0);
}

/** Creates an AWB while the fake first answers 429 with Retry-After: the client waited exactly those seconds, once. */
export async function createWaitingRetryAfter(a: CourierAdapter, fake: Fake, req: ShipmentRequest, waits: number[], seconds: number) {
  fake.state.failNext({ kind: '429', retryAfterSeconds: seconds });
  const s = await a.createShipment(req);
  expect(waits).toEqual([seconds * 1000]);
  return s;
}

/** Cancels an AWB before pickup (the courier marks it cancelled); once the courier logged `pickedUp`, a cancel is INVALID_STATE. Returns that second AWB. */
export async function expectCancelOnlyBeforePickup(a: CourierAdapter, fake: Fake, req: () => ShipmentRequest, pickedUp: [code: string, description: string]) {
  const s = await a.createShipment(req());
  await a.cancel(s.awb);
  expect(fake.state.shipments.get(s.awb)!.cancelled).toBe(true);
  const s2 = await a.createShipment(req());
  fake.state.advance(s2.awb, ...pickedUp);
  await expect(a.cancel(s2.awb)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  return s2;
}

/** Creates an AWB, then asks again for the same reference as the AWB flow does when it cannot tell whether the first went through. */
export async function createThenRetryUnknown(a: CourierAdapter, req: ShipmentRequest) {
  const first = await a.createShipment(req);
  const again = await a.createShipment({ ...req, previousAttemptUnknown: true });
  return { first, again };
}

/** Tracking while the fake fails four times with `kind`: UPSTREAM, after waits of 0.5, 1 and 2 s added to those so far. */
export async function expectTrackingGivesUp(a: CourierAdapter, fake: Fake, awbs: string[], waits: number[], kind: '500' | '503'): Promise<void> {
  const before = [...waits];
  fake.state.failNext({ kind }, 4);
  await expect(a.track(awbs)).rejects.toMatchObject({ code: 'UPSTREAM' });
  expect(waits).toEqual([...before, 500, 1000, 2000]);
}

/** Creates an AWB, expires the fake's tokens and creates another: one login more, and the second AWB is made. */
export async function expectOneReloginAfterExpiry(a: CourierAdapter, fake: Fake): Promise<void> {
  await a.createShipment(roRequest());
  const logins = fake.state.logins;
  fake.state.expireTokens();
  const s = await a.createShipment(roRequest());
  expect(fake.state.logins).toBe(logins + 1);
  expect(fake.state.shipments.has(s.awb)).toBe(true);
}

export async function auditTenant(sql: Sql): Promise<string> {
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values ('Courier test') returning id::text`;
  return t!.id;
}

export const auditedFetch = (sql: Sql, tenantId: string, courier: CourierCode) =>
  createAuditedFetch({ db: sql, tenantId, courier });

export async function auditRows(sql: Sql, tenantId: string, courier: CourierCode) {
  return sql<{ operation: string; method: string; url: string; request_headers: Record<string, string>; request_body: string | null; response_status: number | null; response_body: string | null; latency_ms: number; outcome: string; error: string | null }[]>`
    select operation, method, url, request_headers, request_body, response_status, response_body, latency_ms, outcome, error
    from courier_audit_log where tenant_id = ${tenantId} and courier = ${courier} order by id`;
}

export function roRequest(over: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    reference: `PL-${Math.random().toString(36).slice(2, 8)}-1`,
    service: undefined,
    parcels: [{ weightKg: 1.5, lengthCm: 30, widthCm: 20, heightCm: 10 }],
    address: {
      name: 'Ana Pop',
      phone: '+40 700 000 000',
      email: 'ana@example.com',
      countryCode: 'RO',
      county: 'Cluj',
      locality: 'Cluj-Napoca',
      postalCode: '400001',
      street: 'Str. Exemplu',
      streetNo: '1',
      addressLine: 'Str. Exemplu 1, ap. 2',
    },
    cod: { amount: '150.00', currency: 'RON' },
    contents: 'haine',
    labelFormat: 'A6',
    ...over,
  };
}

/** A Romanian request to a locality no courier knows. */
export const unknownLocalityRequest = () => roRequest({ address: { ...roRequest().address, locality: 'Atlantida' } });
