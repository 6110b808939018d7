import { type Channel, type ChannelOrder, intakeStatusFor } from '../channels/index.ts';
import { clientIntakeFields } from '../clients/index.ts';
import type { Sql } from '../db/connect.ts';
import { buyerVatProblem } from '../invoicing/index.ts';
import { storeOrderRow } from '../orders/index.ts';

/**
 * The intake of a store order in one statement (issue 14): a new order under a fresh delivery id,
 * or a redelivery, is taken in by the SQL function `flows_intake_store_orders` (migrations 033, 044) in
 * one round trip — the delivery claimed, the client matched or created, the lines matched, the
 * order and its lines written, `order.validate` queued and the sync log row written, all in the
 * statement's own transaction. Everything else (an update, approval, a store cancellation, a buyer
 * VAT number that fails its check) is answered `null` with nothing written, and the caller runs
 * `ingestChannelOrder` as before, so there is one home for each rule that is not the common case.
 *
 * Group commit: the orders of webhooks that arrive while the statements before them are still
 * running wait for a free slot and then go out together, one call and one commit for all of them;
 * each webhook is answered only after that commit. The call is set-based (migration 044: one
 * insert per table for the whole batch); when it fails, nothing of it is written and the batch
 * goes again through the one-order loop (`flows_intake_store_orders_each`), where a failed order
 * fails only itself (its subtransaction); it is answered `null` too, and the caller takes it in
 * alone through the TypeScript flow, which fails or succeeds for it as it would have anyway.
 */
export type OneStatementIntake = { outcome: 'created'; orderId: string; status: string } | { outcome: 'duplicate' };

interface Pending {
  arg: Record<string, unknown>;
  resolve: (r: OneStatementIntake | null) => void;
}

/** Statements in flight per pool; more orders than slots wait and go out as one batch. */
const SLOTS_PER_POOL = 4;
/** The one-order loop a failed batch falls back on keeps its subtransactions under the 64 Postgres caches per backend (no subxid overflow). */
const MAX_BATCH = 32;
/** Orders that go out in a statement of their own while another is running; fewer wait for it. */
const MIN_GROUP_WHILE_BUSY = 4;

export class GroupCommit {
  private queue: Pending[] = [];
  private running = 0;
  private scheduled = false;
  private readonly sql: Sql;
  private readonly slots: number;
  constructor(sql: Sql, slots: number) {
    this.sql = sql;
    this.slots = slots;
  }

  submit(arg: Record<string, unknown>): Promise<OneStatementIntake | null> {
    return new Promise((resolve) => {
      this.queue.push({ arg, resolve });
      // Webhooks handled in the same turn of the event loop share the first statement as well.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.slots && this.queue.length > 0) {
      // While a statement runs, a few orders wait for more to join them or for it to end (its end
      // pumps again, and with none running they go at once): an order alone costs Postgres about
      // four times an order in a group (bench/ingest/intake-function-cpu.ts).
      if (this.running > 0 && this.queue.length < MIN_GROUP_WHILE_BUSY) return;
      const batch = this.queue.splice(0, MAX_BATCH);
      this.running++;
      void this.send(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    let answers: Array<Record<string, unknown>> | null = null;
    const args = this.sql.json(batch.map((p) => p.arg) as never);
    try {
      const [row] = await this.sql<{ r: Array<Record<string, unknown>> }[]>`select flows_intake_store_orders(${args}) as r`;
      answers = row!.r;
    } catch {
      // Nothing of the set-based statement committed (a bad order, a twin committed by another
      // intake meanwhile, a deadlock, the connection). Several orders go again through the
      // one-order loop, where each fails or conflicts alone; one order alone goes to the caller.
      if (batch.length > 1) {
        try {
          const [row] = await this.sql<{ r: Array<Record<string, unknown>> }[]>`select flows_intake_store_orders_each(${args}) as r`;
          answers = row!.r;
        } catch {
          // Failed as a whole again (the connection): each order is taken in alone by the caller.
        }
      }
    }
    batch.forEach((p, i) => {
      const a = answers?.[i];
      if (a?.outcome === 'created') p.resolve({ outcome: 'created', orderId: String(a.orderId), status: String(a.status) });
      else if (a?.outcome === 'duplicate') p.resolve({ outcome: 'duplicate' });
      else p.resolve(null);
    });
  }
}

const perPool = new WeakMap<Sql, GroupCommit>();

function groupCommitFor(sql: Sql): GroupCommit {
  let g = perPool.get(sql);
  if (!g) {
    const max = Number((sql as unknown as { options?: { max?: number } }).options?.max ?? SLOTS_PER_POOL);
    g = new GroupCommit(sql, Math.max(1, Math.min(SLOTS_PER_POOL, max)));
    perPool.set(sql, g);
  }
  return g;
}

/** Whether the order can be taken in by the statement at all: what the function leaves to `ingestChannelOrder`. */
function oneStatementCase(channel: Channel, order: ChannelOrder): boolean {
  if (order.cancelled) return false;
  // A VAT number that fails its check opens a stall at intake: the TypeScript flow's case.
  if (order.customer.vatNumber && buyerVatProblem(order.customer.vatNumber, (order.billingAddress ?? order.shippingAddress)?.countryCode ?? 'RO')) return false;
  return channel.kind !== 'manual';
}

/**
 * Takes a store order in by one statement (shared with the orders that arrived with it); null when
 * it is not the statement's case or its intake failed there, with nothing written for it.
 */
export async function intakeInOneStatement(
  sql: Sql,
  channel: Channel,
  delivery: { deliveryId: string; topic: string },
  order: ChannelOrder,
): Promise<OneStatementIntake | null> {
  if (!oneStatementCase(channel, order)) return null;
  return groupCommitFor(sql).submit(intakeArgument(channel, delivery, order));
}

/** One order's element of the batch `flows_intake_store_orders` takes (the tests call the function with these too). */
export function intakeArgument(channel: Channel, delivery: { deliveryId: string; topic: string }, order: ChannelOrder): Record<string, unknown> {
  const word = order.platformStatus.toLowerCase();
  return {
    tenantId: channel.tenantId,
    channelId: channel.id,
    deliveryId: delivery.deliveryId,
    topic: delivery.topic,
    platformWord: word,
    // The channel's own mapping is read in the statement (the settings of now); this is the default for its kind.
    defaultIntakeStatus: intakeStatusFor({ kind: channel.kind, statusMapIn: {} }, word),
    updatedAt: order.updatedAt,
    order: storeOrderRow(order),
    client: clientIntakeFields(order),
    lines: order.lines
      .filter((l) => l.quantity > 0) // removed in the store (Shopify keeps refunded lines at quantity 0)
      .map((l) => ({ externalLineId: l.externalLineId, sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount, total: l.total, tax: l.tax })),
  };
}
