import type { Tx } from '../db/connect.ts';
import { getOrderDetail } from '../orders/index.ts';
import { getReturn, type Return } from '../returns/index.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import {
  adapterFor,
  type CreatedShipment,
  discardCreatingShipment,
  getShipment,
  insertCreatingReturnShipment,
  isCourierError,
  lastDeliveredShipmentId,
  loadCourierAccount,
  markShipmentCreated,
  type Parcel,
  type ReturnPickupRequest,
  returnReferenceFor,
  returnShipments,
  todayIso,
} from '../shipping/index.ts';
import { type ShippingDeps, toShipmentAddress } from './generate-awb.ts';
import { recordIncomingAwb } from './return-goods.ts';
import { getPackingList } from '../warehouse/index.ts';

export interface ReturnAwbInput {
  courierAccountId: string;
  /** ISO date-times of the pickup window at the customer; default: the next working day, 09:00–17:00. */
  pickupFrom?: string;
  pickupTo?: string;
  /** Default: one parcel of 1 kg, 30×20×10 cm (what a customer's return usually is). */
  parcels?: Parcel[];
  /** Where the courier picks the parcel up; default: where the order was delivered. */
  pickupAddress?: Record<string, unknown>;
  /** Innoship locker return: the locker (Innoship FixedLocationId) the customer drops the parcel in. */
  lockerId?: string;
  /** Innoship locker return: Sameday or FAN (default: the courier the account forces). */
  lockerCourier?: 'sameday' | 'fancourier';
}

async function deliveredTo(deps: ShippingDeps, tenantId: string, orderId: string): Promise<Record<string, unknown> | null> {
  const shipmentId = await lastDeliveredShipmentId(deps.sql, tenantId, orderId);
  const s = shipmentId ? await getShipment(deps.sql, tenantId, shipmentId) : null;
  return s?.packingListId ? ((await getPackingList(deps.sql, tenantId, s.packingListId)).deliveryAddress ?? null) : null;
}

const DEFAULT_PARCEL: Parcel = { weightKg: 1, lengthCm: 30, widthCm: 20, heightCm: 10 };

