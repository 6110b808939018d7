import { findChannelById, claimWebhookDelivery, writeSyncLog } from '../channels/index.ts';
import { accepted, rejected, type WebhookOutcome } from '../contracts/webhook.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { COURIER_STATUS_FEEDS, type CourierAccount, listCourierAccounts, loadCourierAccount, adapterFor, findShipmentByAwb, getShipment, type Shipment, claimDueShipments, claimFeedCursors, codSignalOf, commitFeedPage, type DueShipment, deferPollsToFeed, ensureFeedCursors, type FeedCursor, FeedLeaseLost, feedIsCurrent, lockFeedCursor, markTouchedByFeed, type RecordedTrack, recordCodProgress, recordPollFailure, recordTrackResult, releaseFeedCursor, schedulePoll, shipmentsByAwbs } from '../shipping/index.ts';
import type { CourierCode, CourierWebhookResolution, TrackResult } from '../shipping/index.ts';
import type { ShippingDeps } from './generate-awb.ts';
import { deliverForShipment, markOrderPaidByCod, recallForShipment } from './shipment-effects.ts';
import { openShipmentStall, resolveShipmentStalls } from './shipment-stalls.ts';


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
    let covered = false;
    try {
      const account = await loadCourierAccount(deps.sql, deps.box, tenantId, courierAccountId);
      const adapter = adapterFor(deps, account);
      results = await adapter.track(list.map((d) => ({ awb: d.awb, meta: d.courierMeta })));
      report.courierCalls[account.courier] = (report.courierCalls[account.courier] ?? 0) + 1;
      // Where the courier's status feed is current, the feed carries the changes and polls can wait.
      covered = !!adapter.statusFeed && (await feedIsCurrent(deps.sql, tenantId, courierAccountId, adapter.statusFeed.name));
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
    // This poll was the fallback: the account's status-sync feed is current and keeps these shipments up to date.
    if (covered) await deferPollsToFeed(deps.sql, tenantId, list.map((d) => d.id));
  }
  return report;
}

export interface FeedSyncOptions {
  tenantId?: string;
  /** Widest window asked per call; capped at the feed's own limit (Sameday: 2 h). */
  windowSeconds?: number;
  /** Windows end this far behind now, so rows Sameday records a little late still fall in a later window. */
  lagSeconds?: number;
  maxWindowsPerRun?: number;
  maxPagesPerRun?: number;
  perPage?: number;
  leaseSeconds?: number;
  /** When the cursor is due again after a run that caught up. */
  nextRunSeconds?: number;
  /** Runs after each page's commit (tests make a worker die here). */
  onPageCommitted?: (p: { tenantId: string; courierAccountId: string; page: number; last: boolean }) => void | Promise<void>;
}

export interface FeedSyncReport {
  cursors: number;
  windows: number;
  pages: number;
  rows: number;
  shipmentsUpdated: number;
  newEvents: number;
  statusChanges: number;
  unknownCodes: number;
  /** AWBs the feed reported that are not this tenant's shipments (made in the courier's portal, or another system's). */
  foreignAwbs: number;
  failures: number;
  leasesLost: number;
  errors: string[];
}

/**
 * Sameday's status-sync feed (contract §2.4): per courier account a cursor in Postgres; the worker
 * holding its lease asks for the window [cursor, cursor + ≤2 h) page by page (500 rows per page)
 * and applies each page's events to the tenant's shipments by AWB in one transaction together with
 * the cursor's progress, so a crash between pages resumes at the next page, and the cursor passes
 * the window only once all of its pages are committed. Events are applied through applyTrack
 * (row lock + unique event index), so a per-AWB poll or a second worker never applies one twice.
 */
