import type { Db } from '../db/connect.ts';

/** What a stall points the operator at; `http/` turns it into a URL, the domain never does. */
export type StallTargetResource = 'channel' | 'channel_sync_log' | 'order' | 'delivery_note' | 'packing_list' | 'invoice' | 'shipment';

export interface StallTarget {
  resource: StallTargetResource;
  id: string;
}

/** One place where the flow is stuck: what, why, the fix, and where to go to fix it. */
export interface Stall {
  kind: string;
  subjectType: string;
  subjectId: string;
  message: string;
  why: string;
  fix: string;
  target: StallTarget | null;
  since: string | null;
  /**
   * An invoice held because it differs from what the store charged (`invoice.total_mismatch`): both
   * totals, so an operator can accept the invoice's (POST /orders/{id}/invoice acceptStoreDifference).
   */
  storeDifference?: { storeTotal: string; invoiceTotal: string; currency: string } | null;
}

export interface StallOptions {
  /** A partial packing list still waiting after this long means the second parcel was forgotten. */
  partialParcelHours?: number;
  /** A confirmed order without a delivery note after this long, on a channel that does not auto-create. */
  deliveryNoteGraceMinutes?: number;
  /** Packing lists waiting this long without all measures cannot get an AWB. */
  measuresGraceMinutes?: number;
  /** A return received this many days ago without money back (default 7). */
  returnMoneyBackDays?: number;
  /** Quarantined units undecided this many days (default 30). */
  quarantineDays?: number;
}

/**
 * At most this many stalls of one kind are listed (the oldest first where the detector has an
 * order): the view stays O(page) at a million orders, and 200 of one kind already says what to fix.
 */
export const STALLS_PER_KIND = 200;

/** One kind of stall, found from the current state of the tenant's data. */
export type StallDetector = (db: Db, tenantId: string, opts: StallOptions) => Promise<Stall[]>;

export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** "Order 12 (#1001)": the id, and the store's number when there is one. */
export const orderRef = (id: string, externalNumber: string | null): string => `Order ${id}${externalNumber ? ` (${externalNumber})` : ''}`;
