import type { LabelFormat } from '../shipping/index.ts';
import { type CourierChoice, courierChoiceOf, resolveCourierAccounts, type Shipment, shipmentsOfPackingList } from '../shipping/index.ts';
import { assertPackScanned, getPackingList, packScanState } from '../warehouse/index.ts';
import { generateAwb, orderFacts, type ShippingDeps } from './generate-awb.ts';

/**
 * The packing station: what the pack screen offers and what closing the parcel does. The couriers
 * offered are the accounts the AWB step would resolve for this order (channel × warehouse), each
 * with the services that account accepts, so nothing on the screen can be refused for its name.
 */
export async function awbChoices(deps: ShippingDeps, tenantId: string, packingListId: string): Promise<CourierChoice[]> {
  const pl = await getPackingList(deps.sql, tenantId, packingListId);
  const order = await orderFacts(deps, tenantId, pl.orderId);
  const accounts = await resolveCourierAccounts(deps.sql, deps.box, tenantId, { channelId: order.channelId, warehouseId: order.warehouseId });
  return accounts.map(courierChoiceOf);
}

/** The packing list's live shipment (an AWB that is not cancelled), if it has one. */
export async function liveShipmentOfPackingList(deps: ShippingDeps, tenantId: string, packingListId: string): Promise<Shipment | null> {
  const all = await shipmentsOfPackingList(deps.sql, tenantId, packingListId);
  return all.find((s) => s.status !== 'creating' && s.status !== 'cancelled') ?? null;
}

/**
 * Closing the parcel at the station: refused while an item is unscanned (unless a supervisor's
 * override is on record), then the AWB with the courier and service saved on the packing list.
 */
export async function closeParcelWithAwb(deps: ShippingDeps, tenantId: string, packingListId: string, o: { labelFormat?: LabelFormat } = {}) {
  const existing = await liveShipmentOfPackingList(deps, tenantId, packingListId);
  if (existing) return { shipment: existing, created: false };
  assertPackScanned(await packScanState(deps.sql, tenantId, packingListId));
  return generateAwb(deps, tenantId, packingListId, o.labelFormat ? { labelFormat: o.labelFormat } : {});
}
