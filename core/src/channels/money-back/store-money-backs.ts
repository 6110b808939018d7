import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '../../db/connect.ts';
import { enqueue } from '../../db/outbox.ts';
import { DomainError } from '../../shared/domain-error.ts';

/** The outbox kind that writes one money back to the store (handled in flows/store-money-back.ts). */
export const STORE_MONEY_BACK_KIND = 'store.money_back';

/** The store's attempts before the request becomes the `store.refund_refused` stall. */
export const STORE_MONEY_BACK_ATTEMPTS = 6;

export type StoreMoneyBackKind = 'refund' | 'voucher';
export type StoreMoneyBackState = 'pending' | 'done' | 'refused';

/** What a money back is for: today a return (returns/); the id is the source document's. */
export interface MoneyBackSource {
  kind: 'return';
  id: string;
}

/** One order line a refund is for. `lineNo` is order_lines.line_no; `externalLineId` the store's line id. */
export interface MoneyBackLine {
  lineNo?: number;
  externalLineId?: string | null;
  quantity: number;
  /** The goods come back through Expedio's return receipt, never through the store's own restock. */
  restock: false;
}

export interface StoreMoneyBackRequest {
  tenantId: string;
  channelId: string;
  /** Expedio's order id (orders.id) the money was paid for. */
  orderId: string;
  kind: StoreMoneyBackKind;
  source: MoneyBackSource;
  /** The whole sum given back (shipping included), decimal string, two places at most, > 0, in the order's currency. */
  amount: string;
  currency: string;
  lines?: MoneyBackLine[];
  /** The part of `amount` that is shipping (decimal string), if any. */
  shipping?: string | null;
  /** Where the voucher code is e-mailed (required for a voucher). */
  customerEmail: string | null;
  note: string;
  /** The caller's key: a second request with the same key is the same money back. */
  idempotencyKey: string;
}

export interface StoreMoneyBack {
  id: string;
  channelId: string;
  orderId: string;
  kind: StoreMoneyBackKind;
  source: MoneyBackSource;
  amount: string;
  currency: string;
  lines: MoneyBackLine[];
  shipping: string | null;
  customerEmail: string | null;
  note: string;
  idempotencyKey: string;
  state: StoreMoneyBackState;
  /** The store's id of the refund / gift card / coupon (null until done). */
  externalId: string | null;
  /** The voucher's code (gift card / coupon), once the store made it. */
  voucherCode: string | null;
  /** Why the store refused (state refused), or the last failure while pending. */
  error: string | null;
  attempts: number;
  createdAt: Date;
  doneAt: Date | null;
}

const decimal = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'a decimal amount with at most two decimals');
const lineSchema = z
  .object({
    lineNo: z.number().int().positive().optional(),
    externalLineId: z.string().min(1).max(200).nullable().optional(),
    quantity: z.number().int().positive(),
    restock: z.literal(false),
  })
  .strict()
  .refine((l) => l.lineNo !== undefined || (l.externalLineId ?? null) !== null, { message: 'lineNo or externalLineId is required' });

