import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { decimalOf, mapStatus, type Quote, type RawStatus, type ShipmentRequest, type StatusMapping, type TrackEvent, type TrackingStatus, type TrackResult, totalWeightKg, trackResult } from '../../courier-adapter.ts';

/** Pure Innoship mapping (shared/contracts/couriers.md §1). Bodies use the camelCase of the official Magento module. */

export interface InnoshipSettings {
  /** ExternalClientLocation: the warehouse id configured in the Innoship portal. */
  clientLocationId: string;
  /** Forces a courier (1 Cargus, 3 FAN, 6 Sameday…); Innoship's routing rules decide when absent. */
  courierId?: number;
  /** COD paid back by bank transfer (normal for e-shops) or as cash. */
  codMode?: 'bank' | 'cash';
}

export function buildInnoshipOrder(req: ShipmentRequest, s: InnoshipSettings, shipDate: string): Record<string, unknown> {
  const a = req.address;
  const cod = req.cod ? Number(req.cod.amount) : null;
  const bank = (s.codMode ?? 'bank') === 'bank';
  return {
    serviceId: Number(req.service ?? 1),
    ...(s.courierId ? { courierId: s.courierId } : {}),
    shipmentDate: `${shipDate}T10:00:00Z`,
    shipmentDateEnd: `${shipDate}T18:00:00Z`,
    addressTo: {
      name: a.company || a.name,
      contactPerson: a.contactPerson ?? a.name,
      country: a.countryCode,
      countyName: a.county ?? null,
      localityName: a.locality,
      addressText: a.addressLine.slice(0, 100),
      ...(a.street ? { streetName: a.street } : {}),
      ...(a.streetNo ? { streetNumber: a.streetNo } : {}),
      postalCode: a.postalCode ?? null,
      // The Magento module strips everything but digits and + (Innoship rejects other characters).
      phone: a.phone.replace(/[^0-9+]/g, ''),
      email: a.email ?? null,
    },
    payment: 'Sender',
    extra: {
      bankRepaymentAmount: bank ? cod : null,
      bankRepaymentCurrency: bank && req.cod ? req.cod.currency : null,
      cashOnDeliveryAmount: bank ? null : cod,
      cashOnDeliveryCurrency: !bank && req.cod ? req.cod.currency : null,
      declaredValueAmount: req.declaredValue ? Number(req.declaredValue.amount) : null,
      openPackage: false,
      saturdayDelivery: false,
      reference1: req.reference,
    },
    parameters: { async: false },
    externalClientLocation: s.clientLocationId,
    externalOrderId: req.reference,
    sourceChannel: 'eCommerce',
    observation: req.observation?.slice(0, 500) ?? null,
    content: {
      envelopeCount: 0,
      parcelsCount: req.parcels.length,
      palettesCount: 0,
      totalWeight: totalWeightKg(req.parcels),
      contents: req.contents?.slice(0, 100) ?? null,
      parcels: req.parcels.map((p, i) => ({
        sequenceNo: i + 1,
        size: { width: p.widthCm, height: p.heightCm, length: p.lengthCm },
        weight: p.weightKg,
        type: 2,
        reference1: p.reference ?? req.reference,
      })),
    },
  };
}

export interface InnoshipCreated {
  awb: string;
  courierId: number;
  clientOrderId: string | null;
  trackingUrl: string | null;
  price: string | null;
}

export function parseInnoshipCreated(body: unknown): InnoshipCreated {
  const b = body as Record<string, unknown>;
  const awb = b?.courierShipmentId;
  if (awb == null || awb === '') throw new Error('Innoship answered without courierShipmentId');
  // price is an opaque object in every source read (UNVERIFIED); take a total when one is visible.
  const price = b.price && typeof b.price === 'object' ? (b.price as Record<string, unknown>) : null;
  return {
    awb: String(awb),
    courierId: Number(b.courier),
    clientOrderId: b.clientOrderId == null ? null : String(b.clientOrderId),
    trackingUrl: typeof b.trackPageUrl === 'string' ? b.trackPageUrl : null,
    price: price ? decimalOf(price.totalAmount ?? price.amount) : null,
  };
}

/** `POST /api/Price` answer; its shape is UNVERIFIED (contract §1.2), read defensively. */
export function parseInnoshipPrices(body: unknown): Omit<Quote, 'courier'>[] {
  const items = Array.isArray(body) ? body : [];
  const out: Omit<Quote, 'courier'>[] = [];
  for (const it of items as Record<string, unknown>[]) {
    const price = (it.price ?? {}) as Record<string, unknown>;
    const amount = decimalOf(price.totalAmount ?? price.amount ?? it.totalAmount ?? it.amount);
    if (!amount) continue;
    out.push({
      service: `${it.serviceId ?? ''}${it.courierId ? `@${it.courierId}` : ''}`,
      price: { amount, currency: String(price.currency ?? it.currency ?? 'RON') },
      estimatedDays: typeof it.expectedDeliveryDays === 'number' ? it.expectedDeliveryDays : null,
      raw: it,
    });
  }
  return out;
}

