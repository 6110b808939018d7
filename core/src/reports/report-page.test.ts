import { describe, expect, it } from 'vitest';
import { chartOf, dayPage, daysBetween } from './report-page.ts';

describe('day pages of a period', () => {
  it('lists the days newest first, both ends included, across a month end', () => {
    expect(daysBetween('2026-10-30', '2026-11-02')).toEqual(['2026-11-02', '2026-11-01', '2026-10-31', '2026-10-30']);
  });

  it('cuts the period into pages of `days` days, the cursor being the first day not shown', () => {
    const first = dayPage({ from: '2026-11-01', to: '2026-11-05', days: 2 });
    expect(first).toEqual({ from: '2026-11-04', to: '2026-11-05', days: ['2026-11-05', '2026-11-04'], nextCursor: '2026-11-03' });
    const second = dayPage({ from: '2026-11-01', to: '2026-11-05', days: 2, cursor: first.nextCursor! });
    expect(second.days).toEqual(['2026-11-03', '2026-11-02']);
    const last = dayPage({ from: '2026-11-01', to: '2026-11-05', days: 2, cursor: second.nextCursor! });
    expect(last).toEqual({ from: '2026-11-01', to: '2026-11-01', days: ['2026-11-01'], nextCursor: null });
  });

  it('ignores a cursor after the period (it never widens the page) and answers no days for one before it', () => {
    expect(dayPage({ from: '2026-11-01', to: '2026-11-02', days: 7, cursor: '2027-01-01' }).days).toEqual(['2026-11-02', '2026-11-01']);
    expect(dayPage({ from: '2026-11-01', to: '2026-11-02', days: 7, cursor: '2026-10-01' }).days).toEqual([]);
  });
});

describe('chartOf', () => {
  it('puts one value per label in every series, zero where a series has no row, summing rows of the same label', () => {
    const rows = [
      { d: 'b', s: 'x', v: 1 },
      { d: 'a', s: 'y', v: 2 },
      { d: 'b', s: 'x', v: 0.1 },
      { d: 'b', s: 'x', v: 0.2 },
    ];
    expect(chartOf(rows, { scope: 'page', labels: ['a', 'b'], label: (r) => r.d, series: (r) => r.s, value: (r) => r.v })).toEqual({
      kind: 'bar',
      stacked: false,
      scope: 'page',
      labels: ['a', 'b'],
      series: [
        { name: 'x', values: [0, 1.3] },
        { name: 'y', values: [2, 0] },
      ],
    });
  });
});
