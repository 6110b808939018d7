/** The returns area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { canTransition, isReturnStatus, RETURN_EVENTS, RETURN_STATUSES, transition } from './return-status.ts';
export type { ReturnEvent, ReturnStatus } from './return-status.ts';
export { allReturnable, checkRequestedLines, eligibility, RETURNABLE_ORDER_STATUSES, windowEnd } from './return-eligibility.ts';
export type { LineEligibility, OrderEligibility, OrderLineFacts, RequestedLine, ReturnWindow } from './return-eligibility.ts';
export {
  decideQuarantine,
  deleteOpenReceiptLine,
  getReturn,
  holdInQuarantine,
  insertReceiptLine,
  insertReturn,
  listQuarantine,
  listReturns,
  lockHeldQuarantine,
  lockReturn,
  markReceiptApproved,
  moveReturn,
  openReceipt,
  recordReturnAwb,
  returnChannelId,
  returnedItemNames,
  returnedQuantities,
  returnOrderId,
  returnRef,
} from './returns-repo.ts';
export type { Destination, MoneyBack, NewReturn, QuarantineRecord, ReceiptLine, Return, ReturnLine, ReturnSummary, ReturnType } from './returns-repo.ts';
