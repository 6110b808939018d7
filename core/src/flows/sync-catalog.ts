import { createHash } from 'node:crypto';
import { type Channel, getChannel, listActiveStoreChannels, markNeedsReconnect, readCredentials, shopPlatformFor, writeSyncLog } from '../channels/index.ts';
import type { ShopConnector } from '../channels/index.ts';
import type { Db, Tx } from '../db/connect.ts';
import { enqueue, FailureWithEffects, markOutboxDone, type OutboxHandler } from '../db/outbox.ts';
import { STORE_CALL } from './writeback/attempt-writeback.ts';
import { type CatalogUpsertResult, catalogClock, emptyCatalogResult, forgetUnseenChannelVariants, mapChannelLocation, requestChannelStockPush, upsertChannelLocations, upsertChannelVariants, type ChannelLocation } from '../inventory/index.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import type { SecretBox } from '../shared/secret-box.ts';

/**
 * The store's catalog into Expedio: locations first (Shopify), then the store's sellable units page
 * by page into inventory/channel-catalog.ts, which ties each to a product and keeps what was edited
 * in Expedio (the rule is written there). Idempotent: a re-run finds every unit by its store id.
 * At the end, a channel that pushes stock gets every unit pushed once (a new unit, a location mapped
 * meanwhile, a push lost while the store was disconnected).
 */

export const CATALOG_SYNC_KIND = 'channel.catalog_sync';

export interface CatalogSyncResult extends Omit<CatalogUpsertResult, 'skipped'> {
  channelId: string;
  pages: number;
  items: number;
  /** Store units not taken into the catalog, with the reason. */
  skipped: CatalogUpsertResult['skipped'];
  locations: number | null;
  stockPushes: number;
  /** Store units no longer in the store, untied from their products (the products stay). */
  removed: number;
  /** False when the run stopped at `maxPages`; `cursor` is where the next run goes on. */
  done: boolean;
  cursor: string | null;
}

interface SyncContext {
  box: SecretBox;
  fetch?: typeof globalThis.fetch;
  /** Runs a unit of work in a transaction: one per page from an API call, the claim's own from the outbox. */
  run: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  db: Db;
  inCallRetry?: { maxWaitMs: number; maxRetries: number };
}

function connectChannel(channel: Channel, ctx: SyncContext, credentials: Awaited<ReturnType<typeof readCredentials>>): ShopConnector {
  const platform = shopPlatformFor(channel.kind);
  if (!platform) {
    throw new DomainError('VALIDATION', `Channel ${channel.name} is a manual channel; it has no store catalog.`, [{ path: 'channelId', reason: 'manual channel' }]);
  }
  return platform.connect({ channel, credentials, ...(ctx.fetch ? { fetch: ctx.fetch } : {}), ...(ctx.inCallRetry ? { inCallRetry: ctx.inCallRetry } : {}) });
}

async function runCatalogSync(
  ctx: SyncContext,
  tenantId: string,
  channelId: string,
  opts: { cursor: string | null; maxPages: number; startedAt?: string | null },
): Promise<CatalogSyncResult & { startedAt: string }> {
  const channel = await getChannel(ctx.db, tenantId, channelId);
  const connector = connectChannel(channel, ctx, await readCredentials(ctx.db, ctx.box, tenantId, channelId));
  const startedAt = opts.startedAt ?? (await catalogClock(ctx.db));
  const acc = emptyCatalogResult();
  const result = (): CatalogSyncResult => ({ channelId, ...acc, pages, items, locations, stockPushes, removed, done, cursor });
  let pages = 0;
  let items = 0;
  let locations: number | null = null;
  let stockPushes = 0;
  let removed = 0;
  let done = false;
  let cursor = opts.cursor;
  const base = { tenantId, channelId, direction: 'inbound' as const, kind: 'catalog_sync' as const };
  try {
    if (cursor === null && connector.pullLocations) {
      const found = await connector.pullLocations();
      await ctx.run((tx) => upsertChannelLocations(tx, tenantId, channelId, found));
      locations = found.length;
    }
    while (pages < opts.maxPages) {
      const page = await connector.pullCatalog(cursor);
      pages++;
      items += page.items.length;
      await ctx.run((tx) => upsertChannelVariants(tx, tenantId, channelId, page.items, acc));
      cursor = page.nextCursor;
      if (page.done || cursor === null) {
        done = true;
        break;
      }
    }
    await ctx.run(async (tx) => {
      for (const k of acc.keptLocal) {
        await writeSyncLog(tx, {
          ...base,
          topic: 'catalog.kept_local',
          externalId: k.externalVariantId,
          outcome: 'ignored',
          error: `${k.sku}: kept Expedio's ${k.field} ${k.expedio ?? '(none)'} over the store's ${k.store ?? '(none)'}: ${k.reason}`,
          details: { ...k },
        });
      }
      for (const s of acc.skipped) {
        await writeSyncLog(tx, { ...base, topic: 'catalog.skipped', externalId: s.externalVariantId, outcome: 'ignored', error: `${s.title}: ${s.reason}` });
      }
      if (done) {
        removed = await forgetUnseenChannelVariants(tx, tenantId, channelId, startedAt);
        stockPushes = await requestChannelStockPush(tx, tenantId, channelId);
      }
      const { keptLocal, skipped, ...counts } = result();
      await writeSyncLog(tx, { ...base, topic: 'catalog', outcome: 'ok', details: { ...counts, keptLocal: keptLocal.length, skipped: skipped.length } });
    });
    return { ...result(), startedAt };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const record = async (db: Db) => {
      if (isDomainError(e) && e.code === 'NEEDS_RECONNECT') await markNeedsReconnect(db, tenantId, channelId, message);
      await writeSyncLog(db, { ...base, topic: 'catalog', outcome: 'error', error: message, details: { pages, items } });
    };
    // From the outbox the failure's record is written with the retry (or the stall) of the item.
    if (ctx.inCallRetry) throw new FailureWithEffects(`catalog sync failing: ${message}`, record, isDomainError(e) && (e.code === 'VALIDATION' || e.code === 'NOT_FOUND'));
    await record(ctx.db);
    throw e;
  }
}

