import { type AwbInput, assertShipmentRequest, type CourierAdapter, CourierError, type CreatedShipment, chunk, fetchLabelSafely, isPdf, type Label, type LabelFormat, refOf, type ShipmentRequest, type TrackingStatus, todayIso } from '../../courier-adapter.ts';
import { type CourierHttpOptions, createCourierHttp, createOnce, safeJson, staticAuth, unexpectedStatus } from '../../courier-http.ts';
import { buildInnoshipLockerReturn, buildInnoshipOrder, type InnoshipSettings, innoshipErrorDetails, innoshipLockerPin, innoshipLockerReturnCourier, parseInnoshipCreated, parseInnoshipPrices, parseInnoshipTrack } from './innoship-mapper.ts';

export const INNOSHIP_BASE_URL = 'https://api.innoship.com';
export const INNOSHIP_TRACK_BATCH = 200;

export interface InnoshipConfig extends CourierHttpOptions, InnoshipSettings {
  apiKey: string;
  statusOverrides?: Record<string, TrackingStatus>;
}

/**
 * Innoship: static X-Api-Key + api-version headers (no token). No lookup by reference exists in any
 * source read, so a create that ends without an answer is never re-sent (idempotency 'none').
 */
/** Innoship's ServiceId table (IS-SDK Tables::services); the courier behind it is Innoship's routing, or settings.courierId. */
export const INNOSHIP_SERVICES: ReadonlyArray<{ code: string; name: string }> = [
  { code: '1', name: 'National Standard' },
  { code: '6', name: 'Same-Day' },
  { code: '3', name: 'Lockers' },
  { code: '4', name: 'PUDO' },
  { code: '11', name: 'National Cargo' },
  { code: '12', name: 'National Palet' },
  { code: '2', name: 'eMag Marketplace' },
  { code: '5', name: 'International Road' },
  { code: '51', name: 'International Air' },
];