// Innoship status ids [IS-SDK Tables::statuses], mapped per contract §6.1. 44/45 (ready at a pick-up
// point or locker) have no bucket of their own in our vocabulary: out_for_delivery with the reason kept.
const STATUS: Record<string, TrackingStatus> = {
  1: 'created',
  2: 'picked_up',
  3: 'picked_up',
  10: 'in_transit',
  20: 'in_transit',
  34: 'in_transit',
  39: 'in_transit',
  41: 'in_transit',
  43: 'in_transit',
  30: 'out_for_delivery',
  44: 'out_for_delivery',
  45: 'out_for_delivery',
  31: 'failed_attempt',
  35: 'failed_attempt',
  36: 'failed_attempt',
  37: 'failed_attempt',
  40: 'failed_attempt',
  42: 'failed_attempt',
  46: 'failed_attempt',
  100: 'delivered',
  103: 'delivered',
  104: 'returned_to_sender',
  110: 'returned_to_sender',
  106: 'cancelled',
  107: 'cancelled',
  108: 'cancelled',
  33: 'exception',
  38: 'exception',
  47: 'exception',
  101: 'exception',
  102: 'exception',
  105: 'exception',
  109: 'exception',
};
const REASONS: Record<string, string> = {
  31: 'bad_address',
  33: 'damaged',
  36: 'not_home',
  37: 'closed',
  40: 'refused',
  44: 'ready_for_pickup',
  45: 'ready_for_pickup',
  46: 'storage_exceeded',
  101: 'destroyed',
  102: 'lost',
  103: 'partial_delivery',
};

export const mapInnoshipStatus = (raw: RawStatus, overrides?: Record<string, TrackingStatus>): StatusMapping =>
  mapStatus(STATUS, raw, REASONS, overrides);

export function parseInnoshipTrack(body: unknown, overrides?: Record<string, TrackingStatus>): TrackResult[] {
  const items = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
  return items.map((it) => {
    const history = Array.isArray(it.history) ? (it.history as Record<string, unknown>[]) : [];
    const events: TrackEvent[] = history.map((h) => ({
      ...mapInnoshipStatus({ code: String(h.clientStatusId), description: String(h.clientStatusDescription ?? '') }, overrides),
      occurredAt: typeof h.eventDate === 'string' ? h.eventDate : null,
      location: typeof h.localityName === 'string' ? h.localityName : null,
    }));
    return trackResult(String(it.shipmentAwb), events, typeof it.trackUrl === 'string' ? it.trackUrl : null, it);
  });
}

/**
 * 400 bodies `{errors:[{message, details[]}]}`. The exact unknown-locality text is UNVERIFIED, so any
 * message naming the locality or county becomes a field error on the address.
 */
export function innoshipErrorDetails(body: unknown): ErrorDetail[] {
  const errs = ((body as Record<string, unknown>)?.errors ?? []) as { message?: string; details?: string[] }[];
  const texts = Array.isArray(errs) ? errs.flatMap((e) => (e.details?.length ? e.details : [e.message ?? ''])).filter(Boolean) : [];
  // A refused locker (FixedLocationId) is the return-AWB body's `lockerId`.
  return texts.map((t) => ({ path: (/FixedLocation/i.test(t) ? 'lockerId' : addressPathFromText(t)) ?? 'request', reason: t }));
}

export function addressPathFromText(t: string): string | null {
  if (/localit|city|oras|ora[sș]/i.test(t)) return 'address.locality';
  if (/county|jude[tț]/i.test(t)) return 'address.county';
  if (/postal|zip|cod postal/i.test(t)) return 'address.postalCode';
  if (/phone|telefon/i.test(t)) return 'address.phone';
  if (/district/i.test(t)) return 'address.district';
  return null;
}

/** Innoship's courier ids that take a locker return order (IS-DOC:80001014626): Sameday and FAN only. */
export const INNOSHIP_LOCKER_RETURN_COURIERS: Readonly<Record<'sameday' | 'fancourier', number>> = { sameday: 6, fancourier: 3 };
const LOCKER_COURIER_NAMES: Readonly<Record<number, string>> = { 1: 'Cargus', 2: 'DPD', 3: 'FAN Courier', 4: 'GLS', 6: 'Sameday', 10: 'DHL Romania', 11: 'Posta Romana' };

