import type { Tx } from '../db/connect.ts';
import { getChannel } from '../channels/index.ts';
import { enqueue } from '../db/outbox.ts';
import { getWarehouse } from '../inventory/index.ts';
import { type OrderForShipping, orderForShipping } from '../orders/index.ts';
import { assertServiceOffered, orderHasCodShipment, COURIER_CODES, type CourierCode, type CreatedShipment, isCourierError, type Label, type LabelFormat, type Money, type Parcel, type ShipmentAddress, type ShipmentRequest, todayIso, totalWeightKg, type CourierAccount, loadCourierAccount, resolveCourierAccount, resolveCourierAccounts, adapterFor, renderOwnLabel, quoteAll, type RateShoppingResult, discardCreatingShipment, getShipment, insertCreatingShipment, markShipmentCancelled, markShipmentCreated, referenceFor, type Shipment, shipmentRef, shipmentsOfPackingList } from '../shipping/index.ts';
import { DomainError, type ErrorDetail, isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { assertReadyForAwb, getPackingList, type PackingList, recordAwbRefusal } from '../warehouse/index.ts';
import { dispatchForShipment, isCashOnDelivery, recallForShipment } from './shipment-effects.ts';
import { openShipmentStall, resolveShipmentStalls } from './shipment-stalls.ts';


/**
 * The AWB flow: a packing list with its measures, courier, service and address becomes a courier
 * AWB with a label. The courier call happens outside any transaction (it is external); a `creating`
 * shipment row committed before it makes a retry after a timeout ask the courier about the same
 * reference instead of creating a second AWB. Success then commits in one transaction: shipment,
 * status log, packing list in transit, order shipping, and the outbox items for write-back and invoice.
 */

export interface GenerateAwbInput {
  courier?: CourierCode;
  service?: string;
  courierAccountId?: string;
  labelFormat?: LabelFormat;
}

export interface ShippingDeps extends Pick<Deps, 'sql' | 'box' | 'now'> {
  fetch?: typeof globalThis.fetch;
}

/** The order as shipping needs it, with the warehouse it ships from resolved (its own, else the channel's). */
type OrderFacts = OrderForShipping;

export async function orderFacts(deps: ShippingDeps, tenantId: string, orderId: string): Promise<OrderFacts> {
  const o = await orderForShipping(deps.sql, tenantId, orderId);
  if (!o) throw new DomainError('NOT_FOUND', `Order ${orderId} does not exist.`, [{ path: 'orderId', reason: 'unknown order' }]);
  // The order ships from its own warehouse, else from the channel's default.
  return o.warehouseId ? o : { ...o, warehouseId: (await getChannel(deps.sql, tenantId, o.channelId)).defaultWarehouseId };
}

async function warehouseSender(deps: ShippingDeps, tenantId: string, warehouseId: string | null): Promise<ShipmentAddress | undefined> {
  if (!warehouseId) return undefined;
  const w = await getWarehouse(deps.sql, tenantId, warehouseId);
  if (!w) return undefined;
  const a = toShipmentAddress(w.address ?? {}, null);
  return { ...a, name: a.name || w.name, locality: a.locality || w.code, addressLine: a.addressLine || w.name, phone: a.phone || '-', countryCode: a.countryCode || 'RO' };
}

const str = (a: Record<string, unknown>, k: string): string | undefined => {
  const v = a[k];
  return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;
};

/** The packing list's delivery address (the store's shape, or ours) as the courier request's address. */
export function toShipmentAddress(a: Record<string, unknown>, email: string | null): ShipmentAddress {
  const person = [str(a, 'firstName'), str(a, 'lastName')].filter(Boolean).join(' ');
  const line = str(a, 'addressLine') ?? [str(a, 'address1'), str(a, 'address2')].filter(Boolean).join(', ');
  const out: ShipmentAddress = {
    name: str(a, 'name') ?? (person || str(a, 'company') || ''),
    phone: str(a, 'phone') ?? '',
    countryCode: (str(a, 'countryCode') ?? 'RO').toUpperCase(),
    locality: str(a, 'locality') ?? str(a, 'city') ?? '',
    addressLine: line,
  };
  const optional: Array<[keyof ShipmentAddress, string | undefined]> = [
    ['contactPerson', str(a, 'contactPerson') ?? (person || undefined)],
    ['company', str(a, 'company')],
    ['email', str(a, 'email') ?? email ?? undefined],
    ['county', str(a, 'county') ?? str(a, 'province') ?? str(a, 'provinceCode')],
    ['postalCode', str(a, 'postalCode') ?? str(a, 'postcode')],
    ['street', str(a, 'street')],
    ['streetNo', str(a, 'streetNo')],
    ['building', str(a, 'building')],
    ['entrance', str(a, 'entrance')],
    ['floor', str(a, 'floor')],
    ['apartment', str(a, 'apartment')],
    ['district', str(a, 'district')],
    ['districtId', str(a, 'districtId')],
    ['landmark', str(a, 'landmark') ?? (str(a, 'addressLine') ? undefined : undefined)],
  ];
  for (const [k, v] of optional) if (v) (out as unknown as Record<string, string>)[k] = v;
  return out;
}

/** The courier's address paths as the packing list's fields, so the screen can point at them. */
const ADDRESS_FIELD: Record<string, string> = {
  locality: 'city',
  county: 'province',
  postalCode: 'postcode',
  addressLine: 'address1',
  name: 'firstName',
};
export function packingListPath(path: string): string {
  const m = /^address\.(\w+)/.exec(path);
  if (m) return `deliveryAddress.${ADDRESS_FIELD[m[1]!] ?? m[1]}`;
  return path;
}

function asCourier(v: string | null | undefined): CourierCode | null {
  return v && (COURIER_CODES as readonly string[]).includes(v) ? (v as CourierCode) : null;
}

async function accountFor(deps: ShippingDeps, tenantId: string, courier: CourierCode, order: OrderFacts, accountId?: string): Promise<CourierAccount> {
  if (accountId) {
    const a = await loadCourierAccount(deps.sql, deps.box, tenantId, accountId);
    if (a.courier !== courier || !a.active) throw new DomainError('VALIDATION', `Courier account ${accountId} is not an active ${courier} account.`, [{ path: 'courierAccountId', reason: `not an active ${courier} account` }]);
    return a;
  }
  const a = await resolveCourierAccount(deps.sql, deps.box, tenantId, courier, { channelId: order.channelId, warehouseId: order.warehouseId });
  if (!a)
    throw new DomainError('VALIDATION', `No active ${courier} account applies to channel ${order.channelId} and warehouse ${order.warehouseId ?? '(none)'}; add one under courier accounts.`, [
      { path: 'courier', reason: `no active ${courier} account for this channel/warehouse` },
    ]);
  return a;
}

function parcelsOf(pl: PackingList): Parcel[] {
  return pl.parcels.map((p, i) => ({
    weightKg: Number(p.weightKg),
    lengthCm: Number(p.lengthCm),
    widthCm: Number(p.widthCm),
    heightCm: Number(p.heightCm),
    reference: `PL${pl.id}-${i + 1}`,
  }));
}

/** COD on the first shipment of an order whose customer pays on delivery; later parcels carry none. */
async function codFor(deps: ShippingDeps, tenantId: string, order: OrderFacts): Promise<Money | null> {
  if (!isCashOnDelivery(order.paymentMethod, order.paymentStatus)) return null;
  return (await orderHasCodShipment(deps.sql, tenantId, order.id)) ? null : { amount: order.total, currency: order.currency };
}

async function ownLabelFor(courier: CourierCode, service: string, awb: string, req: ShipmentRequest): Promise<Label> {
  const bytes = await renderOwnLabel({
    awb,
    courierName: courier,
    service,
    sender: req.sender ?? { name: '-', phone: '-', countryCode: req.address.countryCode, locality: '-', addressLine: '-' },
    recipient: req.address,
    weightKg: totalWeightKg(req.parcels),
    parcelCount: req.parcels.length,
    cod: req.cod ?? null,
    reference: req.reference,
    contents: req.contents,
  });
  return { bytes, format: 'A6', mediaType: 'application/pdf', source: 'own' };
}

export interface GenerateAwbResult {
  shipment: Shipment;
  /** False when the packing list already had its AWB (a repeated request). */
  created: boolean;
}

export async function generateAwb(deps: ShippingDeps, tenantId: string, packingListId: string, input: GenerateAwbInput = {}): Promise<GenerateAwbResult> {
  const pl = await getPackingList(deps.sql, tenantId, packingListId);
  const existing = await shipmentsOfPackingList(deps.sql, tenantId, packingListId);
  const live = existing.find((s) => s.status !== 'creating' && s.status !== 'cancelled');
  if (live) return { shipment: live, created: false };
  if (pl.status !== 'ready_to_deliver')
    throw new DomainError('INVALID_STATE', `Packing list ${packingListId} is ${pl.status}; an AWB is made for packing lists ready to deliver.`, [{ path: 'status', reason: pl.status }]);
  const pending = existing.find((s) => s.status === 'creating');
  const courierText = input.courier ?? pending?.courier ?? pl.courier;
  const service = input.service ?? pending?.service ?? pl.service;
  assertReadyForAwb({ ...pl, courier: courierText, service });
  const courier = asCourier(courierText);
  if (!courier) throw new DomainError('VALIDATION', `Courier ${courierText} is not one we ship with (${COURIER_CODES.join(', ')}).`, [{ path: 'courier', reason: `must be one of ${COURIER_CODES.join(', ')}` }]);
  if (pending && pending.courier !== courier)
    throw new DomainError('CONFLICT', `Packing list ${packingListId} has an unconfirmed ${pending.courier} AWB attempt (shipment ${pending.id}); resolve it before choosing another courier.`, [{ path: 'courier', reason: `unconfirmed ${pending.courier} attempt` }]);

  const order = await orderFacts(deps, tenantId, pl.orderId);
  const account = pending ? await loadCourierAccount(deps.sql, deps.box, tenantId, pending.courierAccountId) : await accountFor(deps, tenantId, courier, order, input.courierAccountId);
  // The services the pack screen offers for this account are the ones accepted here (courier-services.ts).
  if (!pending) assertServiceOffered(account, service!);
  const adapter = adapterFor(deps, account);
  const address = toShipmentAddress(pl.deliveryAddress ?? {}, order.email);
  const parcels = parcelsOf(pl);
  const cod = pending ? pending.cod : await codFor(deps, tenantId, order);
  const shipDate = pending?.shipDate ?? todayIso(deps.now());
  const shipment =
    pending ??
    (await insertCreatingShipment(deps.sql, tenantId, {
      packingListId,
      orderId: pl.orderId,
      warehouseId: order.warehouseId,
      courierAccountId: account.id,
      courier,
      service: service!,
      reference: referenceFor(packingListId, existing.filter((s) => s.status === 'cancelled').length),
      parcels,
      cod,
      shipDate,
    }));
  const req: ShipmentRequest = {
    reference: shipment.reference,
    service: service ?? undefined,
    parcels,
    address,
    sender: await warehouseSender(deps, tenantId, order.warehouseId),
    cod,
    contents: pl.lines.map((l) => `${l.quantity}x ${l.sku ?? l.name}`).join(', ').slice(0, 100),
    observation: order.externalNumber ? `Order ${order.externalNumber}` : undefined,
    labelFormat: input.labelFormat ?? 'A6',
    shipDate,
    previousAttemptUnknown: !!pending,
  };

  let created: CreatedShipment;
  try {
    created = await adapter.createShipment(req);
  } catch (e) {
    // The courier may hold an AWB for this reference: keep the attempt so a retry asks about it.
    const maybeCreated = isCourierError(e) && (e.ambiguous || e.code === 'CONFLICT');
    if (maybeCreated) {
      await openShipmentStall(deps.sql, tenantId, shipment.id, 'shipment.awb_unconfirmed', `${courier} did not confirm the AWB for packing list ${packingListId} (reference ${shipment.reference}): ${(e as Error).message}`,
        `Look for reference ${shipment.reference} in the ${courier} portal, then attach the AWB (POST /shipments/${shipment.id}/resolve with its awb) or, if none exists, discard the attempt (same call without awb).`, { reference: shipment.reference });
      throw e;
    }
    await discardCreatingShipment(deps.sql, tenantId, shipment.id);
    if (isDomainError(e) && e.code === 'VALIDATION') {
      const details: ErrorDetail[] = e.details.map((d) => ({ path: packingListPath(d.path), reason: d.reason }));
      const message = `${courier} refused the AWB for packing list ${packingListId}: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}. Nothing was created.`;
      // Kept on the packing list: an address the courier does not know is a stall until it is corrected.
      await recordAwbRefusal(deps.sql, tenantId, packingListId, { courier, message, details, at: deps.now().toISOString() });
      throw new DomainError('VALIDATION', message, details);
    }
    throw e;
  }
  const label = created.label ?? (adapter.capabilities.courierLabel || created.labelError ? null : await ownLabelFor(courier, service!, created.awb, req));
  const done = await deps.sql.begin(async (tx) => {
    await recordAwbRefusal(tx, tenantId, packingListId, null);
    return completeShipment(tx, tenantId, shipment, created, label);
  });
  return { shipment: done, created: true };
}

/** The one transaction that makes the AWB count: shipment created, packing list and order move, outbox. */
async function completeShipment(tx: Tx, tenantId: string, shipment: Shipment, c: Pick<CreatedShipment, 'awb' | 'meta' | 'parcelAwbs' | 'trackingUrl' | 'price' | 'raw'>, label: Label | null): Promise<Shipment> {
  const { shipment: s } = await markShipmentCreated(tx, tenantId, shipment.id, c, label);
  await dispatchForShipment(tx, tenantId, s.packingListId!, s.orderId!);
  await enqueue(tx, tenantId, 'shipment.created', { shipmentId: s.id, orderId: s.orderId }, `shipment.created:${s.id}`);
  await enqueue(tx, tenantId, 'invoice.issue', { orderId: s.orderId, trigger: 'on_shipping', awbNumber: s.awb, trackingUrl: s.trackingUrl }, `invoice.issue:${s.orderId}:on_shipping`);
  await resolveShipmentStalls(tx, tenantId, s.id, ['shipment.awb_unconfirmed']);
  return s;
}

/**
 * An attempt the courier never confirmed (timeout, or a courier without lookup by reference): the
 * operator found the AWB in the courier's portal and attaches it, or found none and discards the attempt.
 */
export async function resolveUnconfirmedShipment(deps: ShippingDeps, tenantId: string, shipmentId: string, input: { awb?: string | null; courierId?: number | null }): Promise<Shipment | null> {
  const s = await getShipment(deps.sql, tenantId, shipmentId);
  if (s.status !== 'creating') throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} is ${s.status}; only an unconfirmed AWB attempt can be resolved.`, [{ path: 'status', reason: s.status }]);
  if (!input.awb) {
    await deps.sql.begin(async (tx) => {
      await resolveShipmentStalls(tx, tenantId, shipmentId, ['shipment.awb_unconfirmed']);
      await discardCreatingShipment(tx, tenantId, shipmentId);
    });
    return null;
  }
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, s.courierAccountId);
  const adapter = adapterFor(deps, account);
  // Innoship addresses an AWB by the courier it routed to (shown in its portal beside the AWB).
  const meta: Record<string, string | number> = input.courierId != null ? { courierId: input.courierId } : account.settings.courierId != null ? { courierId: Number(account.settings.courierId) } : {};
  const [t] = await adapter.track([{ awb: input.awb, meta }]);
  if (!t) throw new DomainError('VALIDATION', `${s.courier} does not know AWB ${input.awb}.`, [{ path: 'awb', reason: `unknown at ${s.courier}` }]);
  let label: Label | null = null;
  try {
    label = await adapter.label({ awb: input.awb, meta }, 'A6');
  } catch {
    label = null;
  }
  return deps.sql.begin((tx) => completeShipment(tx, tenantId, s, { awb: input.awb!, meta, parcelAwbs: [], trackingUrl: t.trackingUrl, price: null, raw: { attachedBy: 'operator', track: t.raw ?? null } }, label));
}

/** Cancels the AWB at the courier (where it allows: usually only before pickup), then takes the parcel back. */
export async function cancelAwb(deps: ShippingDeps, tenantId: string, shipmentId: string): Promise<Shipment> {
  const s = await getShipment(deps.sql, tenantId, shipmentId);
  if (s.status === 'cancelled') return s;
  if (s.status !== 'created' || !s.awb)
    throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} is ${s.status}; an AWB can be cancelled only before the courier picks it up.`, [{ path: 'status', reason: s.status }]);
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, s.courierAccountId);
  const adapter = adapterFor(deps, account);
  if (!adapter.capabilities.cancel) throw new DomainError('INVALID_STATE', `${s.courier} offers no AWB cancellation; cancel AWB ${s.awb} in its portal.`, [{ path: 'courier', reason: 'no cancel API' }]);
  await adapter.cancel(shipmentRef(s));
  return deps.sql.begin(async (tx) => {
    const locked = await getShipment(tx, tenantId, shipmentId, { lock: true });
    if (locked.status === 'cancelled') return locked;
    const logId = await markShipmentCancelled(tx, tenantId, shipmentId, 'manual', `AWB ${s.awb} cancelled at ${s.courier}`);
    await recallForShipment(tx, tenantId, shipmentId, s.packingListId, s.orderId);
    await enqueue(tx, tenantId, 'shipment.status_changed', { shipmentId, orderId: s.orderId, status: 'cancelled', statusLogId: logId }, `shipment.status_changed:${shipmentId}:${logId}`);
    return getShipment(tx, tenantId, shipmentId);
  });
}

