import type { SecretBox } from '../shared/secret-box.ts';
import type { ShopifyAppConfig } from '../shared/shopify-app-config.ts';
import { randomUUID } from 'node:crypto';
import type { Db, Sql, Tx } from './connect.ts';

/**
 * Work caused by a state change is inserted here in the same transaction as the change, so it is
 * never lost and never done without its cause. The idempotency key makes a second enqueue of the
 * same work (a redelivered webhook, a retried request) a no-op. `target` names the outside system
 * the item calls (`channel:<id>`, `courier:<account>`, `anaf:<tenant>`, `smtp:<tenant>`): at most
 * `perTarget` items of one target are in flight, so one that hangs holds back only its own work.
 * Without one, an item carrying a `channelId` targets that channel; otherwise it is local work.
 * `inFlight: 1` makes a target's items run one at a time, in the order they fell due.
 */
export async function enqueue(
  db: Db,
  tenantId: string,
  kind: string,
  payload: Record<string, unknown>,
  idempotencyKey: string,
  opts: {
    maxAttempts?: number;
    delaySeconds?: number;
    target?: string | null;
    inFlight?: number;
    /** Items of one sequence run one after the other, in the order they were enqueued (a fulfillment before its events). */
    sequence?: string;
  } = {},
): Promise<boolean> {
  const target = opts.target !== undefined ? opts.target : payload.channelId != null ? `channel:${String(payload.channelId)}` : null;
  const rows = await db`
    insert into outbox (tenant_id, kind, payload, idempotency_key, max_attempts, next_attempt_at, target, in_flight_limit, sequence_key)
    values (${tenantId}, ${kind}, ${db.json(payload as never)}, ${idempotencyKey}, ${opts.maxAttempts ?? 8},
            now() + make_interval(secs => ${opts.delaySeconds ?? 0}), ${target}, ${opts.inFlight ?? null}, ${opts.sequence ?? null})
    on conflict (tenant_id, idempotency_key) do nothing
    returning id`;
  return rows.length > 0;
}

export interface OutboxItem {
  tenantId: string;
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  /** Attempts made before this one (this one is counted already in the row). */
  attempts: number;
  maxAttempts: number;
  target: string | null;
  /** This claim: the outcome is recorded only while the claim is still the item's. */
  claimedBy: string;
}

/** What handlers need from outside (passed in by the worker, never read from globals). */
export interface OutboxContext {
  box: SecretBox;
  now: () => Date;
  fetch?: typeof fetch;
  /** The Shopify app's key and secret: refreshing a shop's expiring offline token needs them. */
  shopifyApp?: ShopifyAppConfig;
}

/**
 * A handler gets the pool, not a transaction: it calls out with nothing open in Postgres and opens
 * its own short transactions (`db.begin`) for the writes before or after its call. It may run
 * twice for one item (the process died after the call, before the outcome was recorded), so what
 * it does outside must be idempotent. Work that stays in Postgres is wrapped by `inOneTransaction`.
 */
