import { getWarehouse } from '../inventory/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import { shipmentIdsForManifest, loadCourierAccount, adapterFor, type ManifestShipment, renderHandoverManifest, claimLabelBatch, finishLabelBatch, getLabelBatch, reportLabelBatchProgress, mergeLabels, renderOwnLabel, getShipment, readStoredLabel, type Shipment, shipmentRef, storeLabel } from '../shipping/index.ts';
import type { CourierCode, Label, LabelFormat } from '../shipping/index.ts';
import { getPackingList } from '../warehouse/index.ts';
import { type ShippingDeps, toShipmentAddress } from './generate-awb.ts';

/**
 * Shipping documents: a shipment's label in the format asked for (the courier's where it prints
 * one, else our own 100×150 mm label with a Code128 barcode), batches of labels merged into one PDF,
 * and the hand-over manifest per courier × warehouse × day.
 */

async function recipientOf(deps: ShippingDeps, tenantId: string, s: Shipment) {
  if (!s.packingListId) return { name: '-', phone: '-', countryCode: 'RO', locality: '-', addressLine: '-' };
  const pl = await getPackingList(deps.sql, tenantId, s.packingListId);
  return toShipmentAddress(pl.deliveryAddress ?? {}, null);
}

async function ownLabel(deps: ShippingDeps, tenantId: string, s: Shipment): Promise<Label> {
  const w = s.warehouseId ? await getWarehouse(deps.sql, tenantId, s.warehouseId) : null;
  const sender = w ? { ...toShipmentAddress(w.address ?? {}, null), name: w.name } : { name: '-', phone: '-', countryCode: 'RO', locality: '-', addressLine: '-' };
  const bytes = await renderOwnLabel({
    awb: s.awb!,
    courierName: s.courier,
    service: s.service,
    sender: { ...sender, locality: sender.locality || w?.code || '-', addressLine: sender.addressLine || '-' },
    recipient: await recipientOf(deps, tenantId, s),
    weightKg: s.parcels.reduce((a, p) => a + Number(p.weightKg), 0),
    parcelCount: s.parcels.length,
    cod: s.cod,
    reference: s.reference,
  });
  return { bytes, format: 'A6', mediaType: 'application/pdf', source: 'own' };
}

/** The label of a shipment; `format` absent = as stored (or A6). A4 of a thermal label puts it on an A4 sheet. */
export async function getShipmentLabel(deps: ShippingDeps, tenantId: string, shipmentId: string, format?: LabelFormat): Promise<Label> {
  const s = await getShipment(deps.sql, tenantId, shipmentId);
  if (!s.awb) throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} has no AWB yet, so no label.`, [{ path: 'status', reason: s.status }]);
  const stored = await readStoredLabel(deps.sql, tenantId, shipmentId);
  if (stored && (!format || stored.format === format)) return { ...stored, mediaType: 'application/pdf' };
  const want = format ?? 'A6';
  if (!stored || stored.source === 'courier') {
    const account = await loadCourierAccount(deps.sql, deps.box, tenantId, s.courierAccountId);
    const adapter = adapterFor(deps, account);
    if (adapter.capabilities.courierLabel && adapter.capabilities.labelFormats.includes(want)) {
      const label = await adapter.label(shipmentRef(s), want);
      if (!stored) await storeLabel(deps.sql, tenantId, shipmentId, label);
      return label;
    }
  }
  const base = stored ?? (await ownLabel(deps, tenantId, s));
  if (!stored) await storeLabel(deps.sql, tenantId, shipmentId, base);
  if (base.format === want) return { ...base, mediaType: 'application/pdf' };
  return { bytes: await mergeLabels([base.bytes], undefined, { target: want }), format: want, mediaType: 'application/pdf', source: base.source };
}

/**
 * Builds a label batch: each label in turn (progress saved every few labels so the screen can show
 * it), then one merged PDF. A batch already taken by another process is left to it.
 */
export async function runLabelBatch(deps: ShippingDeps, tenantId: string, batchId: string): Promise<void> {
  if (!(await claimLabelBatch(deps.sql, tenantId, batchId))) return;
  const batch = await getLabelBatch(deps.sql, tenantId, batchId);
  try {
    const pdfs: Uint8Array[] = [];
    for (const [i, id] of batch.shipmentIds.entries()) {
      pdfs.push((await getShipmentLabel(deps, tenantId, id, batch.format)).bytes);
      if ((i + 1) % 10 === 0 || i + 1 === batch.total) await reportLabelBatchProgress(deps.sql, tenantId, batchId, Math.min(i + 1, batch.total - 1));
    }
    const merged = await mergeLabels(pdfs, undefined, { target: batch.format });
    await finishLabelBatch(deps.sql, tenantId, batchId, { pdf: merged });
  } catch (e) {
    await finishLabelBatch(deps.sql, tenantId, batchId, { error: (e as Error).message });
  }
}

/** Hand-over manifest: the AWBs of one courier leaving one warehouse on one day (cancelled ones left out). */
export async function renderManifest(deps: ShippingDeps, tenantId: string, q: { courier: CourierCode; warehouseId: string; day: string }): Promise<{ pdf: Uint8Array; count: number }> {
  const w = await getWarehouse(deps.sql, tenantId, q.warehouseId);
  if (!w) throw new DomainError('NOT_FOUND', `Warehouse ${q.warehouseId} does not exist.`, [{ path: 'warehouseId', reason: 'unknown warehouse' }]);
  const ids = await shipmentIdsForManifest(deps.sql, tenantId, q);
  const rows: ManifestShipment[] = [];
  for (const id of ids) {
    const s = await getShipment(deps.sql, tenantId, id);
    const to = await recipientOf(deps, tenantId, s);
    rows.push({
      awb: s.awb!,
      reference: s.reference,
      recipientName: to.name,
      locality: to.locality,
      parcels: Math.max(1, s.parcels.length),
      weightKg: s.parcels.reduce((a, p) => a + Number(p.weightKg), 0),
      codAmount: s.cod?.amount ?? null,
      codCurrency: s.cod?.currency ?? null,
    });
  }
  const a = toShipmentAddress(w.address ?? {}, null);
  const pdf = await renderHandoverManifest({
    courier: q.courier,
    warehouse: { code: w.code, name: w.name, address: [a.addressLine, a.locality].filter(Boolean).join(', ') || undefined },
    day: q.day,
    shipments: rows,
    generatedAt: deps.now(),
  });
  return { pdf, count: rows.length };
}
