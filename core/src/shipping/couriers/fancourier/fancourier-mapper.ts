import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { isPositive } from '../../../shared/money.ts';
import { decimalOf, mapStatus, type Quote, type RawStatus, type ShipmentRequest, type StatusMapping, type TrackEvent, type TrackingStatus, type TrackResult, totalWeightKg, trackResult } from '../../courier-adapter.ts';
import { addressPathFromText } from '../innoship/innoship-mapper.ts';

/** Pure FAN Courier v2 mapping (shared/contracts/couriers.md §3). */

// Event ids seen in the SDK sample (§3.4). S2 "delivered" is believed, not verified: confirm against
// GET /reports/awb-events before relying on it; every other id surfaces as unknown.
const STATUS: Record<string, TrackingStatus> = {
  C0: 'picked_up',
  H3: 'in_transit',
  H10: 'in_transit',
  H1: 'in_transit',
  C1: 'in_transit',
  S1: 'out_for_delivery',
  S12: 'failed_attempt',
  S2: 'delivered',
};
const REASONS: Record<string, string> = { S12: 'rescheduled' };

export const mapFanStatus = (raw: RawStatus, overrides?: Record<string, TrackingStatus>): StatusMapping => mapStatus(STATUS, raw, REASONS, overrides);

/** FAN dates are `Y-m-d H:i:s` local (Bucharest) time without an offset; kept as sent, made ISO-shaped. */
const isoLocal = (d: unknown) => (typeof d === 'string' && d ? d.replace(' ', 'T') : null);

export function parseFanTracking(body: unknown, overrides?: Record<string, TrackingStatus>): TrackResult[] {
  const items = ((body as { data?: unknown[] })?.data ?? []) as Record<string, unknown>[];
  return items.map((it) => {
    const events: TrackEvent[] = ((it.events ?? []) as Record<string, unknown>[]).map((e) => ({
      ...mapFanStatus({ code: String(e.id), description: String(e.name ?? '') }, overrides),
      occurredAt: isoLocal(e.date),
      location: typeof e.location === 'string' ? e.location : null,
    }));
    return trackResult(String(it.awbNumber), events, null, it);
  });
}

/** Success per item: an AWB number and no errors (FAN renamed `status` to `success` in 2024). */
export function parseFanCreated(body: unknown): { awb: string; tariff: unknown }[] | { errors: ErrorDetail[] } {
  const items = ((body as { response?: unknown[] })?.response ?? []) as Record<string, unknown>[];
  const errors: ErrorDetail[] = [];
  for (const it of items)
    if (it.awbNumber == null || (it.errors && Object.keys(it.errors).length))
      for (const [k, v] of Object.entries((it.errors ?? {}) as Record<string, string>)) errors.push({ path: FIELD[k] ?? k, reason: String(v) });
  if (errors.length || !items.length) return { errors };
  return items.map((it) => ({ awb: String(it.awbNumber), tariff: it.tariff }));
}

const FIELD: Record<string, string> = {
  'recipient.address.locality': 'address.locality',
  'recipient.address.county': 'address.county',
  'recipient.phone': 'address.phone',
  'recipient.locality': 'address.locality',
  'recipient.county': 'address.county',
  'recipient.name': 'address.name',
  'recipient.address.street': 'address.street',
  'info.parcels': 'parcels',
  'info.weight': 'parcels',
};

export interface FanSettings {
  /** The FAN account's clientId, required by almost every call. */
  clientId: string | number;
  /** Service name when the request names none; COD goes to the account with "Cont Colector". */
  service?: string;
}

const fanService = (req: ShipmentRequest, s: FanSettings) => req.service ?? s.service ?? (req.cod && isPositive(req.cod.amount) ? 'Cont Colector' : 'Standard');

/**
 * `POST /intern-awb` body (fixture fancourier-intern-awb.request.json). FAN has no reference field; our
 * reference rides in `costCenter`, which `GET /reports/awb` echoes back (SDK ShippingSlip) and is how a
 * lost create is found again. Echoing it unchanged is UNVERIFIED against the live API.
 */
