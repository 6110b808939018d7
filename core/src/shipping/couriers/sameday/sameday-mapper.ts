import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { decimalOf, mapStatus, type RawStatus, type ShipmentRequest, type StatusMapping, type TrackEvent, type TrackingStatus, type TrackResult, totalWeightKg, trackResult, type StatusFeedPage } from '../../courier-adapter.ts';

/** Pure Sameday mapping (shared/contracts/couriers.md §2). Bodies are PHP-style nested form fields. */

export interface SamedaySettings {
  pickupPointId: number;
}

export function buildSamedayAwb(req: ShipmentRequest, s: SamedaySettings): Record<string, unknown> {
  const a = req.address;
  return {
    pickupPoint: s.pickupPointId,
    packageType: 0,
    packageNumber: req.parcels.length,
    packageWeight: totalWeightKg(req.parcels),
    service: Number(req.service ?? 7),
    awbPayment: 1,
    cashOnDelivery: req.cod ? req.cod.amount : 0,
    cashOnDeliveryReturns: req.cod ? 1 : null,
    insuredValue: req.declaredValue ? req.declaredValue.amount : 0,
    thirdPartyPickup: 0,
    awbRecipient: {
      name: a.company || a.name,
      phoneNumber: a.phone,
      address: [a.addressLine, a.building, a.entrance, a.floor, a.apartment].filter(Boolean).join(', '),
      personType: a.company ? 1 : 0,
      ...(a.company ? { companyName: a.company } : {}),
      cityString: a.locality,
      countyString: a.county ?? null,
      postalCode: a.postalCode ?? null,
      email: a.email ?? null,
    },
    parcels: req.parcels.map((p) => ({ weight: p.weightKg, width: p.widthCm, length: p.lengthCm, height: p.heightCm })),
    observation: req.observation ?? null,
    clientInternalReference: req.reference,
    currency: req.cod?.currency ?? 'RON',
  };
}

/** `awbRecipient[name]=…&parcels[0][weight]=…`, as the SDK's RequestBodyUrlEncoded; nulls are left out. */
export function toPhpForm(value: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams();
  const walk = (v: unknown, key: string) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${key}[${i}]`);
    }
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}[${k}]` : k);
    else out.append(key, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  };
  walk(value, '');
  return out;
}

export function parseSamedayCreated(body: unknown): { awb: string; parcelAwbs: string[]; cost: string | null; pdfLink: string | null } {
  const b = body as Record<string, unknown>;
  if (!b?.awbNumber) throw new Error('Sameday answered without awbNumber');
  const parcels = Array.isArray(b.parcels) ? (b.parcels as { awbNumber?: string }[]) : [];
  return {
    awb: String(b.awbNumber),
    parcelAwbs: parcels.map((p) => String(p.awbNumber)),
    cost: decimalOf(b.awbCost),
    pdfLink: typeof b.pdfLink === 'string' ? b.pdfLink : null,
  };
}

const FIELD_PATHS: Record<string, string> = {
  'awbRecipient.cityString': 'address.locality',
  'awbRecipient.city': 'address.locality',
  'awbRecipient.countyString': 'address.county',
  'awbRecipient.county': 'address.county',
  'awbRecipient.postalCode': 'address.postalCode',
  'awbRecipient.phoneNumber': 'address.phone',
  'awbRecipient.address': 'address.addressLine',
  'awbRecipient.name': 'address.name',
  clientInternalReference: 'reference',
};

/** Symfony-form errors `errors.children.<field>(.children…).errors[]` flattened to dotted paths. */
export function samedayErrorDetails(body: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { errors?: unknown; children?: Record<string, unknown> };
    if (Array.isArray(n.errors)) for (const r of n.errors) out.push({ path: FIELD_PATHS[path] ?? path, reason: String(r) });
    for (const [k, child] of Object.entries(n.children ?? {})) walk(child, path ? `${path}.${k}` : k);
  };
  const b = body as { errors?: unknown; message?: string };
  walk(b?.errors, '');
  if (!out.length && b?.message) out.push({ path: 'request', reason: b.message });
  return out;
}

export const isDuplicateReference = (details: ErrorDetail[]): boolean =>
  details.some((d) => d.path === 'reference' && /not_unique/i.test(d.reason));

// Only the ids seen in the SDK's tests are known (contract §2.4: full list UNVERIFIED); the rest surface as unknown.
const STATUS: Record<string, TrackingStatus> = { 1: 'created', 33: 'out_for_delivery', 9: 'delivered' };

export const mapSamedayStatus = (raw: RawStatus, overrides?: Record<string, TrackingStatus>): StatusMapping =>
  mapStatus(STATUS, raw, {}, overrides);

/** ISO with a `+0200` offset becomes `+02:00` so Date.parse reads it everywhere. */
const iso = (d: unknown): string | null => (typeof d === 'string' && d ? d.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : null);

