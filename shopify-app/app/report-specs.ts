/*
 * The core's eight reports as the app offers them (core/src/http/report-registry.ts names their
 * filters; this is the part a merchant sets from the Shopify admin). The channel filter is not
 * offered: the app's session token is bound to this store's channel, and the core limits every
 * per-channel report to it.
 */

export const REPORT_NAMES = ['orders-per-channel', 'invoices-per-channel', 'returns', 'awbs-in-transit', 'blocked-delivery-notes', 'stock-movements', 'sync-audit', 'courier-audit-log'] as const;
export type AppReportName = (typeof REPORT_NAMES)[number];

export type ReportFilter = { name: string; kind: 'day' | 'select' | 'text' | 'number'; options?: readonly string[] };

const ORDER_STATUSES = ['new', 'processing', 'confirmed', 'on_hold', 'picking', 'picked', 'packed', 'ready', 'shipping', 'delivered', 'cancelled', 'partially_returned', 'returned'] as const;
const COURIERS = ['sameday', 'cargus', 'fancourier', 'innoship', 'bosta'] as const;
const period: ReportFilter[] = [
  { name: 'from', kind: 'day' },
  { name: 'to', kind: 'day' },
];

export const REPORT_FILTERS: Record<AppReportName, ReportFilter[]> = {
  'orders-per-channel': [...period, { name: 'status', kind: 'select', options: ORDER_STATUSES }],
  'invoices-per-channel': [...period, { name: 'currency', kind: 'text' }],
  returns: period,
  'awbs-in-transit': [
    { name: 'courier', kind: 'select', options: COURIERS },
    { name: 'attention', kind: 'select', options: ['true', 'false'] },
  ],
  'blocked-delivery-notes': [],
  'stock-movements': [
    { name: 'kind', kind: 'select', options: ['receipt', 'adjustment', 'reserve', 'release', 'issue', 'return', 'transfer'] },
    { name: 'causeType', kind: 'text' },
  ],
  'sync-audit': [{ name: 'outcome', kind: 'select', options: ['ok', 'duplicate', 'stale', 'ignored', 'rejected', 'error'] }],
  'courier-audit-log': [
    { name: 'courier', kind: 'select', options: COURIERS },
    { name: 'outcome', kind: 'select', options: ['ok', 'http_error', 'timeout', 'network_error'] },
    { name: 'operation', kind: 'text' },
  ],
};

export const isReportName = (name: string | undefined): name is AppReportName => (REPORT_NAMES as readonly string[]).includes(name ?? '');

/** The filter values of a URL that the report knows (everything else, and empty values, left out). */
export function reportQuery(name: AppReportName, params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of REPORT_FILTERS[name]) {
    const v = params.get(f.name)?.trim();
    if (v) out[f.name] = v;
  }
  const cursor = params.get('cursor');
  if (cursor) out.cursor = cursor;
  return out;
}