export function buildFanAwb(req: ShipmentRequest, s: FanSettings): Record<string, unknown> {
  const a = req.address;
  const biggest = [...req.parcels].sort((x, y) => y.lengthCm * y.widthCm * y.heightCm - x.lengthCm * x.widthCm * x.heightCm)[0];
  return {
    clientId: Number(s.clientId),
    shipments: [
      {
        info: {
          service: fanService(req, s),
          bank: null,
          bankAccount: null,
          packages: { parcel: req.parcels.length, envelope: 0 },
          weight: totalWeightKg(req.parcels),
          cod: req.cod ? Number(req.cod.amount) : 0,
          currency: req.cod?.currency ?? 'RON',
          declaredValue: req.declaredValue ? Number(req.declaredValue.amount) : 0,
          // Literal value of the SDK's TYPE_SENDER is UNVERIFIED; "sender" is what reports/awb shows.
          payment: 'sender',
          refund: null,
          returnPayment: null,
          observation: req.observation ?? '',
          content: req.contents ?? '',
          // One set of dimensions per AWB: the largest parcel's.
          dimensions: biggest ? { length: biggest.lengthCm, height: biggest.heightCm, width: biggest.widthCm } : null,
          costCenter: req.reference,
          options: [],
          uitCode: null,
        },
        recipient: {
          name: (a.company || a.name).slice(0, 100),
          contactPerson: a.contactPerson ?? a.name,
          phone: a.phone.replace(/[^0-9+]/g, ''),
          secondaryPhone: null,
          email: a.email ?? null,
          address: {
            county: a.county ?? null,
            locality: a.locality,
            street: a.street ?? a.addressLine,
            // The SDK notes the API demands a string here.
            streetNo: a.streetNo ? String(a.streetNo) : '',
            pickupLocationId: null,
            zipCode: a.postalCode ?? null,
            building: a.building ?? null,
            entrance: a.entrance ?? null,
            floor: a.floor ?? null,
            apartment: a.apartment ?? null,
          },
        },
        sender: { address: { dropOffLocationId: null } },
      },
    ],
  };
}

/** Nested keys PHP-style (`info[service]=…`), as the SDK's GET requests send them. */
export function phpQuery(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, key: string) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, key ? `${key}[${k}]` : k);
    else out[key] = String(v);
  };
  walk(value, '');
  return out;
}

/** `GET /reports/awb/internal-tariff` query (SDK GetCosts::pack). */
export function buildFanTariffQuery(req: ShipmentRequest, s: FanSettings): Record<string, string> {
  const [info] = (buildFanAwb(req, s).shipments as { info: Record<string, unknown> }[]) as [{ info: Record<string, unknown> }];
  return phpQuery({
    clientId: s.clientId,
    info: { service: info.info.service, payment: 'sender', weight: info.info.weight, packages: info.info.packages, dimensions: info.info.dimensions, declaredValue: info.info.declaredValue || null },
    recipient: { locality: req.address.locality, county: req.address.county ?? null },
    sender: req.sender ? { locality: req.sender.locality, county: req.sender.county ?? null } : null,
  });
}

/** Tariff answer: extraKmCost, weightCost, … costNoVAT, vat, total [FAN-SDK README]. */
export function parseFanTariff(body: unknown, service: string): Omit<Quote, 'courier'>[] {
  const d = ((body as { data?: unknown })?.data ?? body ?? {}) as Record<string, unknown>;
  const amount = decimalOf(d.total);
  return amount ? [{ service, price: { amount, currency: 'RON' }, estimatedDays: null, raw: d }] : [];
}

/** `GET /reports/awb` (borderou) items `{info:{awbNumber, costCenter, cost…}, recipient, sender}` [SDK ShippingSlip]. */
export function findFanByReference(body: unknown, reference: string): { awb: string; cost: string | null; raw: unknown } | null {
  const items = ((body as { data?: unknown[] })?.data ?? []) as { info?: Record<string, unknown> }[];
  const hit = items.find((it) => it.info?.costCenter === reference && it.info?.awbNumber != null && it.info.awbNumber !== '');
  return hit ? { awb: String(hit.info!.awbNumber), cost: decimalOf(hit.info!.cost), raw: hit } : null;
}

/** Non-per-item errors: `{status:"error", message, errors:{field: text|[text]}}` (shape UNVERIFIED). */
export function fanErrorDetails(body: unknown): ErrorDetail[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: ErrorDetail[] = [];
  for (const [k, v] of Object.entries((b.errors ?? {}) as Record<string, unknown>))
    for (const t of Array.isArray(v) ? v : [v]) out.push({ path: FIELD[k] ?? addressPathFromText(k) ?? k, reason: String(t) });
  if (!out.length && typeof b.message === 'string') out.push({ path: addressPathFromText(b.message) ?? 'request', reason: b.message });
  return out;
}

/**
 * `expiresAt` is `Y-m-d H:i:s` in an unknown timezone (SDK comment). Read as UTC minus 3 h (Bucharest's
 * largest offset) so the token is always renewed before it really expires; never beyond the 24 h lifetime.
 */
export function parseFanExpiry(expiresAt: unknown, now: Date): Date {
  const cap = now.getTime() + 24 * 3600_000;
  const m = typeof expiresAt === 'string' ? /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)/.exec(expiresAt) : null;
  const t = m ? Date.parse(`${m[1]}T${m[2]}${m[3] ? '' : ':00'}Z`) - 3 * 3600_000 : Number.NaN;
  return new Date(Number.isNaN(t) ? now.getTime() + 20 * 3600_000 : Math.min(t, cap));
}
