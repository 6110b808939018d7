import { z } from '@hono/zod-openapi';
import { importBnrRates, listFxRates, saveManualFxRate } from '../../invoicing/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, Day, errors, json, jsonBody, route, tenantOf, upstreamErrors } from '../openapi.ts';

/** YYYY-MM-DD that is a day of the calendar (2026-02-30 is not). */
const CalendarDay = Day.refine((d) => {
  const at = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(d);
}, 'must be a day of the calendar');

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code (3 capital letters)');
const ForeignCurrency = Currency.refine((c) => c !== 'RON', 'must be a foreign currency, not RON');

const FxRateSchema = z.object({ currency: z.string(), validOn: z.string(), ronPerUnit: z.string(), source: z.enum(['bnr', 'manual']), updatedAt: z.string() });

export const ManualRate = z.object({
  currency: ForeignCurrency,
  validOn: CalendarDay,
  ronPerUnit: z.string().regex(/^(?=.*[1-9])\d{1,6}(\.\d{1,6})?$/, 'must be a positive decimal string with at most 6 decimals'),
});

const ImportReport = z.object({ validOn: z.string(), tenants: z.number(), currencies: z.number(), written: z.number(), unchanged: z.number() });

/** Exchange rates for invoices in a foreign currency: BNR's reference rates, or the merchant's own for a day. */
export function fxRatesRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/invoicing/fx-rates', {
      summary: 'RON per unit by currency and day, newest first (keyset pagination)',
      request: {
        query: z.object({
          currency: Currency.optional(),
          from: CalendarDay.optional(),
          to: CalendarDay.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(40).optional(),
        }),
      },
      responses: { 200: json(z.object({ rates: z.array(FxRateSchema), nextCursor: z.string().nullable() }), 'A page of rates'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listFxRates(deps.sql, tenantOf(c), {
        limit: q.limit,
        ...(q.currency ? { currency: q.currency } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return c.json(page, 200);
    },
  );

  api.openapi(
    route('put', '/invoicing/fx-rates', {
      summary: "The merchant's own rate for a currency and day (source 'manual'); a BNR import never overwrites it",
      request: { body: jsonBody(ManualRate) },
      responses: { 200: json(FxRateSchema, 'Saved'), ...errors },
    }),
    async (c) => c.json(await saveManualFxRate(deps.sql, tenantOf(c), c.req.valid('json')), 200),
  );

  api.openapi(
    route('post', '/invoicing/fx-rates/import', {
      summary: "Import BNR's rates now: the latest day, or a past day from BNR's yearly archive",
      request: { body: jsonBody(z.object({ date: CalendarDay.optional() }), false) },
      responses: { 200: json(ImportReport, 'What was imported'), ...upstreamErrors },
    }),
    async (c) => {
      const b = Number(c.req.header('content-length') ?? '0') > 0 ? c.req.valid('json') : {};
      const report = await importBnrRates(deps.sql, [tenantOf(c)], { date: b.date ?? null, now: deps.now(), ...(deps.fetch ? { fetch: deps.fetch } : {}) });
      return c.json(report, 200);
    },
  );

  return api;
}