/** Rate shopping for a packing list: every configured courier that quotes, cheapest and fastest first. */
export async function quotePackingList(deps: ShippingDeps, tenantId: string, packingListId: string): Promise<RateShoppingResult & { pick: { cheapest: unknown; fastest: unknown } }> {
  const pl = await getPackingList(deps.sql, tenantId, packingListId);
  const missing = pl.missingForAwb.filter((p) => p.startsWith('parcels') || p === 'deliveryAddress');
  if (missing.length) throw new DomainError('VALIDATION', `Packing list ${packingListId} cannot be quoted yet; missing: ${missing.join(', ')}.`, missing.map((path) => ({ path, reason: 'required for a quote' })));
  const order = await orderFacts(deps, tenantId, pl.orderId);
  const accounts = await resolveCourierAccounts(deps.sql, deps.box, tenantId, { channelId: order.channelId, warehouseId: order.warehouseId });
  const adapters = accounts.map((a) => adapterFor(deps, a));
  const r = await quoteAll(adapters, parcelsOf(pl), toShipmentAddress(pl.deliveryAddress ?? {}, order.email), {
    reference: `quote-PL${packingListId}`,
    cod: await codFor(deps, tenantId, order),
    sender: await warehouseSender(deps, tenantId, order.warehouseId),
  });
  return { ...r, pick: { cheapest: r.cheapest[0] ?? null, fastest: r.fastest[0] ?? null } };
}