export async function syncStatusFeeds(deps: ShippingDeps, opts: FeedSyncOptions = {}): Promise<FeedSyncReport> {
  const report: FeedSyncReport = { cursors: 0, windows: 0, pages: 0, rows: 0, shipmentsUpdated: 0, newEvents: 0, statusChanges: 0, unknownCodes: 0, foreignAwbs: 0, failures: 0, leasesLost: 0, errors: [] };
  const cursors: FeedCursor[] = [];
  for (const { feed, courier } of COURIER_STATUS_FEEDS) {
    await ensureFeedCursors(deps.sql, feed, courier, deps.now(), { tenantId: opts.tenantId });
    cursors.push(...(await claimFeedCursors(deps.sql, feed, { tenantId: opts.tenantId, leaseSeconds: opts.leaseSeconds })));
  }
  report.cursors = cursors.length;
  for (const c of cursors) {
    try {
      await syncOneFeed(deps, c, opts, report);
      await releaseFeedCursor(deps.sql, c, { nextRunSeconds: opts.nextRunSeconds ?? 60 });
    } catch (e) {
      if (e instanceof FeedLeaseLost) {
        report.leasesLost++;
        continue;
      }
      report.failures++;
      report.errors.push(`courier account ${c.courierAccountId}: ${(e as Error).message}`);
      await releaseFeedCursor(deps.sql, c, { nextRunSeconds: opts.nextRunSeconds ?? 60, error: (e as Error).message });
    }
  }
  return report;
}

const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

