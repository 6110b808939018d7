import { type AwbInput, assertShipmentRequest, type CourierAdapter, CourierError, type CreatedShipment, chunk, fetchLabelSafely, isPdf, type Label, type LabelFormat, refOf, type ShipmentRequest, type TrackingStatus, type TrackResult, todayIso } from '../../courier-adapter.ts';
import { type CourierAuth, type CourierHttpOptions, type CourierResponse, createCourierHttp, createOnce, createTokenCache, safeJson, unexpectedStatus } from '../../courier-http.ts';
import { buildCargusAwb, buildCargusCalculation, buildCargusReturnPickup, type CargusSettings, cargusDate, cargusErrorDetails, findCargusByReference, isCargusDuplicate, nextIsoDay, parseCargusCalculation, parseCargusCreated, parseCargusToken, parseCargusTrace } from './cargus-mapper.ts';

export const CARGUS_BASE_URL = 'https://urgentcargus.azure-api.net/api/';
/** ServiceId values (CG-DOC3 §15, §8.2); Cargus has no call that lists them per account. */
export const CARGUS_SERVICES: ReadonlyArray<{ code: string; name: string }> = [
  { code: '34', name: 'Economic Standard (≤ 31 kg)' },
  { code: '35', name: 'Standard Plus (31–50 kg)' },
  { code: '36', name: 'Palet (pallet)' },
  { code: '38', name: 'PUDO / Ship & Go' },
  { code: '39', name: 'Multipiece (≤ 31 kg per piece, ≤ 15 pieces)' },
];
/** AWBs per AwbTrace/WithRedirect call: the bulk form exists (CG-DOC3 §9.10) but its limit is UNVERIFIED. */
export const CARGUS_TRACK_BATCH = 50;
/** Tokens live 24 h (CG-DOC3 §3.1); the Magento module re-logs after 20 h, so do we. */
const TOKEN_TTL_MS = 20 * 3600_000;
/** Pages of Awbs/GetByDate read when looking a reference up (100 AWBs each). */
const LOOKUP_PAGES = 20;
const LOOKUP_PAGE_SIZE = 100;

export interface CargusConfig extends CourierHttpOptions, CargusSettings {
  subscriptionKey: string;
  username: string;
  password: string;
  statusOverrides?: Record<string, TrackingStatus>;
}

export const cargusTrackingUrl = (awb: string) => `https://www.cargus.ro/personal/urmareste-coletul/?tracking_number=${encodeURIComponent(awb)}`;

/**
 * Cargus (UrgentCargus, Azure APIM): `Ocp-Apim-Subscription-Key` on every call, plus `LoginUser` →
 * Bearer token (answered as a JSON string literal), re-login once on 401. One AWB per reference: our
 * reference goes in CustomString, and a create that ended without an answer is resolved by listing the
 * ship date's AWBs (`Awbs/GetByDate`, mm-dd-yyyy) and matching CustomString before creating again.
 */