export function createInnoshipAdapter(cfg: InnoshipConfig): CourierAdapter {
  const http = createCourierHttp('innoship', cfg);
  const auth = staticAuth({ 'X-Api-Key': cfg.apiKey, 'api-version': '1.0' });

  async function validationOrUnexpected(operation: string, res: Awaited<ReturnType<typeof http.call>>, ref: string) {
    if (res.status === 400) {
      const details = innoshipErrorDetails(safeJson(res.text()));
      return new CourierError('innoship', 'VALIDATION', `Innoship refused ${operation} for ${ref}: ${details.map((d) => d.reason).join('; ') || res.text()}`, details, {
        httpStatus: 400,
      });
    }
    return unexpectedStatus('innoship', operation, res);
  }

  async function label(a: AwbInput, format: LabelFormat): Promise<Label> {
    const ref = refOf(a);
    const courierId = ref.meta?.courierId ?? cfg.courierId;
    if (courierId == null) throw new CourierError('innoship', 'VALIDATION', `Innoship AWB ${ref.awb} has no courier id to print its label.`, [{ path: 'meta.courierId', reason: 'is required' }]);
    const res = await http.call(
      { operation: 'label', method: 'GET', path: `/api/Label/by-courier/${courierId}/awb/${encodeURIComponent(ref.awb)}`, query: { type: 'PDF', format, useFile: 'true' }, idempotent: true },
      auth,
    );
    if (res.status !== 200 || !isPdf(res.bytes)) throw await validationOrUnexpected('label', res, ref.awb);
    return { bytes: res.bytes, format, mediaType: 'application/pdf', source: 'courier' };
  }

  /**
   * One Innoship order (a delivery, or a locker return with `returnCourierId` the courier it goes
   * through): never re-sent after a lost answer, as Innoship has no lookup by reference.
   */
  async function createOrderOnce(req: ShipmentRequest, body: unknown, operation: string, returnCourierId: number | null): Promise<CreatedShipment> {
    return createOnce({
      courier: 'innoship',
      reference: req.reference,
      strategy: 'none',
      previousAttemptUnknown: req.previousAttemptUnknown,
      create: async (): Promise<CreatedShipment> => {
        const res = await http.call({ operation, method: 'POST', path: '/api/Order', json: body, idempotent: false }, auth);
        if (res.status !== 200 && res.status !== 201) throw await validationOrUnexpected(operation, res, req.reference);
        const raw = res.json();
        const created = parseInnoshipCreated(raw);
        const meta = { courierId: returnCourierId != null && !Number.isFinite(created.courierId) ? returnCourierId : created.courierId };
        const lbl = await fetchLabelSafely(() => label({ awb: created.awb, meta }, req.labelFormat ?? 'A6'));
        return {
          courier: 'innoship',
          awb: created.awb,
          meta,
          parcelAwbs: [],
          trackingUrl: created.trackingUrl,
          ...lbl,
          price: created.price ? { amount: created.price, currency: 'RON' } : null,
          recovered: false,
          raw,
          // Sameday's locker PIN comes back in the courier's answer of a locker return.
          ...(returnCourierId != null ? { lockerPin: innoshipLockerPin(raw) } : {}),
        };
      },
    });
  }

  const adapter: CourierAdapter = {
    courier: 'innoship',
    capabilities: {
      quote: true,
      cancel: true,
      courierLabel: true,
      labelFormats: ['A4', 'A6'],
      trackBatchSize: INNOSHIP_TRACK_BATCH,
      idempotency: 'none',
      webhook: false,
      cod: true,
    },
    async verifyCredentials() {
      // The key is static: tracking one placeholder AWB is the cheapest call it must authorise (a 401 is the shared NEEDS_RECONNECT refusal).
      const res = await http.call({ operation: 'verify-key', method: 'POST', path: '/api/Track/by-awb/with-return', json: { courier: cfg.courierId ?? 1, awbList: ['0'] }, idempotent: true }, auth);
      if (res.status !== 200) throw await validationOrUnexpected('verify-key', res, 'the API key');
      return { operation: 'track' };
    },
    async services() {
      return INNOSHIP_SERVICES.map((s) => ({ ...s, source: 'catalogue' as const }));
    },
    async quote(req) {
      assertShipmentRequest('innoship', req);
      const body = buildInnoshipOrder(req, cfg, req.shipDate ?? todayIso(http.now()));
      const res = await http.call({ operation: 'quote', method: 'POST', path: '/api/Price', json: body, idempotent: true }, auth);
      if (res.status !== 200) throw await validationOrUnexpected('quote', res, req.reference);
      return parseInnoshipPrices(res.json()).map((q) => ({ ...q, courier: 'innoship' as const }));
    },
    async createShipment(req) {
      assertShipmentRequest('innoship', req);
      return await createOrderOnce(req, buildInnoshipOrder(req, cfg, req.shipDate ?? todayIso(http.now())), 'create-awb', null);
    },
    returnPickupProblems: (o) => innoshipLockerReturnCourier(o, cfg.courierId).problems,
    returnService: '1',
    /**
     * The locker return order (§1.5): the customer drops the parcel in a Sameday or FAN locker and
     * it comes to the account's location. No lookup by reference, as for any Innoship order: a lost
     * answer is never re-sent (the next try is refused, to be resolved in the Innoship portal).
     */
    async createReturnPickup(req) {
      assertShipmentRequest('innoship', req);
      const { courierId, problems } = innoshipLockerReturnCourier(req, cfg.courierId);
      if (courierId == null || !req.lockerId) throw new CourierError('innoship', 'VALIDATION', `Innoship cannot make the locker return ${req.reference}: ${problems.map((p) => `${p.path} ${p.reason}`).join('; ')}`, problems);
      return await createOrderOnce(req, buildInnoshipLockerReturn({ ...req, lockerId: req.lockerId }, cfg, courierId), 'create-return-pickup', courierId);
    },
    label,
    async track(awbs) {
      const byCourier = new Map<string, string[]>();
      for (const a of awbs) {
        const ref = refOf(a);
        const key = String(ref.meta?.courierId ?? cfg.courierId ?? '');
        byCourier.set(key, [...(byCourier.get(key) ?? []), ref.awb]);
      }
      const out = [];
      for (const [courierId, list] of byCourier)
        for (const batch of chunk(list, INNOSHIP_TRACK_BATCH)) {
          const res = await http.call(
            { operation: 'track', method: 'POST', path: '/api/Track/by-awb/with-return', json: { courier: Number(courierId) || courierId, awbList: batch }, idempotent: true },
            auth,
          );
          if (res.status !== 200) throw await validationOrUnexpected('track', res, batch.join(','));
          out.push(...parseInnoshipTrack(res.json(), cfg.statusOverrides));
        }
      return out;
    },
    async cancel(a) {
      const ref = refOf(a);
      const courierId = ref.meta?.courierId ?? cfg.courierId;
      const res = await http.call({ operation: 'cancel', method: 'DELETE', path: `/api/Order/${courierId}/awb/${encodeURIComponent(ref.awb)}`, idempotent: true }, auth);
      if (res.status === 200 || res.status === 204) return;
      if (res.status === 400)
        throw new CourierError('innoship', 'INVALID_STATE', `Innoship refused to cancel AWB ${ref.awb}: ${innoshipErrorDetails(safeJson(res.text())).map((d) => d.reason).join('; ')}`, [], { httpStatus: 400 });
      throw unexpectedStatus('innoship', 'cancel', res);
    },
  };
  return adapter;
}
