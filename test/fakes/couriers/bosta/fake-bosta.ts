import { Hono } from 'hono';
import { readCourierFixture, shapeProblems } from '../courier-fixtures.ts';
import { FakeCourierState, type FakeShipment, fakeLabelPdf, serveFake } from '../fake-courier-base.ts';

/**
 * Bosta as in shared/contracts/couriers.md §5: `Authorization: <key>` (no Bearer; 401 errorCode 1028
 * otherwise); POST /deliveries?apiVersion=1 (city + district coverage, firstLine > 5 chars) →
 * {success, data:{_id, trackingNumber, state}}; POST /deliveries/search; GET /deliveries/business/{tn};
 * DELETE /deliveries/business/{tn}/terminate (Full Access key only: 403 errorCode 1008); POST
 * /deliveries/mass-awb (base64). Webhooks fire only on state changes (`advanceAndNotify`), to the
 * order's webhookUrl with its webhookCustomHeaders, carrying the fixture's fields.
 * A type 25 CRP (Customer Return Pickup, §5.2/§5.5) is the delivery's body with the customer as
 * `pickupAddress` (required for CRP) instead of `dropOffAddress`, checked against the delivery
 * fixture's shape so swapped; its delivery reads `type {code: 25}`, its webhook `CUSTOMER_RETURN_PICKUP`.
 * UNVERIFIED (community code only): response envelopes, search, mass-awb, error texts.
 */
export interface FakeBosta {
  url: string;
  apiUrl: string;
  state: FakeCourierState;
  apiKey: string;
  /** Appends a state on the delivery and posts the webhook Bosta would send (awaits the receiver). */
  advanceAndNotify(trackingNumber: string, stateCode: number, overrides?: Record<string, unknown>): Promise<Response | null>;
  close(): Promise<void>;
}

/** Cities → districts the fake covers; the fixture district (15 May, Cairo) is one of them. */
const DISTRICTS: Record<string, { id: string; name: string; dropOff: boolean; pickup: boolean }[]> = {
  Cairo: [
    { id: 'Iy7-lFD0BE0', name: '15 May', dropOff: true, pickup: true },
    { id: 'NasrCity-01', name: 'Nasr City', dropOff: true, pickup: true },
    { id: 'Shalateen-9', name: 'Shalateen', dropOff: false, pickup: false },
  ],
  Giza: [{ id: 'Dokki-02', name: 'Dokki', dropOff: true, pickup: true }],
};
/** The documented create body (bosta-create-delivery.request.json) as a CRP sends it: `pickupAddress` for `dropOffAddress`, no COD. */
const CRP_SHAPE = (() => {
  const { dropOffAddress, cod: _cod, ...rest } = readCourierFixture<Record<string, unknown>>('bosta-create-delivery.request.json');
  return { ...rest, pickupAddress: dropOffAddress };
})();
const TYPE: Record<number, { code: number; value: string; webhook: string }> = { 10: { code: 10, value: 'Send', webhook: 'SEND' }, 25: { code: 25, value: 'Customer Return Pickup', webhook: 'CUSTOMER_RETURN_PICKUP' } };
const STATE_TEXT: Record<number, string> = { 10: 'Pickup requested', 21: 'Picked up from business', 24: 'Received at warehouse', 41: 'Out for delivery', 45: 'Delivered', 47: 'Exception', 46: 'Returned to business', 48: 'Terminated' };