export type OutboxHandler = (db: Sql, item: OutboxItem, ctx: OutboxContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (the item becomes a stall at once). */
export class PermanentFailure extends Error {}

/**
 * A failure whose consequences must be recorded with it: the sync-log row saying why a write-back
 * failed, the channel marked "needs reconnect". `effects` runs in the transaction that records the
 * failure (retry or stall), so they are written exactly when the attempt is.
 */
export class FailureWithEffects extends Error {
  readonly effects: (tx: Tx) => Promise<void>;
  readonly permanent: boolean;
  constructor(message: string, effects: (tx: Tx) => Promise<void>, permanent = false) {
    super(message);
    this.effects = effects;
    this.permanent = permanent;
  }
}

/** A stalled item as the caller's hook sees it: attempts made and the last error. */
export interface StalledOutboxItem extends OutboxItem {
  error: string;
}

/**
 * Called in the transaction that stalls an item, so the operator hears of it. The stalls area
 * passes its recorder in (db/ knows no area); without a hook the item is only marked stalled.
 */
export type OnOutboxStalled = (tx: Tx, item: StalledOutboxItem) => Promise<void>;

/**
 * A handler whose work stays in Postgres: it runs in one transaction that also marks the item done,
 * so its writes and the outcome commit together (a crash between them cannot run it twice).
 */
export function inOneTransaction(handler: (tx: Tx, item: OutboxItem, ctx: OutboxContext) => Promise<void>): OutboxHandler {
  return async (db, item, ctx) => {
    await db.begin(async (tx) => {
      await handler(tx, item, ctx);
      // Another dispatcher holds the item now (this lease lapsed): its run is the one to keep.
      if (!(await markDone(tx, item))) throw new Error(`outbox item ${item.id} was claimed again while it ran; its writes are rolled back`);
    });
  };
}

const NO_CONTEXT: OutboxContext = {
  get box(): SecretBox {
    throw new Error('this outbox dispatch was started without a context (no secret box)');
  },
  now: () => new Date(),
};

/** Back-off: 5 s, 20 s, 80 s … capped at one hour. */
export const backoffSeconds = (attempt: number): number => Math.min(3600, 5 * 4 ** Math.max(0, attempt - 1));

/** Items of one target in flight at once, over every dispatcher. */
export const DEFAULT_PER_TARGET = 2;
/**
 * How long a claim lasts. The clients a handler uses time out after 10 s per call and try once, so
 * a live dispatcher records well within it; a dead one's items are claimed again when it lapses.
 */
export const DEFAULT_LEASE_SECONDS = 120;

// Claims are taken one at a time over all dispatchers (the lock is held only for the claim's few
// statements): the per-target count read by one claim then includes every lease another just took.
const CLAIM_LOCK = 7_415_020_001;

export interface DispatchOptions {
  /** Items one claim takes at most. */
  batch?: number;
  context?: OutboxContext;
  onStalled?: OnOutboxStalled;
  perTarget?: number;
  leaseSeconds?: number;
  /** Names this dispatcher in `claimed_by` (default: a random id per process). */
  dispatcherId?: string;
}

export interface DispatchResult {
  done: number;
  failed: number;
  stalled: number;
}

const PROCESS_ID = `pid${process.pid}:${randomUUID().slice(0, 8)}`;

interface Claim {
  items: OutboxItem[];
  /** Items whose last lease lapsed with no attempt left (their process died): stalled by the claim. */
  stalled: number;
}

/**
 * One short transaction: stall what died on its last attempt, then lease up to `batch` due items
 * (FOR UPDATE SKIP LOCKED; at most `perTarget` in flight per target, counting leases held by any
 * dispatcher), counting the attempt now, so a process that dies mid-call has used it.
 */
async function claim(sql: Sql, opts: DispatchOptions & { localOnly?: boolean }, limit: number): Promise<Claim> {
  const perTarget = opts.perTarget ?? DEFAULT_PER_TARGET;
  const lease = opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const claimedBy = `${opts.dispatcherId ?? PROCESS_ID}:${randomUUID().slice(0, 8)}`;
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CLAIM_LOCK})`;
    const dead = await tx<StalledOutboxItem[]>`
      update outbox set status = 'stalled', locked_until = null,
        last_error = 'the dispatcher stopped during the last attempt (its lease lapsed)' || coalesce('; before: ' || last_error, '')
      where status = 'pending' and locked_until <= now() and attempts >= max_attempts
      returning tenant_id::text as "tenantId", id::text as id, kind, payload, attempts, max_attempts as "maxAttempts", target,
        coalesce(claimed_by, '') as "claimedBy", last_error as error`;
    for (const d of dead) await opts.onStalled?.(tx, d);
    if (limit <= 0) return { items: [], stalled: dead.length };
    const items = await tx<OutboxItem[]>`
      with in_flight as (
        select target, count(*)::int as n from outbox
        where status = 'pending' and locked_until > now() and target is not null
        group by target
      ), due as (
        select tenant_id, id, target, next_attempt_at, in_flight_limit,
          row_number() over (partition by target order by next_attempt_at, outbox.id) as rn
        from outbox
        where status = 'pending' and next_attempt_at <= now() and (locked_until is null or locked_until <= now())
          -- A sequence's next item waits while an earlier one is pending (in flight or waiting for its retry).
          and (sequence_key is null or not exists (
            select 1 from outbox e where e.tenant_id = outbox.tenant_id and e.sequence_key = outbox.sequence_key
              and e.status = 'pending' and e.id < outbox.id))
          ${opts.localOnly ? tx`and target is null` : tx``}
      ), picked as (
        select d.tenant_id, d.id from due d left join in_flight f on f.target = d.target
        where d.target is null or d.rn + coalesce(f.n, 0) <= coalesce(d.in_flight_limit, ${perTarget})
        order by d.next_attempt_at, d.id
        limit ${limit}
      ), locked as (
        select o.tenant_id, o.id from outbox o join picked p on p.tenant_id = o.tenant_id and p.id = o.id
        for update of o skip locked
      )
      update outbox o set attempts = o.attempts + 1, claimed_by = ${claimedBy},
        locked_until = now() + make_interval(secs => ${lease})
      from locked l
      where o.tenant_id = l.tenant_id and o.id = l.id
      returning o.tenant_id::text as "tenantId", o.id::text as id, o.kind, o.payload, o.attempts - 1 as attempts,
        o.max_attempts as "maxAttempts", o.target, o.claimed_by as "claimedBy", o.next_attempt_at as "dueAt"`;
    // RETURNING has no order: run the items in the order they fell due (a fan-out before its follow-up).
    const ordered = [...(items as unknown as (OutboxItem & { dueAt: Date })[])].sort(
      (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0),
    );
    return { items: ordered.map(({ dueAt: _, ...i }) => i), stalled: dead.length };
  });
}

/**
 * Done, in the caller's transaction, while the claim is still this item's (false when it is not):
 * a handler commits its last write and the outcome together (the sync-log row of a write-back).
 */
export const markOutboxDone = (tx: Tx, item: OutboxItem): Promise<boolean> => markDone(tx, item);

async function markDone(tx: Tx, item: OutboxItem): Promise<boolean> {
  const rows = await tx`update outbox set status = 'done', done_at = now(), last_error = null, locked_until = null
    where tenant_id = ${item.tenantId} and id = ${item.id} and status = 'pending' and claimed_by = ${item.claimedBy}
    returning id`;
  return rows.length > 0;
}

/**
 * Calls one claimed item's handler (no transaction open) and records the outcome in a short one:
 * done; or the failure's effects and a retry after the back-off; or, after the last attempt or a
 * permanent failure, stalled and handed to `onStalled`. A claim lost meanwhile (the lease lapsed
 * and another dispatcher took the item) records nothing: the new claim's outcome is the one kept.
 */
async function runClaimed(sql: Sql, handlers: Record<string, OutboxHandler>, item: OutboxItem, opts: DispatchOptions): Promise<keyof DispatchResult | null> {
  const handler = handlers[item.kind];
  try {
    if (!handler) throw new PermanentFailure(`no handler for outbox kind ${item.kind}`);
    await handler(sql, item, opts.context ?? NO_CONTEXT);
  } catch (e) {
    return await recordFailure(sql, item, e, opts);
  }
  // A handler wrapped by inOneTransaction has marked it done already; then this finds nothing.
  await sql.begin((tx) => markDone(tx, item));
  return 'done';
}

async function recordFailure(sql: Sql, item: OutboxItem, e: unknown, opts: DispatchOptions): Promise<keyof DispatchResult | null> {
  const message = e instanceof Error ? e.message : String(e);
  const attempts = item.attempts + 1;
  const stall = e instanceof PermanentFailure || (e instanceof FailureWithEffects && e.permanent) || attempts >= item.maxAttempts;
  return await sql.begin(async (tx) => {
    const rows = stall
      ? await tx`update outbox set status = 'stalled', last_error = ${message}, locked_until = null
          where tenant_id = ${item.tenantId} and id = ${item.id} and status = 'pending' and claimed_by = ${item.claimedBy} returning id`
      : await tx`update outbox set last_error = ${message}, locked_until = null,
            next_attempt_at = now() + make_interval(secs => ${backoffSeconds(attempts)})
          where tenant_id = ${item.tenantId} and id = ${item.id} and status = 'pending' and claimed_by = ${item.claimedBy} returning id`;
    if (rows.length === 0) return null;
    if (e instanceof FailureWithEffects) {
      // The effects must not cost the record of the attempt: a failing effect is dropped, the retry kept.
      await tx.savepoint((sp) => e.effects(sp as unknown as Tx)).catch(() => {});
    }
    if (stall) await opts.onStalled?.(tx, { ...item, attempts, error: message });
    return stall ? 'stalled' : 'failed';
  });
}

/**
 * Local work (no target) runs one item after the other in the order it fell due, as one lane beside
 * the calls out: a fan-out's follow-ups are then queued in the order of the events that caused them.
 */
class LocalLane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const p = this.tail.then(work, work);
    this.tail = p.catch(() => {});
    return p;
  }
}

const start = (lane: LocalLane, sql: Sql, handlers: Record<string, OutboxHandler>, item: OutboxItem, opts: DispatchOptions) =>
  item.target ? runClaimed(sql, handlers, item, opts) : lane.run(() => runClaimed(sql, handlers, item, opts));

/**
 * One round: claims up to `batch` due items and runs them (calls out side by side, local work in
 * order), each with no transaction open during its handler, and returns when all are recorded.
 * Several dispatchers (worker replicas, core processes) may run rounds at once: a claim is exclusive.
 */
export async function dispatchOutbox(sql: Sql, handlers: Record<string, OutboxHandler>, opts: DispatchOptions = {}): Promise<DispatchResult> {
  const result: DispatchResult = { done: 0, failed: 0, stalled: 0 };
  const { items, stalled } = await claim(sql, opts, opts.batch ?? 50);
  result.stalled += stalled;
  const lane = new LocalLane();
  const outcomes = await Promise.all(items.map((item) => start(lane, sql, handlers, item, opts)));
  for (const o of outcomes) if (o) result[o]++;
  return result;
}

/**
 * A dispatcher that keeps up to `concurrency` items in flight until `until` (ms since the epoch) or
 * the signal: a slot freed is filled at once, so an item waiting on a hung store delays nothing
 * but its own target. When the time is up it stops taking work that calls out and waits for what
 * is in flight, still running local work (an order to validate) meanwhile.
 */
export async function runOutboxDispatcher(
  sql: Sql,
  handlers: Record<string, OutboxHandler>,
  opts: DispatchOptions & { concurrency?: number; until?: number; signal?: AbortSignal; idleMs?: number } = {},
): Promise<DispatchResult> {
  const result: DispatchResult = { done: 0, failed: 0, stalled: 0 };
  const concurrency = opts.concurrency ?? 16;
  const idleMs = opts.idleMs ?? 200;
  const inFlight = new Set<Promise<void>>();
  const lane = new LocalLane();
  let callingOut = 0;
  const stopped = () => opts.signal?.aborted === true || (opts.until !== undefined && Date.now() >= opts.until);
  let wake: () => void = () => {};
  while (!stopped() || inFlight.size > 0) {
    // Past the time, local work is still taken while calls out are in flight (it waits on nothing),
    // and nothing once they are all back: the run ends within one client timeout.
    const free = stopped() && callingOut === 0 ? 0 : concurrency - inFlight.size;
    const { items, stalled } = free > 0 ? await claim(sql, { ...opts, localOnly: stopped() }, Math.min(free, opts.batch ?? 50)) : { items: [], stalled: 0 };
    result.stalled += stalled;
    for (const item of items) {
      if (item.target) callingOut++;
      const p: Promise<void> = start(lane, sql, handlers, item, opts)
        .then(
          (o) => {
            if (o) result[o]++;
          },
          // Recording failed (the database went away): the lease lapses and the item is claimed again.
          () => {},
        )
        .finally(() => {
          if (item.target) callingOut--;
          inFlight.delete(p);
          wake();
        });
      inFlight.add(p);
    }
    if (free > 0 && items.length === free) continue;
    // Nothing more to take now: wait for a slot to free or for new work to fall due.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, idleMs);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    wake = () => {};
  }
  return result;
}

/** What outbox items are about, as their payloads name it (an order, a channel), for scoping their stalls. */
export async function outboxItemSubjects(db: Db, tenantId: string, ids: string[]): Promise<Map<string, { orderId: string | null; channelId: string | null }>> {
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (numeric.length === 0) return new Map();
  const rows = await db<{ id: string; order_id: string | null; channel_id: string | null }[]>`
    select id::text, payload ->> 'orderId' as order_id, payload ->> 'channelId' as channel_id
    from outbox where tenant_id = ${tenantId} and id = any(${numeric}::bigint[])`;
  return new Map(rows.map((r) => [r.id, { orderId: r.order_id, channelId: r.channel_id }]));
}
