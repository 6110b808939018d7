import type { Context } from 'hono';
import type { ReportPage } from '../reports/index.ts';

/**
 * A report page as CSV (RFC 4180): CRLF line ends, every field that holds a quote, comma or line
 * break quoted with its quotes doubled, and a UTF-8 byte order mark first so Excel and LibreOffice
 * read the Romanian diacritics (ă, â, î, ș, ț) as such. Numbers are written as the JSON has them
 * (a dot before the decimals). A text that a spreadsheet would run as a formula (=, +, @, or a
 * minus not starting a number) is prefixed with an apostrophe; a number never is.
 */
export function reportCsv(page: Pick<ReportPage, 'columns' | 'rows'>, header: (key: string) => string = (k) => k): string {
  const lines = [page.columns.map((k) => field(header(k))).join(',')];
  for (const row of page.rows) lines.push(page.columns.map((k) => field(row[k])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = typeof value === 'string' ? value : JSON.stringify(value);
  const text = /^[=+@\t\r]|^-(?!\d)/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV asked for by `?format=csv` or an `Accept: text/csv` that does not also prefer JSON. */
export function wantsCsv(c: Context): boolean {
  if (c.req.query('format') === 'csv') return true;
  const accept = c.req.header('accept') ?? '';
  return /\btext\/csv\b/i.test(accept) && !/application\/json/i.test(accept.split(',')[0] ?? '');
}

export function csvResponse(c: Context, name: string, csv: string): Response {
  return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
}
