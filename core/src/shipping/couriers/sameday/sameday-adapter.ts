import { type AwbInput, assertShipmentRequest, type CourierAdapter, CourierError, decimalOf, fetchLabelSafely, isPdf, type Label, type LabelFormat, refOf, type TrackingStatus, type TrackResult } from '../../courier-adapter.ts';
import { type CourierAuth, type CourierHttpOptions, createCourierHttp, createOnce, createTokenCache, safeJson, unexpectedStatus } from '../../courier-http.ts';
import { buildSamedayAwb, isDuplicateReference, parseSamedayServices, parseSamedayAwbStatus, parseSamedayCreated, parseSamedayExpiry, parseSamedayStatusSyncPage, type SamedaySettings, type SamedayStatusSyncPage, samedayErrorDetails, toPhpForm } from './sameday-mapper.ts';

export const SAMEDAY_BASE_URL = 'https://api.sameday.ro';

/** The SDK asks 500 rows per status-sync page (SamedayGetStatusSyncRequest sets countPerPage 500). */
export const STATUS_SYNC_PER_PAGE = 500;
/**
 * Widest window we ask status-sync for. Sameday publishes no limit (contract §2.4); its own
 * plugins read at most 2 hours per call (PrestaShop 7200 s, OpenCart "maximum 2 hours" 6200 s).
 */
export const STATUS_SYNC_MAX_WINDOW_SECONDS = 7200;

export interface StatusSyncWindow {
  start: Date;
  end: Date;
  /** 1-based. */
  page: number;
  perPage?: number;
}

/** Sameday's delta feed: every status row of the account's parcels in a time window. */
export interface StatusSyncFeed {
  statusSync(window: StatusSyncWindow): Promise<SamedayStatusSyncPage>;
}

export interface SamedayConfig extends CourierHttpOptions, SamedaySettings {
  username: string;
  password: string;
  statusOverrides?: Record<string, TrackingStatus>;
}

/**
 * Sameday: login with X-Auth-Username/Password → X-AUTH-TOKEN until `expire_at`; on 401/403 one
 * re-login and retry (the SDK's pattern). Sameday refuses a second AWB with the same
 * clientInternalReference (`awb.not_unique`), which is our idempotency guard: no lookup by reference exists.
 */
export function createSamedayAdapter(cfg: SamedayConfig): CourierAdapter & StatusSyncFeed & { tokenLogins(): number } {
  const adapter = samedayAdapter(cfg);
  // The port's optional status feed is Sameday's status-sync.
  return { ...adapter, statusFeed: { name: 'sameday.status_sync', maxWindowSeconds: STATUS_SYNC_MAX_WINDOW_SECONDS, read: (w) => adapter.statusSync(w) } };
}

