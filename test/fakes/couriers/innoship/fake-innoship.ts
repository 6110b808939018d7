import { Hono } from 'hono';
import { readCourierFixture, shapeProblems } from '../courier-fixtures.ts';
import { FakeCourierState, fakeLabelPdf, isKnownRoLocality, serveFake } from '../fake-courier-base.ts';

/**
 * Innoship as in shared/contracts/couriers.md §1: X-Api-Key + api-version headers, POST /api/Order,
 * /api/Price, Label by courier/awb, Track by-awb/with-return (≤200 AWBs), DELETE Order/{courier}/awb/{awb};
 * 400 `{errors:[{message,details}],correlationId}` and bare 401.
 * The locker return order (§1.5, IS-DOC:80001014626) on the same POST /api/Order: a body with
 * `AddressFrom.FixedLocationId`, shaped as innoship-locker-return-order.request.json; CourierId 6 or 3
 * only, Payment 2 only, a known locker. With IncludeCourierResponse, Sameday's answer carries the
 * locker PIN in `courierResponse` (where exactly is UNVERIFIED: here `{awbNumber, lockerPin}`).
 */
export interface FakeInnoship {
  url: string;
  /** The lockers (Innoship FixedLocationId) the fake knows. */
  lockers: string[];
  state: FakeCourierState;
  apiKey: string;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<string, string> = { 1: 'New', 2: 'Picked-Up', 20: 'In Transit', 30: 'Out for Delivery', 100: 'Delivered', 106: 'Canceled' };

export async function startFakeInnoship(opts: { apiKey?: string; courierId?: number } = {}): Promise<FakeInnoship> {
  const apiKey = opts.apiKey ?? 'innoship-key';
  const routedCourier = opts.courierId ?? 1;
  const state = new FakeCourierState();
  const app = new Hono();
  const err400 = (message: string, details: string[]) => ({ errors: [{ message, details }], correlationId: `c-${state.nextSeq()}` });
  app.use('*', state.middleware());
  app.use('/api/*', async (c, next) => {
    if (c.req.header('x-api-key') !== apiKey || c.req.header('api-version') !== '1.0') return c.body(null, 401);
    await next();
  });
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads arbitrary client JSON
  const validate = (b: Record<string, any>): string[] => {
    const problems: string[] = [];
    const to = b.addressTo ?? {};
    if (!b.externalClientLocation) problems.push('ExternalClientLocation is required');
    if (!to.name || !to.phone) problems.push('AddressTo.Name and AddressTo.Phone are required');
    if ((b.content?.parcelsCount ?? 0) + (b.content?.envelopeCount ?? 0) + (b.content?.palettesCount ?? 0) < 1)
      problems.push('Content: at least one envelope, parcel or pallet');
    return problems;
  };
  app.post('/api/Price', async (c) => {
    const b = await c.req.json();
    if (!isKnownRoLocality(b.addressTo?.countyName, b.addressTo?.localityName))
      return c.json(err400('Validation failed', [`Locality '${b.addressTo?.localityName}' not found in county '${b.addressTo?.countyName}'`]), 400);
    const w = Number(b.content?.totalWeight ?? 1);
    return c.json([
      { courierId: 1, serviceId: 1, price: { amount: 15 + w, totalAmount: Number(((15 + w) * 1.19).toFixed(2)), currency: 'RON' }, expectedDeliveryDays: 2 },
      { courierId: 6, serviceId: 1, price: { amount: 13 + w, totalAmount: Number(((13 + w) * 1.19).toFixed(2)), currency: 'RON' }, expectedDeliveryDays: 1 },
    ]);
  });
  const LOCKER_RETURN = readCourierFixture<Record<string, unknown>>('innoship-locker-return-order.request.json');
  const lockers = ['157', '204', '311'];
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads arbitrary client JSON
  const lockerReturn = async (c: any, b: Record<string, any>) => {
    const problems = shapeProblems(LOCKER_RETURN, b, {
      nullable: ['AddressFrom.CountyName', 'AddressFrom.PostalCode', 'AddressFrom.Email'],
      // Top-level Order fields of §1.2 the fixture leaves out.
      extra: ['ExternalClientLocation', 'ExternalOrderId', 'Observation', 'Extra.Reference1', 'Content.Parcels[].CustomerBarcode'],
    });
    if (problems.length) return c.json(err400('Validation failed', problems), 400);
    if (b.CourierId !== 6 && b.CourierId !== 3) return c.json(err400('Validation failed', [`Locker return orders are available only for Sameday (6) and FanCourier (3), not courier ${b.CourierId}`]), 400);
    if (b.Payment !== 2) return c.json(err400('Validation failed', ['Payment: locker return orders are paid by the recipient (2); sender payment is not supported']), 400);
    if (!lockers.includes(String(b.AddressFrom.FixedLocationId))) return c.json(err400('Validation failed', [`FixedLocationId '${b.AddressFrom.FixedLocationId}' was not found`]), 400);
    const awb = String(b.CourierId === 6 ? `1ONBRT${990000 + state.nextSeq()}` : 7700000 + state.nextSeq());
    const s = state.addShipment(awb, String(b.ExternalOrderId ?? ''), b, { courierId: b.CourierId, lockerId: String(b.AddressFrom.FixedLocationId) });
    state.advance(awb, '1', 'New', b.AddressFrom.LocalityName);
    const delay = state.takeCreateDelay();
    if (delay) await state.delay(delay);
    const pin = String(100000 + ((Number(state.nextSeq()) * 7919) % 900000));
    s.meta.lockerPin = pin;
    return c.json({
      clientOrderId: 26072799 + state.nextSeq(),
      courierShipmentId: s.awb,
      courier: b.CourierId,
      price: { amount: 12.0, vat: 2.28, totalAmount: 14.28, currency: 'RON' },
      calculatedDeliveryDate: '2024-05-21T18:00:00',
      trackPageUrl: `https://track.innoship.io/${awb}`,
      ...(b.CourierId === 6 && b.Parameters.IncludeCourierResponse === true ? { courierResponse: JSON.stringify({ awbNumber: awb, lockerPin: pin }) } : {}),
    });
  };
  app.post('/api/Order', async (c) => {
    const b = await c.req.json();
    if (b.AddressFrom?.FixedLocationId != null) return lockerReturn(c, b);
    const problems = validate(b);
    if (problems.length) return c.json(err400('Validation failed', problems), 400);
    if (!isKnownRoLocality(b.addressTo?.countyName, b.addressTo?.localityName))
      return c.json(err400('Validation failed', [`Locality '${b.addressTo?.localityName}' not found in county '${b.addressTo?.countyName}'`]), 400);
    const awb = String(990923000 + state.nextSeq());
    const courierId = b.courierId ?? routedCourier;
    const s = state.addShipment(awb, String(b.externalOrderId ?? ''), b, { courierId });
    state.advance(awb, '1', 'New', b.addressTo.localityName);
    const delay = state.takeCreateDelay();
    if (delay) await state.delay(delay);
    return c.json({
      clientOrderId: 26072799 + state.nextSeq(),
      courierShipmentId: s.awb,
      courier: courierId,
      price: { amount: 16.0, vat: 3.04, totalAmount: 19.04, currency: 'RON' },
      calculatedDeliveryDate: '2024-05-21T18:00:00',
      trackPageUrl: `https://track.innoship.io/${awb}`,
    });
  });
  app.get('/api/Label/by-courier/:courierId/awb/:awb', async (c) => {
    const s = state.shipments.get(c.req.param('awb'));
    if (!s || String(s.meta.courierId) !== c.req.param('courierId')) return c.json(err400('AWB not found', []), 400);
    const pdf = await fakeLabelPdf(s.awb, c.req.query('format') ?? 'A4');
    return c.body(pdf as unknown as ArrayBuffer, 200, { 'content-type': 'application/pdf' });
  });
  app.post('/api/Track/by-awb/with-return', async (c) => {
    const b = await c.req.json();
    if (!Array.isArray(b.awbList) || b.awbList.length > 200) return c.json(err400('awbList: 1..200 AWBs', []), 400);
    const out = [];
    for (const awb of b.awbList as string[]) {
      const s = state.shipments.get(awb);
      if (!s || String(s.meta.courierId) !== String(b.courier)) continue;
      const last = s.events.at(-1);
      out.push({
        returnAwb: null,
        returnAwbHistory: [],
        orderId: 1,
        externalOrderId: s.reference,
        courier: s.meta.courierId,
        shipmentAwb: awb,
        trackUrl: `https://track.innoship.io/${awb}`,
        currentStatus: last?.description,
        currentStatusId: Number(last?.code),
        history: s.events.map((e) => ({
          clientStatusId: Number(e.code),
          clientStatusDescription: e.description || STATUS_TEXT[e.code] || '',
          eventDate: e.date,
          isFinalStatus: Number(e.code) >= 100,
          localityName: e.location,
        })),
        // Tests put COD progress here (statusId 1 New, 2 Collected, 3 Paid) as Innoship reports it.
        cashOnDeliveryHistory: (s.meta.codHistory as unknown[] | undefined) ?? [],
      });
    }
    return c.json(out);
  });
  app.delete('/api/Order/:courierId/awb/:awb', (c) => {
    const s = state.shipments.get(c.req.param('awb'));
    if (!s) return c.json(err400('AWB not found', []), 400);
    if (s.events.some((e) => e.code !== '1')) return c.json(err400('AWB already picked up; cannot cancel', []), 400);
    s.cancelled = true;
    state.advance(s.awb, '106', 'Canceled');
    return c.body(null, 200);
  });
  const server = await serveFake(app);
  return { ...server, state, apiKey, lockers };
}
