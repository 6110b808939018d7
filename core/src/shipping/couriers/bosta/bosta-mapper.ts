import { timingSafeEqual } from 'node:crypto';
import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { isPositive } from '../../../shared/money.ts';
import { mapStatus, type RawStatus, type ShipmentAddress, type ShipmentRequest, type StatusMapping, type TrackEvent, type TrackingStatus, type TrackResult, totalWeightKg, trackResult } from '../../courier-adapter.ts';
import { addressPathFromText } from '../innoship/innoship-mapper.ts';

/** Pure Bosta mapping (shared/contracts/couriers.md §5). */

// Domestic states from two agreeing community sources (§5.4; official table not captured).
const DOMESTIC: Record<string, TrackingStatus> = {
  10: 'created',
  11: 'created',
  21: 'picked_up',
  23: 'picked_up',
  20: 'in_transit',
  22: 'in_transit',
  24: 'in_transit',
  25: 'in_transit',
  30: 'in_transit',
  40: 'in_transit',
  41: 'out_for_delivery',
  45: 'delivered',
  46: 'returned_to_sender',
  60: 'returned_to_sender',
  47: 'failed_attempt',
  103: 'failed_attempt',
  48: 'cancelled',
  49: 'cancelled',
  100: 'exception',
  101: 'exception',
  102: 'exception',
  104: 'exception',
  105: 'exception',
};
// International orders reuse numbers with other meanings (45 = cleared customs, 60 = delivered).
const INTERNATIONAL: Record<string, TrackingStatus> = {
  10: 'created',
  20: 'in_transit',
  21: 'picked_up',
  26: 'in_transit',
  30: 'in_transit',
  45: 'in_transit',
  41: 'out_for_delivery',
  60: 'delivered',
  47: 'exception',
  48: 'cancelled',
};
const REASONS: Record<string, string> = { 49: 'uncovered_area', 100: 'lost', 101: 'damaged', 103: 'awaiting_action' };
// A CRP (type 25) reads some states the other way round (§5.4, §6): 41 is "Picked up" (from the
// customer) and 46 "Returned to business" is the parcel reaching us, i.e. the return delivered.
const CRP: Record<string, TrackingStatus> = { ...DOMESTIC, 41: 'picked_up', 46: 'delivered' };

export type BostaOrderKind = 'domestic' | 'international';

export const mapBostaState = (raw: RawStatus, kind: BostaOrderKind = 'domestic', overrides?: Record<string, TrackingStatus>, crp = false): StatusMapping =>
  mapStatus(kind === 'international' ? INTERNATIONAL : crp ? CRP : DOMESTIC, raw, kind === 'international' ? {} : REASONS, overrides);

/** The delivery (or webhook) is a Customer Return Pickup: `type` 25, `{code: 25}` or `CUSTOMER_RETURN_PICKUP`. */
export function isBostaCrp(type: unknown): boolean {
  const t = type && typeof type === 'object' ? ((type as Record<string, unknown>).code ?? (type as Record<string, unknown>).value) : type;
  return Number(t) === BOSTA_CRP || String(t).toUpperCase().replace(/[\s-]+/g, '_') === 'CUSTOMER_RETURN_PICKUP';
}

export interface BostaWebhookHint {
  deliveryId: string;
  trackingNumber: string;
  businessReference: string | null;
  event: TrackEvent;
  /** Present only on Delivered; a hint — re-fetch the delivery before applying COD. */
  cod: string | null;
  /** Idempotency key for processing: (_id, state, timeStamp). */
  dedupeKey: string;
}

