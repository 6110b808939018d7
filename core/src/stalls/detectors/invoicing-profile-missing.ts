import type { Db } from '../../db/connect.ts';
import { invoicesWaitingForProfile } from '../../reports/index.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/** Invoices queued while the tenant has no invoicing profile: none can be issued until it is set. */
export async function detectInvoicingProfileMissing(db: Db, tenantId: string): Promise<Stall[]> {
  const { orderIds, since } = await invoicesWaitingForProfile(db, tenantId);
  if (orderIds.length === 0) return [];
  const shown = orderIds.slice(0, 10).join(', ');
  return [
    {
      kind: 'invoice.profile_missing',
      subjectType: 'tenant',
      subjectId: tenantId,
      message: `${orderIds.length} invoice${orderIds.length === 1 ? '' : 's'} wait${orderIds.length === 1 ? 's' : ''} for the invoicing profile (order${orderIds.length === 1 ? '' : 's'} ${shown}${orderIds.length > 10 ? ', …' : ''}).`,
      why: 'no invoicing profile: the seller name, CUI and address printed on invoices are not set',
      fix: 'Set the invoicing profile on the Settings screen (/warehouse/settings) or with PUT /api/v1/invoicing/profile; the queued invoices are issued on their next retry.',
      target: null,
      since: isoOrNull(since),
    },
  ];
}
