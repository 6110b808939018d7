import { Hono } from 'hono';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentRequest } from '../../core/src/shipping/courier-adapter.ts';
import { type BostaWebhookResolution, createBostaAdapter } from '../../core/src/shipping/couriers/bosta/bosta-adapter.ts';
import { LABEL_100x150 } from '../../core/src/shipping/labels/own-label.ts';
import { type FakeBosta, startFakeBosta } from '../fakes/couriers/bosta/fake-bosta.ts';
import { sendBostaWebhook } from '../fakes/couriers/bosta/send-bosta-webhook.ts';
import { serveFake } from '../fakes/couriers/fake-courier-base.ts';
import { testDatabase } from '../support/test-db.ts';
import { auditedFetch, auditRows, auditTenant, createThenRetryUnknown, createWaitingRetryAfter, expectCancelOnlyBeforePickup, expectCreateRecoveredAfterTimeout, expectReconnectWithoutRetry, expectTrackingGivesUp, failure, withRecordedSleep } from './courier-test-support.ts';

const egRequest = (over: Partial<ShipmentRequest> = {}): ShipmentRequest => ({
  reference: `PL-${Math.random().toString(36).slice(2, 8)}-1`,
  parcels: [{ weightKg: 2, lengthCm: 30, widthCm: 20, heightCm: 10 }],
  address: { name: 'Mona Hassan', phone: '+20 100 000 0000', countryCode: 'EG', locality: 'Cairo', district: '15 May', addressLine: '12 Example Street, Nasr City', landmark: 'Near the mosque', building: '12', floor: '3', apartment: '5' },
  cod: { amount: '615.00', currency: 'EGP' },
  contents: 'clothes',
  labelFormat: 'A6',
  ...over,
});

