import type { Db } from '../db/connect.ts';
import { detectBlockedDeliveryNotes } from './detectors/blocked-delivery-notes.ts';
import { detectCredentialsRejected } from './detectors/credentials-rejected.ts';
import { detectDeliveryNoteNotGenerated } from './detectors/delivery-note-not-generated.ts';
import { detectEInvoiceRejected } from './detectors/e-invoice-rejected.ts';
import { detectForgottenPartialParcel } from './detectors/forgotten-partial-parcel.ts';
import { detectHeldOrders } from './detectors/held-orders.ts';
import { detectInvoiceNotGenerated } from './detectors/invoice-not-generated.ts';
import { detectFxRateMissing } from './detectors/fx-rate-missing.ts';
import { detectInvoicingProfileMissing } from './detectors/invoicing-profile-missing.ts';
import { detectMissingMeasures } from './detectors/missing-measures.ts';
import { detectRecordedStalls } from './detectors/recorded-stalls.ts';
import { detectWebhooksMissing } from './detectors/webhooks-missing.ts';
import { detectWebhooksRejected } from './detectors/webhooks-rejected.ts';
import { detectUnknownLocality } from './detectors/unknown-locality.ts';
import { detectAnafReconnect } from './detectors/anaf-reconnect.ts';
import { detectEInvoiceDeadline } from './detectors/e-invoice-deadline.ts';
import { detectEInvoiceHeld } from './detectors/e-invoice-held.ts';
import { detectQuarantineAging, detectReturnMoneyBackMissing } from './detectors/returns-waiting.ts';
import type { Stall, StallDetector, StallOptions } from './stall.ts';

/**
 * Where the flow stalls, found by Expedio itself: each item says what is stuck, why, the fix and
 * where to do it. Live detections are computed from the current state (nothing to keep in sync);
 * failures the worker gave up on and tracking alerts are the open rows of the `stalls` table.
 * The order of the list is the order of the detectors.
 */
export const STALL_DETECTORS: readonly StallDetector[] = [
  detectCredentialsRejected,
  detectWebhooksMissing,
  detectHeldOrders,
  detectDeliveryNoteNotGenerated,
  detectBlockedDeliveryNotes,
  detectMissingMeasures,
  detectUnknownLocality,
  detectForgottenPartialParcel,
  detectInvoiceNotGenerated,
  detectInvoicingProfileMissing,
  detectFxRateMissing,
  detectEInvoiceRejected,
  detectEInvoiceHeld,
  detectEInvoiceDeadline,
  detectAnafReconnect,
  detectRecordedStalls,
  detectWebhooksRejected,
  detectReturnMoneyBackMissing,
  detectQuarantineAging,
];

export async function detectStalls(db: Db, tenantId: string, opts: StallOptions = {}): Promise<Stall[]> {
  // All at once (each reads only; on a pool they spread over its connections, on a transaction the
  // driver pipelines them on its one connection): the view waits for the slowest detector, not the
  // sum of nineteen round trips. The list keeps the detectors' order.
  return (await Promise.all(STALL_DETECTORS.map((detect) => detect(db, tenantId, opts)))).flat();
}
