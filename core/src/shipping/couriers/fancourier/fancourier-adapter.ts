import { type AwbInput, assertShipmentRequest, type CourierAdapter, CourierError, type CreatedShipment, chunk, decimalOf, fetchLabelSafely, isPdf, type Label, type LabelFormat, refOf, type TrackingStatus, type TrackResult, todayIso } from '../../courier-adapter.ts';
import { type CourierAuth, type CourierHttpOptions, type CourierResponse, createCourierHttp, createOnce, createTokenCache, safeJson, unexpectedStatus } from '../../courier-http.ts';
import { buildFanAwb, buildFanTariffQuery, type FanSettings, fanErrorDetails, findFanByReference, parseFanCreated, parseFanExpiry, parseFanTariff, parseFanTracking } from './fancourier-mapper.ts';

export const FANCOURIER_BASE_URL = 'https://api.fancourier.ro/';
/** AWBs per `reports/awb/tracking` call (`awb[]` list); FAN publishes no limit (UNVERIFIED). */
export const FAN_TRACK_BATCH = 50;
const LOOKUP_PAGES = 20;
const LOOKUP_PAGE_SIZE = 100;
const nextIsoDay = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface FanCourierConfig extends CourierHttpOptions, FanSettings {
  username: string;
  password: string;
  statusOverrides?: Record<string, TrackingStatus>;
}

export const fanTrackingUrl = (awb: string) => `https://www.fancourier.ro/awb-tracking/?awb=${encodeURIComponent(awb)}`;

/**
 * FAN Courier API v2: `POST /login` (form username/password) → Bearer token with `expiresAt` (24 h),
 * re-login once on 401. Success of a create is per item (`awbNumber` and no `errors`). FAN has no
 * reference field and no lookup by reference; our reference rides in `costCenter` and a create that
 * ended without an answer is resolved through the day's borderou (`GET /reports/awb?date=`), which
 * lists costCenter per AWB [SDK ShippingSlip] — that the live API echoes it unchanged is UNVERIFIED.
 */
/**
 * FAN's `service` is a name, not an id (contract §3.2). The two named in its documentation; the
 * full list of an account is `GET /reports/services`, whose answer shape is UNVERIFIED, so it is not read.
 */
export const FAN_SERVICES: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'Standard', name: 'Standard' },
  { code: 'Cont Colector', name: 'Cont Colector (COD paid into the account)' },
];