async function syncOneFeed(deps: ShippingDeps, start: FeedCursor, opts: FeedSyncOptions, report: FeedSyncReport): Promise<void> {
  const account = await loadCourierAccount(deps.sql, deps.box, start.tenantId, start.courierAccountId);
  const adapter = adapterFor(deps, account);
  const feed = adapter.statusFeed;
  if (!account.active || !feed) return;
  const windowMs = Math.min(opts.windowSeconds ?? feed.maxWindowSeconds, feed.maxWindowSeconds) * 1000;
  const maxPages = opts.maxPagesPerRun ?? 200;
  let cur = start;
  let pages = 0;
  for (let w = 0; w < (opts.maxWindowsPerRun ?? 24); w++) {
    const horizon = wholeSeconds(deps.now().getTime() - (opts.lagSeconds ?? 60) * 1000).getTime();
    const from = cur.syncedUntil;
    const to = cur.windowEnd ?? wholeSeconds(Math.min(from.getTime() + windowMs, horizon));
    if (to.getTime() <= from.getTime()) return;
    report.windows++;
    for (let page = cur.pagesDone + 1; ; page++) {
      // Bounded run: the window and its committed pages stay on the cursor, the next run goes on from there.
      if (pages++ >= maxPages) return;
      const res = await feed.read({ start: from, end: to, page, perPage: opts.perPage });
      const applied = await deps.sql.begin(async (tx) => {
        await lockFeedCursor(tx, cur);
        const found = await shipmentsByAwbs(tx, cur.tenantId, account.courier, res.results.map((r) => r.awb));
        const byAwb = new Map(res.results.map((r) => [r.awb, r]));
        const counts = { shipments: found.length, newEvents: 0, statusChanges: 0, unknownCodes: 0 };
        for (const s of found) {
          const rec = await applyTrack(tx, cur.tenantId, s.id, byAwb.get(s.awb)!, 'poll');
          counts.newEvents += rec.newEvents;
          counts.statusChanges += rec.changes.length;
          counts.unknownCodes += rec.unknownCodes.length;
        }
        await markTouchedByFeed(tx, cur.tenantId, found.map((s) => s.id));
        const next = await commitFeedPage(tx, cur, { windowEnd: to, page, last: res.last }, opts.leaseSeconds);
        return { next, counts, foreign: res.results.length - found.length };
      });
      cur = applied.next;
      report.pages++;
      report.rows += res.rowCount;
      report.shipmentsUpdated += applied.counts.shipments;
      report.newEvents += applied.counts.newEvents;
      report.statusChanges += applied.counts.statusChanges;
      report.unknownCodes += applied.counts.unknownCodes;
      report.foreignAwbs += applied.foreign;
      await opts.onPageCommitted?.({ tenantId: cur.tenantId, courierAccountId: cur.courierAccountId, page, last: res.last });
      if (res.last) break;
    }
    if (to.getTime() >= horizon) return;
  }
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

/**
 * A courier's status push (Bosta's webhook), for a courier whose adapter has the port's webhook
 * part: authenticated by the account's header secret (constant-time compare in the adapter) and
 * treated as a hint: the parcel is re-fetched from the courier and that answer is applied.
 * Deduplicated by the push's key in webhook_deliveries; every call leaves a sync-log row.
 */
export async function receiveCourierWebhook(deps: ShippingDeps, courier: CourierCode, channelId: string, headers: Headers, raw: Uint8Array): Promise<WebhookOutcome> {
  const log = (tenantId: string | null, outcome: 'ok' | 'duplicate' | 'ignored' | 'rejected' | 'error', extra: { error?: string; externalId?: string; deliveryId?: string; details?: Record<string, unknown> } = {}) =>
    writeSyncLog(deps.sql, { tenantId, channelId: isId(channelId) ? channelId : null, direction: 'inbound', kind: 'webhook', topic: `courier.${courier}`, outcome, ...extra });
  const channel = isId(channelId) ? await findChannelById(deps.sql, channelId) : null;
  const ch = channel ? { tenant_id: channel.tenantId } : null;
  if (!ch) {
    await log(null, 'rejected', { error: 'unknown channel' });
    return rejected('not_found', `Channel ${channelId} does not exist.`, [{ path: 'channelId', reason: 'unknown channel' }]);
  }
  const tenantId = ch.tenant_id;
  const accounts = (await listCourierAccounts(deps.sql, deps.box, tenantId, { courier, activeOnly: true })).filter((a) => a.channelId === null || a.channelId === channelId);
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    await log(tenantId, 'rejected', { error: 'body is not JSON' });
    return rejected('invalid', 'The webhook body is not valid JSON.', [{ path: 'body', reason: 'not JSON' }]);
  }
  let account: CourierAccount | null = null;
  let resolution: CourierWebhookResolution | null = null;
  let lastError: unknown = null;
  for (const summary of accounts) {
    const a = await loadCourierAccount(deps.sql, deps.box, tenantId, summary.id);
    const webhook = adapterFor(deps, a).webhook;
    if (!webhook) continue;
    const headerName = String(a.settings.webhookHeaderName ?? webhook.header);
    try {
      resolution = await webhook.resolve(headers.get(headerName), payload);
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
    const reason = code === 'VALIDATION' ? 'invalid' : code === 'NOT_FOUND' ? 'not_found' : 'unauthenticated';
    await log(tenantId, reason === 'not_found' ? 'ignored' : 'rejected', { error: e ? (e as Error).message : `no ${courier} account for this channel` });
    return rejected(reason, e ? (e as Error).message : `No ${courier} account is configured for this channel.`, isDomainError(e) ? e.details : [{ path: 'channelId', reason: `no ${courier} account` }]);
  }
  const { hint, track, agrees } = resolution;
  const result = await deps.sql.begin(async (tx) => {
    if (!(await claimWebhookDelivery(tx, tenantId, channelId, `${courier}:${hint.dedupeKey}`, `courier.${courier}`))) return { outcome: 'duplicate' as const };
    const s = await findShipmentByAwb(tx, tenantId, courier, hint.trackingNumber);
    if (!s) return { outcome: 'ignored' as const };
    const rec = await applyTrack(tx, tenantId, s.id, track, 'webhook');
    return { outcome: 'ok' as const, shipmentId: s.id, status: rec.shipment.status, newEvents: rec.newEvents };
  });
  await log(tenantId, result.outcome, { externalId: hint.trackingNumber, deliveryId: hint.dedupeKey, details: { ...result, agrees, hintState: hint.event.raw.code, courierAccountId: account.id } });
  return accepted({ received: true, ...result });
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