/** The courier id of a locker return, or the field errors that refuse it (before anything is recorded). */
export function innoshipLockerReturnCourier(o: { lockerId?: string; lockerCourier?: 'sameday' | 'fancourier' }, accountCourierId?: number): { courierId: number | null; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  if (!o.lockerId?.trim()) problems.push({ path: 'lockerId', reason: 'is required for an Innoship return: the locker (Innoship FixedLocationId) the customer drops the parcel in' });
  const courierId = o.lockerCourier ? INNOSHIP_LOCKER_RETURN_COURIERS[o.lockerCourier] : (accountCourierId ?? null);
  if (courierId !== 6 && courierId !== 3)
    problems.push({
      path: 'lockerCourier',
      reason:
        courierId == null
          ? 'is required: the Innoship account forces no courier, and a locker return goes through Sameday or FAN only'
          : `a locker return goes through Sameday or FAN only, not ${LOCKER_COURIER_NAMES[courierId] ?? `courier ${courierId}`} (the account's courier)`,
    });
  return { courierId: problems.length ? null : courierId, problems };
}

/**
 * The locker return order (IS-DOC:80001014626, fixture innoship-locker-return-order.request.json): a
 * pickup-type `POST /api/Order` in the fixture's PascalCase, `CourierId` 6 Sameday or 3 FAN,
 * `AddressFrom` = the customer with `FixedLocationId` = the locker they drop the parcel in, no
 * `AddressTo` (the parcel comes to the account's `ExternalClientLocation`), `Payment` 2 (recipient:
 * sender payment is not supported). `IncludeCourierResponse` for Sameday, whose answer carries the
 * locker PIN. The fixture sends `Async: true`; its Parameters tail is UNVERIFIED, and we send
 * `false` because the AWB (and PIN) must come back in this answer.
 */
export function buildInnoshipLockerReturn(req: ShipmentRequest & { lockerId: string; pickupFrom: string; pickupTo: string }, s: InnoshipSettings, courierId: number): Record<string, unknown> {
  const a = req.address;
  const at = (t: string) => (t.length === 16 ? `${t}:00Z` : t);
  return {
    ServiceId: 1,
    CourierId: courierId,
    ShipmentDate: at(req.pickupFrom),
    ShipmentDateEnd: at(req.pickupTo),
    AddressFrom: {
      Name: (a.company || a.name).slice(0, 64),
      ContactPerson: (a.contactPerson ?? a.name).slice(0, 100),
      Country: a.countryCode,
      CountyName: a.county ?? null,
      LocalityName: a.locality,
      AddressText: a.addressLine.slice(0, 100),
      PostalCode: a.postalCode ?? null,
      Phone: a.phone.replace(/[^0-9+]/g, ''),
      Email: a.email ?? null,
      FixedLocationId: req.lockerId,
    },
    Payment: 2,
    // ExternalClientLocation is required on every Order (§1.2): the account's location the parcel returns to.
    ExternalClientLocation: s.clientLocationId,
    ExternalOrderId: req.reference,
    Observation: req.observation?.slice(0, 500) ?? null,
    Content: {
      EnvelopeCount: 0,
      ParcelsCount: req.parcels.length,
      PalettesCount: 0,
      TotalWeight: totalWeightKg(req.parcels),
      Contents: (req.contents ?? '').slice(0, 100),
      Package: 'box',
      OversizedPackage: false,
      Parcels: req.parcels.map((p, i) => ({ SequenceNo: i + 1, Size: { Width: p.widthCm, Height: p.heightCm, Length: p.lengthCm }, Weight: p.weightKg, Type: 2, Reference1: p.reference ?? req.reference })),
    },
    Extra: { Reference1: req.reference },
    Parameters: { Async: false, GetParcelsBarcodes: true, IncludeCourierResponse: courierId === 6 },
  };
}

/**
 * The locker PIN from the courier's response Innoship relays (`IncludeCourierResponse`). Where it sits
 * in that response is UNVERIFIED (the article says only that the PIN comes back there): the first key
 * naming a PIN, in `courierResponse` as an object or a JSON string, at any depth up to 4.
 */
export function innoshipLockerPin(body: unknown): string | null {
  const b = (body ?? {}) as Record<string, unknown>;
  let cr: unknown = b.courierResponse ?? b.CourierResponse;
  if (typeof cr === 'string') {
    try {
      cr = JSON.parse(cr);
    } catch {
      return null;
    }
  }
  const find = (v: unknown, depth: number): string | null => {
    if (!v || typeof v !== 'object' || depth > 4) return null;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (/pin/i.test(k) && (typeof x === 'string' || typeof x === 'number') && String(x).trim()) return String(x).trim();
    for (const x of Object.values(v as Record<string, unknown>)) {
      const hit = find(x, depth + 1);
      if (hit) return hit;
    }
    return null;
  };
  return find(cr, 0);
}