export function createFanCourierAdapter(cfg: FanCourierConfig): CourierAdapter & { tokenLogins(): number } {
  const http = createCourierHttp('fancourier', { ...cfg, baseUrl: cfg.baseUrl || FANCOURIER_BASE_URL });
  const clientId = String(cfg.clientId);
  const tokens = createTokenCache(async () => {
    const res = await http.call({
      operation: 'login',
      method: 'POST',
      path: 'login',
      form: new URLSearchParams({ username: cfg.username, password: cfg.password }),
      idempotent: true,
      anonymous: true,
    });
    if (res.status !== 200)
      throw new CourierError('fancourier', 'NEEDS_RECONNECT', `FAN Courier login failed (${res.status}); update the courier account.`, [{ path: 'credentials', reason: `login answered ${res.status}` }]);
    const b = res.json() as { data?: { token?: string; expiresAt?: string } };
    if (!b?.data?.token) throw new CourierError('fancourier', 'UPSTREAM', 'FAN Courier login answered without a token.');
    return { token: b.data.token, expiresAt: parseFanExpiry(b.data.expiresAt, http.now()) };
  }, http.now);
  const auth: CourierAuth = { headers: async () => ({ Authorization: `Bearer ${await tokens.get()}` }), invalidate: tokens.invalidate, expiredStatuses: [401] };

  function refused(operation: string, res: CourierResponse, ref: string): CourierError {
    if (res.status !== 400 && res.status !== 422) return unexpectedStatus('fancourier', operation, res);
    const details = fanErrorDetails(safeJson(res.text()));
    return new CourierError('fancourier', 'VALIDATION', `FAN Courier refused ${operation} for ${ref}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ') || res.text()}`, details, { httpStatus: res.status });
  }

  async function label(a: AwbInput, format: LabelFormat): Promise<Label> {
    const { awb } = refOf(a);
    // A6 is offered only with the ePod option [FAN-SDK README]; an account without it gets FAN's refusal.
    const res = await http.call({ operation: 'label', method: 'GET', path: 'awb/label', query: { clientId, 'awbs[]': [awb], pdf: 1, format, language: 'ro' }, idempotent: true }, auth);
    if (res.status !== 200) throw refused('label', res, awb);
    if (!isPdf(res.bytes)) throw new CourierError('fancourier', 'UPSTREAM', `FAN Courier returned no PDF label for AWB ${awb}.`, [], { httpStatus: res.status });
    return { bytes: res.bytes, format, mediaType: 'application/pdf', source: 'courier' };
  }

  async function shipmentFrom(awb: string, format: LabelFormat, raw: unknown, price: string | null, recovered: boolean): Promise<CreatedShipment> {
    const lbl = await fetchLabelSafely(() => label(awb, format));
    return { courier: 'fancourier', awb, meta: {}, parcelAwbs: [], trackingUrl: fanTrackingUrl(awb), ...lbl, price: price ? { amount: price, currency: 'RON' } : null, recovered, raw };
  }

  async function findByReference(reference: string, shipDate?: string): Promise<CreatedShipment | null> {
    const day = shipDate ?? todayIso(http.now());
    // The borderou is dated in Bucharest time: an AWB made late in the UTC day sits on the next date.
    for (const date of [day, nextIsoDay(day)])
      for (let page = 1; page <= LOOKUP_PAGES; page++) {
        const res = await http.call({ operation: 'find-by-reference', method: 'GET', path: 'reports/awb', query: { clientId, date, page, perPage: LOOKUP_PAGE_SIZE }, idempotent: true }, auth);
        if (res.status === 404) break;
        if (res.status !== 200) throw refused('find-by-reference', res, reference);
        const body = res.json() as { data?: unknown[] };
        const hit = findFanByReference(body, reference);
        if (hit) return shipmentFrom(hit.awb, 'A6', hit.raw, hit.cost, true);
        if (!Array.isArray(body?.data) || body.data.length < LOOKUP_PAGE_SIZE) break;
      }
    return null;
  }

  return {
    courier: 'fancourier',
    capabilities: { quote: true, cancel: true, courierLabel: true, labelFormats: ['A4', 'A6'], trackBatchSize: FAN_TRACK_BATCH, idempotency: 'lookup', webhook: false, cod: true },
    tokenLogins: () => tokens.logins(),
    async verifyCredentials() {
      tokens.invalidate();
      await tokens.get();
      // The login proves the user; one borderou row of today proves the clientId belongs to it (422 otherwise).
      const res = await http.call({ operation: 'verify-client', method: 'GET', path: 'reports/awb', query: { clientId, date: todayIso(http.now()), page: 1, perPage: 1 }, idempotent: true }, auth);
      if (res.status !== 200) throw refused('verify-client', res, `clientId ${clientId}`);
      return { operation: 'login + reports/awb' };
    },
    async services() {
      return FAN_SERVICES.map((s) => ({ ...s, source: 'catalogue' as const }));
    },
    async quote(req) {
      assertShipmentRequest('fancourier', req);
      const query = buildFanTariffQuery(req, cfg);
      const res = await http.call({ operation: 'quote', method: 'GET', path: 'reports/awb/internal-tariff', query, idempotent: true }, auth);
      if (res.status !== 200) throw refused('quote', res, req.reference);
      return parseFanTariff(res.json(), query['info[service]'] ?? 'Standard').map((q) => ({ ...q, courier: 'fancourier' as const }));
    },
    async createShipment(req) {
      assertShipmentRequest('fancourier', req);
      const body = buildFanAwb(req, cfg);
      return createOnce({
        courier: 'fancourier',
        reference: req.reference,
        strategy: 'lookup',
        previousAttemptUnknown: req.previousAttemptUnknown,
        lookup: () => findByReference(req.reference, req.shipDate ?? todayIso(http.now())),
        create: async () => {
          const res = await http.call({ operation: 'create-awb', method: 'POST', path: 'intern-awb', json: body, idempotent: false }, auth);
          // Per-item errors arrive in a normal answer; a 4xx may carry the same `response[]`.
          const parsed = res.status < 500 ? safeJson(res.text()) : null;
          const created = parseFanCreated(parsed);
          if ('errors' in created) {
            if (!created.errors.length) throw res.status === 200 || res.status === 201 ? new CourierError('fancourier', 'UPSTREAM', `FAN Courier answered create-awb for ${req.reference} without an AWB.`) : refused('create-awb', res, req.reference);
            throw new CourierError('fancourier', 'VALIDATION', `FAN Courier refused the AWB for ${req.reference}: ${created.errors.map((d) => `${d.path} ${d.reason}`).join('; ')}`, created.errors, { httpStatus: res.status });
          }
          const [first] = created as [{ awb: string; tariff: unknown }];
          return shipmentFrom(first.awb, req.labelFormat ?? 'A6', parsed, decimalOf(first.tariff), false);
        },
      });
    },
    label,
    async track(awbs) {
      const out: TrackResult[] = [];
      for (const batch of chunk(awbs.map((a) => refOf(a).awb), FAN_TRACK_BATCH)) {
        const res = await http.call({ operation: 'track', method: 'GET', path: 'reports/awb/tracking', query: { clientId, 'awb[]': batch, language: 'ro' }, idempotent: true }, auth);
        if (res.status !== 200) throw refused('track', res, batch.join(','));
        // An AWB FAN does not know comes back as {awbNumber, message} like one without events: keep only ours.
        for (const t of parseFanTracking(res.json(), cfg.statusOverrides)) if (batch.includes(t.awb)) out.push({ ...t, trackingUrl: fanTrackingUrl(t.awb) });
      }
      return out;
    },
    async cancel(a) {
      const { awb } = refOf(a);
      const res = await http.call({ operation: 'cancel', method: 'DELETE', path: 'awb', query: { clientId, awb }, idempotent: true }, auth);
      if (res.status === 200 || res.status === 204) return;
      if (res.status === 400 || res.status === 422)
        throw new CourierError('fancourier', 'INVALID_STATE', `FAN Courier refused to cancel AWB ${awb}: ${fanErrorDetails(safeJson(res.text())).map((d) => d.reason).join('; ')}`, [], { httpStatus: res.status });
      throw unexpectedStatus('fancourier', 'cancel', res);
    },
    findByReference,
  };
}
