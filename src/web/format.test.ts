import { describe, expect, it } from 'vitest';
import { columnLabel, formatCell, formatReportCell, formatTick } from './format.ts';

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

  it('shows shares as percentages and money as whole units, by column', () => {
    expect(formatReportCell('properly_pct', 0.39)).toBe('39%');
    expect(formatReportCell('acceptance_rate', 0.004)).toBe('0.4%');
    expect(formatReportCell('won_rate_properly_worked', 0)).toBe('0%');
    expect(formatReportCell('follow_up_share', 1)).toBe('100%');
    expect(formatReportCell('expected_revenue', 3589151.46)).toBe('3,589,151');
    expect(formatReportCell('avg_won_deal', 1234.5)).toBe('1,235');
    // Neither: as formatCell; a word merely containing "rate" is not a share.
    expect(formatReportCell('ttft_median_h', 4.853)).toBe('4.85');
    expect(formatReportCell('separate', 0.5)).toBe('0.5');
    expect(formatReportCell('properly_pct', null)).toBe('—');
    expect(formatReportCell('verdict', 'no_evidence')).toBe('no evidence');
  });

  it('shortens large axis ticks', () => {
    expect(formatTick(1_200_000)).toBe('1.2M');
    expect(formatTick(45_000)).toBe('45k');
    expect(formatTick(600)).toBe('600');
    expect(formatTick(0.25)).toBe('0.25');
  });
});
