import { z } from 'zod';

/*
 * What every /api/v1/reports/<name> answers, so the core UI, the Shopify app and the WP admin draw
 * the same chart from the same data: the page's rows, the CSV column keys, the next page's cursor,
 * and the chart as labels with named series of numbers (one value per label).
 */
export const ReportChartSchema = z
  .object({
    kind: z.enum(['bar', 'line', 'doughnut']),
    stacked: z.boolean(),
    scope: z.enum(['period', 'page']),
    labels: z.array(z.string()),
    series: z.array(z.object({ name: z.string(), values: z.array(z.number()) })),
  })
  .meta({ id: 'ReportChart' });

export const ReportPageSchema = z
  .object({
    report: z.string(),
    columns: z.array(z.string()),
    // Each row holds at least its `columns` as strings, numbers or null (money as decimal strings).
    rows: z.array(z.record(z.string(), z.unknown())),
    nextCursor: z.string().nullable(),
    chart: ReportChartSchema,
  })
  .passthrough()
  .meta({ id: 'ReportPage' });

export const REPORT_NAMES = ['orders-per-channel', 'sync-audit', 'awbs-in-transit', 'courier-audit-log', 'invoices-per-channel', 'stock-movements', 'blocked-delivery-notes', 'returns'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
