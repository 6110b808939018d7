import type { ErrorDetail } from '../../../shared/domain-error.ts';
import { decimalOf, mapStatus, type Quote, type RawStatus, type ShipmentRequest, type StatusMapping, type TrackEvent, type TrackingStatus, type TrackResult, totalWeightKg, trackResult } from '../../courier-adapter.ts';
import { addressPathFromText } from '../innoship/innoship-mapper.ts';

/**
 * Pure Cargus mapping (shared/contracts/couriers.md §4). No official EventId list exists (§4.4); the only
 * sample is a third party's test fixture. The built-in table is therefore empty: every event surfaces as
 * unknown with its raw id until the account's `statusOverrides` (observed from real traffic) map it.
 */
const STATUS: Record<string, TrackingStatus> = {};

export const mapCargusStatus = (raw: RawStatus, overrides?: Record<string, TrackingStatus>): StatusMapping => mapStatus(STATUS, raw, {}, overrides);

export function parseCargusTrace(body: unknown, overrides?: Record<string, TrackingStatus>): TrackResult[] {
  const items = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
  return items.map((it) => {
    const events: TrackEvent[] = ((it.Event ?? []) as Record<string, unknown>[]).map((e) => ({
      ...mapCargusStatus({ code: String(e.EventId), description: String(e.Description ?? '') }, overrides),
      occurredAt: typeof e.Date === 'string' ? e.Date : null,
      location: typeof e.LocalityName === 'string' ? e.LocalityName : null,
    }));
    return trackResult(String(it.Code), events, null, it);
  });
}

/** LoginUser answers the token as a JSON string literal. */
export const parseCargusToken = (text: string): string => String(JSON.parse(text));

/** Cargus query dates are mm-dd-yyyy (mixing them with ISO silently returns another range). */
export const cargusDate = (iso: string): string => `${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(0, 4)}`;

export interface CargusSettings {
  /** Sender.LocationId: the pickup point configured in WebExpress (`PickupLocations`). */
  senderLocationId: string | number;
  priceTableId?: number;
  /** COD paid as cash (CashRepayment, the module's default) or by bank transfer (BankRepayment). */
  codMode?: 'cash' | 'bank';
  /** ServiceId when the request names none: 34 Economic Standard (≤31 kg). */
  serviceId?: number;
}

// Cargus weights and sizes are whole numbers in every sample; round up so a parcel is never under-declared.
const whole = (n: number) => Math.max(1, Math.ceil(n));

/** `POST Awbs/WithGetAwb` body, field for field as the Magento module's getAwbData (fixture cargus-awbs.request.json). */
export function buildCargusAwb(req: ShipmentRequest, s: CargusSettings): Record<string, unknown> {
  const a = req.address;
  const cod = req.cod ? Number(req.cod.amount) : 0;
  const bank = s.codMode === 'bank';
  return {
    Sender: { LocationId: String(s.senderLocationId) },
    Recipient: {
      LocationId: null,
      Name: (a.company || a.name).slice(0, 64),
      CountyId: null,
      CountyName: a.county ?? null,
      LocalityId: null,
      LocalityName: a.locality,
      StreetId: null,
      StreetName: a.street ?? '-',
      ...(a.streetNo ? { BuildingNumber: a.streetNo } : {}),
      AddressText: a.addressLine,
      ContactPerson: a.contactPerson ?? a.name,
      PhoneNumber: a.phone.replace(/[^0-9+]/g, ''),
      Email: a.email ?? '',
      CodPostal: a.postalCode ?? '',
    },
    Parcels: req.parcels.length,
    Envelopes: 0,
    TotalWeight: whole(totalWeightKg(req.parcels)),
    DeclaredValue: req.declaredValue ? Number(req.declaredValue.amount) : 0,
    CashRepayment: bank ? 0 : cod,
    BankRepayment: bank ? cod : 0,
    OtherRepayment: '',
    OpenPackage: false,
    PriceTableId: s.priceTableId ?? 0,
    ShipmentPayer: 1,
    MorningDelivery: false,
    SaturdayDelivery: false,
    Observations: req.observation ?? '',
    PackageContent: req.contents ?? '',
    CustomString: req.reference,
    ServiceId: Number(req.service ?? s.serviceId ?? 34),
    ParcelCodes: req.parcels.map((p, i) => ({
      Code: i,
      Type: 1,
      Weight: whole(p.weightKg),
      Length: whole(p.lengthCm),
      Width: whole(p.widthCm),
      Height: whole(p.heightCm),
      ParcelContent: p.reference ?? req.contents ?? '',
    })),
    ConsumerReturnType: 0,
    ReturnCodeExpirationDays: 0,
  };
}