/** Bosta authenticates webhooks only by a static custom header; compared in constant time. */
export function verifyBostaWebhookSecret(received: string | null | undefined, expected: string): boolean {
  if (!received || !expected) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses the webhook payload into a hint; `state` may arrive as a number or a string. */
export function parseBostaWebhook(payload: unknown, kind: BostaOrderKind = 'domestic'): BostaWebhookHint {
  const p = payload as Record<string, unknown>;
  if (!p || typeof p !== 'object' || p._id == null || p.trackingNumber == null || p.state == null) throw new Error('Bosta webhook payload lacks _id, trackingNumber or state');
  const state = String(p.state);
  const ts = typeof p.timeStamp === 'number' ? new Date(p.timeStamp).toISOString() : typeof p.timeStamp === 'string' ? p.timeStamp : null;
  const m = mapBostaState({ code: state, description: String(p.exceptionReason ?? p.type ?? '') }, kind, undefined, isBostaCrp(p.type));
  return {
    deliveryId: String(p._id),
    trackingNumber: String(p.trackingNumber),
    businessReference: p.businessReference == null ? null : String(p.businessReference),
    event: { ...m, occurredAt: ts, location: null },
    cod: p.cod == null ? null : String(p.cod),
    dedupeKey: `${p._id}:${state}:${p.timeStamp ?? ''}`,
  };
}

export interface BostaSettings {
  /** Where returns go; Bosta uses the business default when absent. */
  businessLocationId?: string;
  /** Bosta `specs.packageType` ("Small" in the documented example). */
  packageType?: string;
  /** Per-order webhook (`webhookUrl` + `webhookCustomHeaders`); the header carries our per-account secret. */
  webhookUrl?: string;
  webhookHeaderName?: string;
  orderKind?: BostaOrderKind;
}

export const BOSTA_WEBHOOK_HEADER = 'X-Expedio-Webhook-Secret';

/** Documented address rules checked before any call: firstLine longer than 5 characters, a district. */
export function bostaAddressProblems(a: ShipmentAddress): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (a.addressLine && a.addressLine.trim().length <= 5) out.push({ path: 'address.addressLine', reason: 'must be longer than 5 characters for Bosta' });
  if (!a.districtId && !a.district) out.push({ path: 'address.district', reason: 'is required for Bosta (district id or name)' });
  return out;
}

/** Bosta's order type 25, CRP (Customer Return Pickup): the courier picks the parcel up at the customer and brings it to `businessLocationId`. */
export const BOSTA_CRP = 25;

/**
 * `POST /deliveries?apiVersion=1` body (fixture bosta-create-delivery.request.json). `receiver`, `cod`,
 * `businessReference` and `notes` come from community code only (UNVERIFIED).
 */
export function buildBostaDelivery(req: ShipmentRequest, s: BostaSettings, webhookSecret?: string, kind: 'deliver' | 'crp' = 'deliver'): Record<string, unknown> {
  const a = req.address;
  const [firstName, ...rest] = (a.contactPerson ?? a.name).trim().split(/\s+/);
  // A Customer Return Pickup (type 25) is the same order with the customer as `pickupAddress` (required for CRP), not `dropOffAddress` (§5.2, §5.5).
  const addressKey = kind === 'crp' ? 'pickupAddress' : 'dropOffAddress';
  return {
    type: kind === 'crp' ? BOSTA_CRP : 10,
    specs: {
      packageType: s.packageType ?? 'Small',
      size: s.packageType ?? 'Small',
      weight: totalWeightKg(req.parcels),
      packageDetails: { description: (req.contents ?? '').slice(0, 200), itemsCount: req.parcels.length },
    },
    [addressKey]: {
      city: a.locality,
      ...(a.districtId ? { districtId: a.districtId } : { districtName: a.district }),
      firstLine: a.addressLine,
      ...(a.landmark ? { secondLine: a.landmark } : {}),
      ...(a.building || a.streetNo ? { buildingNumber: a.building ?? a.streetNo } : {}),
      ...(a.floor ? { floor: a.floor } : {}),
      ...(a.apartment ? { apartment: a.apartment } : {}),
    },
    receiver: { firstName, lastName: rest.join(' ') || firstName, phone: a.phone.replace(/[^0-9+]/g, ''), ...(a.email ? { email: a.email } : {}) },
    // A return collects no cash from the customer.
    ...(kind === 'deliver' && req.cod && isPositive(req.cod.amount) ? { cod: Number(req.cod.amount) } : {}),
    businessReference: req.reference,
    ...(req.observation ? { notes: req.observation } : {}),
    ...(s.businessLocationId ? { businessLocationId: s.businessLocationId } : {}),
    ...(s.webhookUrl && webhookSecret ? { webhookUrl: s.webhookUrl, webhookCustomHeaders: { [s.webhookHeaderName ?? BOSTA_WEBHOOK_HEADER]: webhookSecret } } : {}),
  };
}

