import type { Db } from '../db/connect.ts';
import { awbsInTransit, type CourierCode, courierAuditLog } from '../shipping/index.ts';
import { blockedDeliveryNotes } from './blocked-delivery-notes.ts';
import { chartOf, type ReportPage } from './report-page.ts';
import { type StockMovementFilters, type StockMovementRow, stockMovementHistory } from './stock-movement-history.ts';

/*
 * The four reports that answered before they had a chart or a CSV (stock movements, blocked
 * delivery notes, AWBs in transit, courier audit log): each keeps its JSON as it was, and gains the
 * flat rows the CSV is written from, the next page's cursor and the chart data.
 */

export const AGE_BUCKETS = ['0-1d', '1-3d', '3-7d', '7d+'] as const;
const ageBucket = (hours: number) => (hours < 24 ? '0-1d' : hours < 72 ? '1-3d' : hours < 168 ? '3-7d' : '7d+');

export async function awbsInTransitReport(db: Db, tenantId: string, f: { courier?: CourierCode; attentionOnly?: boolean; limit: number; cursor?: string }) {
  const legacy = await awbsInTransit(db, tenantId, f);
  // The rows as they were (lastEvent and cod nested) with their flat columns beside, which the CSV writes.
  const rows = legacy.rows.map((r) => ({
    ...r,
    shipmentId: r.shipmentId,
    orderId: r.orderId,
    courier: r.courier as string,
    awb: r.awb,
    status: r.status,
    attention: r.attention,
    createdAt: r.createdAt,
    ageHours: r.ageHours,
    ageBucket: ageBucket(r.ageHours),
    lastEventStatus: r.lastEvent?.status ?? null,
    lastEventCode: r.lastEvent?.rawCode ?? null,
    lastEventDescription: r.lastEvent?.description ?? null,
    lastEventAt: r.lastEvent?.occurredAt ?? r.lastEvent?.recordedAt ?? null,
    codAmount: r.cod?.amount ?? null,
    codCurrency: r.cod?.currency ?? null,
  }));
  const page: ReportPage<(typeof rows)[number]> = {
    report: 'awbs-in-transit',
    columns: ['shipmentId', 'orderId', 'courier', 'awb', 'status', 'attention', 'createdAt', 'ageHours', 'ageBucket', 'lastEventStatus', 'lastEventCode', 'lastEventDescription', 'lastEventAt', 'codAmount', 'codCurrency'],
    rows,
    nextCursor: legacy.nextCursor,
    chart: chartOf(rows, { scope: 'page', stacked: true, labels: [...AGE_BUCKETS], label: (r) => r.ageBucket, series: (r) => r.courier, value: () => 1 }),
  };
  return { legacy, page };
}

export async function courierAuditReport(db: Db, tenantId: string, f: { courier?: string; outcome?: string; operation?: string; before?: string; limit: number }) {
  const legacy = await courierAuditLog(db, tenantId, f);
  const rows = legacy.entries.map((e) => ({
    id: e.id,
    createdAt: e.createdAt,
    courier: e.courier,
    operation: e.operation,
    method: e.method,
    url: e.url,
    responseStatus: e.responseStatus,
    latencyMs: e.latencyMs,
    outcome: e.outcome,
    error: e.error,
  }));
  const page: ReportPage<(typeof rows)[number]> = {
    report: 'courier-audit-log',
    columns: ['id', 'createdAt', 'courier', 'operation', 'method', 'url', 'responseStatus', 'latencyMs', 'outcome', 'error'],
    rows,
    nextCursor: legacy.nextBefore,
    chart: chartOf(rows, { scope: 'page', stacked: true, label: (r) => r.operation, series: (r) => r.outcome, value: () => 1 }),
  };
  return { legacy, page };
}

export async function stockMovementsReport(db: Db, tenantId: string, f: StockMovementFilters) {
  const legacy = await stockMovementHistory(db, tenantId, f);
  const rows = legacy.movements.map((m: StockMovementRow) => ({ ...m }));
  const points = rows.flatMap((r) => [
    { kind: r.kind, name: 'onHandDelta', v: r.onHandDelta },
    { kind: r.kind, name: 'reservedDelta', v: r.reservedDelta },
  ]);
  const page: ReportPage<(typeof rows)[number]> = {
    report: 'stock-movements',
    columns: ['id', 'createdAt', 'warehouseCode', 'binCode', 'sku', 'productName', 'kind', 'onHandDelta', 'reservedDelta', 'causeType', 'causeId', 'note'],
    rows,
    nextCursor: legacy.nextCursor,
    chart: chartOf(points, { scope: 'page', label: (r) => r.kind, series: (r) => r.name, value: (r) => r.v }),
  };
  return { legacy, page };
}

export async function blockedDeliveryNotesReport(db: Db, tenantId: string, f: { limit: number; cursor?: string }) {
  const legacy = await blockedDeliveryNotes(db, tenantId, f);
  const rows = legacy.deliveryNotes.flatMap((n) =>
    (n.blockedDetails ?? []).map((b) => ({
      deliveryNoteId: n.id,
      orderId: n.orderId,
      createdAt: n.createdAt,
      lineNo: b.lineNo,
      sku: b.sku,
      needed: b.needed,
      available: b.available,
      missing: b.missing,
    })),
  );
  const page: ReportPage<(typeof rows)[number]> = {
    report: 'blocked-delivery-notes',
    columns: ['deliveryNoteId', 'orderId', 'createdAt', 'lineNo', 'sku', 'needed', 'available', 'missing'],
    rows,
    nextCursor: legacy.nextCursor,
    chart: chartOf(legacy.missingBySku, { scope: 'page', label: (r) => r.sku, series: () => 'missing', value: (r) => r.missing }),
  };
  return { legacy, page };
}
