import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { CourierAdapter, Quote } from '../../core/src/shipping/courier-adapter.ts';
import { buildBostaDelivery, mapBostaState, parseBostaDelivery, parseBostaWebhook, verifyBostaWebhookSecret } from '../../core/src/shipping/couriers/bosta/bosta-mapper.ts';
import { cargusDate, parseCargusToken, parseCargusTrace } from '../../core/src/shipping/couriers/cargus/cargus-mapper.ts';
import { parseFanCreated, parseFanTracking } from '../../core/src/shipping/couriers/fancourier/fancourier-mapper.ts';
import { buildInnoshipLockerReturn, buildInnoshipOrder, innoshipLockerPin, innoshipLockerReturnCourier, parseInnoshipCreated, parseInnoshipTrack } from '../../core/src/shipping/couriers/innoship/innoship-mapper.ts';
import { parseSamedayAwbStatus, parseSamedayCreated, parseSamedayStatusSync, samedayErrorDetails, toPhpForm } from '../../core/src/shipping/couriers/sameday/sameday-mapper.ts';
import { renderHandoverManifest } from '../../core/src/shipping/handover-manifest.ts';
import { quoteAll } from '../../core/src/shipping/rate-shopping.ts';
import { readCourierFixture as fx, shapeProblems } from '../fakes/couriers/courier-fixtures.ts';
import { sendBostaWebhook } from '../fakes/couriers/bosta/send-bosta-webhook.ts';
import { roRequest } from './courier-test-support.ts';