function nextWorkingDay(now: Date): string {
  const d = new Date(now.getTime() + 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * A return AWB through the courier's return service (Cargus `AwbPickup`: the courier picks the
 * parcel up at the customer's delivery address and brings it to the account's pickup point; Bosta
 * type 25 CRP, the same with the customer as pickup address; Innoship's locker return order through
 * Sameday or FAN: the customer drops the parcel in `lockerId`, and the locker PIN, when the courier
 * gives one, is kept on the return for the operator to send), in
 * the three steps of any AWB: the attempt recorded (committed), the courier called with no
 * transaction open (a lost answer is looked up by reference on the next try), then the shipment
 * created and the return's incoming AWB recorded together. The shipment is tracked like any other;
 * it belongs to no packing list, so its delivery moves no order. A courier whose contract has no
 * return service is refused naming the account: the operator records the customer's AWB instead.
 */
export async function requestReturnAwb(deps: ShippingDeps, tenantId: string, returnId: string, input: ReturnAwbInput): Promise<{ return: Return; shipment: { id: string; courier: string; awb: string; trackingUrl: string | null; recovered: boolean; lockerPin: string | null } }> {
  const ret = await getReturn(deps.sql, tenantId, returnId);
  if (ret.type === 'manual' || !['requested', 'receiving'].includes(ret.status)) {
    throw new DomainError('INVALID_STATE', `Return ${ret.id} is ${ret.type === 'manual' ? 'manual (no parcel comes back)' : ret.status}; no return AWB is made for it.`, [{ path: 'id', reason: ret.type === 'manual' ? 'manual return' : `return is ${ret.status}` }]);
  }
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, input.courierAccountId);
  if (!account.active) throw new DomainError('VALIDATION', `Courier account ${account.id} is not active.`, [{ path: 'courierAccountId', reason: 'inactive account' }]);
  const adapter = adapterFor(deps, account);
  if (!adapter.createReturnPickup) {
    throw new DomainError('VALIDATION', `${account.courier} has no return service Expedio can order (its contract documents none); record the AWB the customer sends the parcel with (POST /returns/${ret.id}/awb).`, [
      { path: 'courierAccountId', reason: `${account.courier} has no return service` },
    ]);
  }
  const options = { ...(input.lockerId ? { lockerId: input.lockerId } : {}), ...(input.lockerCourier ? { lockerCourier: input.lockerCourier } : {}) };
  // What the courier's return service needs beyond an address (Innoship: the locker, Sameday or FAN), refused before anything is recorded.
  const problems = adapter.returnPickupProblems
    ? adapter.returnPickupProblems(options)
    : [
        ...(input.lockerId ? [{ path: 'lockerId', reason: `${account.courier} return pickups take no locker (only an Innoship account's locker return does)` }] : []),
        ...(input.lockerCourier ? [{ path: 'lockerCourier', reason: `only for an Innoship account's locker return, not ${account.courier}` }] : []),
      ];
  if (problems.length) throw new DomainError('VALIDATION', `The return AWB of return ${ret.id} through ${account.courier}: ${problems.map((p) => `${p.path} ${p.reason}`).join('; ')}.`, problems);
  const existing = await returnShipments(deps.sql, tenantId, ret.id);
  const live = existing.find((s) => s.status !== 'cancelled' && s.status !== 'creating');
  if (live) throw new DomainError('CONFLICT', `Return ${ret.id} has a return AWB already (${live.courier} ${live.awb}).`, [{ path: 'id', reason: `return AWB ${live.awb} exists` }]);
  const pending = existing.find((s) => s.status === 'creating');
  const order = await getOrderDetail(deps.sql, tenantId, ret.orderId);
  // Picked up where the goods were delivered: the delivery address of the parcel that reached the customer, else the order's.
  const address = toShipmentAddress(input.pickupAddress ?? (await deliveredTo(deps, tenantId, ret.orderId)) ?? ((order.shippingAddress ?? {}) as Record<string, unknown>), order.email ?? null);
  const parcels = input.parcels ?? [DEFAULT_PARCEL];
  const day = nextWorkingDay(deps.now());
  const shipDate = todayIso(deps.now());
  const service = adapter.returnService ?? account.defaultService ?? '34';
  const shipment =
    pending ??
    (await insertCreatingReturnShipment(deps.sql, tenantId, {
      returnId: ret.id,
      warehouseId: ret.warehouseId ?? order.warehouseId ?? null,
      courierAccountId: account.id,
      courier: account.courier,
      service,
      reference: returnReferenceFor(ret.id, existing.filter((s) => s.status === 'cancelled').length),
      parcels,
      shipDate,
    }));
  const req: ReturnPickupRequest = {
    ...options,
    reference: shipment.reference,
    service,
    parcels,
    address,
    contents: ret.lines.map((l) => `${l.quantity}x ${l.sku ?? l.name}`).join(', ').slice(0, 100),
    observation: `Retur ${ret.id}${order.externalNumber ? `, comanda ${order.externalNumber}` : ''}`,
    labelFormat: 'A6',
    shipDate,
    previousAttemptUnknown: !!pending,
    pickupFrom: input.pickupFrom ?? `${day}T09:00`,
    pickupTo: input.pickupTo ?? `${day}T17:00`,
  };
  let created: CreatedShipment;
  try {
    created = await adapter.createReturnPickup(req);
  } catch (e) {
    // The courier may hold a pickup for this reference: the attempt stays, the next try looks it up.
    if (isCourierError(e) && (e.ambiguous || e.code === 'CONFLICT')) throw e;
    await discardCreatingShipment(deps.sql, tenantId, shipment.id);
    if (isDomainError(e) && e.code === 'VALIDATION') {
      // The courier's field errors on the body: its address is the pickup address, its locker and parcels keep their names.
      const bodyPath = (p: string) => (p.startsWith('address.') ? `pickupAddress.${p.slice('address.'.length)}` : p === 'address' ? 'pickupAddress' : p);
      throw new DomainError('VALIDATION', `${account.courier} refused the return AWB of return ${ret.id}: ${e.message}`, e.details.map((d) => ({ path: bodyPath(d.path), reason: d.reason })));
    }
    throw e;
  }
  const done = await deps.sql.begin(async (tx: Tx) => {
    const { shipment: s } = await markShipmentCreated(tx, tenantId, shipment.id, created, created.label);
    const r = await recordIncomingAwb(tx, tenantId, ret.id, { courier: account.courier, awb: created.awb, lockerId: input.lockerId ?? null, lockerPin: created.lockerPin ?? null });
    return { s, r };
  });
  return { return: done.r, shipment: { id: done.s.id, courier: account.courier, awb: created.awb, trackingUrl: created.trackingUrl, recovered: created.recovered, lockerPin: created.lockerPin ?? null } };
}
