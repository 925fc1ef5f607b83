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