/** `Awbs/WithGetAwb` answers an array whose items carry BarCode (the AWB); the rest of the shape is UNVERIFIED. */
export function parseCargusCreated(body: unknown): { awb: string; returnCode: string | null; price: string | null } {
  const item = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  const awb = item?.BarCode;
  if (awb == null || awb === '') throw new Error('Cargus answered without a BarCode');
  return {
    awb: String(awb),
    returnCode: item?.ReturnCode == null || item.ReturnCode === '' ? null : String(item.ReturnCode),
    // A cost on the created AWB is UNVERIFIED; read it when present.
    price: decimalOf(item?.ShippingCost ?? item?.GrandTotal),
  };
}

/** Cargus error bodies: a bare JSON string, an array of strings, or {Error}/{message}/{Message}. */
export function cargusErrorTexts(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim()] : [];
  if (Array.isArray(body)) return body.flatMap(cargusErrorTexts);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    return cargusErrorTexts(b.Error ?? b.error ?? b.message ?? b.Message ?? '');
  }
  return [];
}

/** The unknown-locality text is UNVERIFIED; any text naming locality/county becomes a field error. */
export const cargusErrorDetails = (body: unknown): ErrorDetail[] =>
  cargusErrorTexts(body).map((t) => ({ path: addressPathFromText(t) ?? 'request', reason: t }));

export const isCargusDuplicate = (details: ErrorDetail[]): boolean =>
  details.some((d) => /duplicat|already (exists|used)|exista deja|CustomString/i.test(d.reason));

/** `POST ShippingCalculation` body (CG-DOC3 §8); the sender locality comes from the warehouse address. */
export function buildCargusCalculation(req: ShipmentRequest, s: CargusSettings): Record<string, unknown> {
  const awb = buildCargusAwb(req, s);
  return {
    FromLocalityId: 0,
    ToLocalityId: 0,
    FromCountyName: req.sender?.county ?? '',
    FromLocalityName: req.sender?.locality ?? '',
    ToCountyName: req.address.county ?? '',
    ToLocalityName: req.address.locality,
    Parcels: awb.Parcels,
    Envelopes: 0,
    TotalWeight: awb.TotalWeight,
    DeclaredValue: awb.DeclaredValue,
    CashRepayment: awb.CashRepayment,
    BankRepayment: awb.BankRepayment,
    OtherRepayment: '',
    PaymentInstrumentId: 0,
    PaymentInstrumentValue: 0,
    OpenPackage: false,
    ShipmentPayer: 1,
    PriceTableId: awb.PriceTableId,
    ServiceId: awb.ServiceId,
  };
}

/** ShippingCalculation returns BaseCost … Subtotal, Tax, GrandTotal; GrandTotal is what the merchant pays. */
export function parseCargusCalculation(body: unknown, service: string): Omit<Quote, 'courier'>[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const amount = decimalOf(b.GrandTotal ?? b.Subtotal);
  return amount ? [{ service, price: { amount, currency: 'RON' }, estimatedDays: null, raw: b }] : [];
}

/** `Awbs/GetByDate` items; echoing CustomString there is UNVERIFIED (read when present). */
export function findCargusByReference(body: unknown, reference: string): Record<string, unknown> | null {
  const items = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
  return items.find((it) => it.CustomString === reference && it.BarCode != null) ?? null;
}

export const nextIsoDay = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * `POST AwbPickup/WithGetAwb` (CG-DOC3 §9.1, the return-AWB pattern; fixture cargus-awbpickup.request.json):
 * the customer as Sender (address by name: county, locality, text), our pickup point as the
 * Recipient's LocationId, the pickup window as yyyy-mm-ddTHH:MM. ShipmentPayer 1 as in the sample
 * (who pays a pickup is UNVERIFIED). Our reference in CustomString, as for any AWB.
 */
export function buildCargusReturnPickup(req: ShipmentRequest & { pickupFrom: string; pickupTo: string }, s: CargusSettings): Record<string, unknown> {
  const a = req.address;
  const awb = buildCargusAwb(req, s);
  const { Sender: _s, Recipient: _r, ConsumerReturnType: _c, ReturnCodeExpirationDays: _d, CashRepayment: _cash, BankRepayment: _bank, ...rest } = awb;
  return {
    PickupStartDate: req.pickupFrom.slice(0, 16),
    PickupEndDate: req.pickupTo.slice(0, 16),
    SenderClientId: null,
    TertiaryClientId: null,
    Sender: {
      Name: (a.company || a.name).slice(0, 64),
      CountyName: a.county ?? null,
      LocalityName: a.locality,
      AddressText: a.addressLine,
      ContactPerson: a.contactPerson ?? a.name,
      PhoneNumber: a.phone.replace(/[^0-9+]/g, ''),
      CodPostal: a.postalCode ?? '',
      Email: a.email ?? '',
    },
    Recipient: { LocationId: Number(s.senderLocationId) || String(s.senderLocationId) },
    ...rest,
    CashRepayment: 0,
    BankRepayment: 0,
  };
}