export function createCargusAdapter(cfg: CargusConfig): CourierAdapter & { tokenLogins(): number } {
  const http = createCourierHttp('cargus', { ...cfg, baseUrl: cfg.baseUrl || CARGUS_BASE_URL });
  const apim = { 'Ocp-Apim-Subscription-Key': cfg.subscriptionKey };
  const tokens = createTokenCache(async () => {
    const res = await http.call({
      operation: 'login',
      method: 'POST',
      path: 'LoginUser',
      headers: apim,
      json: { UserName: cfg.username, Password: cfg.password },
      idempotent: true,
      anonymous: true,
    });
    if (res.status !== 200)
      throw new CourierError('cargus', 'NEEDS_RECONNECT', `Cargus login failed (${res.status}); update the courier account.`, [{ path: 'credentials', reason: `login answered ${res.status}` }]);
    const token = parseCargusToken(res.text());
    if (!token) throw new CourierError('cargus', 'UPSTREAM', 'Cargus login answered without a token.');
    return { token, expiresAt: new Date(http.now().getTime() + TOKEN_TTL_MS) };
  }, http.now);
  const auth: CourierAuth = {
    headers: async () => ({ ...apim, Authorization: `Bearer ${await tokens.get()}` }),
    invalidate: tokens.invalidate,
    expiredStatuses: [401],
  };

  function refused(operation: string, res: CourierResponse, ref: string): CourierError {
    if (res.status !== 400) return unexpectedStatus('cargus', operation, res);
    const details = cargusErrorDetails(safeJson(res.text()));
    if (isCargusDuplicate(details))
      return new CourierError('cargus', 'CONFLICT', `Cargus already has an AWB for reference ${ref}; no second AWB was created.`, [{ path: 'reference', reason: details.map((d) => d.reason).join('; ') }], { httpStatus: 400 });
    return new CourierError('cargus', 'VALIDATION', `Cargus refused ${operation} for ${ref}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ') || res.text()}`, details, { httpStatus: 400 });
  }

  async function label(a: AwbInput, format: LabelFormat): Promise<Label> {
    const { awb } = refOf(a);
    // format 0 = A4, 1 = "Label 10x14" (100×140 mm, our thermal class); printMainOnce 1 = one copy.
    const res = await http.call(
      { operation: 'label', method: 'GET', path: 'AwbDocuments', query: { barCodes: JSON.stringify([awb]), type: 'PDF', format: format === 'A4' ? 0 : 1, printMainOnce: 1 }, idempotent: true },
      auth,
    );
    if (res.status !== 200) throw refused('label', res, awb);
    // The answer is a base64 string (JSON-quoted) rather than PDF bytes.
    const body = safeJson(res.text());
    const bytes = typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'base64')) : new Uint8Array();
    if (!isPdf(bytes)) throw new CourierError('cargus', 'UPSTREAM', `Cargus returned no PDF label for AWB ${awb}.`, [], { httpStatus: res.status });
    return { bytes, format, mediaType: 'application/pdf', source: 'courier' };
  }

  async function shipmentFrom(awb: string, req: Pick<ShipmentRequest, 'labelFormat'>, raw: unknown, extra: { price: string | null; recovered: boolean; returnCode?: string | null }): Promise<CreatedShipment> {
    const lbl = await fetchLabelSafely(() => label(awb, req.labelFormat ?? 'A6'));
    return {
      courier: 'cargus',
      awb,
      meta: extra.returnCode ? { returnCode: extra.returnCode } : {},
      parcelAwbs: [],
      trackingUrl: cargusTrackingUrl(awb),
      ...lbl,
      price: extra.price ? { amount: extra.price, currency: 'RON' } : null,
      recovered: extra.recovered,
      raw,
    };
  }

  async function findByReference(reference: string, shipDate?: string): Promise<CreatedShipment | null> {
    const day = shipDate ?? todayIso(http.now());
    // The day after too: a create sent just before midnight may be dated the next day.
    const query = { FromDate: cargusDate(day), ToDate: cargusDate(nextIsoDay(day)), itemsPerPage: LOOKUP_PAGE_SIZE };
    for (let page = 1; page <= LOOKUP_PAGES; page++) {
      const res = await http.call({ operation: 'find-by-reference', method: 'GET', path: 'Awbs/GetByDate', query: { ...query, pageNumber: page }, idempotent: true }, auth);
      if (res.status === 404) return null;
      if (res.status !== 200) throw refused('find-by-reference', res, reference);
      const body = res.json();
      const found = findCargusByReference(body, reference);
      if (found) return shipmentFrom(String(found.BarCode), {}, found, { price: null, recovered: true, returnCode: found.ReturnCode == null ? null : String(found.ReturnCode) });
      if (!Array.isArray(body) || body.length < LOOKUP_PAGE_SIZE) return null;
    }
    return null;
  }

  /**
   * One AWB created at most once: a delivery (Awbs) or the return pickup at the customer
   * (AwbPickup). After a lost answer the earlier attempt is looked up by our reference first.
   */
  async function createAwbOnce(req: ShipmentRequest, body: unknown, operation: string, path: string): Promise<CreatedShipment> {
    const shipDate = req.shipDate ?? todayIso(http.now());
    return createOnce({
      courier: 'cargus',
      reference: req.reference,
      strategy: 'lookup',
      previousAttemptUnknown: req.previousAttemptUnknown,
      lookup: () => findByReference(req.reference, shipDate),
      create: async () => {
        const res = await http.call({ operation, method: 'POST', path, json: body, idempotent: false }, auth);
        if (res.status !== 200 && res.status !== 201) throw refused(operation, res, req.reference);
        const raw = res.json();
        const c = parseCargusCreated(raw);
        return shipmentFrom(c.awb, req, raw, { price: c.price, recovered: false, returnCode: c.returnCode });
      },
    });
  }

  return {
    courier: 'cargus',
    capabilities: { quote: true, cancel: true, courierLabel: true, labelFormats: ['A4', 'A6'], trackBatchSize: CARGUS_TRACK_BATCH, idempotency: 'lookup', webhook: false, cod: true },
    tokenLogins: () => tokens.logins(),
    async verifyCredentials() {
      // LoginUser needs both the APIM subscription key and the WebExpress user: one call proves all three.
      tokens.invalidate();
      await tokens.get();
      return { operation: 'login' };
    },
    async services() {
      return CARGUS_SERVICES.map((s) => ({ ...s, source: 'catalogue' as const }));
    },
    async quote(req) {
      assertShipmentRequest('cargus', req);
      const body = buildCargusCalculation(req, cfg);
      const res = await http.call({ operation: 'quote', method: 'POST', path: 'ShippingCalculation', json: body, idempotent: true }, auth);
      if (res.status !== 200) throw refused('quote', res, req.reference);
      return parseCargusCalculation(res.json(), String(body.ServiceId)).map((q) => ({ ...q, courier: 'cargus' as const }));
    },
    async createShipment(req) {
      assertShipmentRequest('cargus', req);
      return await createAwbOnce(req, buildCargusAwb(req, cfg), 'create-awb', 'Awbs/WithGetAwb');
    },
    async createReturnPickup(req) {
      assertShipmentRequest('cargus', req);
      return await createAwbOnce(req, buildCargusReturnPickup(req, cfg), 'create-return-pickup', 'AwbPickup/WithGetAwb');
    },
    label,
    async track(awbs) {
      const out: TrackResult[] = [];
      for (const batch of chunk(awbs.map((a) => refOf(a).awb), CARGUS_TRACK_BATCH)) {
        // WithRedirect follows redirected AWBs; barCode is a JSON array in the query string.
        const res = await http.call({ operation: 'track', method: 'GET', path: 'AwbTrace/WithRedirect', query: { barCode: JSON.stringify(batch) }, idempotent: true }, auth);
        if (res.status === 404) continue;
        if (res.status !== 200) throw refused('track', res, batch.join(','));
        for (const t of parseCargusTrace(res.json(), cfg.statusOverrides)) if (batch.includes(t.awb)) out.push({ ...t, trackingUrl: cargusTrackingUrl(t.awb) });
      }
      return out;
    },
    async cancel(a) {
      const { awb } = refOf(a);
      // Only before the first checkpoint (courier pickup); Cargus answers true/false.
      const res = await http.call({ operation: 'cancel', method: 'DELETE', path: 'Awbs', query: { barCode: awb }, idempotent: true }, auth);
      if (res.status !== 200) throw refused('cancel', res, awb);
      if (safeJson(res.text()) !== true)
        throw new CourierError('cargus', 'INVALID_STATE', `Cargus refused to cancel AWB ${awb}: it already has a checkpoint (picked up).`, [], { httpStatus: 200 });
    },
    findByReference,
  };
}
