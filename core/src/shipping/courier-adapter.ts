import { fromUnits, isDecimal, toUnits } from '../shared/money.ts';
import { DomainError, type ErrorCode, type ErrorDetail } from '../shared/domain-error.ts';
import type { CourierCode, TrackingStatus } from '../contracts/courier.ts';

export { COURIER_CODES, type CourierCode, TRACKING_STATUSES, type TrackingStatus } from '../contracts/courier.ts';


/** A6 is the thermal class (A6 105×148, Cargus 100×140, our own 100×150); A4 prints on office printers. */
export type LabelFormat = 'A4' | 'A6';

export interface Parcel {
  weightKg: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  /** Per-parcel reference printed or sent where the courier supports it. */
  reference?: string;
}

export interface ShipmentAddress {
  name: string;
  contactPerson?: string;
  company?: string;
  phone: string;
  email?: string;
  countryCode: string;
  /** RO județ; unused in EG. */
  county?: string;
  /** RO locality / EG city. */
  locality: string;
  postalCode?: string;
  street?: string;
  streetNo?: string;
  /** Free-text line (Innoship AddressText, Sameday address, Bosta firstLine). */
  addressLine: string;
  building?: string;
  entrance?: string;
  floor?: string;
  apartment?: string;
  /** Bosta district (name or id) and landmark. */
  district?: string;
  districtId?: string;
  landmark?: string;
}

export interface Money {
  /** Decimal string, never a float. */
  amount: string;
  currency: string;
}

/**
 * What a packing list maps onto directly: its parcels (weight + dimensions), courier service,
 * delivery address and COD. `reference` is our idempotency key (one per packing-list parcel group),
 * sent to the courier where it has a reference field.
 */
export interface ShipmentRequest {
  reference: string;
  /** Courier service code; the account's default service when absent. */
  service?: string;
  parcels: Parcel[];
  address: ShipmentAddress;
  /** The warehouse; printed on our own label and used where a courier needs a sender address. */
  sender?: ShipmentAddress;
  cod?: Money | null;
  declaredValue?: Money | null;
  contents?: string;
  observation?: string;
  labelFormat?: LabelFormat;
  /** ISO date (yyyy-mm-dd) of handover; today when absent. */
  shipDate?: string;
  /**
   * Set by the caller when an earlier attempt for this reference ended without an answer (a crash or a
   * timeout recorded as `creating`). The adapter then looks the reference up before creating again.
   */
  previousAttemptUnknown?: boolean;
}

export interface Label {
  bytes: Uint8Array;
  format: LabelFormat;
  mediaType: 'application/pdf';
  source: 'courier' | 'own';
}

/**
 * An AWB plus what its courier needs to address it again (Innoship: the routed courier id). Stored with
 * the shipment (courier_payload) and handed back for label, track and cancel.
 */
export interface ShipmentRef {
  awb: string;
  meta?: Record<string, string | number>;
}
export type AwbInput = string | ShipmentRef;
export const refOf = (a: AwbInput): ShipmentRef => (typeof a === 'string' ? { awb: a } : a);

export interface CreatedShipment {
  courier: CourierCode;
  awb: string;
  meta: Record<string, string | number>;
  parcelAwbs: string[];
  trackingUrl: string | null;
  /** Null when the courier returns none (render our own) or the label call failed after the AWB existed. */
  label: Label | null;
  labelError?: string;
  price: Money | null;
  /** True when the AWB was found by reference instead of created by this call. */
  recovered: boolean;
  raw: unknown;
  /** A locker return: the PIN the customer opens the locker with, when the courier gives one (Innoship + Sameday). */
  lockerPin?: string | null;
}

export interface Quote {
  courier: CourierCode;
  service: string;
  price: Money;
  /** Working days; null when the courier does not say. */
  estimatedDays: number | null;
  raw: unknown;
}

export interface RawStatus {
  code: string;
  description: string;
}

/** A mapped status, or an unknown raw code that the caller must log and surface; never guessed. */
export type StatusMapping =
  | { status: TrackingStatus; unknown: false; raw: RawStatus; reason?: string }
  | { status: null; unknown: true; raw: RawStatus; reason?: string };

export type TrackEvent = StatusMapping & {
  /** ISO timestamp as sent by the courier (timezone kept when given). */
  occurredAt: string | null;
  location: string | null;
};

export interface TrackResult {
  awb: string;
  /** Sorted by courier time, oldest first. */
  events: TrackEvent[];
  /** The latest event; null when the courier has none yet. */
  current: TrackEvent | null;
  trackingUrl: string | null;
  raw: unknown;
}

