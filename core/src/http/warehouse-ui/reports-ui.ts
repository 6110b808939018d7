import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Context, Hono } from 'hono';
import type { Language } from '../../auth/index.ts';
import { ORDER_STATUSES } from '../../contracts/order.ts';
import { type ReportChart, reportChannels } from '../../reports/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { csvResponse, reportCsv } from '../report-csv.ts';
import { REPORTS, reportSpec } from '../report-registry.ts';
import type { MessageKey, Translate } from './i18n.ts';
import { BASE } from './layout.ts';
import { reportWord } from './report-words.ts';
import { reportScreen, reportsIndexScreen } from './screens/reports-screen.ts';
import { kindLabel } from './screens/movements-screen.ts';
import { statusWord } from './status-words.ts';
import { ctxOf, gate } from './ui-kit.ts';
import type { UiEnv } from './web-session.ts';

/*
 * The report screens under /warehouse/reports: the same registry, filters and queries as
 * /api/v1/reports/<name>, drawn as a filter form, a chart (Chart.js, served from node_modules) and
 * the page's rows, with the CSV export of the same rows (headers in the screen's language).
 */

/**
 * The charting library, read from its package at first use: one pinned dependency (chart.js in
 * core/package.json), never a copy kept in the repository.
 */
let chartJs: string | null = null;
export function chartLibrary(): string {
  if (chartJs === null) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
  }
  return chartJs;
}

const orderStatus = (t: Translate, s: string) => ((ORDER_STATUSES as readonly string[]).includes(s) ? t(`orderStatus_${s}` as MessageKey) : s);

/** A cell or chart word in the screen's language: statuses and kinds by report, everything else as it is. */
function worder(name: string, t: Translate, lang: Language) {
  return (key: string, value: unknown): string => {
    if (value === null || value === undefined) return '';
    const v = String(value);
    if (key === 'status' && (name === 'orders-per-channel' || name === 'returns')) return orderStatus(t, v);
    if ((key === 'status' || key === 'lastEventStatus') && name === 'awbs-in-transit') return statusWord(t, 'shipment', v);
    if (key === 'kind' && name === 'stock-movements') return kindLabel(t, v);
    if (key === 'series') return reportWord(lang, v);
    return v;
  };
}

function chartInWords(name: string, chart: ReportChart, t: Translate, lang: Language): ReportChart {
  const series = (s: string) => (name === 'orders-per-channel' ? orderStatus(t, s) : reportWord(lang, s));
  const label = (l: string) => (name === 'stock-movements' ? kindLabel(t, l) : name === 'awbs-in-transit' ? l.replace('d', lang === 'ro' ? ' z' : ' d') : l);
  return { ...chart, labels: chart.labels.map(label), series: chart.series.map((s) => ({ ...s, name: series(s.name) })) };
}

export function reportsUi(deps: Deps) {
  const ui = new Hono<UiEnv>();

  ui.get('/reports', (c) => {
    gate(c, 'report.view');
    return c.html(reportsIndexScreen(ctxOf(c), REPORTS.map((r) => r.name)));
  });

  ui.get('/reports/:name', async (c: Context<UiEnv>) => {
    const s = gate(c, 'report.view');
    const spec = reportSpec(c.req.param('name') ?? '');
    if (!spec) throw new DomainError('NOT_FOUND', 'There is no such report.', [{ path: 'name', reason: 'unknown report' }]);
    // A form sends its empty fields too: an empty filter is no filter.
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
    const parsed = spec.query.safeParse(raw);
    if (!parsed.success) {
      throw new DomainError(
        'VALIDATION',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message })),
      );
    }
    const q = parsed.data as Record<string, unknown>;
    const [{ page, legacy }, channels] = await Promise.all([
      spec.run(deps, s.tenantId, q, spec.perChannel ? (q.channelId as string | undefined) : undefined),
      spec.filters.some((f) => f.kind === 'channel') ? reportChannels(deps.sql, s.tenantId) : [],
    ]);
    const { t, lang } = ctxOf(c);
    if (q.format === 'csv') return csvResponse(c, spec.name, reportCsv(page, (k) => reportWord(lang, k)));
    const values = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'cursor' && k !== 'format'));
    const href = (extra: Record<string, string>) => `${BASE}/reports/${spec.name}?${new URLSearchParams({ ...values, ...extra }).toString()}`;
    return c.html(
      reportScreen(ctxOf(c), {
        name: spec.name,
        filters: spec.filters,
        values,
        channels,
        page,
        chart: chartInWords(spec.name, page.chart, t, lang),
        ...(Array.isArray(legacy?.reasons) ? { reasons: legacy.reasons as NonNullable<Parameters<typeof reportScreen>[1]['reasons']> } : {}),
        csvHref: href({ ...(raw.cursor ? { cursor: raw.cursor } : {}), format: 'csv' }),
        nextHref: page.nextCursor ? href({ cursor: page.nextCursor }) : null,
        paged: Boolean(raw.cursor),
        cell: worder(spec.name, t, lang),
      }),
    );
  });

  return ui;
}
