/** Display formatting shared by every page. */
export const formatNumber = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export const formatPercent = (share: number, digits = 0): string => `${(share * 100).toFixed(digits)}%`;

export const formatMoney = (value: number): string =>
  value.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export const formatDateTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '—'
    : new Date(ms).toLocaleString('en-GB', {
        year: 'numeric',
        month: 'short',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });

export const formatDate = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '—'
    : new Date(ms).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: '2-digit' });

/** "in 3 h" / "5 h ago" for deadlines. */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const text =
    abs < 3_600_000
      ? `${Math.round(abs / 60_000)} min`
      : abs < 172_800_000
        ? `${Math.round(abs / 3_600_000)} h`
        : `${Math.round(abs / 86_400_000)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** A report cell as text: numbers with separators, shares as given, codes (`likely_cherry_picking`) in words. */
export function formatCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number')
    return Number.isInteger(value) ? formatNumber(value) : formatNumber(value, 2);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return /^[a-z]+(_[a-z]+)+$/.test(value) ? value.replace(/_/g, ' ') : value;
}

/** Report columns holding a share between 0 and 1 (`properly_pct`, `acceptance_rate`, `won_rate_properly_worked`). */
export const isShareColumn = (column: string): boolean => /(^|_)(pct|rate|share)(_|$)/.test(column);

/** Report columns holding money (`expected_revenue`, `avg_won_deal`, `won_amount_total`). */
export const isMoneyColumn = (column: string): boolean => /(^|_)(revenue|amount|deal)(_|$)/.test(column);

/**
 * A report cell in its column: shares as percentages ("39%"; one decimal under 10%), money as whole
 * units with separators (the workspace's amounts carry no currency), anything else as `formatCell`.
 */
export function formatReportCell(
  column: string,
  value: string | number | boolean | null | undefined,
): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (isShareColumn(column)) return formatPercent(value, Math.abs(value) < 0.1 && value !== 0 ? 1 : 0);
    if (isMoneyColumn(column)) return formatNumber(value);
  }
  return formatCell(value);
}

/** An axis tick: 1,200,000 → "1.2M", 45,000 → "45k", small numbers as they are. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${formatNumber(value / 1_000_000, 1)}M`;
  if (abs >= 10_000) return `${formatNumber(value / 1_000, 0)}k`;
  return formatNumber(value, 2);
}

// Words of report column names that read better spelled out.
const columnWords: Record<string, string> = {
  ttft: 'time to first touch',
  pct: '%',
  h: '(h)',
  mqls: 'MQLs',
  mql: 'MQL',
  sla: 'SLA',
  or: 'odds ratio',
  ci: 'CI',
  cmh: 'CMH',
};

/** A report column as a heading or legend entry: `ttft_median_h` → "time to first touch median (h)". */
export const columnLabel = (column: string): string =>
  column
    .split('_')
    .map((word) => columnWords[word] ?? word)
    .join(' ');