export async function startFakeBosta(opts: { apiKey?: string; keyScope?: 'full' | 'read_write'; rejectDuplicateReference?: boolean } = {}): Promise<FakeBosta> {
  const apiKey = opts.apiKey ?? 'bosta-api-key';
  const state = new FakeCourierState();
  const app = new Hono();
  const fail = (message: string, errorCode: number) => ({ success: false, message, errorCode });
  app.use('*', state.middleware());
  app.use('/api/v2/*', async (c, next) => {
    if (c.req.header('authorization') !== apiKey) return c.json(fail('Invalid authorization token or API key', 1028), 401);
    await next();
  });
  const delivery = (s: FakeShipment) => {
    const b = s.body as Record<string, Record<string, unknown>>;
    const last = s.events.at(-1)!;
    return {
      _id: s.meta.id,
      trackingNumber: s.awb,
      businessReference: s.reference,
      type: { code: TYPE[Number(b.type)]?.code ?? 10, value: TYPE[Number(b.type)]?.value ?? 'Send' },
      state: { code: Number(last.code), value: last.description },
      cod: b.cod ?? 0,
      receiver: b.receiver,
      ...(Number(b.type) === 25
        ? { pickupAddress: { ...b.pickupAddress, city: { name: b.pickupAddress?.city }, district: { name: s.meta.districtName } } }
        : { dropOffAddress: { ...b.dropOffAddress, city: { name: b.dropOffAddress?.city }, district: { name: s.meta.districtName } } }),
      timeline: s.events.map((e) => ({ code: Number(e.code), value: e.description, date: e.date })),
      updatedAt: last.date,
    };
  };
  app.post('/api/v2/deliveries', async (c) => {
    if (c.req.query('apiVersion') !== '1') return c.json(fail('apiVersion=1 is required', 1000), 400);
    const b = await c.req.json();
    if (b.type !== 10 && b.type !== 25) return c.json(fail(`type ${b.type} is not supported here (10 Deliver, 25 CRP)`, 1000), 400);
    const crp = b.type === 25;
    const key = crp ? 'pickupAddress' : 'dropOffAddress';
    if (crp) {
      if (!b.pickupAddress) return c.json(fail('pickupAddress is required for Customer Return Pickup orders', 1007), 400);
      if (b.dropOffAddress) return c.json(fail('dropOffAddress is not allowed for Customer Return Pickup orders', 1007), 400);
      // Keys the documented body may leave out (zoneId, landmark and flat, notes, webhook) are optional; the rest as the fixture.
      const problems = shapeProblems(CRP_SHAPE, b, { extra: ['specs.size', 'specs.weight', 'businessLocationId'] }).filter(
        (p) => !/^(pickupAddress\.(zoneId|secondLine|buildingNumber|floor|apartment|districtId)|notes|webhookUrl|webhookCustomHeaders|receiver\.email) is missing$/.test(p) && !/^pickupAddress\.districtName is not a field/.test(p) && !/^webhookCustomHeaders\./.test(p),
      );
      if (problems.length) return c.json(fail(`Invalid CRP order: ${problems.join('; ')}`, 1000), 400);
    }
    const a = b[key] ?? {};
    const districts = DISTRICTS[a.city];
    if (!districts) return c.json(fail(`City "${a.city}" is not a valid city`, 1001), 400);
    const d = districts.find((x) => x.id === a.districtId || x.name.toLowerCase() === String(a.districtName ?? '').toLowerCase());
    if (!d) return c.json(fail(`District "${a.districtId ?? a.districtName}" was not found in ${a.city}`, 1002), 400);
    if (crp ? !d.pickup : !d.dropOff) return c.json(fail(`District ${d.name} is not covered for ${crp ? 'pickup' : 'drop-off'}`, 1003), 400);
    if (typeof a.firstLine !== 'string' || a.firstLine.length <= 5) return c.json(fail(`${key}.firstLine must be more than 5 characters`, 1004), 400);
    if (!b.receiver?.phone) return c.json(fail('receiver.phone is required', 1005), 400);
    const ref = String(b.businessReference ?? '');
    if (opts.rejectDuplicateReference && ref && state.byReference(ref).some((s) => !s.cancelled)) return c.json(fail(`businessReference ${ref} already exists`, 1006), 400);
    const tn = String(5108000 + state.nextSeq());
    const id = `dlv${state.nextSeq()}x${tn}`;
    const s = state.addShipment(tn, ref, b, { id, districtName: d.name });
    state.advance(tn, '10', STATE_TEXT[10], a.city);
    const delay = state.takeCreateDelay();
    if (delay) await state.delay(delay);
    return c.json({ success: true, message: 'Delivery created successfully', data: { _id: id, trackingNumber: tn, state: { code: 10, value: STATE_TEXT[10] }, businessReference: s.reference } }, 201);
  });
  app.post('/api/v2/deliveries/search', async (c) => {
    const b = await c.req.json();
    const deliveries = [...state.shipments.values()].filter((s) => !b.businessReference || s.reference === b.businessReference).map(delivery);
    return c.json({ success: true, data: { deliveries, count: deliveries.length } });
  });
  app.get('/api/v2/deliveries/business/:tn', (c) => {
    const s = state.shipments.get(c.req.param('tn'));
    if (!s) return c.json(fail('Delivery not found', 1010), 404);
    return c.json({ success: true, data: delivery(s) });
  });
  app.delete('/api/v2/deliveries/business/:tn/terminate', (c) => {
    if (opts.keyScope === 'read_write') return c.json(fail('Access to the requested resource is forbidden', 1008), 403);
    const s = state.shipments.get(c.req.param('tn'));
    if (!s) return c.json(fail('Delivery not found', 1010), 404);
    if (s.events.some((e) => Number(e.code) >= 21)) return c.json(fail('Delivery cannot be terminated after pickup', 1011), 400);
    s.cancelled = true;
    state.advance(s.awb, '48', STATE_TEXT[48]);
    return c.json({ success: true, message: 'Delivery has been terminated successfully.', data: { _id: s.meta.id } });
  });
  app.post('/api/v2/deliveries/mass-awb', async (c) => {
    const b = await c.req.json();
    const s = [...state.shipments.values()].find((x) => x.meta.id === String(b.ids).split(',')[0]);
    if (!s) return c.json(fail('Delivery not found', 1010), 404);
    return c.json({ success: true, data: Buffer.from(await fakeLabelPdf(s.awb, String(b.requestedAwbType ?? 'A6'))).toString('base64') });
  });
  const server = await serveFake(app);
  return {
    ...server,
    apiUrl: `${server.url}/api/v2`,
    state,
    apiKey,
    async advanceAndNotify(tn, stateCode, overrides = {}) {
      const s = state.shipments.get(tn);
      if (!s) throw new Error(`fake Bosta has no delivery ${tn}`);
      const ev = state.advance(tn, String(stateCode), STATE_TEXT[stateCode] ?? String(stateCode));
      const b = s.body as { webhookUrl?: string; webhookCustomHeaders?: Record<string, string>; cod?: number };
      if (!b.webhookUrl) return null;
      const payload = {
        _id: s.meta.id,
        trackingNumber: tn,
        state: stateCode,
        type: TYPE[Number((s.body as { type?: number }).type)]?.webhook ?? 'SEND',
        ...(stateCode === 45 && b.cod ? { cod: b.cod } : {}),
        timeStamp: Date.parse(ev.date),
        isConfirmedDelivery: stateCode === 45,
        businessReference: s.reference,
        numberOfAttempts: 1,
        ...overrides,
      };
      return fetch(b.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...b.webhookCustomHeaders }, body: JSON.stringify(payload) });
    },
  };
}
