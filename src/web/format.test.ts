import { describe, expect, it } from 'vitest';
import { columnLabel, formatCell } from './format.ts';

describe('report labels', () => {
  it('spells out column names for headings and legends', () => {
    expect(columnLabel('ttft_median_h')).toBe('time to first touch median (h)');
    expect(columnLabel('properly_pct')).toBe('properly %');
    expect(columnLabel('mqls')).toBe('MQLs');
    expect(columnLabel('effort_needed_h')).toBe('effort needed (h)');
    expect(columnLabel('odds_ratio')).toBe('odds ratio');
  });

  it('shows codes in words and leaves other text alone', () => {
    expect(formatCell('likely_cherry_picking')).toBe('likely cherry picking');
    expect(formatCell('no_evidence')).toBe('no evidence');
    expect(formatCell('Dana Reyes')).toBe('Dana Reyes');
    expect(formatCell('2026-W36')).toBe('2026-W36');
    expect(formatCell(1234.567)).toBe('1,234.57');
    expect(formatCell(null)).toBe('—');
  });
});
