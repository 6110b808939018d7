import { getChannel, getChannelSettings, lockStoreReturnRequest, markStoreReturnTakenIn, requestStoreMoneyBack, shopPlatformFor, storeMoneyBacksFor, storeReturnTakenInAs } from '../channels/index.ts';
import type { Db, Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { productByBarcode, productsReturnable, restockReturnedUnits, returnBin, unstockReturnedUnits } from '../inventory/index.ts';
import { creditReturnedGoods, orderInvoices } from '../invoicing/index.ts';
import { findStoreOrder, getOrderDetail, lockOrder, moveLockedOrder, orderLines, type OrderRow, orderRef } from '../orders/index.ts';
import { customerLanguage } from '../notifications/index.ts';
import {
  allReturnable,
  checkRequestedLines,
  decideQuarantine,
  deleteOpenReceiptLine,
  type Destination,
  eligibility,
  getReturn,
  holdInQuarantine,
  insertReceiptLine,
  insertReturn,
  lockHeldQuarantine,
  lockReturn,
  markReceiptApproved,
  type MoneyBack,
  moveReturn,
  type OrderEligibility,
  openReceipt,
  type RequestedLine,
  type Return,
  type ReturnType,
  recordReturnAwb,
  returnedQuantities,
  returnOrderId,
  returnRef,
} from '../returns/index.ts';
import { DomainError } from '../shared/domain-error.ts';
import { add as addMoney, round2 } from '../shared/money.ts';
import { lastDeliveredShipmentId, orderDeliveredAt } from '../shipping/index.ts';
import { issuedQuantities } from '../warehouse/index.ts';
import { defineStep, runStep, startFlow, undoSubject } from './steps.ts';

/*
 * The Goods Return sub-flow (seed 000 §7): eligibility from what the order, the warehouse, the
 * courier and the catalog say; the return created under the order's lock; the receipt filled by
 * scans; approval moving the stock (restock to a bin, or quarantine) and the order's status; the
 * money back (credit note here; voucher and refund through the store). Locks: the order, then the
 * return, then stock rows — the order a confirm takes them in.
 */

type OrderHead = Pick<OrderRow, 'id' | 'status' | 'channelId' | 'externalNumber'> & { warehouseId?: string | null };

/** What may come back of an order now, line by line, with the reasons where nothing may. */
export async function orderReturnable(db: Db, tenantId: string, order: OrderHead, now: Date, exceptReturnId: string | null = null): Promise<OrderEligibility> {
  const [channel, lines, issued, returned, deliveredAt] = await Promise.all([
    getChannel(db, tenantId, order.channelId),
    orderLines(db, tenantId, order.id),
    issuedQuantities(db, tenantId, order.id),
    returnedQuantities(db, tenantId, order.id, { exceptReturnId }),
    orderDeliveredAt(db, tenantId, order.id),
  ]);
  const returnable = await productsReturnable(db, tenantId, lines.flatMap((l) => (l.product_id ? [l.product_id] : [])));
  return eligibility(
    order.status,
    { deliveredAt, windowDays: channel.returnWindowDays, now },
    lines
      .filter((l) => l.quantity > 0)
      .map((l) => ({
        orderLineNo: l.line_no,
        productId: l.product_id,
        sku: l.sku,
        name: l.name,
        ordered: l.quantity,
        delivered: issued.get(l.line_no) ?? 0,
        alreadyReturned: returned.get(l.line_no) ?? 0,
        productReturnable: l.product_id ? (returnable.get(l.product_id) ?? true) : true,
      })),
  );
}

export interface StartReturnInput {
  orderId: string;
  type: ReturnType;
  /** Required unless the type is fully (then every unit that may still come back, for `reason`). */
  lines?: RequestedLine[];
  reason?: string;
  note?: string | null;
  createdBy?: string | null;
  now?: Date;
}

/** A return request: checked (window, quantities, product) and written under the order's lock, or refused naming each line. */
export async function startReturn(tx: Tx, tenantId: string, input: StartReturnInput): Promise<Return> {
  const order = await lockOrder(tx, tenantId, input.orderId);
  const e = await orderReturnable(tx, tenantId, order, input.now ?? new Date());
  const requested = input.type === 'fully' ? allReturnable(e, input.reason ?? input.lines?.[0]?.reason ?? 'returned') : (input.lines ?? []);
  if (requested.length === 0) {
    const why = e.reason ?? (e.lines.map((l) => l.reasons.join('; ')).find(Boolean) || 'nothing of the order may be returned');
    throw new DomainError('VALIDATION', `${orderRef(order)}: nothing to return (${why}).`, [{ path: 'lines', reason: why }]);
  }
  checkRequestedLines(e, requested);
  if (input.type === 'fully') {
    const missing = e.lines.filter((l) => l.delivered - l.alreadyReturned > l.returnable);
    if (missing.length > 0) {
      throw new DomainError('VALIDATION', `${orderRef(order)} cannot be returned fully: ${missing.map((l) => `line ${l.orderLineNo}: ${l.reasons.join('; ')}`).join('; ')}.`, missing.map((l) => ({ path: `lines.${l.orderLineNo}`, reason: l.reasons.join('; ') })));
    }
  }
  const lines = await orderLines(tx, tenantId, order.id);
  const id = await insertReturn(tx, tenantId, {
    orderId: order.id,
    channelId: order.channelId,
    warehouseId: order.warehouseId ?? null,
    type: input.type,
    note: input.note ?? null,
    createdBy: input.createdBy ?? null,
    lines: requested.map((r) => {
      const l = lines.find((x) => x.line_no === r.orderLineNo)!;
      return { orderLineNo: r.orderLineNo, productId: l.product_id, sku: l.sku, name: l.name, quantity: r.quantity, reason: r.reason };
    }),
  });
  return await getReturn(tx, tenantId, id);
}

/** Locks the return's order, then the return (the lock order of every return change). */
async function lockForChange(tx: Tx, tenantId: string, returnId: string) {
  const orderId = await returnOrderId(tx, tenantId, returnId);
  if (!orderId) throw new DomainError('NOT_FOUND', `Return ${returnId} does not exist.`, [{ path: 'id', reason: 'unknown return' }]);
  const order = await lockOrder(tx, tenantId, orderId);
  const ret = await lockReturn(tx, tenantId, returnId);
  return { order, ret };
}

const returnSubject = (id: string) => ({ type: 'return', id });

/** Receive ↔ take the scan back: a unit counted into the open receipt, undone while the receipt is open. */
export const receiveReturnLineStep = defineStep({
  id: 'return.receive_line',
  async run(tx: Tx, i: { tenantId: string; receiptId: string; returnLineNo: number; productId: string; quantity: number; destination: Destination; binId: string | null }) {
    const id = await insertReceiptLine(tx, i.tenantId, i.receiptId, i);
    return { output: id, undo: { receiptLineId: id } };
  },
  async undo(tx: Tx, tenantId: string, u: { receiptLineId: string }) {
    return await deleteOpenReceiptLine(tx, tenantId, u.receiptLineId);
  },
});

export interface ReceiveReturnInput {
  /** The item: its barcode as scanned, or the return's line. */
  barcode?: string;
  lineNo?: number;
  quantity: number;
  destination: Destination;
  /** Restock: the bin the units go to (scanned code or id). */
  binCode?: string;
  binId?: string;
  /** The warehouse the parcel came to (default: the return's, else the order's, else the channel's). */
  warehouseId?: string;
}

/** One scan at the return desk: the item matched to a line of the return, never more than the line asks for. */
export async function receiveReturnLine(tx: Tx, tenantId: string, returnId: string, input: ReceiveReturnInput): Promise<Return> {
  const { order, ret } = await lockForChange(tx, tenantId, returnId);
  if (ret.type === 'manual') throw new DomainError('INVALID_STATE', `${returnRef(ret.id)} is manual: nothing comes back to receive; approve it.`, [{ path: 'id', reason: 'manual return' }]);
  const current = await getReturn(tx, tenantId, ret.id);
  let line = input.lineNo !== undefined ? current.lines.find((l) => l.lineNo === input.lineNo) : undefined;
  if (input.lineNo !== undefined && !line) throw new DomainError('VALIDATION', `${returnRef(ret.id)} has no line ${input.lineNo}.`, [{ path: 'lineNo', reason: 'unknown line' }]);
  if (!line && input.barcode !== undefined) {
    const p = await productByBarcode(tx, tenantId, input.barcode);
    line = p ? current.lines.find((l) => l.productId === p.id && l.received < l.quantity) ?? current.lines.find((l) => l.productId === p.id) : undefined;
    if (!line) throw new DomainError('VALIDATION', `Barcode ${input.barcode} is not on ${returnRef(ret.id)}.`, [{ path: 'barcode', reason: p ? 'item not on this return' : 'unknown barcode' }]);
  }
  if (!line) throw new DomainError('VALIDATION', 'Scan the item (barcode) or give the line of the return.', [{ path: 'barcode', reason: 'required' }]);
  if (!line.productId) throw new DomainError('VALIDATION', `Line ${line.lineNo} of ${returnRef(ret.id)} has no product; it cannot be received into stock.`, [{ path: 'lineNo', reason: 'no product' }]);
  if (line.received + input.quantity > line.quantity) {
    throw new DomainError('VALIDATION', `Line ${line.lineNo} (${line.sku ?? line.name}) of ${returnRef(ret.id)}: ${line.received} of ${line.quantity} received already; ${input.quantity} more is too many.`, [
      { path: 'quantity', reason: `at most ${line.quantity - line.received} more` },
    ]);
  }
  const warehouseId = input.warehouseId ?? current.receipt?.warehouseId ?? ret.warehouseId ?? order.warehouseId ?? (await getChannel(tx, tenantId, order.channelId)).defaultWarehouseId;
  if (!warehouseId) throw new DomainError('VALIDATION', `Say which warehouse ${returnRef(ret.id)} came back to.`, [{ path: 'warehouseId', reason: 'required: no default warehouse' }]);
  let binId: string | null = null;
  if (input.destination === 'restock') {
    if (input.binId === undefined && input.binCode === undefined) throw new DomainError('VALIDATION', 'A restocked unit goes to a bin: scan the bin.', [{ path: 'binCode', reason: 'required for restock' }]);
    binId = (await returnBin(tx, tenantId, warehouseId, { binId: input.binId, binCode: input.binCode })).id;
  }
  const receipt = await openReceipt(tx, tenantId, ret.id, warehouseId);
  if (receipt.status !== 'open') throw new DomainError('INVALID_STATE', `The receipt of ${returnRef(ret.id)} is approved; nothing more is received on it.`, [{ path: 'id', reason: 'receipt approved' }]);
  const run = startFlow(tenantId, 'return.receive', returnSubject(ret.id));
  await runStep(tx, run, receiveReturnLineStep, { tenantId, receiptId: receipt.id, returnLineNo: line.lineNo, productId: line.productId, quantity: input.quantity, destination: input.destination, binId });
  const complete = current.lines.every((l) => l.received + (l.lineNo === line!.lineNo ? input.quantity : 0) >= l.quantity);
  await moveReturn(tx, tenantId, ret, complete ? 'receive_all' : 'receive_some');
  return await getReturn(tx, tenantId, ret.id);
}

/** Restock ↔ take the units back out: returned units into their bin (a 'return' movement citing the return). */
export const restockReturnStep = defineStep({
  id: 'return.restock',
  async run(tx: Tx, i: { tenantId: string; returnId: string; warehouseId: string; binId: string; productId: string; quantity: number }) {
    await restockReturnedUnits(tx, i.tenantId, { ...i, note: `Return ${i.returnId}` });
    return { output: i.quantity, undo: { returnId: i.returnId, warehouseId: i.warehouseId, binId: i.binId, productId: i.productId, quantity: i.quantity } };
  },
  async undo(tx: Tx, tenantId: string, u: { returnId: string; warehouseId: string; binId: string; productId: string; quantity: number }, why: string) {
    return await unstockReturnedUnits(tx, tenantId, { ...u, note: `Return ${u.returnId} undone: ${why}` });
  },
});

/** Quarantine ↔ (nothing in stock to undo): the units held apart, not sellable. */
export const quarantineReturnStep = defineStep({
  id: 'return.quarantine',
  async run(tx: Tx, i: { tenantId: string; returnId: string; receiptLineId: string; warehouseId: string; productId: string; quantity: number }) {
    const id = await holdInQuarantine(tx, i.tenantId, i);
    return { output: id, undo: { quarantineId: id } };
  },
  async undo(tx: Tx, tenantId: string, u: { quarantineId: string }, why: string) {
    await decideQuarantine(tx, tenantId, u.quarantineId, { status: 'scrapped', binId: null, note: `undone: ${why}` });
    return u.quarantineId;
  },
});

/**
 * Approval of the Goods Return Receipt: each received line restocked or quarantined, the order's
 * status following (returned when every delivered unit is back, else partially returned), and the
 * store told. A manual return (no parcel) is approved without a receipt and moves no stock.
 * Approving again returns the return as it is: nothing is restocked twice.
 */
export async function approveReturn(tx: Tx, tenantId: string, returnId: string): Promise<Return> {
  const { order, ret } = await lockForChange(tx, tenantId, returnId);
  if (['approved', 'settling', 'settled'].includes(ret.status)) return await getReturn(tx, tenantId, ret.id);
  if (ret.type === 'manual') {
    await moveReturn(tx, tenantId, ret, 'approve_manual');
    return await getReturn(tx, tenantId, ret.id);
  }
  const current = await getReturn(tx, tenantId, ret.id);
  if (!current.receipt || current.receipt.lines.length === 0) {
    throw new DomainError('INVALID_STATE', `${returnRef(ret.id)} has nothing received yet; scan the goods in before approving.`, [{ path: 'id', reason: 'nothing received' }]);
  }
  const run = startFlow(tenantId, 'return.approve', returnSubject(ret.id));
  for (const l of current.receipt.lines) {
    if (l.destination === 'restock') {
      await runStep(tx, run, restockReturnStep, { tenantId, returnId: ret.id, warehouseId: current.receipt.warehouseId, binId: l.binId!, productId: l.productId, quantity: l.quantity });
    } else {
      await runStep(tx, run, quarantineReturnStep, { tenantId, returnId: ret.id, receiptLineId: l.id, warehouseId: current.receipt.warehouseId, productId: l.productId, quantity: l.quantity });
    }
  }
  await markReceiptApproved(tx, tenantId, current.receipt.id);
  await moveReturn(tx, tenantId, ret, 'approve');
  await followOrderStatus(tx, tenantId, order, ret.id);
  return await getReturn(tx, tenantId, ret.id);
}

/** Whether every unit issued for the order came back by approved returns. */
async function everythingCameBack(tx: Tx, tenantId: string, orderId: string): Promise<boolean> {
  const [issued, returned] = await Promise.all([issuedQuantities(tx, tenantId, orderId), returnedQuantities(tx, tenantId, orderId, { cameBack: true })]);
  return [...issued.entries()].every(([lineNo, q]) => (returned.get(lineNo) ?? 0) >= q);
}

/** The order's status after a return is approved, and the store told where its status follows ours. */
async function followOrderStatus(tx: Tx, tenantId: string, order: OrderRow, returnId: string): Promise<void> {
  const all = await everythingCameBack(tx, tenantId, order.id);
  const event = all ? 'return_all' : order.status === 'delivered' ? 'return_partly' : null;
  if (!event || (event === 'return_all' && order.status === 'returned')) return;
  await moveLockedOrder(tx, order, event);
  await queueReturnNote(tx, tenantId, order, returnId);
  const channel = await getChannel(tx, tenantId, order.channelId);
  const kind = shopPlatformFor(channel.kind)?.orderStatus;
  const shipmentId = kind ? await lastDeliveredShipmentId(tx, tenantId, order.id) : null;
  // The handler reads the order and the channel's status_map_out when it runs: a status the map says nothing about is skipped there.
  if (kind && shipmentId) {
    await enqueue(tx, tenantId, kind.outboxKind, { shipmentId, orderId: order.id, orderStatus: order.status }, `${kind.outboxKind}:${order.id}:${order.status}`, { target: `channel:${order.channelId}` });
  }
}


/** Money back, the operator's choice: a credit note now; a voucher or a refund through the store. */
export async function chooseMoneyBack(tx: Tx, tenantId: string, returnId: string, choice: { kind: MoneyBack; now?: Date }): Promise<Return> {
  const { order, ret } = await lockForChange(tx, tenantId, returnId);
  const current = await getReturn(tx, tenantId, ret.id);
  if (current.status === 'settled' && current.moneyBack === choice.kind) return current;
  if (current.status === 'settling' && current.moneyBack === choice.kind) return current;
  if (ret.status !== 'approved') {
    throw new DomainError('INVALID_STATE', `${returnRef(ret.id)} is ${ret.status}; money is given back once the return is approved.`, [{ path: 'status', reason: `return is ${ret.status}` }]);
  }
  if (choice.kind !== 'credit_note') return await askStoreForMoneyBack(tx, tenantId, order, current, choice.kind, choice.now);
  const cn = await creditReturn(tx, tenantId, order, current, choice.now);
  await moveReturn(tx, tenantId, ret, 'settle', { moneyBack: 'credit_note', creditNoteId: cn.creditNoteId, moneyBackRef: cn.number, moneyBackError: null });
  return await getReturn(tx, tenantId, ret.id);
}

/** The return's credit note (idempotent on `return:<id>`; a whole order's last one with its shipping), recorded as the step of the money back. */
async function creditReturn(tx: Tx, tenantId: string, order: OrderRow, current: Return, now?: Date) {
  const items = (await orderLines(tx, tenantId, order.id)).filter((l) => l.quantity > 0);
  const lines = current.lines.map((l) => ({
    itemNo: items.findIndex((x) => x.line_no === l.orderLineNo) + 1,
    sku: l.sku,
    // A physical return credits what came back; a manual one what it names.
    quantity: current.type === 'manual' ? l.quantity : l.received,
  }));
  const reasons = [...new Set(current.lines.map((l) => l.reason))].join('; ');
  const cn = await creditReturnedGoods(tx, tenantId, order.id, { returnId: current.id, reason: `Retur ${current.id}: ${reasons}`, lines, wholeOrder: current.type === 'fully', ...(now ? { now } : {}) });
  const run = startFlow(tenantId, 'return.money_back', returnSubject(current.id));
  await runStep(tx, run, creditNoteStep, { tenantId, returnId: current.id, creditNoteId: cn.creditNoteId });
  return cn;
}

/**
 * Credit note ↔ none that deletes it: a credit note issued to ANAF is a document of record and is
 * never withdrawn (Codul fiscal art. 330: a correction is a new invoice). Undoing the return's money
 * back therefore refuses, naming the credit note, so an operator issues the correcting invoice.
 */
export const creditNoteStep = defineStep({
  id: 'return.credit_note',
  async run(_tx: Tx, i: { tenantId: string; returnId: string; creditNoteId: string }) {
    return { output: i.creditNoteId, undo: { returnId: i.returnId, creditNoteId: i.creditNoteId } };
  },
  async undo(_tx: Tx, _tenantId: string, u: { returnId: string; creditNoteId: string }) {
    throw new DomainError('INVALID_STATE', `Credit note ${u.creditNoteId} of return ${u.returnId} is issued; a credit note is never withdrawn: issue a correcting invoice.`, [{ path: 'creditNoteId', reason: 'issued documents are final' }]);
  },
});

/** Calls a return off before approval: its scans are undone (no stock moved yet). */
export async function cancelReturn(tx: Tx, tenantId: string, returnId: string, why: string): Promise<Return> {
  const { ret } = await lockForChange(tx, tenantId, returnId);
  if (ret.status === 'cancelled') return await getReturn(tx, tenantId, ret.id);
  await moveReturn(tx, tenantId, ret, 'cancel');
  await undoSubject(tx, tenantId, returnSubject(ret.id), why, { flow: 'return.receive' });
  return await getReturn(tx, tenantId, ret.id);
}

export async function recordIncomingAwb(tx: Tx, tenantId: string, returnId: string, a: { courier: string | null; awb: string; lockerId?: string | null; lockerPin?: string | null }): Promise<Return> {
  const { ret } = await lockForChange(tx, tenantId, returnId);
  await recordReturnAwb(tx, tenantId, ret, a);
  return await getReturn(tx, tenantId, ret.id);
}

/** A quarantined lot released to a bin (available again, a 'return' movement) or scrapped (never in stock). */
export async function decideQuarantinedUnits(tx: Tx, tenantId: string, quarantineId: string, d: { action: 'release'; binId?: string; binCode?: string } | { action: 'scrap'; note: string }) {
  const q = await lockHeldQuarantine(tx, tenantId, quarantineId);
  if (d.action === 'release') {
    const bin = await returnBin(tx, tenantId, q.warehouseId, { binId: d.binId, binCode: d.binCode });
    await restockReturnedUnits(tx, tenantId, { warehouseId: q.warehouseId, binId: bin.id, productId: q.productId, quantity: q.quantity, returnId: q.returnId, note: `Return ${q.returnId}: released from quarantine ${q.id}` });
    await decideQuarantine(tx, tenantId, q.id, { status: 'released', binId: bin.id, note: null });
  } else {
    await decideQuarantine(tx, tenantId, q.id, { status: 'scrapped', binId: null, note: d.note });
  }
  return { ...(await getReturn(tx, tenantId, q.returnId)).quarantine.find((x) => x.id === q.id)! };
}

/** The units a return gives money back for: what came back of a physical return, what a manual one names. */
const creditedUnits = (r: Return) => r.lines.map((l) => ({ orderLineNo: l.orderLineNo, quantity: r.type === 'manual' ? l.quantity : l.received })).filter((l) => l.quantity > 0);

const cents = (s: string) => Math.round(Number(s) * 100);

type MoneyOrder = { total: string; shippingTotal: string; pricesIncludeTax?: boolean; taxTotal?: string | null; fees?: Array<{ amount: string; tax: string | null }> };

/** What the order charged for shipping with its tax, in cents (see moneyBackAmount). */
function shippingPaidCents(order: MoneyOrder, lines: Array<{ tax?: string | null }>): number {
  const fees = order.fees ?? [];
  let paid = cents(order.shippingTotal);
  if (order.pricesIncludeTax === false && order.taxTotal != null && lines.every((l) => l.tax != null) && fees.every((f) => f.tax != null)) {
    const shippingTax = cents(order.taxTotal) - lines.reduce((a, l) => a + cents(l.tax!), 0) - fees.reduce((a, f) => a + cents(f.tax!), 0);
    if (shippingTax > 0) paid += shippingTax;
  }
  return paid;
}

/**
 * The delivery a return gives back, decimal string, or null: a withdrawal from the whole order
 * (a return of type `fully`) is refunded with the standard delivery the customer paid (OUG 34/2014
 * art. 13(1), Directive 2011/83/EU art. 13(1)) once no goods are left that did not come back.
 * Fees (a cash-on-delivery fee) are not delivery and are not given back.
 */
export function deliveryGivenBack(order: MoneyOrder, lines: Array<{ tax?: string | null }>, o: { wholeOrder: boolean; everythingBack: boolean }): string | null {
  if (!o.wholeOrder || !o.everythingBack) return null;
  const paid = shippingPaidCents(order, lines);
  return paid > 0 ? (paid / 100).toFixed(2) : null;
}

/**
 * What the customer paid for the credited units, in the order's currency: each line's total for
 * the units, scaled by what the order's goods were actually paid (the order's total less what it
 * charged for shipping and fees, over the lines' totals), so taxes added on top and order-level
 * discounts come out as paid. Shipping and fees are taken out with their tax: on a store that adds
 * tax on top, a fee's own tax, and the shipping's tax as what the tax total leaves after the lines'
 * and the fees' (as the invoice's store check reads it; left in when a line's or fee's tax is not
 * known). A negative fee is a discount on the goods and stays in. Without this, a return from such
 * an order gave back the shipping's tax and the cash-on-delivery fee as if they were goods.
 */
export function moneyBackAmount(
  order: MoneyOrder,
  lines: Array<{ lineNo: number; quantity: number; total: string; tax?: string | null }>,
  credited: Array<{ orderLineNo: number; quantity: number }>,
): string {
  const itemsCents = lines.reduce((a, l) => a + cents(l.total), 0);
  const onTop = order.pricesIncludeTax === false;
  let notGoods = shippingPaidCents(order, lines);
  for (const f of order.fees ?? []) if (cents(f.amount) > 0) notGoods += cents(f.amount) + (onTop && f.tax ? cents(f.tax) : 0);
  const paidCents = Math.max(0, cents(order.total) - notGoods);
  const ratio = itemsCents > 0 ? paidCents / itemsCents : 0;
  let sum = 0;
  for (const c of credited) {
    const l = lines.find((x) => x.lineNo === c.orderLineNo);
    if (!l || l.quantity <= 0) continue;
    sum += Math.round(((cents(l.total) * c.quantity) / l.quantity) * ratio);
  }
  return (Math.min(sum, paidCents) / 100).toFixed(2);
}

/**
 * A voucher or a refund is the store's to make: the request (store_money_backs, channels/) and its
 * outbox item commit with the return moving to settling; the handler that hears the store's answer
 * settles the return or sends it back to approved (`storeAnsweredReturn`). The key is
 * `return:<id>:<kind>`, so asking twice is one request; after a refusal the next ask is a new one
 * (`…:2`, `…:3`), since the refused row keeps its key.
 */
async function askStoreForMoneyBack(tx: Tx, tenantId: string, order: OrderRow, current: Return, kind: 'voucher' | 'refund', now?: Date): Promise<Return> {
  const channel = await getChannel(tx, tenantId, order.channelId);
  if (!shopPlatformFor(channel.kind)) {
    throw new DomainError('VALIDATION', `${returnRef(current.id)} is of a ${channel.kind} order: there is no store to give a ${kind}; choose a credit note.`, [{ path: 'kind', reason: `a ${kind} needs a store channel` }]);
  }
  if (kind === 'voucher' && !order.email) {
    throw new DomainError('VALIDATION', `${orderRef(order)} has no customer e-mail to send the voucher code to; choose a refund or a credit note.`, [{ path: 'kind', reason: 'the order has no customer e-mail' }]);
  }
  // A refund an admin already made in the store (taken in from wp-admin) is not given twice.
  const origin = await storeReturnTakenInAs(tx, tenantId, `return:${current.id}`);
  if (origin?.storeStatus === 'refunded') {
    throw new DomainError('CONFLICT', `${returnRef(current.id)} came from ${origin.request.platform} refund ${origin.request.externalId}: the store gave ${origin.request.refundedAmount ?? 'the money'} back already; choose a credit note.`, [
      { path: 'kind', reason: `refunded in the store already (${origin.request.externalId})` },
    ]);
  }
  const credited = creditedUnits(current);
  const detail = await getOrderDetail(tx, tenantId, order.id);
  const lines = (detail.lines as unknown as Array<{ lineNo: number; quantity: number; total: string; tax: string | null }>).map((l) => ({ lineNo: Number(l.lineNo), quantity: Number(l.quantity), total: String(l.total), tax: l.tax }));
  const wholeOrder = current.type === 'fully';
  const shipping = deliveryGivenBack(order, lines, { wholeOrder, everythingBack: wholeOrder && (await everythingCameBack(tx, tenantId, order.id)) });
  const goods = moneyBackAmount(order, lines, credited);
  const amount = shipping ? round2(addMoney(goods, shipping)) : goods;
  if (Number(amount) <= 0) {
    throw new DomainError('VALIDATION', `${returnRef(current.id)} credits nothing that was paid (amount ${amount} ${order.currency}); choose a credit note.`, [{ path: 'kind', reason: 'nothing paid to give back' }]);
  }
  const source = { kind: 'return' as const, id: current.id };
  const earlier = (await storeMoneyBacksFor(tx, tenantId, source)).filter((m) => m.kind === kind);
  const refused = earlier.filter((m) => m.state === 'refused').length;
  const idempotencyKey = refused === 0 ? `return:${current.id}:${kind}` : `return:${current.id}:${kind}:${refused + 1}`;
  const reasons = [...new Set(current.lines.map((l) => l.reason))].join('; ');
  const mb = await requestStoreMoneyBack(tx, {
    tenantId,
    channelId: order.channelId,
    orderId: order.id,
    kind,
    source,
    amount,
    ...(shipping ? { shipping } : {}),
    currency: order.currency,
    ...(kind === 'refund' ? { lines: credited.map((c) => ({ lineNo: c.orderLineNo, quantity: c.quantity, restock: false as const })) } : {}),
    customerEmail: order.email,
    note: `Return ${current.id}: ${reasons}`.slice(0, 1000),
    idempotencyKey,
  });
  // Money paid back for goods is a correction of the sale: where the order was invoiced, the
  // credit note for the same units is issued with the request (Codul fiscal art. 330), once.
  const invoiced = (await orderInvoices(tx, tenantId, order.id)).some((i) => i.kind === 'invoice');
  const cn = invoiced ? await creditReturn(tx, tenantId, order, current, now) : null;
  const ret = await lockReturn(tx, tenantId, current.id);
  await moveReturn(tx, tenantId, ret, 'ask_store', { moneyBack: kind, creditNoteId: cn?.creditNoteId ?? current.creditNoteId, moneyBackRef: mb.id, moneyBackError: null });
  return await getReturn(tx, tenantId, ret.id);
}

/**
 * The store's answer to a return's money back, in the transaction that records it (the outbox
 * handler of `store.money_back`): done settles the return (its reference: the voucher code, else
 * the store's refund id); refused sends it back to approved with the store's reason, so the
 * operator chooses again. A return no longer waiting on that money back is left as it is.
 */
export async function storeAnsweredReturn(tx: Tx, tenantId: string, returnId: string, answer: { moneyBackId: string; kind: 'voucher' | 'refund'; done: true; ref: string } | { moneyBackId: string; kind: 'voucher' | 'refund'; done: false; error: string }): Promise<void> {
  const orderId = await returnOrderId(tx, tenantId, returnId);
  if (!orderId) return;
  const { ret } = await lockForChange(tx, tenantId, returnId);
  if (ret.status !== 'settling') return;
  const current = await getReturn(tx, tenantId, ret.id);
  if (current.moneyBack !== answer.kind || current.moneyBackRef !== answer.moneyBackId) return;
  if (answer.done) {
    await moveReturn(tx, tenantId, ret, 'settle', { moneyBackRef: answer.ref, moneyBackError: null });
    return;
  }
  await moveReturn(tx, tenantId, ret, 'store_refused', { moneyBack: null, moneyBackRef: null, moneyBackError: `the ${answer.kind} was refused by the store: ${answer.error}`.slice(0, 2000) });
}

/** The outbox kind that writes a return's note to the customer on the store order (flows/return-store-note.ts). */
export const RETURN_NOTE_KIND = 'store.return_note';

const NOTE_WORDS = {
  ro: { returned: 'Am primit înapoi produsele comenzii {order}: comanda este returnată.', partially_returned: 'Am primit înapoi o parte din produsele comenzii {order}: comanda este returnată parțial.' },
  en: { returned: 'We received the goods of order {order} back: the order is returned.', partially_returned: 'We received part of the goods of order {order} back: the order is partially returned.' },
} as const;

/** The note to the customer when a return moves the order, queued with the move (the store's own word for it, in the customer's language). */
async function queueReturnNote(tx: Tx, tenantId: string, order: OrderRow, returnId: string): Promise<void> {
  const channel = await getChannel(tx, tenantId, order.channelId);
  if (!shopPlatformFor(channel.kind) || (order.status !== 'returned' && order.status !== 'partially_returned')) return;
  const lang = customerLanguage((await getChannelSettings(tx, tenantId, order.channelId)).notifications);
  const note = NOTE_WORDS[lang === 'en' ? 'en' : 'ro'][order.status].replace('{order}', order.externalNumber ?? order.id);
  await enqueue(tx, tenantId, RETURN_NOTE_KIND, { orderId: order.id, returnId, note, key: `return:${returnId}:${order.status}` }, `${RETURN_NOTE_KIND}:${returnId}:${order.status}`, { target: `channel:${order.channelId}` });
}

export interface TakeInStoreReturnInput {
  /** Default: partially with the store's lines; fully when the store named none (a WooCommerce refund) and no lines are given. */
  type?: ReturnType;
  /** The units that come back, when the operator says otherwise than the store (or the store named none). */
  lines?: RequestedLine[];
  reason?: string;
  createdBy?: string | null;
  now?: Date;
}

/**
 * A return begun in the store (a Shopify return, a refund made in wp-admin) turned into an Expedio
 * return by the operator: the store's lines mapped to the order's lines by the store's line id,
 * checked like any return (`startReturn`: window, quantities, product), and the request marked
 * taken in, in one transaction. A request taken in already, declined or cancelled in the store is
 * refused naming why.
 */
export async function takeInStoreReturn(tx: Tx, tenantId: string, storeReturnId: string, input: TakeInStoreReturnInput = {}): Promise<Return> {
  const req = await lockStoreReturnRequest(tx, tenantId, storeReturnId);
  if (!req) throw new DomainError('NOT_FOUND', `Store return request ${storeReturnId} does not exist.`, [{ path: 'id', reason: 'unknown store return request' }]);
  if (req.takenInAs) throw new DomainError('CONFLICT', `Store return request ${req.id} was taken in already (${req.takenInAs}).`, [{ path: 'id', reason: `taken in as ${req.takenInAs}` }]);
  if (req.storeStatus === 'declined' || req.storeStatus === 'cancelled') {
    throw new DomainError('INVALID_STATE', `Store return request ${req.id} is ${req.storeStatus} in the store; nothing comes back.`, [{ path: 'id', reason: `${req.storeStatus} in the store` }]);
  }
  const order = await findStoreOrder(tx, tenantId, req.channelId, req.request.externalOrderId);
  if (!order) throw new DomainError('NOT_FOUND', `Store return request ${req.id} is for store order ${req.request.externalOrderId}, which Expedio does not have.`, [{ path: 'externalOrderId', reason: 'order not taken in' }]);
  const detail = await getOrderDetail(tx, tenantId, order.id);
  const orderLinesOf = detail.lines as unknown as Array<{ lineNo: number; externalLineId: string | null }>;
  const fromStore = req.request.lines.map((l, i) => {
    const line = orderLinesOf.find((x) => x.externalLineId !== null && String(x.externalLineId) === l.externalLineId);
    if (!line) throw new DomainError('VALIDATION', `Store return request ${req.id}: the order has no line with the store's id ${l.externalLineId}.`, [{ path: `lines[${i}].externalLineId`, reason: 'not a line of the order' }]);
    return { orderLineNo: Number(line.lineNo), quantity: l.quantity, reason: [l.reason, l.customerNote].filter(Boolean).join(' — ') || input.reason || req.request.note || 'returned in the store' };
  });
  const lines = input.lines ?? (fromStore.length > 0 ? fromStore : undefined);
  const type = input.type ?? (lines ? 'partially' : 'fully');
  const platform = req.request.platform === 'shopify' ? 'Shopify' : 'WooCommerce';
  const refunded = req.request.refundedAmount ? `; refunded ${req.request.refundedAmount} ${req.request.currency ?? ''} in the store`.trimEnd() : '';
  const r = await startReturn(tx, tenantId, {
    orderId: order.id,
    type,
    ...(lines ? { lines } : {}),
    reason: input.reason ?? req.request.note ?? `${platform} return`,
    note: `From ${platform} ${req.request.platform === 'shopify' ? 'return' : 'refund'} ${req.request.externalId}${refunded}`.slice(0, 1000),
    createdBy: input.createdBy ?? null,
    ...(input.now ? { now: input.now } : {}),
  });
  await markStoreReturnTakenIn(tx, tenantId, req.id, `return:${r.id}`);
  return r;
}
