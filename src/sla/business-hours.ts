import { DateTime } from 'luxon';

/** A working calendar in one time zone: working weekdays (1 = Monday … 7 = Sunday), daily hours, holidays. */
export type BusinessCalendar = {
  timeZone: string;
  workingDays: readonly number[];
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
  /** Local dates YYYY-MM-DD. */
  holidays: readonly string[];
};

// One year of working intervals per (calendar, year), as [start, end) epoch-ms pairs. Computing them
// once with luxon keeps DST right (09:00 local stays 09:00) and makes each lookup a binary search.
const intervalCache = new Map<string, Float64Array>();
const byCalendar = new WeakMap<BusinessCalendar, Map<number, Float64Array>>();
const MAX_YEARS_AHEAD = 30;

function calendarKey(cal: BusinessCalendar): string {
  return `${cal.timeZone}|${cal.workingDays.join(',')}|${cal.startMinute}|${cal.endMinute}|${cal.holidays.join(',')}`;
}

function yearIntervals(cal: BusinessCalendar, year: number): Float64Array {
  let years = byCalendar.get(cal);
  if (!years) {
    years = new Map();
    byCalendar.set(cal, years);
  }
  const hit = years.get(year);
  if (hit) return hit;
  const key = `${calendarKey(cal)}|${year}`;
  const cached = intervalCache.get(key);
  if (cached) {
    years.set(year, cached);
    return cached;
  }
  const holidays = new Set(cal.holidays);
  const days = new Set(cal.workingDays);
  const out: number[] = [];
  let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: cal.timeZone });
  while (day.year === year) {
    if (days.has(day.weekday) && !holidays.has(day.toISODate() ?? '')) {
      const start = day.set({ hour: Math.floor(cal.startMinute / 60), minute: cal.startMinute % 60 });
      const end =
        cal.endMinute >= 24 * 60
          ? day.plus({ days: 1 }).startOf('day')
          : day.set({ hour: Math.floor(cal.endMinute / 60), minute: cal.endMinute % 60 });
      if (end.toMillis() > start.toMillis()) out.push(start.toMillis(), end.toMillis());
    }
    day = day.plus({ days: 1 });
  }
  const intervals = Float64Array.from(out);
  intervalCache.set(key, intervals);
  years.set(year, intervals);
  return intervals;
}

// Zone offsets are under a day, so an instant's local year is its UTC year or a neighbour; starting one
// year early costs one binary search and avoids a luxon call per lookup.
const firstCandidateYear = (ms: number): number => new Date(ms).getUTCFullYear() - 1;

/** Index of the first interval whose end is after `t` (pairs flattened: returns the pair index). */
function firstEndingAfter(intervals: Float64Array, t: number): number {
  let lo = 0;
  let hi = intervals.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((intervals[mid * 2 + 1] ?? 0) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The instant `durationMs` of working time after `startMs` (time outside working hours does not count). */
export function addBusinessTime(startMs: number, durationMs: number, cal: BusinessCalendar): number {
  let remaining = durationMs;
  let t = startMs;
  const firstYear = firstCandidateYear(startMs);
  for (let year = firstYear; year <= firstYear + MAX_YEARS_AHEAD; year += 1) {
    const intervals = yearIntervals(cal, year);
    for (let i = firstEndingAfter(intervals, t); i < intervals.length / 2; i += 1) {
      const start = Math.max(intervals[i * 2] ?? 0, t);
      const end = intervals[i * 2 + 1] ?? 0;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
      t = end;
    }
  }
  // Only reachable with a calendar that has no working time at all (validation forbids it).
  return Number.POSITIVE_INFINITY;
}

/** Working time between two instants (0 when `toMs` ≤ `fromMs`). */
export function businessTimeBetween(fromMs: number, toMs: number, cal: BusinessCalendar): number {
  if (toMs <= fromMs) return 0;
  let total = 0;
  const lastYear = new Date(toMs).getUTCFullYear() + 1;
  for (let year = firstCandidateYear(fromMs); year <= lastYear; year += 1) {
    const intervals = yearIntervals(cal, year);
    for (let i = firstEndingAfter(intervals, fromMs); i < intervals.length / 2; i += 1) {
      const start = Math.max(intervals[i * 2] ?? 0, fromMs);
      if (start >= toMs) return total;
      total += Math.min(intervals[i * 2 + 1] ?? 0, toMs) - start;
    }
  }
  return total;
}