export interface CourierCapabilities {
  quote: boolean;
  cancel: boolean;
  /** The courier renders labels; when false the caller renders our own 100×150 label. */
  courierLabel: boolean;
  labelFormats: LabelFormat[];
  /** AWBs per tracking call. */
  trackBatchSize: number;
  /**
   * How a create that ended without an answer is resolved without a second AWB:
   * lookup — find the AWB by our reference; duplicate-rejected — the courier refuses a second AWB with
   * the same reference; none — nothing safe exists, so the adapter never re-sends and reports it.
   */
  idempotency: 'lookup' | 'duplicate-rejected' | 'none';
  webhook: boolean;
  cod: boolean;
}

/** The tracking feeds we read; each keeps a cursor per courier account (shipping/tracking.ts). */
export type TrackingFeed = 'sameday.status_sync';

/** A time window of a courier's status feed, read page by page (1-based). */
export interface StatusFeedWindow {
  start: Date;
  end: Date;
  page: number;
  perPage?: number;
}

export interface StatusFeedPage {
  results: TrackResult[];
  rowCount: number;
  page: number;
  perPage: number;
  /** Pages in the window when the courier says; null when it does not. */
  pages: number | null;
  /** No page follows. */
  last: boolean;
}

/** Optional part of the port: the courier publishes every status change of the account's parcels, read by time window. */
export interface CourierStatusFeed {
  readonly name: TrackingFeed;
  /** The widest window one read may ask for. */
  readonly maxWindowSeconds: number;
  read(window: StatusFeedWindow): Promise<StatusFeedPage>;
}

/** What a courier's status push says; only a hint until the courier confirms it. */
export interface CourierWebhookHint {
  trackingNumber: string;
  event: TrackEvent;
  /** Idempotency key of the push (a redelivery repeats it). */
  dedupeKey: string;
}

export interface CourierWebhookResolution {
  hint: CourierWebhookHint;
  /** The parcel as the courier reports it now: apply this, never the hint. */
  track: TrackResult;
  /** The re-fetched state equals the hinted one (false: the hint is stale or forged, the fetch wins). */
  agrees: boolean;
}

/** Optional part of the port: the courier pushes status changes, authenticated by a secret header the account configures. */
export interface CourierWebhook {
  /** The header carrying the secret unless the account names another. */
  readonly header: string;
  resolve(receivedSecret: string | null | undefined, payload: unknown): Promise<CourierWebhookResolution>;
}

export interface CourierAdapter {
  readonly courier: CourierCode;
  readonly capabilities: CourierCapabilities;
  readonly statusFeed?: CourierStatusFeed;
  readonly webhook?: CourierWebhook;
  quote(req: ShipmentRequest): Promise<Quote[]>;
  createShipment(req: ShipmentRequest): Promise<CreatedShipment>;
  label(awb: AwbInput, format: LabelFormat): Promise<Label>;
  /** Batches by `capabilities.trackBatchSize`; unknown AWBs are left out of the result. */
  track(awbs: AwbInput[]): Promise<TrackResult[]>;
  cancel(awb: AwbInput): Promise<void>;
  findByReference?(reference: string, shipDate?: string): Promise<CreatedShipment | null>;
  /**
   * The courier's cheapest authenticated call, which changes nothing there: resolves when the
   * account's credentials are accepted, throws the courier's refusal (a CourierError) otherwise.
   */
  verifyCredentials(): Promise<CredentialCheck>;
  /** The service codes this account may send as `service`: listed by the courier where it has such a call, else its documented catalogue. */
  services(): Promise<CourierServiceOption[]>;
  /**
   * A return AWB: the courier picks the parcel up at the customer (`address`) and brings it to the
   * account's own pickup point. Only couriers whose contract documents a return service have it
   * (Cargus `AwbPickup`, Innoship locker return order, Bosta type 25 CRP); elsewhere the operator
   * records the AWB the customer sends the parcel with.
   */
  createReturnPickup?(req: ReturnPickupRequest): Promise<CreatedShipment>;
  /** What the return pickup needs beyond an address, as field errors on the return-AWB body, checked before anything is recorded. */
  returnPickupProblems?(o: ReturnPickupOptions): ErrorDetail[];
  /** The service code the return pickup is made with when it is fixed by the courier's return service (Bosta 25 CRP). */
  readonly returnService?: string;
}

/** Options of a return pickup some couriers need (Innoship's locker return). */
export interface ReturnPickupOptions {
  /** Innoship `FixedLocationId`: the locker the customer drops the parcel in. */
  lockerId?: string;
  /** The courier behind an Innoship locker return: Sameday or FAN only (the account's forced courier when absent). */
  lockerCourier?: 'sameday' | 'fancourier';
}

/** A return pickup: `address` is where the parcel is picked up (the customer); `reference` our key, as for any AWB. */
export interface ReturnPickupRequest extends ShipmentRequest, ReturnPickupOptions {
  /** The pickup window, ISO date-times (local, minutes). */
  pickupFrom: string;
  pickupTo: string;
}

export interface CredentialCheck {
  /** The courier operation that proved the credentials (login, track, search). */
  operation: string;
}

