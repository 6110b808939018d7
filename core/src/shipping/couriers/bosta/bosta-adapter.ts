import { type AwbInput, assertShipmentRequest, type CourierAdapter, CourierError, type CreatedShipment, decimalOf, isPdf, type Label, type LabelFormat, refOf, type ShipmentAddress, type ShipmentRequest, type TrackingStatus, type TrackResult, totalWeightKg } from '../../courier-adapter.ts';
import { type CourierHttpOptions, type CourierResponse, createCourierHttp, createOnce, safeJson, staticAuth, unexpectedStatus } from '../../courier-http.ts';
import { renderOwnLabel } from '../../labels/own-label.ts';
import { BOSTA_CRP, BOSTA_WEBHOOK_HEADER, type BostaSettings, type BostaWebhookHint, bostaAddressProblems, bostaErrorDetails, bostaRecipient, bostaTrackingUrl, buildBostaDelivery, findBostaByReference, isBostaDuplicate, parseBostaCreated, parseBostaDelivery, parseBostaWebhook, verifyBostaWebhookSecret } from './bosta-mapper.ts';

export const BOSTA_BASE_URL = 'https://app.bosta.co/api/v2';

export interface BostaConfig extends CourierHttpOptions, BostaSettings {
  apiKey: string;
  /** The per-account secret Bosta sends back in the webhook's custom header. */
  webhookSecret?: string;
  /** Try Bosta's `mass-awb` PDF first (UNVERIFIED endpoint); our own 100×150 label otherwise. */
  courierLabel?: boolean;
  /** The warehouse, printed as sender on our own label. */
  sender?: ShipmentAddress;
  statusOverrides?: Record<string, TrackingStatus>;
}

export interface BostaWebhookResolution {
  hint: BostaWebhookHint;
  /** The delivery as Bosta reports it now: apply this, never the hint. */
  track: TrackResult;
  /** The re-fetched state equals the hinted one (false: the hint is stale or forged, the fetch wins). */
  agrees: boolean;
}

export type BostaAdapter = CourierAdapter & {
  /** Authenticates a webhook by its header secret and re-fetches the delivery; the payload is only a hint. */
  resolveWebhook(receivedSecret: string | null | undefined, payload: unknown): Promise<BostaWebhookResolution>;
};

/**
 * Bosta (Egypt): static key in `Authorization: <key>` (no "Bearer"), no token to refresh. One AWB per
 * reference: `businessReference` carries our reference and a create that ended without an answer is
 * resolved by `POST /deliveries/search {businessReference}` (community path, UNVERIFIED) before any
 * second create. Labels: Bosta's `mass-awb` is UNVERIFIED, so our own label is the default.
 */
/** Bosta's delivery `type` codes (BO-DOC:create-your-first-delivery); the adapter sends Deliver (10). */
export const BOSTA_SERVICES: ReadonlyArray<{ code: string; name: string }> = [
  { code: '10', name: 'Deliver' },
  { code: '15', name: 'Cash Collection' },
  { code: '25', name: 'Customer Return Pickup (CRP)' },
  { code: '30', name: 'Exchange' },
];

export function createBostaAdapter(cfg: BostaConfig): BostaAdapter {
  const adapter = bostaAdapter(cfg);
  // The port's optional webhook part: Bosta pushes every state change to the URL the account registers.
  return { ...adapter, webhook: { header: BOSTA_WEBHOOK_HEADER, resolve: (secret, payload) => adapter.resolveWebhook(secret, payload) } };
}

