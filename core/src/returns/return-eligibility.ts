import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';

/*
 * Whether an order's lines may come back, and how many units: pure, so the API's answer
 * (`/orders/{id}/returnable`) and the check a new return passes are the same function.
 */

export interface OrderLineFacts {
  orderLineNo: number;
  productId: string | null;
  sku: string | null;
  name: string;
  ordered: number;
  /** Units that left the warehouse for the customer (approved delivery notes of a delivered order). */
  delivered: number;
  /** Units already on other returns that are not cancelled. */
  alreadyReturned: number;
  /** The product's own flag (hygiene goods, made to measure): false refuses it. */
  productReturnable: boolean;
}

export interface ReturnWindow {
  /** When the order was delivered; null when no shipment says so (the window cannot have passed). */
  deliveredAt: Date | null;
  /** The channel's return window in days (default 30). */
  windowDays: number;
  now: Date;
}

export interface LineEligibility {
  orderLineNo: number;
  sku: string | null;
  name: string;
  delivered: number;
  alreadyReturned: number;
  /** Units that may still be returned (0 when refused). */
  returnable: number;
  /** Why not, in words an operator reads; empty when eligible. */
  reasons: string[];
}

export interface OrderEligibility {
  orderStatus: string;
  deliveredAt: string | null;
  windowDays: number;
  windowEndsAt: string | null;
  withinWindow: boolean;
  /** Why nothing of the order may come back, when that is so (not delivered yet, window passed). */
  reason: string | null;
  lines: LineEligibility[];
}

/** Orders whose goods reached the customer. */
export const RETURNABLE_ORDER_STATUSES = ['delivered', 'partially_returned'] as const;

export function windowEnd(w: ReturnWindow): Date | null {
  return w.deliveredAt ? new Date(w.deliveredAt.getTime() + w.windowDays * 86_400_000) : null;
}

export function eligibility(orderStatus: string, w: ReturnWindow, lines: OrderLineFacts[]): OrderEligibility {
  const ends = windowEnd(w);
  const withinWindow = ends === null || w.now.getTime() <= ends.getTime();
  const delivered = (RETURNABLE_ORDER_STATUSES as readonly string[]).includes(orderStatus);
  const reason = !delivered
    ? `the order is ${orderStatus}; only a delivered order is returned`
    : !withinWindow
      ? `outside the return window: ${w.windowDays} days from delivery ended ${ends!.toISOString().slice(0, 10)}`
      : null;
  return {
    orderStatus,
    deliveredAt: w.deliveredAt ? w.deliveredAt.toISOString() : null,
    windowDays: w.windowDays,
    windowEndsAt: ends ? ends.toISOString() : null,
    withinWindow,
    reason,
    lines: lines.map((l) => {
      const reasons: string[] = [];
      if (reason) reasons.push(reason);
      if (!l.productReturnable) reasons.push('the product is not returnable');
      const left = Math.max(0, l.delivered - l.alreadyReturned);
      if (left === 0 && l.delivered > 0) reasons.push(`all ${l.delivered} delivered unit(s) are already returned`);
      if (l.delivered === 0) reasons.push('nothing of this line was delivered');
      return { orderLineNo: l.orderLineNo, sku: l.sku, name: l.name, delivered: l.delivered, alreadyReturned: l.alreadyReturned, returnable: reasons.length ? 0 : left, reasons };
    }),
  };
}

export interface RequestedLine {
  orderLineNo: number;
  quantity: number;
  reason: string;
}

/**
 * The lines a return asks for, checked against what may come back: a refusal names each line
 * (`lines[i].quantity`, `lines[i].orderLineNo`) with its reason, and nothing is written.
 */
export function checkRequestedLines(e: OrderEligibility, requested: RequestedLine[]): void {
  const details: ErrorDetail[] = [];
  const seen = new Set<number>();
  requested.forEach((r, i) => {
    const line = e.lines.find((l) => l.orderLineNo === r.orderLineNo);
    const problem = lineProblem(r, line, seen);
    if (problem) details.push({ path: `lines[${i}].${problem.field}`, reason: problem.reason });
    seen.add(r.orderLineNo);
  });
  if (details.length > 0) {
    throw new DomainError('VALIDATION', `The return is refused: ${details.map((d) => d.reason).join('; ')}.`, details);
  }
}

function lineProblem(r: RequestedLine, line: LineEligibility | undefined, seen: Set<number>): { field: 'orderLineNo' | 'quantity'; reason: string } | null {
  if (!line) return { field: 'orderLineNo', reason: `the order has no line ${r.orderLineNo}` };
  if (seen.has(r.orderLineNo)) return { field: 'orderLineNo', reason: `line ${r.orderLineNo} is given twice` };
  const label = `line ${r.orderLineNo} (${line.sku ?? line.name})`;
  if (line.reasons.length > 0) return { field: 'orderLineNo', reason: `${label}: ${line.reasons.join('; ')}` };
  if (r.quantity > line.returnable) {
    return { field: 'quantity', reason: `${label}: ${r.quantity} asked, at most ${line.returnable} (delivered ${line.delivered} less ${line.alreadyReturned} already returned)` };
  }
  return null;
}

/** A full return: every unit that may still come back, for one reason. */
export function allReturnable(e: OrderEligibility, reason: string): RequestedLine[] {
  return e.lines.filter((l) => l.returnable > 0).map((l) => ({ orderLineNo: l.orderLineNo, quantity: l.returnable, reason }));
}
