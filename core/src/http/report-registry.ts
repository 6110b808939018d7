import { z } from '@hono/zod-openapi';
import { CourierCodeSchema } from '../contracts/courier.ts';
import { ORDER_STATUSES } from '../contracts/order.ts';
import type { ReportName } from '../contracts/reports.ts';
import { STOCK_MOVEMENT_KINDS } from '../contracts/warehouse.ts';
import { awbsInTransitReport, blockedDeliveryNotesReport, courierAuditReport, invoicesPerChannel, ordersPerChannel, type ReportPage, returnsReport, stockMovementsReport, syncAudit } from '../reports/index.ts';
import type { Deps } from '../shared/deps.ts';
import { Day, Id } from './openapi.ts';

/*
 * The eight reports as one registry, read by the API (/api/v1/reports/<name>) and by the report
 * screens (/warehouse/reports/<name>): each names its filters once, as a zod object (the API's
 * validation and the screen's form), and how to run them. The channel a channel-bound key is
 * limited to overrides the filter on every report that has a channel.
 */

const SYNC_OUTCOMES = ['ok', 'duplicate', 'stale', 'ignored', 'rejected', 'error'] as const;
const Format = z.enum(['json', 'csv']).optional();
const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

/**
 * A period of days: `from` and `to` included (default: the last 30 days), at most 7 days per page:
 * a page reads the orders of its days, so its days bound its cost (about 20,000 orders a week at
 * the benchmark's million orders a year).
 */
const Period = z.object({
  from: Day.optional(),
  to: Day.optional(),
  days: z.coerce.number().int().min(1).max(7).default(7),
  cursor: Day.optional(),
  channelId: Id.optional(),
  format: Format,
});

export interface FilterField {
  name: string;
  kind: 'day' | 'select' | 'text' | 'number' | 'channel';
  options?: readonly string[];
}

export interface ReportSpec {
  name: ReportName;
  summary: string;
  query: z.ZodObject;
  filters: FilterField[];
  /** Whether the report reads per channel (a channel-bound key sees only its own). */
  perChannel: boolean;
  run(deps: Deps, tenantId: string, q: Record<string, unknown>, channelId: string | undefined): Promise<{ page: ReportPage; legacy?: Record<string, unknown> }>;
}

const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(d);

