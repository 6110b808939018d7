import { html } from 'hono/html';
import type { ReportChart, ReportPage } from '../../../reports/index.ts';
import type { FilterField } from '../../report-registry.ts';
import { BASE, type Markup, type PageContext, page } from '../layout.ts';
import { reportTitle, reportWord } from '../report-words.ts';

/** The scripts a report screen loads: the charting library (from node_modules) and the chart component that draws `data-chart`. */
export const REPORT_SCRIPTS = ['chart.umd.min.js', 'report-chart.js'];

export function reportsIndexScreen(ctx: PageContext, names: string[]): Markup {
  const { t, lang } = ctx;
  return page(
    { ...ctx, active: 'reports' },
    t('reportsTab'),
    html`<section class="card"><h1>${t('reportsTab')}</h1><p class="hint">${t('reportsIntro')}</p>
    <ul class="report-list">${names.map((n) => {
      const [title, purpose] = reportTitle(lang, n);
      return html`<li><a href="${BASE}/reports/${n}" data-report="${n}">${title}</a><span class="hint">${purpose}</span></li>`;
    })}</ul></section>`,
    { pageId: 'reports' },
  );
}

export interface ReportView {
  name: string;
  filters: FilterField[];
  values: Record<string, string>;
  /** The tenant's channels, for the channel filter. */
  channels: Array<{ id: string; name: string }>;
  page: ReportPage;
  /** The chart as drawn here: series and labels put in the screen's words. */
  chart: ReportChart;
  csvHref: string;
  /** The reasons of the returns report (over the page's days), shown under its table. */
  reasons?: Array<{ reason: string; returns: number; units: number }>;
  nextHref: string | null;
  paged: boolean;
  /** A cell in the screen's words (statuses, kinds); the CSV keeps the codes. */
  cell: (key: string, value: unknown) => string;
}

export function reportScreen(ctx: PageContext, v: ReportView): Markup {
  const { t, lang } = ctx;
  const [title, purpose] = reportTitle(lang, v.name);
  const w = (k: string) => reportWord(lang, k);
  const input = (f: FilterField) => {
    const value = v.values[f.name] ?? '';
    const id = `f-${f.name}`;
    if (f.kind === 'channel') {
      return html`<label for="${id}">${w('channelName')}</label><select id="${id}" name="${f.name}"><option value="">${t('reportAll')}</option>${v.channels.map(
        (ch) => html`<option value="${ch.id}" ${ch.id === value ? 'selected' : ''}>${ch.name}</option>`,
      )}</select>`;
    }
    if (f.kind === 'select') {
      return html`<label for="${id}">${w(f.name)}</label><select id="${id}" name="${f.name}"><option value="">${t('reportAll')}</option>${(f.options ?? []).map(
        (o) => html`<option value="${o}" ${o === value ? 'selected' : ''}>${v.cell(f.name, o)}</option>`,
      )}</select>`;
    }
    const type = f.kind === 'day' ? 'date' : f.kind === 'number' ? 'number' : 'text';
    return html`<label for="${id}">${w(f.name)}</label><input id="${id}" name="${f.name}" type="${type}" value="${value}">`;
  };
  return page(
    { ...ctx, active: 'reports' },
    title,
    html`<section class="card report" data-report="${v.name}">
  <h1>${title}</h1>
  <p class="hint">${purpose}</p>
  <form method="get" action="${BASE}/reports/${v.name}" class="report-filters">
    ${v.filters.map((f) => html`<div class="report-filter">${input(f)}</div>`)}
    <div class="report-actions"><button type="submit" class="btn">${t('reportShow')}</button>
    <a class="btn secondary" id="report-csv" href="${v.csvHref}" download>${t('reportCsv')}</a></div>
  </form>
  <div class="report-chart"><canvas id="report-chart" data-chart="${JSON.stringify(v.chart)}" role="img" aria-label="${title}"></canvas></div>
  ${v.chart.scope === 'page' ? html`<p class="hint">${t('reportChartPage')}</p>` : ''}
  ${
    v.page.rows.length === 0
      ? html`<p class="empty" id="report-empty">${t('reportNoRows')}</p>`
      : html`<div class="report-table"><table class="rates" id="report-rows">
    <thead><tr>${v.page.columns.map((k) => html`<th data-col="${k}">${w(k)}</th>`)}</tr></thead>
    <tbody>${v.page.rows.map((r) => html`<tr>${v.page.columns.map((k) => html`<td data-col="${k}">${v.cell(k, r[k])}</td>`)}</tr>`)}</tbody>
  </table></div>`
  }
  ${
    v.reasons?.length
      ? html`<h2>${w('reasons')}</h2><table class="rates" id="report-reasons"><thead><tr><th>${w('reason')}</th><th>${w('returns')}</th><th>${w('units')}</th></tr></thead>
    <tbody>${v.reasons.map((r) => html`<tr><td>${r.reason}</td><td>${r.returns}</td><td>${r.units}</td></tr>`)}</tbody></table>`
      : ''
  }
  <p class="report-pages">${v.paged ? html`<a href="${BASE}/reports/${v.name}">${t('reportFirstPage')}</a>` : ''} ${v.nextHref ? html`<a id="report-next" href="${v.nextHref}">${t('reportNextPage')}</a>` : ''}</p>
</section>`,
    { scripts: REPORT_SCRIPTS, pageId: 'report' },
  );
}