interface SamedayStatusRow {
  statusId?: number | string;
  status?: string;
  statusDate?: string;
  county?: string;
  transitLocation?: string;
  reason?: string;
  parcelAwbNumber?: string;
}

const eventOf = (r: SamedayStatusRow, overrides?: Record<string, TrackingStatus>): TrackEvent => {
  const m = mapSamedayStatus({ code: String(r.statusId), description: String(r.status ?? '') }, overrides);
  return {
    ...m,
    ...(r.reason ? { reason: r.reason } : {}),
    occurredAt: iso(r.statusDate),
    location: r.transitLocation || r.county || null,
  };
};

/** `GET /api/client/awb/{awb}/status`; a cancelled expedition is reported by its summary flag. */
export function parseSamedayAwbStatus(body: unknown, overrides?: Record<string, TrackingStatus>): TrackResult {
  const b = body as { expeditionSummary?: Record<string, unknown>; expeditionHistory?: SamedayStatusRow[]; expeditionStatus?: SamedayStatusRow };
  const history = b.expeditionHistory?.length ? b.expeditionHistory : b.expeditionStatus ? [b.expeditionStatus] : [];
  const events = history.map((r) => eventOf(r, overrides));
  if (b.expeditionSummary?.canceled === true)
    events.push({ status: 'cancelled', unknown: false, raw: { code: 'expeditionSummary.canceled', description: 'canceled' }, occurredAt: null, location: null });
  return trackResult(String(b.expeditionSummary?.awbNumber ?? ''), events, null, body);
}

/** `GET /api/client/status-sync` rows grouped by expedition AWB (parcel AWB minus its 3-digit suffix); each AWB keeps only its own rows as raw. */
export function parseSamedayStatusSync(body: unknown, overrides?: Record<string, TrackingStatus>): TrackResult[] {
  const rows = ((body as { data?: SamedayStatusRow[] })?.data ?? []) as SamedayStatusRow[];
  const byAwb = new Map<string, SamedayStatusRow[]>();
  for (const r of rows) {
    const awb = String(r.parcelAwbNumber ?? '').replace(/\d{3}$/, '');
    if (!awb) continue;
    byAwb.set(awb, [...(byAwb.get(awb) ?? []), r]);
  }
  return [...byAwb].map(([awb, own]) => trackResult(awb, own.map((r) => eventOf(r, overrides)), null, { statusSync: own }));
}

/** One page of the status-sync feed: its AWBs' events and what paging needs. */
/** A status-sync page is the port's status-feed page. */
export type SamedayStatusSyncPage = StatusFeedPage;

/** The SDK reads `currentPage`, `perPage` and, where present, `total` and `pages`; an empty body is an empty page. */
export function parseSamedayStatusSyncPage(body: unknown, requested: { page: number; perPage: number }, overrides?: Record<string, TrackingStatus>): SamedayStatusSyncPage {
  const b = (body ?? {}) as { currentPage?: unknown; perPage?: unknown; pages?: unknown; data?: unknown };
  const rowCount = Array.isArray(b.data) ? b.data.length : 0;
  const page = Number(b.currentPage) || requested.page;
  const perPage = Number(b.perPage) || requested.perPage;
  const pages = b.pages == null || Number.isNaN(Number(b.pages)) ? null : Number(b.pages);
  return { results: parseSamedayStatusSync(body, overrides), rowCount, page, perPage, pages, last: rowCount < perPage || (pages !== null && page >= pages) };
}

/** Sameday's `expire_at` is `Y-m-d H:i` (Bucharest time per the SDK); unreadable means 10 minutes. */
export function parseSamedayExpiry(expireAt: unknown, now: Date): Date {
  const m = typeof expireAt === 'string' ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/.exec(expireAt) : null;
  if (!m) return new Date(now.getTime() + 10 * 60_000);
  const t = Date.parse(`${m[1]}T${m[2]}:00+02:00`);
  return Number.isNaN(t) ? new Date(now.getTime() + 10 * 60_000) : new Date(t);
}

/**
 * `GET /api/client/services` (SD-SDK SamedayGetServicesRequest): a page `{data:[{id, name,
 * serviceCode, deliveryType, defaultService}]}`; the id is what the AWB's `service` takes. Field
 * names after the SDK's SamedayGetServicesResponse (UNVERIFIED against a live answer).
 */
export function parseSamedayServices(body: unknown): Array<{ code: string; name: string; source: 'courier' }> {
  const rows = (body as { data?: unknown })?.data;
  if (!Array.isArray(rows)) return [];
  return rows
    .filter((r): r is { id: number | string; name?: string; serviceCode?: string } => !!r && typeof r === 'object' && (r as { id?: unknown }).id != null)
    .map((r) => ({ code: String(r.id), name: [r.name, r.serviceCode ? `(${r.serviceCode})` : ''].filter(Boolean).join(' ') || String(r.id), source: 'courier' as const }));
}