/** `POST /channels/{id}/catalog-sync`: the whole catalog now, one transaction per page. */
export async function syncChannelCatalog(deps: Deps, tenantId: string, channelId: string, opts: { maxPages?: number } = {}): Promise<CatalogSyncResult> {
  const { startedAt: _s, ...r } = await runCatalogSync(
    { box: deps.box, db: deps.sql, run: (fn) => deps.sql.begin((tx) => fn(tx)) as never, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    tenantId,
    channelId,
    { cursor: null, maxPages: opts.maxPages ?? 10_000 },
  );
  return r;
}

/** Pages one outbox run takes before it queues the rest (one slot of the channel is held this long at most). */
const PAGES_PER_RUN = 20;

/**
 * `channel.catalog_sync` { channelId, cursor?, startedAt? }: queued when a store is connected (Shopify app
 * installed, WooCommerce keys handed over) and by the periodic catalog job. A catalog longer than
 * one run goes on in a follow-up item carrying the cursor.
 */
export const catalogSyncHandler: OutboxHandler = async (db, item, ctx) => {
  const channelId = String(item.payload.channelId ?? '');
  const cursor = typeof item.payload.cursor === 'string' ? item.payload.cursor : null;
  const startedAt = typeof item.payload.startedAt === 'string' ? item.payload.startedAt : null;
  let channel: Channel;
  try {
    channel = await getChannel(db, item.tenantId, channelId);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return;
    throw e;
  }
  if (!shopPlatformFor(channel.kind) || channel.status === 'disconnected') return;
  const r = await runCatalogSync(
    // One transaction per page (a page's upserts are idempotent, so a retry from the item's cursor redoes no harm).
    { box: ctx.box, db, run: (fn) => db.begin((tx) => fn(tx)) as never, ...(ctx.fetch ? { fetch: ctx.fetch } : {}), inCallRetry: STORE_CALL },
    item.tenantId,
    channelId,
    { cursor, maxPages: PAGES_PER_RUN, startedAt: cursor ? startedAt : null },
  );
  if (!r.done && r.cursor) {
    const at = createHash('sha256').update(r.cursor).digest('hex').slice(0, 16);
    await db.begin(async (tx) => {
      await enqueue(tx, item.tenantId, CATALOG_SYNC_KIND, { channelId, cursor: r.cursor, startedAt: r.startedAt }, `${CATALOG_SYNC_KIND}:${channelId}:${item.id}:${at}`);
      await markOutboxDone(tx, item);
    });
  }
};

/** Queues a catalog sync of the channel (the periodic job; a store just connected). */
export async function requestCatalogSync(tx: Tx, tenantId: string, channelId: string, reason: string): Promise<boolean> {
  return await enqueue(tx, tenantId, CATALOG_SYNC_KIND, { channelId }, `${CATALOG_SYNC_KIND}:${channelId}:${reason}`);
}

/**
 * `PUT /channels/{id}/locations/{locationId}`: the store location shows this warehouse's stock
 * (null: none). A channel that pushes stock gets every unit pushed, so the location shows it now.
 */
export async function setChannelLocationWarehouse(deps: Deps, tenantId: string, channelId: string, externalLocationId: string, warehouseId: string | null): Promise<ChannelLocation> {
  const channel = await getChannel(deps.sql, tenantId, channelId);
  if (!shopPlatformFor(channel.kind)?.stockByLocation) {
    throw new DomainError('VALIDATION', `Channel ${channel.name} (${channel.kind}) keeps one stock per product; it has no locations to map.`, [{ path: 'id', reason: `a ${channel.kind} channel has no locations` }]);
  }
  return await deps.sql.begin(async (tx) => {
    const l = await mapChannelLocation(tx, tenantId, channelId, externalLocationId, warehouseId);
    await requestChannelStockPush(tx, tenantId, channelId);
    return l;
  });
}

/** `POST /channels/{id}/stock-push`: every store unit of the channel pushed once (when the setting is on). */
export async function pushChannelStockNow(deps: Deps, tenantId: string, channelId: string): Promise<{ queued: number }> {
  const channel = await getChannel(deps.sql, tenantId, channelId);
  if (!channel.pushStock) {
    throw new DomainError('CONFLICT', `Channel ${channel.name} does not push stock; turn pushStock on in its settings first.`, [{ path: 'pushStock', reason: 'off' }]);
  }
  return { queued: await deps.sql.begin((tx) => requestChannelStockPush(tx, tenantId, channelId)) };
}

/**
 * The periodic catalog sync (worker job `sync-catalogs`, hourly): one `channel.catalog_sync` per
 * connected store channel and hour (a second run in the same hour queues nothing). It picks up
 * products added or changed in the store, and re-pushes stock where the channel pushes it.
 */
export async function requestPeriodicCatalogSyncs(deps: Deps): Promise<number> {
  const hour = deps.now().toISOString().slice(0, 13);
  let queued = 0;
  for (const { tenantId, channelId } of await listActiveStoreChannels(deps.sql)) {
    if (await deps.sql.begin((tx) => requestCatalogSync(tx, tenantId, channelId, `periodic:${hour}`))) queued++;
  }
  return queued;
}