export interface CourierServiceOption {
  /** What goes into `service` of a shipment request and the account's default service. */
  code: string;
  name: string;
  /** courier: listed live by the courier for this account; catalogue: the courier's documented codes. */
  source: 'courier' | 'catalogue';
}

/** A DomainError from a courier call, with what the retry logic needs to know. */
export class CourierError extends DomainError {
  readonly courier: CourierCode;
  /** The courier may have acted on the request (timeout, 5xx after sending a create). */
  readonly ambiguous: boolean;
  readonly httpStatus: number | null;
  constructor(
    courier: CourierCode,
    code: ErrorCode,
    message: string,
    details: ErrorDetail[] = [],
    opts: { ambiguous?: boolean; httpStatus?: number | null } = {},
  ) {
    super(code, message, details);
    this.name = 'CourierError';
    this.courier = courier;
    this.ambiguous = opts.ambiguous ?? false;
    this.httpStatus = opts.httpStatus ?? null;
  }
}

export const isCourierError = (e: unknown): e is CourierError => e instanceof CourierError;

/** Table-driven mapping shared by every courier's status map; `overrides` come from the courier account. */
export function mapStatus(
  table: Readonly<Record<string, TrackingStatus>>,
  raw: RawStatus,
  reasons: Readonly<Record<string, string>> = {},
  overrides: Readonly<Record<string, TrackingStatus>> = {},
): StatusMapping {
  const status = overrides[raw.code] ?? table[raw.code];
  const reason = reasons[raw.code];
  if (!status) return { status: null, unknown: true, raw };
  return reason ? { status, unknown: false, raw, reason } : { status, unknown: false, raw };
}

/** Oldest first; events without a time keep their courier order at the start. */
export function sortEvents(events: TrackEvent[]): TrackEvent[] {
  return events
    .map((e, i) => ({ e, i, t: e.occurredAt ? Date.parse(e.occurredAt) : Number.NEGATIVE_INFINITY }))
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t - b.t))
    .map((x) => x.e);
}

export function trackResult(awb: string, events: TrackEvent[], trackingUrl: string | null, raw: unknown): TrackResult {
  const sorted = sortEvents(events);
  return { awb, events: sorted, current: sorted.at(-1) ?? null, trackingUrl, raw };
}

/** Missing weight or dimensions are field errors before any courier is called. */
export function validateShipmentRequest(req: ShipmentRequest): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!req.reference?.trim()) details.push({ path: 'reference', reason: 'is required' });
  if (!req.parcels?.length) details.push({ path: 'parcels', reason: 'at least one parcel is required' });
  (req.parcels ?? []).forEach((p, i) => {
    for (const k of ['weightKg', 'lengthCm', 'widthCm', 'heightCm'] as const) {
      const v = p[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        details.push({ path: `parcels[${i}].${k}`, reason: v == null ? 'is missing' : 'must be a positive number' });
    }
  });
  const a = req.address;
  if (!a) details.push({ path: 'address', reason: 'is required' });
  else {
    if (!a.name?.trim()) details.push({ path: 'address.name', reason: 'is required' });
    if (!a.phone?.trim()) details.push({ path: 'address.phone', reason: 'is required' });
    if (!a.locality?.trim()) details.push({ path: 'address.locality', reason: 'is required' });
    if (!a.addressLine?.trim()) details.push({ path: 'address.addressLine', reason: 'is required' });
    if (!a.countryCode?.trim()) details.push({ path: 'address.countryCode', reason: 'is required' });
  }
  return details;
}

export function assertShipmentRequest(courier: CourierCode, req: ShipmentRequest, extra: ErrorDetail[] = []): void {
  const details = [...validateShipmentRequest(req), ...extra];
  if (details.length)
    throw new CourierError(
      courier,
      'VALIDATION',
      `Shipment ${req.reference || '(no reference)'} cannot be sent to ${courier}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}.`,
      details,
    );
}

export const totalWeightKg = (parcels: Parcel[]): number =>
  Math.round(parcels.reduce((s, p) => s + p.weightKg, 0) * 1000) / 1000;

export const todayIso = (now: Date): string => now.toISOString().slice(0, 10);

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Courier JSON numbers to decimal strings (2 decimals); null when absent or unreadable. */
export function decimalOf(v: unknown): string | null {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  return isDecimal(s) ? fromUnits(toUnits(s)) : null;
}

/** Guards a createShipment result's label fetch: the AWB exists even if the label call fails. */
export async function fetchLabelSafely(
  get: () => Promise<Label>,
): Promise<{ label: Label | null; labelError?: string }> {
  try {
    return { label: await get() };
  } catch (e) {
    return { label: null, labelError: (e as Error).message };
  }
}

/** Pages in a courier label answer are PDF when they start with %PDF. */
export const isPdf = (bytes: Uint8Array): boolean =>
  bytes.length > 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46;
