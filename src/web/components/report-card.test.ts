import { describe, expect, it } from 'vitest';
import { chartRows } from './report-card.tsx';

const report = {
  columns: ['rep', 'month', 'effort_needed_h'],
  rows: [
    { rep: 'Ana', month: '2026-10', effort_needed_h: 40 },
    { rep: 'Ana', month: '2026-11', effort_needed_h: 50 },
    { rep: 'Ana', month: '2026-12', effort_needed_h: 2 },
    { rep: 'Ben', month: '2026-11', effort_needed_h: 30 },
  ],
};

describe('chartRows', () => {
  it('draws the latest complete month, not the one still running', () => {
    const rows = chartRows(report, { kind: 'bar', latest: 'month' }, new Date('2026-12-03T10:00:00Z'));
    expect(rows.map((r) => `${r.rep} ${r.month}`)).toEqual(['Ana 2026-11', 'Ben 2026-11']);
  });

  it('draws the running month when it is the only one', () => {
    const only = { ...report, rows: report.rows.filter((r) => r.month === '2026-12') };
    const rows = chartRows(only, { kind: 'bar', latest: 'month' }, new Date('2026-12-03T10:00:00Z'));
    expect(rows).toHaveLength(1);
  });

  it('draws the latest month when the period ended before this month', () => {
    const rows = chartRows(report, { kind: 'bar', latest: 'month' }, new Date('2027-02-01T00:00:00Z'));
    expect(rows.map((r) => r.month)).toEqual(['2026-12']);
  });
});