describe('courier mappers on the contract fixtures', () => {
  it('Innoship: track fixture maps New→Delivered with raw ids kept; create response gives AWB, courier and track page', () => {
    const [t] = parseInnoshipTrack(fx('innoship-track.response.json'));
    expect(t!.awb).toBe('990923033');
    expect(t!.events.map((e) => [e.raw.code, e.status])).toEqual([['1', 'created'], ['2', 'picked_up'], ['10', 'in_transit'], ['30', 'out_for_delivery'], ['100', 'delivered']]);
    expect(parseInnoshipCreated({ ...fx<object>('innoship-create-order.response.SHAPE.json'), price: {} })).toMatchObject({ awb: '990923033', courierId: 1, trackingUrl: 'https://track.innoship.io/XXXXXXXXXXXXXXXXXXXXXX' });
  });

  it('Innoship: the request builder produces the fixture request shape', () => {
    const fixture = fx<{ addressTo: object; content: { parcels: object[] } }>('innoship-create-order.request.json');
    const built = buildInnoshipOrder(roRequest({ reference: 'ORDER-10001' }), { clientLocationId: '1', courierId: 3 }, '2024-05-20');
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(built.addressTo as object)).toEqual(expect.arrayContaining(keys(fixture.addressTo)));
    expect(keys(built.content as object)).toEqual(expect.arrayContaining(keys(fixture.content)));
    expect(keys((built.content as { parcels: object[] }).parcels[0]!)).toEqual(keys(fixture.content.parcels[0]!));
    expect(built).toMatchObject({ courierId: 3, externalClientLocation: '1', payment: 'Sender', extra: { reference1: 'ORDER-10001', bankRepaymentAmount: 150 } });
  });

  it('Innoship locker return: the builder produces the fixture request (PascalCase, Sameday asks the courier response); the PIN is read from it; Sameday or FAN only, a locker required', () => {
    const req = { ...roRequest({ reference: 'EXP-RET7' }), lockerId: '157', pickupFrom: '2026-12-03T09:00', pickupTo: '2026-12-03T17:00' };
    const built = buildInnoshipLockerReturn(req, { clientLocationId: 'CLJ1' }, 6);
    expect(shapeProblems(fx('innoship-locker-return-order.request.json'), built, { nullable: ['AddressFrom.CountyName', 'AddressFrom.PostalCode', 'AddressFrom.Email'], extra: ['ExternalClientLocation', 'ExternalOrderId', 'Observation', 'Extra.Reference1'] })).toEqual([]);
    expect(built).toMatchObject({ CourierId: 6, Payment: 2, ShipmentDate: '2026-12-03T09:00:00Z', AddressFrom: { FixedLocationId: '157' }, Parameters: { IncludeCourierResponse: true } });
    expect(buildInnoshipLockerReturn(req, { clientLocationId: 'CLJ1' }, 3)).toMatchObject({ CourierId: 3, Parameters: { IncludeCourierResponse: false } });
    expect(innoshipLockerPin({ courierShipmentId: '1', courierResponse: '{"awbNumber":"1","lockerPin":"482913"}' })).toBe('482913');
    expect(innoshipLockerPin({ courierShipmentId: '1', courierResponse: { awb: { pinCode: 123456 } } })).toBe('123456');
    expect(innoshipLockerPin({ courierShipmentId: '1' })).toBeNull();
    expect(innoshipLockerReturnCourier({ lockerId: '157' }, 6)).toEqual({ courierId: 6, problems: [] });
    expect(innoshipLockerReturnCourier({ lockerId: '157', lockerCourier: 'fancourier' }, 1)).toEqual({ courierId: 3, problems: [] });
    expect(innoshipLockerReturnCourier({}, undefined).problems.map((p) => p.path)).toEqual(['lockerId', 'lockerCourier']);
  });

  it('Bosta CRP: type 25 with the customer as pickupAddress and no COD; its 41 is picked up and 46 (back with us) delivered, a delivery’s 46 stays returned', () => {
    const req = roRequest({ reference: 'EXP-RET9', cod: { amount: '10.00', currency: 'EGP' }, address: { name: 'Omar Hassan', phone: '01012345678', countryCode: 'EG', locality: 'Cairo', district: '15 May', districtId: 'Iy7-lFD0BE0', addressLine: '12 El Tahrir Street' } });
    const crp = buildBostaDelivery(req, { businessLocationId: 'loc-1' }, undefined, 'crp');
    expect(crp).toMatchObject({ type: 25, pickupAddress: { city: 'Cairo', districtId: 'Iy7-lFD0BE0', firstLine: '12 El Tahrir Street' }, businessReference: 'EXP-RET9', businessLocationId: 'loc-1' });
    expect(crp).not.toHaveProperty('dropOffAddress');
    expect(crp).not.toHaveProperty('cod');
    const tl = (type: number) => ({ data: { _id: 'd1', trackingNumber: '51', type: { code: type, value: '' }, timeline: [{ code: 41, value: '', date: '2026-12-03T10:00:00Z' }, { code: 46, value: '', date: '2026-12-04T10:00:00Z' }] } });
    expect(parseBostaDelivery(tl(25)).events.map((e) => e.status)).toEqual(['picked_up', 'delivered']);
    expect(parseBostaDelivery(tl(10)).events.map((e) => e.status)).toEqual(['out_for_delivery', 'returned_to_sender']);
    expect(parseBostaWebhook({ _id: 'd1', trackingNumber: '51', state: 46, type: 'CUSTOMER_RETURN_PICKUP' }).event.status).toBe('delivered');
  });

  it('Sameday: status history, status-sync (reasonId "", null or int), create and nested 400 errors', () => {
    const t = parseSamedayAwbStatus(fx('sameday-awb-status-history.response.json'));
    expect(t.awb).toBe('1SDY241067423');
    expect(t.current).toMatchObject({ status: 'created', raw: { code: '1', description: 'AWB Emis' }, occurredAt: '2019-02-26T09:37:28+02:00' });
    const [sync] = parseSamedayStatusSync(fx('sameday-status-sync.response.json'));
    expect(sync!.awb).toBe('1SDY241066690');
    expect(sync!.events.map((e) => e.status)).toEqual(['created', 'out_for_delivery', 'delivered']);
    expect(parseSamedayCreated(fx('sameday-post-awb.response.json'))).toMatchObject({ awb: '1SDY241067423', parcelAwbs: ['1SDY241067423001', '1SDY241067423002'], cost: '12.34' });
    expect(samedayErrorDetails(fx('sameday-error-400.response.json'))).toEqual([
      { path: 'pickupPoint', reason: 'The given pickupPoint is invalid!' },
      { path: 'pickupPoint', reason: 'This value should not be null.' },
      { path: 'thirdParty.city', reason: 'Invalid city.' },
    ]);
    const form = toPhpForm(fx<Record<string, unknown>>('sameday-post-awb.request.form.json'));
    expect(form.get('awbRecipient[cityString]')).toBe('Huedin');
    expect(form.get('parcels[1][height]')).toBe('67');
    expect(form.has('parcels[0][width]')).toBe(false);
  });

  it('FAN: tracking fixture maps C0…S12 and an AWB without events has none; per-item errors become field paths', () => {
    const [a, b] = parseFanTracking(fx('fancourier-tracking.response.json'));
    expect(a!.events.map((e) => `${e.raw.code}:${e.status}`)).toEqual(['C0:picked_up', 'H3:in_transit', 'H10:in_transit', 'H1:in_transit', 'C1:in_transit', 'S1:out_for_delivery', 'S12:failed_attempt']);
    expect(a!.current?.reason).toBe('rescheduled');
    expect(b!.events).toEqual([]);
    expect(parseFanCreated(fx('fancourier-intern-awb.response.json'))).toEqual([{ awb: '2332300120218', tariff: 30.53 }]);
    expect(parseFanCreated(fx('fancourier-intern-awb.error.response.json'))).toEqual({ errors: [{ path: 'parcels', reason: 'At least one envelope or parcel is required' }] });
  });

  it('Cargus: unverified event ids surface as unknown with raw kept, until account overrides map them', () => {
    const fixture = fx('cargus-awbtrace.response.UNVERIFIED.json');
    const [t] = parseCargusTrace(fixture);
    expect(t!.events.every((e) => e.unknown && e.status === null)).toBe(true);
    expect(t!.current!.raw).toEqual({ code: '21', description: 'Confirmat' });
    const [m] = parseCargusTrace(fixture, { 1: 'picked_up', 5: 'out_for_delivery', 21: 'delivered' });
    expect(m!.current!.status).toBe('delivered');
    expect(parseCargusToken('"abc.def"')).toBe('abc.def');
    expect(cargusDate('2026-10-01')).toBe('10-01-2026');
  });

  it('Bosta: webhook fixture is a delivered hint with COD and a dedupe key; states branch on order kind', () => {
    const h = parseBostaWebhook(fx('bosta-webhook.payload.json'));
    expect(h).toMatchObject({ deliveryId: 'SjY5yDvzHbmzBsm13zlIW', trackingNumber: '5108002', businessReference: 'ORDER-10001', cod: '615', event: { status: 'delivered', raw: { code: '45' } } });
    expect(h.dedupeKey).toBe('SjY5yDvzHbmzBsm13zlIW:45:1716200000000');
    expect(parseBostaWebhook({ ...fx<object>('bosta-webhook.payload.json'), state: '41' }).event.status).toBe('out_for_delivery');
    expect(mapBostaState({ code: '45', description: '' }, 'international').status).toBe('in_transit');
    expect(mapBostaState({ code: '60', description: '' }, 'international').status).toBe('delivered');
    expect(mapBostaState({ code: '50', description: 'Collection Failed' })).toMatchObject({ status: null, unknown: true });
    expect(verifyBostaWebhookSecret('s3cret', 's3cret')).toBe(true);
    expect(verifyBostaWebhookSecret('s3cre', 's3cret')).toBe(false);
  });

  it('the Bosta webhook sender posts the fixture with the configured header secret', async () => {
    const got: { header?: string; body?: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ header: req.headers['x-bosta-secret'] as string, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const res = await sendBostaWebhook(`http://127.0.0.1:${port}/webhooks/couriers/bosta/1`, { headerName: 'X-Bosta-Secret', secret: 'tenant-secret', overrides: { state: 41 } });
    await new Promise<void>((r) => server.close(() => r()));
    expect(res.status).toBe(200);
    expect(got[0]!.header).toBe('tenant-secret');
    expect(JSON.parse(got[0]!.body!)).toMatchObject({ trackingNumber: '5108002', state: 41 });
  });
});

