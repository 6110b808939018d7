import type { Db } from '../../db/connect.ts';
import { invoicesWaitingForFxRate } from '../../reports/index.ts';
import { isoOrNull, type Stall } from '../stall.ts';

/** Invoices of orders in a foreign currency queued while no exchange rate of that currency exists: none can be issued in lei. */
export async function detectFxRateMissing(db: Db, tenantId: string): Promise<Stall[]> {
  const waiting = await invoicesWaitingForFxRate(db, tenantId);
  return waiting.map(({ currency, orderIds, since }) => {
    const n = orderIds.length;
    const shown = orderIds.slice(0, 10).join(', ');
    return {
      kind: 'invoice.fx_rate_missing',
      subjectType: 'tenant',
      subjectId: tenantId,
      message: `${n} invoice${n === 1 ? '' : 's'} in ${currency} wait${n === 1 ? 's' : ''} for an exchange rate (order${n === 1 ? '' : 's'} ${shown}${n > 10 ? ', …' : ''}).`,
      why: `no ${currency} rate on or before today: BNR's daily import has not brought one and none was entered by hand`,
      fix: `Import BNR's rates (POST /api/v1/invoicing/fx-rates/import) or enter the ${currency} rate on the Settings screen (/warehouse/settings) or with PUT /api/v1/invoicing/fx-rates; the queued invoices are issued on their next retry.`,
      target: null,
      since: isoOrNull(since),
    };
  });
}