const requestSchema = z
  .object({
    tenantId: z.string().regex(/^\d+$/),
    channelId: z.string().regex(/^\d+$/),
    orderId: z.string().regex(/^\d+$/),
    kind: z.enum(['refund', 'voucher']),
    source: z.object({ kind: z.literal('return'), id: z.string().min(1).max(100) }).strict(),
    amount: decimal.refine((a) => Number(a) > 0, 'must be more than zero'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
    lines: z.array(lineSchema).max(500).optional(),
    shipping: decimal.nullable().optional(),
    customerEmail: z.string().email().max(320).nullable(),
    note: z.string().max(1000),
    idempotencyKey: z.string().min(1).max(200),
  })
  .strict()
  .refine((r) => r.kind !== 'voucher' || r.customerEmail !== null, { message: 'a voucher needs the customer e-mail its code is sent to', path: ['customerEmail'] });

// No 0/O, 1/I/L: the customer types it at the checkout.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A voucher code: 16 characters (Shopify takes 8–20 letters and digits), random, so nobody guesses the next one. */
export function newVoucherCode(): string {
  return Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

const COLUMNS = `id::text, channel_id::text as "channelId", order_id::text as "orderId", kind, source_kind, source_id, amount::text, currency,
  lines, shipping::text, customer_email as "customerEmail", note, idempotency_key as "idempotencyKey", state, external_id as "externalId",
  voucher_code as "voucherCode", planned_code as "plannedCode", error, attempts, created_at as "createdAt", done_at as "doneAt"`;

type Row = Omit<StoreMoneyBack, 'source'> & { source_kind: 'return'; source_id: string; plannedCode: string | null };
const fromRow = ({ source_kind, source_id, plannedCode: _, ...r }: Row): StoreMoneyBack => ({ ...r, source: { kind: source_kind, id: source_id } });

/**
 * Asks the store to give money back (a refund on the order's payment, or a voucher), in the
 * caller's transaction: the row (pending) and the outbox item that calls the store commit with
 * the caller's own change (the return approved), so neither is ever without the other. A second
 * request with the same idempotency key returns the first row and queues nothing. Bad input is a
 * VALIDATION error naming the field; nothing is written then.
 */
export async function requestStoreMoneyBack(tx: Tx, request: StoreMoneyBackRequest): Promise<StoreMoneyBack> {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'request', reason: i.message }));
    throw new DomainError('VALIDATION', `The money back request is not valid: ${details.map((d) => `${d.path}: ${d.reason}`).join('; ')}.`, details);
  }
  const r = parsed.data;
  const lines = (r.lines ?? []).map((l) => ({ ...(l.lineNo !== undefined ? { lineNo: l.lineNo } : {}), externalLineId: l.externalLineId ?? null, quantity: l.quantity, restock: false as const }));
  const [channel] = await tx<{ kind: string }[]>`select kind from channels where tenant_id = ${r.tenantId} and id = ${r.channelId}`;
  if (!channel) throw new DomainError('NOT_FOUND', `Channel ${r.channelId} does not exist.`, [{ path: 'channelId', reason: 'unknown channel' }]);
  if (channel.kind !== 'shopify' && channel.kind !== 'woocommerce') {
    throw new DomainError('VALIDATION', `Channel ${r.channelId} is a ${channel.kind} channel; only a store can give money back.`, [{ path: 'channelId', reason: 'not a store channel' }]);
  }
  const inserted = await tx<Row[]>`
    insert into store_money_backs (tenant_id, channel_id, order_id, kind, source_kind, source_id, amount, currency, lines, shipping,
      customer_email, note, idempotency_key, planned_code)
    values (${r.tenantId}, ${r.channelId}, ${r.orderId}, ${r.kind}, ${r.source.kind}, ${r.source.id}, ${r.amount}, ${r.currency},
      ${tx.json(lines as never)}, ${r.shipping ?? null}, ${r.customerEmail}, ${r.note}, ${r.idempotencyKey}, ${r.kind === 'voucher' ? newVoucherCode() : null})
    on conflict (tenant_id, idempotency_key) do nothing
    returning ${tx.unsafe(COLUMNS)}`;
  const row = inserted[0];
  if (row) {
    await enqueue(tx, r.tenantId, STORE_MONEY_BACK_KIND, { channelId: r.channelId, moneyBackId: row.id }, `${STORE_MONEY_BACK_KIND}:${row.id}`, {
      maxAttempts: STORE_MONEY_BACK_ATTEMPTS,
    });
    return fromRow(row);
  }
  const [existing] = await tx<Row[]>`select ${tx.unsafe(COLUMNS)} from store_money_backs where tenant_id = ${r.tenantId} and idempotency_key = ${r.idempotencyKey}`;
  if (!existing) throw new Error(`store money back ${r.idempotencyKey} vanished after a conflict`);
  if (existing.source_id !== r.source.id || existing.orderId !== r.orderId || existing.kind !== r.kind) {
    throw new DomainError('CONFLICT', `The idempotency key ${r.idempotencyKey} was used for another money back (${existing.id}).`, [{ path: 'idempotencyKey', reason: 'used for another request' }]);
  }
  return fromRow(existing);
}

/** Every money back asked for a source document (a return), oldest first, with its state at the store. */
export async function storeMoneyBacksFor(db: Db, tenantId: string, source: MoneyBackSource): Promise<StoreMoneyBack[]> {
  const rows = await db<Row[]>`select ${db.unsafe(COLUMNS)} from store_money_backs
    where tenant_id = ${tenantId} and source_kind = ${source.kind} and source_id = ${source.id} order by store_money_backs.id`;
  return rows.map(fromRow);
}

/** One money back by id with the voucher code it offers the store (the outbox handler's read before it calls the store). */
export async function getStoreMoneyBack(db: Db, tenantId: string, id: string): Promise<(StoreMoneyBack & { plannedCode: string | null }) | null> {
  const [row] = await db<Row[]>`select ${db.unsafe(COLUMNS)} from store_money_backs where tenant_id = ${tenantId} and id = ${id}`;
  return row ? { ...fromRow(row), plannedCode: row.plannedCode } : null;
}

/** The store made it: its id and the voucher code, written with the outbox item's "done". */
export async function markStoreMoneyBackDone(tx: Tx, tenantId: string, id: string, result: { externalId: string; voucherCode: string | null }): Promise<void> {
  await tx`update store_money_backs set state = 'done', external_id = ${result.externalId}, voucher_code = ${result.voucherCode},
    error = null, attempts = attempts + 1, done_at = now() where tenant_id = ${tenantId} and id = ${id} and state <> 'done'`;
}

/** A failed try: refused (the store said no, or the last try failed) or still pending with the reason. */
export async function recordStoreMoneyBackFailure(tx: Tx, tenantId: string, id: string, failure: { refused: boolean; error: string }): Promise<void> {
  await tx`update store_money_backs set state = case when ${failure.refused} then 'refused' else state end, error = ${failure.error},
    attempts = attempts + 1 where tenant_id = ${tenantId} and id = ${id} and state = 'pending'`;
}
