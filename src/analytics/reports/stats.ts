import type { EvaluatedLead, ReportBy } from './report-types.ts';

/** Percentile with linear interpolation between closest ranks (numpy's default, "type 7"). */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Rounds for display and for engine-independent comparison (floating sums may differ in the last bits). */
export const round = (x: number | null, digits = 4): number | null =>
  x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : round(part / whole);

const H = 3_600_000;
export const hours = (ms: number | null): number | null => (ms === null ? null : round(ms / H, 2));

/** ISO-8601 week of an instant in UTC, e.g. "2026-W02". */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 24 * H)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const isoMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The group a lead falls in under `--by`; weeks and months are of the hand-over (UTC). */
export function groupKey(l: EvaluatedLead, by: ReportBy | undefined): string {
  const f = l;
  switch (by) {
    case 'rep':
      return f.rep_name ?? '(unassigned)';
    case 'team':
      return f.team_name ?? '(no team)';
    case 'source':
      return f.source ?? '(none)';
    case 'campaign':
      return f.campaign ?? '(none)';
    case 'week':
      return isoWeek(f.handed_over_at ?? f.created_at);
    case 'month':
      return l.month;
    default:
      return 'all';
  }
}

/** Groups items by key, keys sorted (so output order is the same on every engine). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) {
      list = [];
      groups.set(k, list);
    }
    list.push(item);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
