import { writeSyncLog } from '../channels/sync-log.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { CourierCode, TrackResult } from '../shipping/courier-adapter.ts';
import { type CourierAccount, listCourierAccounts, loadCourierAccount } from '../shipping/courier-accounts.ts';
import { adapterFor } from '../shipping/courier-clients.ts';
import { BOSTA_WEBHOOK_HEADER } from '../shipping/couriers/bosta/bosta-mapper.ts';
import { findShipmentByAwb, getShipment, type Shipment } from '../shipping/shipments.ts';
import {
  claimDueShipments,
  codSignalOf,
  type DueShipment,
  openShipmentStall,
  type RecordedTrack,
  recordCodProgress,
  recordPollFailure,
  recordTrackResult,
  resolveShipmentStalls,
  schedulePoll,
} from '../shipping/tracking.ts';
import type { ShippingDeps } from './generate-awb.ts';
import { deliverForShipment, markOrderPaidByCod, recallForShipment } from './shipment-effects.ts';

/**
 * Tracking: the worker polls due shipments in batches within each courier's limits, and Bosta's
 * webhook is a hint that makes us re-fetch the delivery. Either way one courier answer for one
 * shipment is applied in one transaction by `applyTrack`.
 */

const STALL_FIX: Record<string, string> = {
  'shipment.failed_attempt': 'Call the customer to confirm address and availability, then ask the courier to redeliver (or cancel the order and expect the return).',
  'shipment.returned_to_sender': 'The parcel is coming back: receive it as a return, then refund or reship the order.',
  'shipment.exception': 'Open a claim with the courier (lost, damaged or held parcel) and decide on a replacement.',
  'tracking.unknown_code': 'Add the code to the courier account settings (statusOverrides) with its status; the shipment keeps its last known status until then.',
};

/** Applies one courier answer to one shipment, with everything it causes, in the caller's transaction. */
export async function applyTrack(tx: Tx, tenantId: string, shipmentId: string, result: TrackResult, source: 'poll' | 'webhook' | 'manual'): Promise<RecordedTrack> {
  const rec = await recordTrackResult(tx, tenantId, shipmentId, result, source);
  const s = rec.shipment;
  for (const ch of rec.changes)
    await enqueue(tx, tenantId, 'shipment.status_changed', { shipmentId, orderId: s.orderId, status: ch.status, statusLogId: ch.statusLogId }, `shipment.status_changed:${shipmentId}:${ch.statusLogId}`);
  if (rec.unknownCodes.length > 0)
    await openShipmentStall(tx, tenantId, shipmentId, 'tracking.unknown_code', `AWB ${s.awb} (${s.courier}) reported code(s) ${rec.unknownCodes.map((u) => `${u.code} "${u.description}"`).join(', ')} that we do not map; status kept at ${s.status}.`, STALL_FIX['tracking.unknown_code']!, {
      codes: rec.unknownCodes,
    });
  const last = rec.changes.at(-1);
  if (last && (last.status === 'failed_attempt' || last.status === 'returned_to_sender' || last.status === 'exception')) {
    const kind = `shipment.${last.status}`;
    await openShipmentStall(tx, tenantId, shipmentId, kind, `AWB ${s.awb} (${s.courier}): ${last.event.raw.description || last.event.raw.code}${last.event.reason ? ` (${last.event.reason})` : ''}.`, STALL_FIX[kind]!, {
      statusLogId: last.statusLogId,
      rawCode: last.event.raw.code,
    });
  }
  if (last?.status === 'delivered') {
    await resolveShipmentStalls(tx, tenantId, shipmentId, ['shipment.failed_attempt', 'shipment.exception']);
    await deliverForShipment(tx, tenantId, s.packingListId, s.orderId);
  } else if (last?.status === 'cancelled') {
    await recallForShipment(tx, tenantId, shipmentId, s.packingListId, s.orderId);
  }
  const cod = s.cod ? codSignalOf(s.courier, result.raw, s.status) : null;
  if (cod && (await recordCodProgress(tx, tenantId, shipmentId, cod)) && s.orderId) await markOrderPaidByCod(tx, tenantId, s.orderId);
  return rec;
}

export interface PollReport {
  claimed: number;
  polled: number;
  newEvents: number;
  statusChanges: number;
  unknownCodes: number;
  failures: number;
  courierCalls: Record<string, number>;
}

