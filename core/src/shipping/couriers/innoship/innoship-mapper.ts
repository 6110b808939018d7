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
  return texts.map((t) => ({ path: addressPathFromText(t) ?? 'request', reason: t }));
}

export function addressPathFromText(t: string): string | null {
  if (/localit|city|oras|ora[sș]/i.test(t)) return 'address.locality';
  if (/county|jude[tț]/i.test(t)) return 'address.county';
  if (/postal|zip|cod postal/i.test(t)) return 'address.postalCode';
  if (/phone|telefon/i.test(t)) return 'address.phone';
  if (/district/i.test(t)) return 'address.district';
  return null;
}
