/**
 * What every report answers with, whatever surface draws it: the page of rows, the keyset cursor
 * of the next page, the column keys in CSV order, and the chart as data (labels and named series of
 * numbers) so the core UI, the Shopify app and the WP admin draw the same chart with the same
 * library without knowing the report.
 */
export interface ReportChart {
  kind: 'bar' | 'line' | 'doughnut';
  /** Stack the series on one bar per label (counts of parts of a whole). */
  stacked: boolean;
  /** What the chart covers: the whole filtered period, or only the rows of this page. */
  scope: 'period' | 'page';
  labels: string[];
  series: Array<{ name: string; values: number[] }>;
}

export type Cell = string | number | null;

export interface ReportPage<Row extends Record<string, unknown> = Record<string, unknown>> {
  report: string;
  columns: string[];
  rows: Row[];
  nextCursor: string | null;
  chart: ReportChart;
}

/** Group rows into a chart: one label per `label(row)`, one series per `series(row)`, summing `value(row)`. */
export function chartOf<R>(
  rows: R[],
  o: { kind?: ReportChart['kind']; stacked?: boolean; scope: ReportChart['scope']; label: (r: R) => string; series: (r: R) => string; value: (r: R) => number; labels?: string[] },
): ReportChart {
  const labels = o.labels ?? [...new Set(rows.map(o.label))];
  const at = new Map(labels.map((l, i) => [l, i]));
  const series = new Map<string, number[]>();
  for (const r of rows) {
    const name = o.series(r);
    const values = series.get(name) ?? labels.map(() => 0);
    series.set(name, values);
    const i = at.get(o.label(r));
    if (i !== undefined) values[i] = round2(values[i]! + o.value(r));
  }
  return { kind: o.kind ?? 'bar', stacked: o.stacked ?? false, scope: o.scope, labels, series: [...series].map(([name, values]) => ({ name, values })) };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Calendar days of a period, newest first, `from` and `to` included (YYYY-MM-DD, UTC arithmetic on dates only). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = Date.parse(`${to}T00:00:00Z`); d >= Date.parse(`${from}T00:00:00Z`); d -= 86_400_000) out.push(new Date(d).toISOString().slice(0, 10));
  return out;
}

/**
 * A page of a day-bucketed report: at most `days` calendar days of the period, newest first, the
 * cursor being the first day not shown yet. The work a page costs is bounded by the days it
 * covers, never by the length of the period.
 */
export function dayPage(f: { from: string; to: string; days: number; cursor?: string }): { from: string; to: string; days: string[]; nextCursor: string | null } {
  const top = f.cursor && f.cursor < f.to ? f.cursor : f.to;
  const all = daysBetween(f.from, top);
  const days = all.slice(0, f.days);
  return { from: days.at(-1) ?? f.from, to: top, days, nextCursor: all.length > f.days ? all[f.days]! : null };
}

/** The time zone report days are counted in: the warehouse's (Romania). */
export const REPORT_TZ = 'Europe/Bucharest';
