import type { Tx } from '../db/connect.ts';
import { buyerVatProblem } from '../invoicing/index.ts';
import { openStall, resolveStalls } from '../stalls/index.ts';

/** The stall of an invoice held because it would differ from what the store charged. */
export const TOTAL_MISMATCH = 'invoice.total_mismatch';
/** The stall of an order whose buyer gave a VAT number that is not valid (wrong CUI checksum, wrong EU format). */
export const BUYER_VAT_INVALID = 'order.buyer_vat_invalid';

export interface BuyerIdentity {
  clientId: string;
  company: string | null;
  vatNumber: string | null;
  countryCode: string | null;
}

/**
 * A buyer who gave a VAT number that fails its check is a business with a typo, not a consumer:
 * its invoice waits for the correction instead of going out as B2C (no e-Factura, VAT charged on
 * an intra-EU sale). The words of the stall, or null when the number is fine or absent.
 */
export function buyerVatHold(ref: string, b: BuyerIdentity): { message: string; fix: string; reason: string } | null {
  const reason = buyerVatProblem(b.vatNumber, b.countryCode);
  if (!reason) return null;
  const who = `client ${b.clientId}${b.company ? ` (${b.company})` : ''}`;
  return {
    reason,
    message: `${ref}: the VAT number ${b.vatNumber} of ${who} is not valid (${reason}); its invoice is held rather than issued to a consumer.`,
    fix: `Correct the CUI / VAT number of ${who} (PATCH /api/v1/clients/${b.clientId} with "cui", or in the store), then issue the invoice from the order.`,
    };
}

export async function openBuyerVatStall(tx: Tx, tenantId: string, orderId: string, hold: { message: string; fix: string; reason: string }, b: BuyerIdentity): Promise<void> {
  await openStall(tx, tenantId, { kind: BUYER_VAT_INVALID, subjectType: 'order', subjectId: orderId, message: hold.message, fix: hold.fix, details: { clientId: b.clientId, vatNumber: b.vatNumber, reason: hold.reason } });
}

/** The invoice went out: whatever held it before is settled. */
export async function resolveInvoiceHolds(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  await resolveStalls(tx, tenantId, { subjectType: 'order', subjectId: orderId }, [TOTAL_MISMATCH, BUYER_VAT_INVALID]);
}
