import { z } from '@hono/zod-openapi';
import { ReportChartSchema, ReportPageSchema } from '../../contracts/reports.ts';
import type { Deps } from '../../shared/deps.ts';
import { outstandingCod } from '../../shipping/index.ts';
import { createApiRouter, json, Obj, route, scopeChannel, tenantOf, upstreamErrors } from '../openapi.ts';
import { csvResponse, reportCsv, wantsCsv } from '../report-csv.ts';
import { REPORTS } from '../report-registry.ts';

/**
 * Read-only reports under /reports, one route per report of the registry: JSON with the rows, the
 * next page's cursor and the chart data, or the same rows as CSV (`?format=csv` or
 * `Accept: text/csv`). The four that answered before keep their fields (movements, deliveryNotes,
 * rows, entries...) beside the new ones.
 */
export function reportsRouter(deps: Deps) {
  const api = createApiRouter();

  for (const spec of REPORTS) {
    api.openapi(
      route('get', `/reports/${spec.name}`, {
        summary: spec.summary,
        request: { query: spec.query },
        responses: {
          200: {
            description: 'A page of the report (JSON), or its rows as CSV',
            content: { 'application/json': { schema: ReportPageSchema }, 'text/csv': { schema: z.string() } },
          },
          ...upstreamErrors,
        },
      }),
      (async (c: Parameters<Parameters<typeof api.openapi>[1]>[0]) => {
        const q = (c.req as unknown as { valid(t: 'query'): Record<string, unknown> }).valid('query');
        const channelId = spec.perChannel ? scopeChannel(c as never, q.channelId as string | undefined) : undefined;
        const { page, legacy } = await spec.run(deps, tenantOf(c as never), q, channelId);
        if (wantsCsv(c as never)) return csvResponse(c as never, spec.name, reportCsv(page));
        return c.json({ ...legacy, ...page }, 200);
      }) as never,
    );
  }

  api.openapi(
    route('get', '/reports/outstanding-cod', {
      summary: 'Cash on delivery the couriers still owe, per courier (pending and collected-not-settled)',
      responses: { 200: json(z.object({ couriers: z.array(Obj), shipments: z.array(Obj) }), 'Outstanding COD'), ...upstreamErrors },
    }),
    async (c) => c.json(await outstandingCod(deps.sql, tenantOf(c)), 200),
  );

  return api;
}

export { ReportChartSchema };
