import { describe, expect, it } from 'vitest';
import { reportCsv } from './report-csv.ts';

describe('reportCsv (RFC 4180, for Excel and LibreOffice)', () => {
  it('starts with a UTF-8 BOM, ends every record with CRLF, and writes the columns in order, null as empty', () => {
    const csv = reportCsv({ columns: ['day', 'orders', 'note'], rows: [{ day: '2026-11-20', orders: 3, note: null, extra: 'not a column' }] });
    expect(csv).toBe('\uFEFFday,orders,note\r\n2026-11-20,3,\r\n');
  });

  it('quotes a field with a comma, a quote or a line break, doubling its quotes, and keeps the diacritics', () => {
    const csv = reportCsv({ columns: ['name'], rows: [{ name: 'Săpun, „natural” "mare"' }, { name: 'două\r\nrânduri' }] });
    expect(csv).toBe('\uFEFFname\r\n"Săpun, „natural” ""mare"""\r\n"două\r\nrânduri"\r\n');
  });

  it('defuses a text a spreadsheet would run as a formula, but never a number or a negative amount', () => {
    const csv = reportCsv({ columns: ['a', 'b', 'c', 'd', 'e'], rows: [{ a: '=HYPERLINK("x")', b: '+40744', c: '@SUM(A1)', d: '-12.50', e: -3 }] });
    expect(csv).toBe(`\uFEFFa,b,c,d,e\r\n"'=HYPERLINK(""x"")",'+40744,'@SUM(A1),-12.50,-3\r\n`);
  });

  it('names the header cells through the given words (the screens write them in their language)', () => {
    expect(reportCsv({ columns: ['day'], rows: [] }, (k) => (k === 'day' ? 'Ziua' : k))).toBe('\uFEFFZiua\r\n');
  });
});