/** The period's bounds with their defaults; a `from` after `to` is refused naming `from`. */
export function periodOf(deps: Deps, q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = q.to ?? dayOf(deps.now());
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

const periodRefine = <T extends z.ZodObject>(o: T) =>
  o.refine((v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to, { path: ['from'], message: 'must not be after to' });

const opt = <T>(k: string, v: T | undefined): Record<string, T> => (v === undefined || v === '' ? {} : { [k]: v });

export const REPORTS: ReportSpec[] = [
  {
    name: 'orders-per-channel',
    summary: 'Orders per day, channel and status over a period (newest day first; a page is `days` days)',
    query: periodRefine(Period.extend({ status: z.enum(ORDER_STATUSES).optional() })) as unknown as z.ZodObject,
    filters: [{ name: 'from', kind: 'day' }, { name: 'to', kind: 'day' }, { name: 'channelId', kind: 'channel' }, { name: 'status', kind: 'select', options: ORDER_STATUSES }, { name: 'days', kind: 'number' }],
    perChannel: true,
    run: async (deps, tenantId, q, channelId) => ({
      page: await ordersPerChannel(deps.sql, tenantId, { ...periodOf(deps, q), days: q.days as number, ...opt('cursor', q.cursor as string), ...opt('channelId', channelId), ...opt('status', q.status as string) }),
    }),
  },
  {
    name: 'sync-audit',
    summary: 'The store sync log (webhooks, syncs, write-backs), newest first by id',
    query: z.object({ channelId: Id.optional(), outcome: z.enum(SYNC_OUTCOMES).optional(), limit: Limit(500, 100), cursor: Id.optional(), format: Format }),
    filters: [{ name: 'channelId', kind: 'channel' }, { name: 'outcome', kind: 'select', options: SYNC_OUTCOMES }, { name: 'limit', kind: 'number' }],
    perChannel: true,
    run: async (deps, tenantId, q, channelId) => ({
      page: await syncAudit(deps.sql, tenantId, { limit: q.limit as number, ...opt('cursor', q.cursor as string), ...opt('channelId', channelId), ...opt('outcome', q.outcome as string) }),
    }),
  },
  {
    name: 'awbs-in-transit',
    summary: 'AWBs on the road, oldest first: age, last event, what needs attention (failed attempts, returns, unknown codes)',
    query: z.object({ courier: CourierCodeSchema.optional(), attention: z.enum(['true', 'false']).optional(), limit: Limit(2000, 100), cursor: z.string().max(200).optional(), format: Format }),
    filters: [{ name: 'courier', kind: 'select', options: CourierCodeSchema.options }, { name: 'attention', kind: 'select', options: ['true', 'false'] }, { name: 'limit', kind: 'number' }],
    perChannel: false,
    run: async (deps, tenantId, q) => {
      const r = await awbsInTransitReport(deps.sql, tenantId, { limit: q.limit as number, attentionOnly: q.attention === 'true', ...opt('courier', q.courier as never), ...opt('cursor', q.cursor as string) });
      return { page: r.page, legacy: r.legacy };
    },
  },
  {
    name: 'courier-audit-log',
    summary: 'Every courier API call (request, response, latency, outcome; secrets redacted), newest first',
    query: z.object({
      courier: CourierCodeSchema.optional(),
      outcome: z.enum(['ok', 'http_error', 'timeout', 'network_error']).optional(),
      operation: z.string().max(50).optional(),
      before: Id.optional(),
      cursor: Id.optional(),
      limit: Limit(500, 100),
      format: Format,
    }),
    filters: [{ name: 'courier', kind: 'select', options: CourierCodeSchema.options }, { name: 'outcome', kind: 'select', options: ['ok', 'http_error', 'timeout', 'network_error'] }, { name: 'operation', kind: 'text' }, { name: 'limit', kind: 'number' }],
    perChannel: false,
    run: async (deps, tenantId, q) => {
      const before = (q.cursor ?? q.before) as string | undefined;
      const r = await courierAuditReport(deps.sql, tenantId, { limit: q.limit as number, ...opt('courier', q.courier as string), ...opt('outcome', q.outcome as string), ...opt('operation', q.operation as string), ...opt('before', before) });
      return { page: r.page, legacy: r.legacy };
    },
  },
  {
    name: 'invoices-per-channel',
    summary: 'E-commerce reconciliation per day, channel and currency: store total against invoiced and credited',
    query: periodRefine(Period.extend({ currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code').optional() })) as unknown as z.ZodObject,
    filters: [{ name: 'from', kind: 'day' }, { name: 'to', kind: 'day' }, { name: 'channelId', kind: 'channel' }, { name: 'currency', kind: 'text' }, { name: 'days', kind: 'number' }],
    perChannel: true,
    run: async (deps, tenantId, q, channelId) => ({
      page: await invoicesPerChannel(deps.sql, tenantId, { ...periodOf(deps, q), days: q.days as number, ...opt('cursor', q.cursor as string), ...opt('channelId', channelId), ...opt('currency', q.currency as string) }),
    }),
  },
  {
    name: 'stock-movements',
    summary: 'Stock movement history, newest first (keyset pagination)',
    query: z.object({
      productId: Id.optional(),
      warehouseId: Id.optional(),
      causeType: z.string().min(1).max(40).optional(),
      causeId: z.string().min(1).max(40).optional(),
      kind: z.enum(STOCK_MOVEMENT_KINDS).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      limit: Limit(500, 100),
      cursor: z.string().max(500).optional(),
      format: Format,
    }),
    filters: [{ name: 'warehouseId', kind: 'text' }, { name: 'kind', kind: 'select', options: STOCK_MOVEMENT_KINDS }, { name: 'causeType', kind: 'text' }, { name: 'limit', kind: 'number' }],
    perChannel: false,
    run: async (deps, tenantId, q) => {
      const r = await stockMovementsReport(deps.sql, tenantId, {
        limit: q.limit as number,
        ...opt('productId', q.productId as string),
        ...opt('warehouseId', q.warehouseId as string),
        ...opt('causeType', q.causeType as string),
        ...opt('causeId', q.causeId as string),
        ...opt('kind', q.kind as string),
        ...(q.from ? { from: new Date(q.from as string) } : {}),
        ...(q.to ? { to: new Date(q.to as string) } : {}),
        ...opt('cursor', q.cursor as string),
      });
      return { page: r.page, legacy: r.legacy };
    },
  },
  {
    name: 'blocked-delivery-notes',
    summary: 'Delivery notes blocked by stock, oldest first, with the missing quantities per SKU',
    query: z.object({ limit: Limit(500, 200), cursor: Id.optional(), format: Format }),
    filters: [{ name: 'limit', kind: 'number' }],
    perChannel: false,
    run: async (deps, tenantId, q) => {
      const r = await blockedDeliveryNotesReport(deps.sql, tenantId, { limit: q.limit as number, ...opt('cursor', q.cursor as string) });
      return { page: r.page, legacy: r.legacy };
    },
  },
  {
    name: 'returns',
    summary: 'Returns per day and channel: the return rate against the orders placed, units restocked or quarantined, and the reasons',
    query: periodRefine(Period) as unknown as z.ZodObject,
    filters: [{ name: 'from', kind: 'day' }, { name: 'to', kind: 'day' }, { name: 'channelId', kind: 'channel' }, { name: 'days', kind: 'number' }],
    perChannel: true,
    run: async (deps, tenantId, q, channelId) => {
      const { reasons, ...page } = await returnsReport(deps.sql, tenantId, { ...periodOf(deps, q), days: q.days as number, ...opt('cursor', q.cursor as string), ...opt('channelId', channelId) });
      return { page, legacy: { reasons } };
    },
  },
];

export const reportSpec = (name: string): ReportSpec | undefined => REPORTS.find((r) => r.name === name);