/**
 * One polling run: claims due shipments (a lease, so two workers split them), groups them per
 * courier account and asks each adapter for their tracks (the adapter batches within the courier's
 * limit: Innoship 200 AWBs per call, Cargus 50, Sameday/FAN/Bosta one AWB per call), then applies
 * each answer in its own transaction. A courier failure backs off only that account's shipments.
 */
export async function pollShipments(deps: ShippingDeps, opts: { limit?: number; tenantId?: string; courier?: CourierCode } = {}): Promise<PollReport> {
  const due = await claimDueShipments(deps.sql, { limit: opts.limit ?? 500, tenantId: opts.tenantId, courier: opts.courier });
  const report: PollReport = { claimed: due.length, polled: 0, newEvents: 0, statusChanges: 0, unknownCodes: 0, failures: 0, courierCalls: {} };
  const groups = new Map<string, DueShipment[]>();
  for (const d of due) groups.set(`${d.tenantId}:${d.courierAccountId}`, [...(groups.get(`${d.tenantId}:${d.courierAccountId}`) ?? []), d]);
  for (const list of groups.values()) {
    const { tenantId, courierAccountId } = list[0]!;
    let results: TrackResult[];
    try {
      const account = await loadCourierAccount(deps.sql, deps.box, tenantId, courierAccountId);
      results = await adapterFor(deps, account).track(list.map((d) => ({ awb: d.awb, meta: d.courierMeta })));
      report.courierCalls[account.courier] = (report.courierCalls[account.courier] ?? 0) + 1;
    } catch (e) {
      report.failures += list.length;
      await recordPollFailure(deps.sql, tenantId, list.map((d) => d.id), (e as Error).message);
      continue;
    }
    const byAwb = new Map(results.map((r) => [r.awb, r]));
    for (const d of list) {
      const r = byAwb.get(d.awb);
      if (!r) {
        const s = await getShipment(deps.sql, tenantId, d.id);
        await schedulePoll(deps.sql, tenantId, d.id, s.status);
        continue;
      }
      const rec = await deps.sql.begin((tx) => applyTrack(tx, tenantId, d.id, r, 'poll'));
      report.polled++;
      report.newEvents += rec.newEvents;
      report.statusChanges += rec.changes.length;
      report.unknownCodes += rec.unknownCodes.length;
    }
  }
  return report;
}