/** Create answer: community code reads `data._id` and `data.trackingNumber` (UNVERIFIED). */
export function parseBostaCreated(body: unknown): { deliveryId: string; trackingNumber: string } {
  const d = ((body as { data?: unknown })?.data ?? body) as Record<string, unknown> | undefined;
  if (!d || d.trackingNumber == null || d._id == null) throw new Error('Bosta answered without _id and trackingNumber');
  return { deliveryId: String(d._id), trackingNumber: String(d.trackingNumber) };
}

/** Errors look like `{success:false, message, errorCode}` (terminate 403 sample); the message names the field. */
export function bostaErrorDetails(body: unknown): ErrorDetail[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const msg = typeof b.message === 'string' ? b.message : typeof body === 'string' ? body : '';
  return msg ? [{ path: addressPathFromText(msg) ?? 'request', reason: msg }] : [];
}

export const isBostaDuplicate = (details: ErrorDetail[]): boolean => details.some((d) => /duplicat|already exists|businessReference/i.test(d.reason));

const stateOf = (v: unknown): { code: string; value: string } => {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return { code: String(o.code ?? ''), value: String(o.value ?? '') };
  }
  return { code: String(v ?? ''), value: '' };
};

/**
 * `GET /deliveries/business/{trackingNumber}` (community path, UNVERIFIED): `data.state` as {code,value}
 * or a bare code, history in `data.timeline[] {code, value, date}` when present (UNVERIFIED), else the
 * current state alone at `updatedAt`.
 */
export function parseBostaDelivery(body: unknown, kind: BostaOrderKind = 'domestic', overrides?: Record<string, TrackingStatus>): TrackResult & { deliveryId: string; businessReference: string | null } {
  const d = ((body as { data?: unknown })?.data ?? body ?? {}) as Record<string, unknown>;
  const tn = String(d.trackingNumber ?? '');
  const timeline = Array.isArray(d.timeline) ? (d.timeline as Record<string, unknown>[]) : [];
  const rows = timeline.length ? timeline.map((t) => ({ ...stateOf(t.code ?? t.state), value: String(t.value ?? ''), date: t.date ?? null })) : [{ ...stateOf(d.state), date: d.updatedAt ?? null }];
  const events: TrackEvent[] = rows
    .filter((r) => r.code)
    .map((r) => ({ ...mapBostaState({ code: r.code, description: r.value }, kind, overrides, isBostaCrp(d.type)), occurredAt: typeof r.date === 'string' ? r.date : null, location: null }));
  return { ...trackResult(tn, events, bostaTrackingUrl(tn), d), deliveryId: String(d._id ?? ''), businessReference: d.businessReference == null ? null : String(d.businessReference) };
}

export const bostaTrackingUrl = (tn: string) => `https://bosta.co/tracking-shipments?shipment-number=${encodeURIComponent(tn)}`;

/** Recipient of a fetched delivery, for our own label on a reprint. */
export function bostaRecipient(body: unknown): ShipmentAddress {
  const d = ((body as { data?: unknown })?.data ?? body ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const r = d.receiver ?? {};
  const a = d.dropOffAddress ?? {};
  const city = a.city && typeof a.city === 'object' ? (a.city as Record<string, unknown>).name : a.city;
  const district = a.district && typeof a.district === 'object' ? (a.district as Record<string, unknown>).name : (a.districtName ?? a.district);
  return {
    name: [r.firstName, r.lastName].filter(Boolean).join(' ') || String(r.fullName ?? ''),
    phone: String(r.phone ?? ''),
    countryCode: 'EG',
    locality: String(city ?? ''),
    district: district == null ? undefined : String(district),
    addressLine: String(a.firstLine ?? ''),
    landmark: a.secondLine == null ? undefined : String(a.secondLine),
  };
}

/** `POST /deliveries/search` answer (community, UNVERIFIED): `data.deliveries[]`. */
export function findBostaByReference(body: unknown, reference: string): Record<string, unknown> | null {
  const data = ((body as { data?: unknown })?.data ?? {}) as { deliveries?: unknown[] };
  const list = (Array.isArray(data.deliveries) ? data.deliveries : Array.isArray(data) ? data : []) as Record<string, unknown>[];
  // Terminated deliveries do not hold the reference any more: a new AWB is the right outcome then.
  return list.find((x) => x.businessReference === reference && !['48', '49'].includes(stateOf(x.state).code)) ?? null;
}