describe('Bosta adapter against the fake', () => {
  let fake: FakeBosta;
  let readWrite: FakeBosta;
  let strict: FakeBosta;
  let receiver: { url: string; close(): Promise<void> };
  const received: { status: number; result?: BostaWebhookResolution; error?: string }[] = [];
  let sql: Awaited<ReturnType<typeof testDatabase>>['sql'];
  let tenantId: string;
  const secret = 'per-account-webhook-secret';
  const adapter = (over: { timeoutMs?: number; apiKey?: string; on?: FakeBosta; courierLabel?: boolean } = {}) =>
    withRecordedSleep((sleep) => {
      const f = over.on ?? fake;
      return createBostaAdapter({
        baseUrl: f.apiUrl,
        apiKey: over.apiKey ?? f.apiKey,
        webhookSecret: secret,
        webhookUrl: `${receiver.url}/webhooks/couriers/bosta/1`,
        courierLabel: over.courierLabel,
        sender: { name: 'Expedio EG', phone: '+20 200 000 0000', countryCode: 'EG', locality: 'Giza', addressLine: 'Warehouse 1, Dokki' },
        fetch: auditedFetch(sql, tenantId, 'bosta'),
        sleep,
        timeoutMs: over.timeoutMs ?? 5000,
      });
    });
  beforeAll(async () => {
    fake = await startFakeBosta();
    readWrite = await startFakeBosta({ keyScope: 'read_write' });
    strict = await startFakeBosta({ rejectDuplicateReference: true });
    ({ sql } = await testDatabase());
    tenantId = await auditTenant(sql);
    // Stands in for POST /webhooks/couriers/bosta/:channelId: verify the header, then re-fetch.
    const app = new Hono();
    app.post('/webhooks/couriers/bosta/:channelId', async (c) => {
      try {
        const result = await adapter().a.resolveWebhook(c.req.header('x-expedio-webhook-secret'), await c.req.json());
        received.push({ status: 200, result });
        return c.json({ ok: true });
      } catch (e) {
        received.push({ status: 401, error: (e as { code?: string }).code });
        return c.json({ error: (e as Error).message }, 401);
      }
    });
    receiver = await serveFake(app);
  });
  afterAll(async () => {
    for (const s of [fake, readWrite, strict, receiver]) await s.close();
  });

  it('creates a delivery with Authorization = key (no Bearer), businessReference and per-order webhook, and prints our own 100×150 label', async () => {
    const { a } = adapter();
    const req = egRequest();
    const s = await a.createShipment(req);
    expect(s.awb).toMatch(/^5108\d+$/);
    expect(s.meta.deliveryId).toMatch(/^dlv/);
    expect(s.trackingUrl).toContain(s.awb);
    expect(s.label).toMatchObject({ source: 'own', format: 'A6' });
    const page = (await PDFDocument.load(s.label!.bytes)).getPage(0);
    expect([page.getWidth(), page.getHeight()].map(Math.round)).toEqual(LABEL_100x150.map(Math.round));
    const sent = fake.state.shipments.get(s.awb)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ type: 10, cod: 615, businessReference: req.reference, dropOffAddress: { city: 'Cairo', districtName: '15 May', firstLine: req.address.addressLine }, receiver: { firstName: 'Mona', lastName: 'Hassan' } });
    expect(sent.webhookCustomHeaders).toEqual({ 'X-Expedio-Webhook-Secret': secret });
    const create = fake.state.calls.find((c) => c.method === 'POST' && c.path === '/api/v2/deliveries')!;
    expect(create.headers.authorization).toBe(fake.apiKey);
    const rows = await auditRows(sql, tenantId, 'bosta');
    const text = JSON.stringify(rows);
    expect(text).not.toContain(fake.apiKey);
    expect(text).not.toContain(secret);
  });

  it('uses the courier PDF when enabled and Bosta returns one', async () => {
    const { a } = adapter({ courierLabel: true });
    const s = await a.createShipment(egRequest());
    expect(s.label).toMatchObject({ source: 'courier', format: 'A6' });
    expect(a.capabilities.courierLabel).toBe(true);
  });

  it('reprints our own label from Bosta’s record of the delivery', async () => {
    const { a } = adapter();
    const s = await a.createShipment(egRequest());
    const label = await a.label({ awb: s.awb, meta: s.meta }, 'A4');
    expect(label.source).toBe('own');
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(label.bytes) }).toString();
    expect(text).toContain('Mona Hassan');
    expect(text).toContain('RAMBURS 615.00 EGP');
  });

  it('maps the re-fetched timeline to the vocabulary and surfaces an unknown state', async () => {
    const { a } = adapter();
    const s = await a.createShipment(egRequest());
    fake.state.advance(s.awb, '21', 'Picked up from business');
    fake.state.advance(s.awb, '41', 'Out for delivery');
    fake.state.advance(s.awb, '50', 'Collection Failed');
    const [t] = await a.track([s.awb]);
    expect(t!.events.map((e) => e.status)).toEqual(['created', 'picked_up', 'out_for_delivery', null]);
    expect(t!.current).toMatchObject({ status: null, unknown: true, raw: { code: '50', description: 'Collection Failed' } });
    expect(await a.track(['0000'])).toEqual([]);
  });

  it('a webhook with the right header is verified and the delivery re-fetched; the re-fetched state wins', async () => {
    const { a } = adapter();
    const s = await a.createShipment(egRequest());
    received.length = 0;
    const res = await fake.advanceAndNotify(s.awb, 45);
    expect(res!.status).toBe(200);
    expect(received[0]!.result!.hint).toMatchObject({ trackingNumber: s.awb, cod: '615', event: { status: 'delivered' } });
    expect(received[0]!.result!.track.current).toMatchObject({ status: 'delivered', raw: { code: '45' } });
    expect(received[0]!.result!.agrees).toBe(true);
    const gets = fake.state.calls.filter((c) => c.method === 'GET' && c.path === `/api/v2/deliveries/business/${s.awb}`);
    expect(gets.length).toBeGreaterThan(0);
    // A forged "delivered" for a delivery still out for delivery: authenticated, but the fetch says otherwise.
    const s2 = await a.createShipment(egRequest());
    fake.state.advance(s2.awb, '41', 'Out for delivery');
    await sendBostaWebhook(`${receiver.url}/webhooks/couriers/bosta/1`, { headerName: 'X-Expedio-Webhook-Secret', secret, overrides: { trackingNumber: s2.awb, state: 45 } });
    expect(received[1]!.result).toMatchObject({ agrees: false, track: { current: { status: 'out_for_delivery' } } });
  });

  it('a webhook without the configured secret is refused before any fetch', async () => {
    const { a } = adapter();
    const s = await a.createShipment(egRequest());
    received.length = 0;
    const before = fake.state.calls.length;
    const res = await sendBostaWebhook(`${receiver.url}/webhooks/couriers/bosta/1`, { headerName: 'X-Expedio-Webhook-Secret', secret: 'guess', overrides: { trackingNumber: s.awb } });
    expect(res.status).toBe(401);
    expect(received).toEqual([{ status: 401, error: 'UNAUTHORIZED' }]);
    expect(fake.state.calls.length).toBe(before);
  });

  it('terminates before pickup, refuses after, and reports a Read/Write key as NEEDS_RECONNECT', async () => {
    const { a } = adapter();
    await expectCancelOnlyBeforePickup(a, fake, egRequest, ['21', 'Picked up from business']);
    const rw = adapter({ on: readWrite }).a;
    const s3 = await rw.createShipment(egRequest());
    await expect(rw.cancel(s3.awb)).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
  });

  it('an uncovered or unknown district is a VALIDATION error on address.district and nothing is created', async () => {
    const { a } = adapter();
    const before = fake.state.shipments.size;
    for (const district of ['Atlantis', 'Shalateen']) {
      const err = await a.createShipment(egRequest({ address: { ...egRequest().address, district } })).catch((e) => e);
      expect(err.code).toBe('VALIDATION');
      expect(err.details[0].path).toBe('address.district');
    }
    const city = await a.createShipment(egRequest({ address: { ...egRequest().address, locality: 'Atlantis' } })).catch((e) => e);
    expect(city.details[0].path).toBe('address.locality');
    expect(fake.state.shipments.size).toBe(before);
  });

  it('checks the documented address rules before calling Bosta', async () => {
    const { a } = adapter();
    const { err, calls } = await failure(fake, () => a.createShipment(egRequest({ address: { ...egRequest().address, addressLine: 'St 1', district: undefined } })));
    expect(err.details).toEqual([
      { path: 'address.addressLine', reason: 'must be longer than 5 characters for Bosta' },
      { path: 'address.district', reason: 'is required for Bosta (district id or name)' },
    ]);
    expect(calls).toBe(0);
  });

  it('a retry for a reference that already has a delivery finds it by businessReference; a courier duplicate answer is CONFLICT', async () => {
    const { a } = adapter();
    const req = egRequest();
    const { first, again } = await createThenRetryUnknown(a, req);
    expect(again).toMatchObject({ awb: first.awb, recovered: true, meta: first.meta });
    expect(again.label?.source).toBe('own');
    expect(fake.state.byReference(req.reference)).toHaveLength(1);
    const st = adapter({ on: strict }).a;
    await st.createShipment(req);
    await expect(st.createShipment(req)).rejects.toMatchObject({ code: 'CONFLICT', details: [{ path: 'reference' }] });
    expect(strict.state.byReference(req.reference)).toHaveLength(1);
  });

  it('a wrong key is NEEDS_RECONNECT without retry', async () => {
    const { a } = adapter({ apiKey: 'wrong' });
    await expectReconnectWithoutRetry(a, fake, egRequest());
  });

  it('waits Retry-After on 429; 5xx on tracking backs off then UPSTREAM', async () => {
    const { a, waits } = adapter();
    const s = await createWaitingRetryAfter(a, fake, egRequest(), waits, 3);
    await expectTrackingGivesUp(a, fake, [s.awb], waits, '503');
  });

  it('after a create timeout finds the delivery by businessReference: exactly one exists', async () => {
    const { a } = adapter({ timeoutMs: 300 });
    await expectCreateRecoveredAfterTimeout(a, fake, egRequest(), { sql, tenantId, courier: 'bosta' });
  });

  it('does not quote (no documented tariff endpoint)', async () => {
    const { a } = adapter();
    expect(a.capabilities.quote).toBe(false);
    expect(await a.quote(egRequest())).toEqual([]);
  });
});