describe('rate shopping and hand-over manifest', () => {
  const fakeAdapter = (courier: CourierAdapter['courier'], quotes: Omit<Quote, 'courier' | 'raw'>[] | Error): CourierAdapter =>
    ({
      courier,
      capabilities: { quote: true } as CourierAdapter['capabilities'],
      quote: async () => {
        if (quotes instanceof Error) throw quotes;
        return quotes.map((q) => ({ ...q, courier, raw: null }));
      },
    }) as unknown as CourierAdapter;

  it('sorts quotes cheapest and fastest and lists couriers that failed', async () => {
    const r = await quoteAll(
      [
        fakeAdapter('sameday', [{ service: '7', price: { amount: '16.50', currency: 'RON' }, estimatedDays: 1 }]),
        fakeAdapter('innoship', [{ service: '1@1', price: { amount: '14.99', currency: 'RON' }, estimatedDays: 2 }, { service: '1@6', price: { amount: '16.50', currency: 'RON' }, estimatedDays: null }]),
        fakeAdapter('cargus', new Error('cargus down')),
      ],
      { weightKg: 1, lengthCm: 10, widthCm: 10, heightCm: 10 },
      roRequest().address,
    );
    expect(r.cheapest.map((q) => `${q.courier}:${q.service}`)).toEqual(['innoship:1@1', 'sameday:7', 'innoship:1@6']);
    expect(r.fastest.map((q) => `${q.courier}:${q.service}`)).toEqual(['sameday:7', 'innoship:1@1', 'innoship:1@6']);
    expect(r.failures).toEqual([{ courier: 'cargus', code: 'UPSTREAM', message: 'cargus down' }]);
  });

  it('renders a manifest PDF per courier × warehouse × day, paging long lists, with COD totals', async () => {
    const shipments = Array.from({ length: 70 }, (_, i) => ({ awb: `1SDY${1000 + i}`, reference: `PL-${i}`, recipientName: `Ștefan ${i}`, locality: 'Cluj-Napoca', parcels: 1, weightKg: 1.5, codAmount: i % 2 ? '100.10' : null, codCurrency: 'RON' }));
    const pdf = await renderHandoverManifest({ courier: 'sameday', courierName: 'Sameday', warehouse: { code: 'CLJ1', name: 'Cluj' }, day: '2026-05-20', shipments, generatedAt: new Date('2026-05-20T15:00:00Z') });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(pdf) }).toString();
    expect(text).toContain('70 AWB');
    expect(text).toContain('3503.50 RON');
    expect(text).toContain('1SDY1069');
  });
});