function bostaAdapter(cfg: BostaConfig): BostaAdapter {
  const http = createCourierHttp('bosta', { ...cfg, baseUrl: cfg.baseUrl || BOSTA_BASE_URL });
  const auth = staticAuth({ Authorization: cfg.apiKey });
  const kind = cfg.orderKind ?? 'domestic';

  function refused(operation: string, res: CourierResponse, ref: string): CourierError {
    if (res.status !== 400 && res.status !== 422) return unexpectedStatus('bosta', operation, res);
    const details = bostaErrorDetails(safeJson(res.text()));
    if (isBostaDuplicate(details))
      return new CourierError('bosta', 'CONFLICT', `Bosta already has a delivery for reference ${ref}; no second one was created.`, [{ path: 'reference', reason: details.map((d) => d.reason).join('; ') }], { httpStatus: res.status });
    return new CourierError('bosta', 'VALIDATION', `Bosta refused ${operation} for ${ref}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ') || res.text()}`, details, { httpStatus: res.status });
  }

  const senderOf = (s?: ShipmentAddress): ShipmentAddress => s ?? cfg.sender ?? { name: 'Expedio', phone: '', countryCode: 'EG', locality: '', addressLine: '' };

  async function ownLabel(awb: string, recipient: ShipmentAddress, extra: Partial<Pick<ShipmentRequest, 'sender' | 'cod' | 'reference' | 'contents' | 'parcels'>> = {}): Promise<Label> {
    const bytes = await renderOwnLabel({
      awb,
      courierName: 'Bosta',
      service: 'Deliver',
      sender: senderOf(extra.sender),
      recipient,
      weightKg: extra.parcels ? totalWeightKg(extra.parcels) : 0,
      parcelCount: extra.parcels?.length ?? 1,
      cod: extra.cod ?? null,
      reference: extra.reference,
      contents: extra.contents,
    });
    // Our label is always the 100×150 thermal size, whatever format was asked.
    return { bytes, format: 'A6', mediaType: 'application/pdf', source: 'own' };
  }

  /** Bosta's PDF when enabled and returned; null when the courier gives none (the caller renders ours). */
  async function courierLabel(deliveryId: string | undefined, format: LabelFormat): Promise<Label | null> {
    if (!cfg.courierLabel || !deliveryId) return null;
    const res = await http.call({ operation: 'label', method: 'POST', path: 'deliveries/mass-awb', json: { ids: deliveryId, requestedAwbType: format, lang: 'ar' }, idempotent: true }, auth);
    if (res.status !== 200) return null;
    const data = (safeJson(res.text()) as { data?: unknown })?.data;
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'base64')) : new Uint8Array();
    return isPdf(bytes) ? { bytes, format, mediaType: 'application/pdf', source: 'courier' } : null;
  }

  async function fetchDelivery(tn: string): Promise<unknown | null> {
    const res = await http.call({ operation: 'track', method: 'GET', path: `deliveries/business/${encodeURIComponent(tn)}`, idempotent: true }, auth);
    if (res.status === 404) return null;
    if (res.status !== 200) throw refused('track', res, tn);
    return res.json();
  }

  async function label(a: AwbInput, format: LabelFormat): Promise<Label> {
    const ref = refOf(a);
    const fromCourier = await courierLabel(ref.meta?.deliveryId == null ? undefined : String(ref.meta.deliveryId), format);
    if (fromCourier) return fromCourier;
    // A reprint: the recipient comes from Bosta's own record of the delivery.
    const body = await fetchDelivery(ref.awb);
    if (!body) throw new CourierError('bosta', 'NOT_FOUND', `Bosta has no delivery ${ref.awb} to print a label for.`);
    const d = (body as { data?: Record<string, unknown> }).data ?? {};
    const amount = typeof d.cod === 'number' && d.cod > 0 ? decimalOf(d.cod) : null;
    const cod = amount ? { amount, currency: 'EGP' } : null;
    return ownLabel(ref.awb, bostaRecipient(body), { cod, reference: d.businessReference == null ? undefined : String(d.businessReference) });
  }

  /** One Bosta order (a delivery or a type 25 CRP) at most once: a lost answer is found by `businessReference` first. */
  async function createDeliveryOnce(req: ShipmentRequest, body: unknown, operation: string): Promise<CreatedShipment> {
    return createOnce({
      courier: 'bosta',
      reference: req.reference,
      strategy: 'lookup',
      previousAttemptUnknown: req.previousAttemptUnknown,
      lookup: () => findByReference(req.reference),
      create: async () => {
        const res = await http.call({ operation, method: 'POST', path: 'deliveries', query: { apiVersion: 1 }, json: body, idempotent: false }, auth);
        if (res.status !== 200 && res.status !== 201) throw refused(operation, res, req.reference);
        const raw = res.json();
        const c = parseBostaCreated(raw);
        return created(c.trackingNumber, c.deliveryId, req, raw, false);
      },
    });
  }

  async function created(tn: string, deliveryId: string, req: ShipmentRequest | null, raw: unknown, recovered: boolean): Promise<CreatedShipment> {
    let lbl: { label: Label | null; labelError?: string };
    try {
      const fromCourier = await courierLabel(deliveryId, req?.labelFormat ?? 'A6');
      lbl = { label: fromCourier ?? (req ? await ownLabel(tn, req.address, req) : await label({ awb: tn, meta: { deliveryId } }, 'A6')) };
    } catch (e) {
      lbl = { label: null, labelError: (e as Error).message };
    }
    return { courier: 'bosta', awb: tn, meta: { deliveryId }, parcelAwbs: [], trackingUrl: bostaTrackingUrl(tn), ...lbl, price: null, recovered, raw };
  }

  async function findByReference(reference: string): Promise<CreatedShipment | null> {
    const res = await http.call({ operation: 'find-by-reference', method: 'POST', path: 'deliveries/search', json: { businessReference: reference, pageSize: 10, pageNumber: 0 }, idempotent: true }, auth);
    if (res.status === 404) return null;
    if (res.status !== 200) throw refused('find-by-reference', res, reference);
    const hit = findBostaByReference(res.json(), reference);
    return hit ? created(String(hit.trackingNumber), String(hit._id), null, hit, true) : null;
  }

  async function track(awbs: AwbInput[]): Promise<TrackResult[]> {
    const out: TrackResult[] = [];
    for (const a of awbs) {
      const { awb } = refOf(a);
      const body = await fetchDelivery(awb);
      if (!body) continue;
      const { deliveryId: _d, businessReference: _r, ...t } = parseBostaDelivery(body, kind, cfg.statusOverrides);
      out.push({ ...t, awb });
    }
    return out;
  }

  return {
    courier: 'bosta',
    capabilities: {
      // Bosta's price calculator appears only in community code (UNVERIFIED): no quotes.
      quote: false,
      cancel: true,
      courierLabel: cfg.courierLabel === true,
      labelFormats: ['A6'],
      trackBatchSize: 1,
      idempotency: 'lookup',
      webhook: true,
      cod: true,
    },
    async quote() {
      return [];
    },
    async verifyCredentials() {
      // The key is static: a one-row search is a read every key scope (Read, Read/Write, Full) may make.
      const res = await http.call({ operation: 'verify-key', method: 'POST', path: 'deliveries/search', json: { pageSize: 1, pageNumber: 0 }, idempotent: true }, auth);
      if (res.status !== 200) throw refused('verify-key', res, 'the API key');
      return { operation: 'deliveries/search' };
    },
    async services() {
      return BOSTA_SERVICES.map((s) => ({ ...s, source: 'catalogue' as const }));
    },
    async createShipment(req) {
      assertShipmentRequest('bosta', req, req.address ? bostaAddressProblems(req.address) : []);
      return await createDeliveryOnce(req, buildBostaDelivery(req, cfg, cfg.webhookSecret), 'create-awb');
    },
    returnService: String(BOSTA_CRP),
    /**
     * A return AWB: a type 25 CRP order, the same body as a delivery with the customer as
     * `pickupAddress` and `businessLocationId` (the account's setting, else Bosta's default) where it
     * comes back (§5.5). `receiver`, `businessReference` and the response envelope are community-sourced
     * (UNVERIFIED), as for a delivery; a lost answer is found by `businessReference` before any second order.
     */
    async createReturnPickup(req) {
      assertShipmentRequest('bosta', req, req.address ? bostaAddressProblems(req.address) : []);
      return await createDeliveryOnce(req, buildBostaDelivery(req, cfg, cfg.webhookSecret, 'crp'), 'create-return-pickup');
    },
    label,
    track,
    async cancel(a) {
      const { awb } = refOf(a);
      // Needs a Full Access key; a Read/Write key gets 403 (errorCode 1008), reported as NEEDS_RECONNECT.
      const res = await http.call({ operation: 'cancel', method: 'DELETE', path: `deliveries/business/${encodeURIComponent(awb)}/terminate`, idempotent: true }, auth);
      if (res.status === 200 || res.status === 204) return;
      if (res.status === 400 || res.status === 422)
        throw new CourierError('bosta', 'INVALID_STATE', `Bosta refused to terminate delivery ${awb}: ${bostaErrorDetails(safeJson(res.text())).map((d) => d.reason).join('; ')}`, [], { httpStatus: res.status });
      throw unexpectedStatus('bosta', 'cancel', res);
    },
    findByReference,
    async resolveWebhook(receivedSecret, payload) {
      if (!cfg.webhookSecret || !verifyBostaWebhookSecret(receivedSecret, cfg.webhookSecret))
        throw new CourierError('bosta', 'UNAUTHORIZED', 'The Bosta webhook did not carry the configured secret header.', [{ path: `headers.${(cfg.webhookHeaderName ?? 'x-expedio-webhook-secret').toLowerCase()}`, reason: 'missing or wrong' }]);
      let hint: BostaWebhookHint;
      try {
        hint = parseBostaWebhook(payload, kind);
      } catch (e) {
        throw new CourierError('bosta', 'VALIDATION', `Bosta webhook payload rejected: ${(e as Error).message}.`, [{ path: 'body', reason: (e as Error).message }]);
      }
      const [t] = await track([hint.trackingNumber]);
      if (!t) throw new CourierError('bosta', 'NOT_FOUND', `Bosta has no delivery ${hint.trackingNumber}; the webhook was not applied.`);
      return { hint, track: t, agrees: t.current?.raw.code === hint.event.raw.code };
    },
  };
}