function samedayAdapter(cfg: SamedayConfig): CourierAdapter & StatusSyncFeed & { tokenLogins(): number } {
  const http = createCourierHttp('sameday', cfg);
  const tokens = createTokenCache(async () => {
    const res = await http.call({
      operation: 'login',
      method: 'POST',
      path: '/api/authenticate',
      headers: { 'X-Auth-Username': cfg.username, 'X-Auth-Password': cfg.password },
      form: new URLSearchParams({ remember_me: 'true' }),
      idempotent: true,
      anonymous: true,
    });
    if (res.status !== 200) throw new CourierError('sameday', 'NEEDS_RECONNECT', `Sameday login failed (${res.status}); update the courier account.`, [{ path: 'credentials', reason: `login answered ${res.status}` }]);
    const b = res.json() as { token?: string; expire_at?: string };
    if (!b.token) throw new CourierError('sameday', 'UPSTREAM', 'Sameday login answered without a token.');
    return { token: b.token, expiresAt: parseSamedayExpiry(b.expire_at, http.now()) };
  }, http.now);
  const auth: CourierAuth = { headers: async () => ({ 'X-AUTH-TOKEN': await tokens.get() }), invalidate: tokens.invalidate, expiredStatuses: [401, 403] };

  function badRequest(operation: string, res: Awaited<ReturnType<typeof http.call>>, ref: string): CourierError {
    if (res.status !== 400) return unexpectedStatus('sameday', operation, res);
    const details = samedayErrorDetails(safeJson(res.text()));
    if (isDuplicateReference(details))
      return new CourierError('sameday', 'CONFLICT', `Sameday already has an AWB for reference ${ref} (awb.not_unique); no second AWB was created. Find it in eawb.sameday.ro.`, details, { httpStatus: 400 });
    return new CourierError('sameday', 'VALIDATION', `Sameday refused ${operation} for ${ref}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`, details, { httpStatus: 400 });
  }

  async function label(a: AwbInput, format: LabelFormat): Promise<Label> {
    const { awb } = refOf(a);
    const res = await http.call({ operation: 'label', method: 'GET', path: `/api/awb/download/${encodeURIComponent(awb)}/${format}`, idempotent: true }, auth);
    if (res.status !== 200 || !isPdf(res.bytes)) throw badRequest('label', res, awb);
    return { bytes: res.bytes, format, mediaType: 'application/pdf', source: 'courier' };
  }

  return {
    courier: 'sameday',
    capabilities: { quote: true, cancel: true, courierLabel: true, labelFormats: ['A4', 'A6'], trackBatchSize: 1, idempotency: 'duplicate-rejected', webhook: false, cod: true },
    tokenLogins: () => tokens.logins(),
    async verifyCredentials() {
      // A fresh login, not a cached token: the test is about the credentials stored now.
      tokens.invalidate();
      await tokens.get();
      return { operation: 'login' };
    },
    async services() {
      // Service ids differ between Sameday's demo and production hosts (contract §2.1), so they are listed live.
      const res = await http.call({ operation: 'services', method: 'GET', path: '/api/client/services', query: { page: 1, countPerPage: 100 }, idempotent: true }, auth);
      if (res.status !== 200) throw badRequest('services', res, 'the service list');
      return parseSamedayServices(res.json());
    },
    async quote(req) {
      assertShipmentRequest('sameday', req);
      const res = await http.call({ operation: 'quote', method: 'POST', path: '/api/awb/estimate-cost', form: toPhpForm(buildSamedayAwb(req, cfg)), idempotent: true }, auth);
      if (res.status !== 200) throw badRequest('quote', res, req.reference);
      // Answer shape from the SDK's estimation response (amount, currency, time in hours) — UNVERIFIED.
      const b = res.json() as { amount?: number; currency?: string; time?: number };
      const amount = decimalOf(b.amount);
      return amount
        ? [{ courier: 'sameday' as const, service: String(req.service ?? 7), price: { amount, currency: b.currency ?? 'RON' }, estimatedDays: b.time ? Math.ceil(b.time / 24) : null, raw: b }]
        : [];
    },
    async createShipment(req) {
      assertShipmentRequest('sameday', req);
      const form = toPhpForm(buildSamedayAwb(req, cfg));
      return createOnce({
        courier: 'sameday',
        reference: req.reference,
        strategy: 'duplicate-rejected',
        previousAttemptUnknown: req.previousAttemptUnknown,
        create: async () => {
          const res = await http.call({ operation: 'create-awb', method: 'POST', path: '/api/awb', form, idempotent: false }, auth);
          if (res.status !== 200 && res.status !== 201) throw badRequest('create-awb', res, req.reference);
          const c = parseSamedayCreated(res.json());
          const lbl = await fetchLabelSafely(() => label(c.awb, req.labelFormat ?? 'A6'));
          return { courier: 'sameday' as const, awb: c.awb, meta: {}, parcelAwbs: c.parcelAwbs, trackingUrl: `https://sameday.ro/#awb=${c.awb}`, ...lbl, price: c.cost ? { amount: c.cost, currency: 'RON' } : null, recovered: false, raw: res.json() };
        },
      });
    },
    label,
    async track(awbs) {
      const out: TrackResult[] = [];
      for (const a of awbs) {
        const { awb } = refOf(a);
        const res = await http.call({ operation: 'track', method: 'GET', path: `/api/client/awb/${encodeURIComponent(awb)}/status`, idempotent: true }, auth);
        if (res.status === 404) continue;
        if (res.status !== 200) throw badRequest('track', res, awb);
        const t = parseSamedayAwbStatus(res.json(), cfg.statusOverrides);
        out.push({ ...t, awb, trackingUrl: `https://sameday.ro/#awb=${awb}` });
      }
      return out;
    },
    /**
     * `GET /api/client/status-sync?startTimestamp=&endTimestamp=&page=&countPerPage=` (unix seconds, as the
     * SDK's request; the pagination names come from its SamedayRequestPaginationTrait).
     */
    async statusSync(w) {
      const span = (w.end.getTime() - w.start.getTime()) / 1000;
      if (!(span > 0) || span > STATUS_SYNC_MAX_WINDOW_SECONDS)
        throw new CourierError('sameday', 'VALIDATION', `A Sameday status-sync window must be 1 s to ${STATUS_SYNC_MAX_WINDOW_SECONDS} s long (asked ${span} s).`, [{ path: 'window', reason: 'out of range' }]);
      const perPage = w.perPage ?? STATUS_SYNC_PER_PAGE;
      const res = await http.call(
        {
          operation: 'status-sync',
          method: 'GET',
          path: '/api/client/status-sync',
          query: { startTimestamp: Math.floor(w.start.getTime() / 1000), endTimestamp: Math.floor(w.end.getTime() / 1000), page: w.page, countPerPage: perPage },
          idempotent: true,
        },
        auth,
      );
      if (res.status !== 200) throw badRequest('status-sync', res, `${w.start.toISOString()}..${w.end.toISOString()} page ${w.page}`);
      return parseSamedayStatusSyncPage(res.json(), { page: w.page, perPage }, cfg.statusOverrides);
    },
    async cancel(a) {
      const { awb } = refOf(a);
      const res = await http.call({ operation: 'cancel', method: 'DELETE', path: `/api/awb/${encodeURIComponent(awb)}`, idempotent: true }, auth);
      if (res.status === 200 || res.status === 204) return;
      if (res.status === 400) throw new CourierError('sameday', 'INVALID_STATE', `Sameday refused to cancel AWB ${awb}: ${samedayErrorDetails(safeJson(res.text())).map((d) => d.reason).join('; ')}`, [], { httpStatus: 400 });
      throw unexpectedStatus('sameday', 'cancel', res);
    },
  };
}