/** Re-polls one shipment now (the operator's "refresh" button). */
export async function refreshShipment(deps: ShippingDeps, tenantId: string, shipmentId: string): Promise<Shipment> {
  const s = await getShipment(deps.sql, tenantId, shipmentId);
  if (!s.awb) throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} has no AWB yet.`, [{ path: 'status', reason: s.status }]);
  const account = await loadCourierAccount(deps.sql, deps.box, tenantId, s.courierAccountId);
  const [r] = await adapterFor(deps, account).track([{ awb: s.awb, meta: s.courierMeta }]);
  if (r) await deps.sql.begin((tx) => applyTrack(tx, tenantId, shipmentId, r, 'manual'));
  return getShipment(deps.sql, tenantId, shipmentId);
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: Record<string, unknown>;
}

/**
 * Bosta's webhook, authenticated by the configured header secret (constant-time compare in the
 * adapter) and treated as a hint: the delivery is re-fetched from Bosta and that answer is applied.
 * Deduplicated by (delivery id, state, timestamp) in webhook_deliveries; every call leaves a sync-log row.
 */
export async function receiveBostaWebhook(deps: ShippingDeps, channelId: string, headers: Headers, raw: Uint8Array): Promise<WebhookAnswer> {
  const log = (tenantId: string | null, outcome: 'ok' | 'duplicate' | 'ignored' | 'rejected' | 'error', extra: { error?: string; externalId?: string; deliveryId?: string; details?: Record<string, unknown> } = {}) =>
    writeSyncLog(deps.sql, { tenantId, channelId: /^\d{1,18}$/.test(channelId) ? channelId : null, direction: 'inbound', kind: 'webhook', topic: 'courier.bosta', outcome, ...extra });
  const [ch] = /^\d{1,18}$/.test(channelId) ? await deps.sql<{ tenant_id: string }[]>`select tenant_id::text from channels where id = ${channelId}` : [];
  if (!ch) {
    await log(null, 'rejected', { error: 'unknown channel' });
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: `Channel ${channelId} does not exist.`, details: [{ path: 'channelId', reason: 'unknown channel' }] } } };
  }
  const tenantId = ch.tenant_id;
  const accounts = (await listCourierAccounts(deps.sql, deps.box, tenantId, { courier: 'bosta', activeOnly: true })).filter((a) => a.channelId === null || a.channelId === channelId);
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    await log(tenantId, 'rejected', { error: 'body is not JSON' });
    return { status: 400, body: { error: { code: 'VALIDATION', message: 'The webhook body is not valid JSON.', details: [{ path: 'body', reason: 'not JSON' }] } } };
  }
  let account: CourierAccount | null = null;
  let resolution: Awaited<ReturnType<NonNullable<ReturnType<typeof adapterFor>['resolveWebhook']>>> | null = null;
  let lastError: unknown = null;
  for (const summary of accounts) {
    const a = await loadCourierAccount(deps.sql, deps.box, tenantId, summary.id);
    const headerName = String(a.settings.webhookHeaderName ?? BOSTA_WEBHOOK_HEADER);
    try {
      resolution = (await adapterFor(deps, a).resolveWebhook?.(headers.get(headerName), payload)) ?? null;
      account = a;
      break;
    } catch (e) {
      lastError = e;
      if (!(isDomainError(e) && e.code === 'UNAUTHORIZED')) break;
    }
  }
  if (!account || !resolution) {
    const e = lastError;
    const code = isDomainError(e) ? e.code : 'UNAUTHORIZED';
    const status = code === 'VALIDATION' ? 400 : code === 'NOT_FOUND' ? 404 : 401;
    await log(tenantId, status === 401 ? 'rejected' : status === 404 ? 'ignored' : 'rejected', { error: e ? (e as Error).message : 'no Bosta account for this channel' });
    return {
      status,
      body: { error: { code: status === 401 ? 'UNAUTHORIZED' : code, message: e ? (e as Error).message : 'No Bosta account is configured for this channel.', details: isDomainError(e) ? e.details : [{ path: 'channelId', reason: 'no Bosta account' }] } },
    };
  }
  const { hint, track, agrees } = resolution;
  const result = await deps.sql.begin(async (tx) => {
    const fresh = await tx`insert into webhook_deliveries (tenant_id, channel_id, delivery_id, topic) values (${tenantId}, ${channelId}, ${`bosta:${hint.dedupeKey}`}, 'courier.bosta')
      on conflict do nothing returning delivery_id`;
    if (fresh.length === 0) return { outcome: 'duplicate' as const };
    const s = await findShipmentByAwb(tx, tenantId, 'bosta', hint.trackingNumber);
    if (!s) return { outcome: 'ignored' as const };
    const rec = await applyTrack(tx, tenantId, s.id, track, 'webhook');
    return { outcome: 'ok' as const, shipmentId: s.id, status: rec.shipment.status, newEvents: rec.newEvents };
  });
  await log(tenantId, result.outcome, { externalId: hint.trackingNumber, deliveryId: hint.dedupeKey, details: { ...result, agrees, hintState: hint.event.raw.code, courierAccountId: account.id } });
  return { status: 200, body: { received: true, ...result } };
}

/**
 * A COD settlement from the courier's statement (Sameday, FAN Courier and Cargus report settlements
 * only outside the APIs wired here; Bosta reports collection, not the payout): marks the shipment's
 * cash settled and the order paid.
 */
export async function recordCodSettlement(deps: ShippingDeps, tenantId: string, shipmentId: string, input: { reference?: string | null; settledAt?: string | null }): Promise<Shipment> {
  return deps.sql.begin(async (tx) => {
    const s = await getShipment(tx, tenantId, shipmentId, { lock: true });
    if (!s.cod) throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} carries no cash on delivery.`, [{ path: 'cod', reason: 'none on this shipment' }]);
    if (s.codStatus === 'settled') return s;
    if (s.status === 'cancelled' || s.status === 'creating') throw new DomainError('INVALID_STATE', `Shipment ${shipmentId} is ${s.status}; there is no cash to settle.`, [{ path: 'status', reason: s.status }]);
    await recordCodProgress(tx, tenantId, shipmentId, { status: 'settled', at: input.settledAt ?? null, reference: input.reference ?? null });
    if (s.orderId) await markOrderPaidByCod(tx, tenantId, s.orderId);
    return getShipment(tx, tenantId, shipmentId);
  });
}
